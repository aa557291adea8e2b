// The app thread's first module (serve.ts): worker threads do not inherit the TypeScript loader,
// so it is registered here before podbay's own modules load.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
