// Starts the console as `npm start` would in the sandbox, with a twin in this process and a
// driver that types and reads; shared by the console session tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningPodbay, start } from '../../src/main.ts';
import { type ApiMode, createRunpodApi } from '../../src/runpod/index.ts';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';
import { ConsoleDriver } from './driver.ts';

export interface ConsoleRun {
  c: ConsoleDriver;
  twin: Twin;
  running: RunningPodbay;
  logs: CapturedLogger;
  close(): Promise<void>;
}

/** `api` picks the RunPod API as RUNPOD_API would (default graphql). */
export async function startConsole(
  opts: { api?: ApiMode; env?: Record<string, string> } = {},
): Promise<ConsoleRun> {
  const c = new ConsoleDriver();
  const twin = await startTwin({
    seed: true,
    createToRunningDelaySec: 6,
    realtime: { speed: 30, tickMs: 50 },
    recordV2: opts.api !== undefined && opts.api !== 'graphql',
  });
  const logs = captureLogger([], 'debug');
  const runpod = createRunpodApi({
    url: twin.url,
    restUrl: twin.restUrl,
    api: opts.api ?? 'graphql',
    apiKey: undefined,
    timeoutMs: 5000,
    retryBudgetMs: 1000,
    logger: logs.logger,
  });
  const running = await start({
    mode: 'console',
    env: { PODBAY_DB_PATH: ':memory:', ...opts.env },
    cwd: mkdtempSync(join(tmpdir(), 'podbay-console-')),
    signals: false,
    input: c.input,
    output: c.output,
    logger: logs.logger,
    runpod,
    sandbox: true,
    follow: { intervalSec: 0.1, timeoutSec: 120 },
    consoleSettleMs: 1500,
  });
  return {
    c,
    twin,
    running,
    logs,
    close: async () => {
      c.end();
      await running.done;
      await twin.close();
    },
  };
}
