// The console session with RUNPOD_API=v2: real Bolt handlers and services, the twin's REST v2
// face behind (GraphQL never called). Pods, prices, a create through the modal to running, stop,
// and /spend with the balance plainly "needs GraphQL" while spend per hour still shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRun, startConsole } from '../console/start-console.ts';
import { CONSOLE_ENV_SECRET } from '../support/secrets.ts';

describe('console session on REST v2', () => {
  let run: ConsoleRun;
  let c: ConsoleRun['c'];
  let twin: ConsoleRun['twin'];
  let logs: ConsoleRun['logs'];

  beforeAll(async () => {
    run = await startConsole({ api: 'v2' });
    ({ c, twin, logs } = run);
  });

  afterAll(() => run.close());

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
    await run.running.done;
  });
});
