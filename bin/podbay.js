#!/usr/bin/env node
// The `podbay` bin: runs the TypeScript sources through tsx so `npx podbay` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
