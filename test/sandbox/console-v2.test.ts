// The console session with RUNPOD_API=v2: real Bolt handlers and services, the twin's REST v2
// face behind (GraphQL never called). Pods, prices, a create through the modal to running, stop,
// and /spend with the balance plainly "needs GraphQL" while spend per hour still shows.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPodbay, start } from '../../src/main.ts';
import { createRunpodApi } from '../../src/runpod/index.ts';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import { ConsoleDriver } from '../console/driver.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';
import { CONSOLE_ENV_SECRET } from '../support/secrets.ts';

describe('console session on REST v2', () => {
  let twin: Twin;
  let running: RunningPodbay;
  let logs: CapturedLogger;
  const c = new ConsoleDriver();

  beforeAll(async () => {
    twin = await startTwin({
      seed: true,
      createToRunningDelaySec: 6,
      realtime: { speed: 30, tickMs: 50 },
      recordV2: true,
    });
    logs = captureLogger([], 'debug');
    const runpod = createRunpodApi({
      url: twin.url,
      restUrl: twin.restUrl,
      api: 'v2',
      apiKey: undefined,
      timeoutMs: 5000,
      retryBudgetMs: 1000,
      logger: logs.logger,
    });
    running = await start({
      mode: 'console',
      env: { PODBAY_DB_PATH: ':memory:' },
      cwd: mkdtempSync(join(tmpdir(), 'podbay-console-v2-')),
      signals: false,
      input: c.input,
      output: c.output,
      logger: logs.logger,
      runpod,
      sandbox: true,
      follow: { intervalSec: 0.1, timeoutSec: 120 },
      consoleSettleMs: 1500,
    });
  });

  afterAll(async () => {
    c.end();
    await running.done;
    await twin.close();
  });

  it('lists pods and prices through v2', async () => {
    await c.expect(/podbay> $/);
    c.type('/pod list');
    await c.expect(/ALL PODS[\s\S]*alice-llama70b-serve[\s\S]*\[\d+\] Stop[\s\S]*└─/);
    await c.expect(/podbay> $/);
    c.type('/gpu prices a6000');
    await c.expect(/GPU PRICES[\s\S]*A6000[\s\S]*\$\d/);
    await c.expect(/podbay> $/);
  });

  it('creates a pod through the modal and watches it reach running', async () => {
    c.type('/pod create');
    await c.expect(/┌─ Create a pod/);
    const answers: Array<[RegExp, string[]]> = [
      [/What is it for \[[^\]]*\]: $/, ['v2 eval']],
      [/GPU type \[[^\]]*\]: $/, ['A6000']],
      [/GPU count \[[^\]]*\]: $/, ['1']],
      [
        /Environment variables \(optional\): one per line[^\n]*\n {2}… $/,
        [`HF_TOKEN=${CONSOLE_ENV_SECRET}`, ''],
      ],
      [/Enter = Create pod, a number = change that field, c = cancel: $/, ['']],
      [/\[[^\]\n]*\]: $/, ['']],
    ];
    for (let step = 0; step < 40; step++) {
      const m = await c.expect(new RegExp(answers.map(([re]) => `(${re.source})`).join('|')));
      const i = m.slice(1).findIndex((g) => g !== undefined);
      for (const l of answers[i]?.[1] ?? ['']) c.type(l);
      if (i === 4) break;
    }
    await c.expect(/v2-eval[\s\S]*Connect[\s\S]*\[(\d+)\] Stop/, 30_000);
    expect(twin.v2.exchanges().some((x) => x.operationId === 'createPod' && x.status === 201)).toBe(true);
    expect(c.all).not.toContain(CONSOLE_ENV_SECRET);
    expect(logs.text()).not.toContain(CONSOLE_ENV_SECRET);
  }, 60_000);

  it('stops it with its button', async () => {
    const n = [...c.all.matchAll(/\[(\d+)\] Stop/g)].at(-1)?.[1];
    expect(n).toBeDefined();
    await c.expect(/podbay> $/);
    c.type(n!);
    await c.expect(/Stop pod\? \[y\/N\] $/);
    c.type('y');
    await c.expect(/Stopped|stopped|stopping/i);
    await c.expect(/podbay> $/);
  });

  it('/spend shows spend per hour, and the balance and runway as needing GraphQL', async () => {
    c.type('/spend');
    await c.expect(
      /Balance[\s\S]*needs GraphQL[\s\S]*Spending now[\s\S]*\$\d[\s\S]*Runway[\s\S]*needs GraphQL/,
    );
    await c.expect(/podbay> $/);
  });

  it('never called GraphQL', () => {
    expect(twin.control.stats().operations.myself).toBeUndefined();
    expect(twin.control.stats().operations.podFindAndDeployOnDemand).toBeUndefined();
  });

  it('quits', async () => {
    c.type('quit');
    await running.done;
  });
});
