// Roles given to Slack user groups: looked up with usergroups.users.list after the ack (never
// before), cached; on a free plan (no user groups) podbay warns at start and uses the ids alone.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import { SlackSimulator } from '../../src/sandbox/console/simulator.ts';
import { fixturePayloads } from '../slack/fixtures.ts';
import { type Harness, startPodbay } from '../slack/harness.ts';
import { EXAMPLE_POLICY } from './world.ts';

function policyFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'podbay-groups-')), 'policy.yml');
  writeFileSync(
    path,
    EXAMPLE_POLICY.replace('operator: [U0REQ]', 'operator: [U0ALICE]').replace(
      'viewer: ["*"]',
      'viewer: [S0VIEWERS]',
    ),
  );
  return path;
}

describe('user groups', () => {
  let h: (Harness & { transport: import('../../src/sandbox/console/simulator.ts').Transport }) | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a group member gets the group’s role; Slack is asked only after the ack', async () => {
    h = await startPodbay({
      env: { PODBAY_POLICY: policyFile() },
      fake: { usergroups: { S0GPULEADS: ['U0LEAD'], S0VIEWERS: ['U0GUEST'] } },
    });
    const harness = h;
    // U0LEAD holds a role only through S0GPULEADS, which nobody has looked up yet. Slack's answer
    // is held: had podbay asked before acking, the ack could not arrive.
    const lead = new SlackSimulator(
      harness.fake,
      harness.transport,
      { userId: 'U0LEAD', userName: 'lead' },
      fixturePayloads,
    );
    const release = harness.fake.hold('usergroups.users.list');
    const before = harness.fake.heldCalls.length;
    const { ack } = await lead.command('/pod list');
    expect(ack.status).toBe(200);
    // Acked; now podbay asks Slack (and waits for the held answer).
    for (let i = 0; i < 100 && !harness.fake.heldCalls.slice(before).includes('usergroups.users.list'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(harness.fake.heldCalls.slice(before)).toContain('usergroups.users.list');
    release();
    const list = await harness.fake.waitFor(
      () => harness.fake.messages.find((m) => m.user === 'U0LEAD' && /All pods/.test(m.text)),
      8000,
      'the list for an approver by group',
    );
    expect(list.ephemeral).toBe(true);
    // A viewer by group (S0VIEWERS, looked up at start) is answered too.
    const guest = new SlackSimulator(
      harness.fake,
      harness.transport,
      { userId: 'U0GUEST', userName: 'guest' },
      fixturePayloads,
    );
    await guest.command('/pod list');
    await harness.fake.waitFor(
      () => harness.fake.messages.find((m) => m.user === 'U0GUEST' && /All pods/.test(m.text)),
      8000,
      'the guest’s list',
    );

    // An approver by group decides a request.
    await harness.sim.command('/pod create gpu=a100 count=2 for="group check"');
    const req = await harness.fake.waitFor(
      () => harness.fake.messages.find((m) => m.channel === 'C0APPROVALS' && /group-check/.test(m.text)),
      8000,
      'the request',
    );
    await lead.click(lead.button(req, ACTIONS.approvalApprove));
    await harness.fake.waitFor(
      () => /Approved by <@U0LEAD>/.test(JSON.stringify(harness.fake.message(req.id)?.blocks)),
      8000,
      'approved by the group member',
    );

    // Someone in no group and no list is refused, with who can help.
    const stranger = new SlackSimulator(
      harness.fake,
      harness.transport,
      { userId: 'U0STRANGER', userName: 'stranger' },
      fixturePayloads,
    );
    await stranger.command('/pod list');
    const refused = await harness.fake.waitFor(
      () => harness.fake.messages.find((m) => m.user === 'U0STRANGER'),
      8000,
      'a refusal',
    );
    expect(refused.text).toMatch(
      /You can’t see pods and prices: that needs the viewer or operator or approver or admin role/,
    );
    expect(refused.text).toMatch(/Ask <@U0ADMIN>/);
  });

  it('on a free plan podbay warns at start and uses the user ids alone', async () => {
    h = await startPodbay({ env: { PODBAY_POLICY: policyFile() }, fake: { usergroups: 'free-plan' } });
    const harness = h;
    expect(harness.logs.text()).toMatch(/Slack user groups are not available/);
    await harness.sim.command('/pod create gpu=a100 count=2 for="free plan"');
    const req = await harness.fake.waitFor(
      () => harness.fake.messages.find((m) => m.channel === 'C0APPROVALS' && /free-plan/.test(m.text)),
      8000,
      'the request',
    );
    const lead = new SlackSimulator(
      harness.fake,
      harness.transport,
      { userId: 'U0LEAD', userName: 'lead' },
      fixturePayloads,
    );
    await lead.click(lead.button(req, ACTIONS.approvalApprove));
    await harness.fake.waitFor(
      () => harness.fake.messages.find((m) => m.user === 'U0LEAD' && /approver or admin role/.test(m.text)),
      8000,
      'the group member refused',
    );
    const ap = new SlackSimulator(
      harness.fake,
      harness.transport,
      { userId: 'U0AP01', userName: 'ap1' },
      fixturePayloads,
    );
    await ap.click(ap.button(req, ACTIONS.approvalApprove));
    await harness.fake.waitFor(
      () => /Approved by <@U0AP01>/.test(JSON.stringify(harness.fake.message(req.id)?.blocks)),
      8000,
      'approved by a listed approver',
    );
  });
});
