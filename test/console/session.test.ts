// A scripted console session, as a newcomer would type it: list pods, ask /gpu, create a pod through
// the modal, watch it reach running, stop it. Real Bolt handlers and services; the twin behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_ENV_SECRET } from '../support/secrets.ts';
import { type ConsoleRun, startConsole } from './start-console.ts';

const ENV_SECRET = CONSOLE_ENV_SECRET;

describe('console session', () => {
  let run: ConsoleRun;
  let c: ConsoleRun['c'];
  let running: ConsoleRun['running'];
  let logs: ConsoleRun['logs'];

  beforeAll(async () => {
    run = await startConsole();
    ({ c, running, logs } = run);
  });

  afterAll(async () => {
    c.end();
    await running.done;
    await run.twin.close();
  });

  it('starts at the prompt, labelled as the sandbox or live', async () => {
    await c.expect(/SANDBOX[\s\S]*podbay console: you are @\S+ in #gpu/);
    await c.expect(/podbay> $/);
  });

  it('lists pods with numbered buttons', async () => {
    c.type('/pod list');
    await c.expect(/ALL PODS[\s\S]*alice-llama70b-serve[\s\S]*\[\d+\] Stop[\s\S]*└─/);
    await c.expect(/podbay> $/);
  });

  it('asks /gpu', async () => {
    c.type('/gpu prices a6000');
    await c.expect(/GPU PRICES[\s\S]*A6000[\s\S]*\$\d/);
    await c.expect(/podbay> $/);
    c.type('/gpu 70b awq');
    await c.expect(/┌─ podbay \(only you can see this\)[\s\S]*└─/);
    await c.expect(/podbay> $/);
  });

  it('creates a pod through the modal and watches it reach running', async () => {
    c.type('/pod create');
    await c.expect(/┌─ Create a pod/);
    const answers: Array<[RegExp, string[]]> = [
      [/What is it for \[[^\]]*\]: $/, ['console eval']],
      [/GPU type \[[^\]]*\]: $/, ['A6000']],
      [/GPU count \[[^\]]*\]: $/, ['2']],
      [/Environment variables \(optional\): one per line[^\n]*\n {2}… $/, [`HF_TOKEN=${ENV_SECRET}`, '']],
      [/Enter = Create pod, a number = change that field, c = cancel: $/, ['']],
      [/\[[^\]\n]*\]: $/, ['']],
    ];
    for (let step = 0; step < 40; step++) {
      const m = await c.expect(new RegExp(answers.map(([re]) => `(${re.source})`).join('|')));
      const i = m.slice(1).findIndex((g) => g !== undefined);
      const [, lines] = answers[i] ?? [/x/, ['']];
      for (const l of lines) c.type(l);
      if (i === 4) break;
    }
    await c.expect(/console-eval[\s\S]*Connect[\s\S]*\[(\d+)\] Stop/, 30_000);
    expect(c.all).not.toContain(ENV_SECRET);
    expect(logs.text()).not.toContain(ENV_SECRET);
  }, 60_000);

  it('stops it with its button (after the confirm dialog)', async () => {
    const stops = [...c.all.matchAll(/\[(\d+)\] Stop/g)];
    const n = stops.at(-1)?.[1];
    expect(n).toBeDefined();
    await c.expect(/podbay> $/);
    c.type(n!);
    await c.expect(/Stop pod\? \[y\/N\] $/);
    c.type('y');
    await c.expect(/Stopped|stopped|stopping/i);
    await c.expect(/podbay> $/);
    c.type('/pod status console-eval');
    await c.expect(/console-eval[\s\S]*(exited|stopped)/i);
  });

  it('quits', async () => {
    c.type('quit');
    await running.done;
    if (process.env.SHOW_CONSOLE) process.stderr.write(c.all);
  });
});
