// Starts each run with an empty output tap.
import { mkdirSync, rmSync } from 'node:fs';
import { TAP_DIR } from './tap.ts';

export default function setup(): void {
  rmSync(TAP_DIR, { recursive: true, force: true });
  mkdirSync(TAP_DIR, { recursive: true });
}
