// Races through real signed HTTP requests, as Slack sends them: 50 approvers click Approve at once
// and exactly one pod is created; Approve and Deny at once end in exactly one outcome.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import { SlackSimulator } from '../../src/sandbox/console/simulator.ts';
import type { FakeMessage } from '../../src/sandbox/console/slack-fake.ts';
import { fixturePayloads } from '../slack/fixtures.ts';
import { type Harness, startPodbay } from '../slack/harness.ts';
import { EXAMPLE_POLICY } from './world.ts';

const APPROVERS = Array.from({ length: 50 }, (_, i) => `U0AP${String(i).padStart(3, '0')}`);

describe('approval races over signed HTTP', () => {
  let h: Harness & { transport: import('../../src/sandbox/console/simulator.ts').Transport };

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-race-'));
    const policy = join(dir, 'policy.yml');
    writeFileSync(
      policy,
      EXAMPLE_POLICY.replace('operator: [U0REQ]', 'operator: [U0ALICE]').replace(
        'approver: [U0AP01, U0AP02, S0GPULEADS]',
        `approver: [${APPROVERS.join(', ')}]`,
      ),
    );
    h = await startPodbay({ env: { PODBAY_POLICY: policy } });
  });
  afterAll(() => h.close());

  const simFor = (userId: string) =>
    new SlackSimulator(h.fake, h.transport, { userId, userName: userId.toLowerCase() }, fixturePayloads);

  /** The requester (U0ALICE, the fixtures' user) asks for 2× A100: above $1/h, so a request is posted. */
  async function ask(label: string): Promise<{ message: FakeMessage; podName: string }> {
    const { ack } = await h.sim.command(`/pod create gpu=a100 count=2 for="${label}"`);
    expect(ack.status).toBe(200);
    const message = await h.fake.waitFor(
      () =>
        h.fake.messages.find(
          (m) =>
            m.channel === 'C0APPROVALS' &&
            m.text.includes(label.replace(/ /g, '-')) &&
            /Approval needed/.test(m.text),
        ),
      8000,
      'the approval request',
    );
    const podName = /pod (\S+) at/.exec(message.text)?.[1] ?? '';
    expect(podName).toMatch(/^alice-/);
    return { message, podName };
  }

  const podsNamed = (name: string) =>
    h.twin.control.summary().pods.filter((p) => p.name === name && p.desiredStatus !== 'TERMINATED');

  it('50 concurrent Approve clicks by 50 approvers create exactly one pod', async () => {
    const { message, podName } = await ask('race one');
    const sims = APPROVERS.map(simFor);
    const acks = await Promise.all(sims.map((s) => s.click(s.button(message, ACTIONS.approvalApprove))));
    expect(acks.every((a) => a.status === 200)).toBe(true);
    await h.fake.waitFor(
      () =>
        /approved by|Approved by/.test(h.fake.message(message.id)?.text ?? '') &&
        /done/.test(h.fake.message(message.id)?.text ?? ''),
      15000,
      'the request marked done',
    );
    await h.running.work.idle();
    expect(podsNamed(podName)).toHaveLength(1);
    const quicker = h.fake.messages.filter((m) => /Someone was quicker|request is approved/.test(m.text));
    expect(quicker.length).toBe(49);
  });

  it('Approve and Deny at the same moment end in exactly one outcome', async () => {
    const { message, podName } = await ask('race two');
    const denier = simFor(APPROVERS[1] as string);
    const approver = simFor(APPROVERS[2] as string);
    await denier.click(denier.button(message, ACTIONS.approvalDeny));
    const view = await h.fake.waitFor(() => denier.openView(), 5000, 'the deny form');
    await denier.set(view, 'deny_reason', 'too expensive this week');
    const [d, a] = await Promise.all([
      denier.submit(view),
      approver.click(approver.button(message, ACTIONS.approvalApprove)),
    ]);
    expect(d.ack.status).toBe(200);
    expect(a.status).toBe(200);
    const final = await h.fake.waitFor(
      () => {
        const t = h.fake.message(message.id)?.text ?? '';
        return /denied by|and done|it failed/.test(t) ? t : null;
      },
      15000,
      'a final state',
    );
    await h.running.work.idle();
    const created = podsNamed(podName).length;
    if (/denied by/.test(final)) expect(created).toBe(0);
    else expect(created).toBe(1);
    const req = (await h.running.approvals.pending()).find((r) => r.payload.target === podName);
    expect(req).toBeUndefined();
  });
});
