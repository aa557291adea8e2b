// The console shows approvals offline: a create above the demo policy's threshold is posted as a
// request, `as approver` and a click approve it, and the pod runs. The requester cannot approve it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleRun, startConsole } from './start-console.ts';

describe('console: an approval end to end', () => {
  let run: ConsoleRun;
  let c: ConsoleRun['c'];
  let twin: ConsoleRun['twin'];

  beforeAll(async () => {
    run = await startConsole();
    ({ c, twin } = run);
    await c.expect(/podbay> $/);
  });

  afterAll(() => run.close());

  it('a create above the threshold is posted for approval, with Approve and Deny', async () => {
    c.type('/pod create gpu=a100 count=2 for="big eval"');
    await c.expect(
      /podbay in #approvals[\s\S]*asks to create 2× A100[\s\S]*\[(\d+)\] Approve\s+\[(\d+)\] Deny/,
    );
    await c.expect(/Sent for approval in #approvals/);
    await c.expect(/podbay> $/);
  });

  it('the requester cannot approve their own request', async () => {
    const n = [...c.all.matchAll(/\[(\d+)\] Approve/g)].at(-1)?.[1];
    c.type(n as string);
    await c.expect(/Approve\? \[y\/N\] $/);
    c.type('y');
    await c.expect(/cannot decide your own request/);
    await c.expect(/podbay> $/);
  });

  it('as approver, Approve creates the pod, and it runs', async () => {
    c.type('as approver');
    await c.expect(/You are now @approver/);
    const n = [...c.all.matchAll(/\[(\d+)\] Approve/g)].at(-1)?.[1];
    c.type(n as string);
    await c.expect(/Approve\? \[y\/N\] $/);
    c.type('y');
    await c.expect(/Approved by @approver\. Created (\S+-big-eval-\S+)/);
    await c.expect(/podbay> $/);
    const name = /Created (\S+-big-eval-[a-z0-9]+)/.exec(c.all)?.[1] as string;
    c.type('as you');
    await c.expect(/You are now @/);
    const running = () =>
      twin.control
        .summary()
        .pods.filter((p) => p.name === name && p.desiredStatus === 'RUNNING' && !p.pulling);
    for (let i = 0; i < 100 && running().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(running()).toHaveLength(1);
    expect(twin.control.summary().pods.filter((p) => p.name === name)).toHaveLength(1);
    c.type(`/pod status ${name}`);
    await c.expect(new RegExp(`${name}[\\s\\S]*running`, 'i'));
  }, 60_000);
});
