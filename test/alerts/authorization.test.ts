// Who may act from an alert: the same rules as the commands. Someone else's pod needs an admin,
// a viewer acts on nothing, Terminate goes through the policy (here: an approval request), and a
// made-up alert key finds nothing. A refused click changes neither the pod nor the alert.
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/services/alert-model.ts';
import { type AlertWorld, alertWorld, IDLE_30M, OWNER } from './world.ts';

const HEAD = `
roles:
  viewer: ["*"]
  operator: [U0OWNER, U0OTHER]
  approver: [U0APPR]
  admin: [U0ADMIN]
approvals:
  channel: C0APPROVALS
require_approval:
  terminate: true
`;
const OTHER = { userId: 'U0OTHER', teamId: 'T1' };
const VIEWER = { userId: 'U0VIEW', teamId: 'T1' };
const ADMIN = { userId: 'U0ADMIN', teamId: 'T1' };

let w: AlertWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

async function idleAlert(): Promise<{ w: AlertWorld; key: string; id: string }> {
  w = await alertWorld(IDLE_30M, { policyHead: HEAD });
  const id = await w.pod('idle');
  await w.minutes(31);
  const a = w.slack.channelPosts('idle')[0] as Alert;
  return { w, key: a.key, id };
}

describe('alert buttons and the policy', () => {
  it.each([
    ['Stop now', (x: AlertWorld, k: string, r: typeof OTHER) => x.actions.stop(k, r)],
    ['Snooze', (x: AlertWorld, k: string, r: typeof OTHER) => x.actions.snooze(k, 3_600_000, r)],
    ['Keep running', (x: AlertWorld, k: string, r: typeof OTHER) => x.actions.keep(k, r)],
    ['Terminate', (x: AlertWorld, k: string, r: typeof OTHER) => x.actions.terminate(k, r)],
  ])('%s by another operator or a viewer is refused and changes nothing', async (_name, act) => {
    const { w, key, id } = await idleAlert();
    const before = await w.alerts.get(key);
    for (const who of [OTHER, VIEWER]) {
      const err = await act(w, key, who).catch((e: unknown) => e as { code?: string });
      expect((err as { code?: string }).code).toBe('FORBIDDEN');
    }
    expect((await w.t.api.getPod(id))?.status).toBe('RUNNING');
    expect((await w.alerts.get(key))?.version).toBe(before?.version);
  });

  it('an admin may act on anyone’s pod; Terminate becomes an approval request and the alert says so', async () => {
    const { w, key, id } = await idleAlert();
    const r = await w.actions.terminate(key, OWNER);
    expect(r.message).toMatch(/approv/i);
    expect((await w.t.api.getPod(id))?.status).toBe('RUNNING');
    expect(await w.store.listPending({ status: 'pending' })).toHaveLength(1);
    expect(w.slack.shown(key)?.notes.at(-1)?.text).toMatch(/waiting for approval/);
    await w.actions.snooze(key, 3_600_000, ADMIN);
    expect(w.slack.shown(key)?.stage).toBe('snoozed');
  });

  it('a made-up or foreign alert key finds nothing', async () => {
    const { w } = await idleAlert();
    for (const key of ['', 'idle:nope:1', '{"podId":"x"}']) {
      const err = await w.actions.stop(key, ADMIN).catch((e: unknown) => e as { code?: string });
      expect((err as { code?: string }).code).toBe('NOT_FOUND');
    }
  });
});
