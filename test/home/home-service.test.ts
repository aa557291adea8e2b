// HomeService over the real services and an in-memory store and RunPod: what a person's Home holds,
// and whose Home a request or an alert shows on.
import { describe, expect, it } from 'vitest';
import { AccessControl } from '../../src/services/access.ts';
import type { Alert } from '../../src/services/alert-model.ts';
import { ApprovalService } from '../../src/services/approvals.ts';
import { HomeService } from '../../src/services/home.ts';
import { parsePolicy } from '../../src/services/policy-file.ts';
import { PodService } from '../../src/services/pods.ts';
import { noDirectory, RoleResolver } from '../../src/services/roles.ts';
import { ephemeralSecretBox } from '../../src/store/secret-box.ts';
import { APR1, APR2, CREATE_REQ, homeWorld, OPS, OPS2, POLICY, TERMINATE_REQ, VIEWER } from './world.ts';

async function setup(policyText = POLICY) {
  const w = await homeWorld();
  const parsed = parsePolicy(policyText, 'policy.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const roles = new RoleResolver(parsed.policy, noDirectory, w.clock);
  const access = new AccessControl({ roles, store: w.store, clock: w.clock });
  const pods = new PodService({ runpod: w.runpod, store: w.store, clock: w.clock, guard: { access } });
  const approvals = new ApprovalService({
    store: w.store,
    clock: w.clock,
    access,
    secrets: ephemeralSecretBox(),
  });
  const home = new HomeService({
    pods,
    approvals,
    access,
    store: w.store,
    clock: w.clock,
    timeZone: 'Europe/Berlin',
  });
  return { w, home, approvals };
}

describe('HomeService', () => {
  it('an operator’s Home: their pods with idle and busy, their request, their alert, their spend and the team’s', async () => {
    const { w, home } = await setup();
    const m = await home.model(OPS);
    expect(m.roles).toEqual(['operator']);
    expect(m.may).toEqual({ createPods: true, actOnPods: true, decide: false });
    expect(m.pods.map((p) => p.name)).toEqual([
      'ops-eval-c3d4',
      'ops-old-g7h8',
      'ops-train-a1b2',
      'ops-notebook-e5f6',
    ]);
    const byName = new Map(m.pods.map((p) => [p.name, p.activity]));
    expect(byName.get('ops-train-a1b2')).toMatchObject({ state: 'idle', utilPercent: 2 });
    expect(byName.get('ops-eval-c3d4')).toMatchObject({ state: 'busy', utilPercent: 85 });
    expect(byName.get('ops-old-g7h8')?.state).toBe('unknown');
    expect(byName.get('ops-notebook-e5f6')?.state).toBe('off');
    expect(m.perHourUsd).toBeCloseTo(0.49 + 0.88 + 0.69, 6);
    expect(m.toDecide).toEqual([]);
    expect(m.mine.map((r) => r.id)).toEqual([TERMINATE_REQ]);
    expect(m.alerts.map((a) => a.pod?.id)).toEqual([w.pods.train]);
    // Today and the month so far (October's day is not this month's); team = the account's total.
    expect(m.spend.today).toEqual({ yoursUsd: 6.85, teamUsd: 14.5 });
    expect(m.spend.month).toEqual({ from: '2026-11-01', yoursUsd: 18.61, teamUsd: 44.75, daysRecorded: 2 });
  });

  it('an approver sees the requests of others, waiting longest first; not their own, not expired ones', async () => {
    const { w, home, approvals } = await setup();
    const m = await home.model(APR1);
    expect(m.may.decide).toBe(true);
    expect(m.toDecide.map((r) => r.id)).toEqual([TERMINATE_REQ, CREATE_REQ]);
    expect(m.pods).toEqual([]);
    expect(m.alerts).toEqual([]);
    // An approver's own request waits for the other approver, not for them.
    w.clock.advance(1000);
    const own = await approvals.open({
      kind: 'pod.terminate',
      requester: { userId: APR1, teamId: null },
      target: 'pod-x',
      targetName: 'pod-x',
      summary: 'terminate pod-x',
      params: {},
      quote: null,
      rule: 'terminating a pod needs approval',
    });
    expect((await home.model(APR1)).toDecide.map((r) => r.id)).not.toContain(own.id);
    expect((await home.model(APR1)).mine.map((r) => r.id)).toEqual([own.id]);
    expect((await home.model(APR2)).toDecide.map((r) => r.id)).toEqual([TERMINATE_REQ, CREATE_REQ, own.id]);
    // Past its expiry a request no longer waits for anyone (the sweep marks it expired later).
    w.clock.advance(51 * 60_000);
    expect((await home.model(APR1)).toDecide).toEqual([]);
  });

  it('a viewer has no buttons to act with, and someone without a role gets nothing to read', async () => {
    const { home } = await setup();
    expect((await home.model(VIEWER)).may).toEqual({ createPods: false, actOnPods: false, decide: false });
    const none = await home.model('U0NOBODY');
    expect(none.roles).toEqual([]);
    expect(none.pods).toEqual([]);
    expect(none.helpers).toEqual(['U0ADMIN']);
  });

  it('without an idle rule a running pod shows its latest sample, not a verdict', async () => {
    const { home } = await setup(POLICY.slice(0, POLICY.indexOf('alerts:')));
    const m = await home.model(OPS);
    expect(m.idleRule).toBeNull();
    expect(m.pods.find((p) => p.name === 'ops-train-a1b2')?.activity).toMatchObject({
      state: 'sampled',
      utilPercent: 2,
    });
  });

  it('a request shows on the Homes of its requester, the pod owner and the approvers — of those who opened one', async () => {
    const { home, approvals } = await setup();
    const req = await approvals.get(TERMINATE_REQ);
    expect(req).not.toBeNull();
    expect(await home.requestAudience(req!)).toEqual([]);
    for (const u of [VIEWER, OPS, APR1]) expect(await home.remember(u)).toBe(true);
    expect(await home.remember(OPS)).toBe(false);
    expect((await home.requestAudience(req!)).sort()).toEqual([APR1, OPS].sort());
    await home.remember(APR2);
    expect((await home.requestAudience(req!)).sort()).toEqual([APR1, APR2, OPS].sort());
  });

  it('an alert shows on its owners’ Homes (the pod’s owner; for a low balance, the owners of pods at risk)', async () => {
    const { w, home } = await setup();
    await home.remember(OPS);
    await home.remember(OPS2);
    const [stored] = await w.store.kvList('alert');
    const idle = stored?.value as Alert;
    expect(await home.alertAudience(idle)).toEqual([OPS]);
    const runway = {
      ...idle,
      kind: 'runway',
      pod: null,
      facts: {
        balanceUsd: 3,
        burnPerHr: 2,
        hours: 1.5,
        runsOutAtMs: null,
        thresholdMs: 0,
        atRisk: [
          { id: 'p1', name: 'a', owner: OPS2 },
          { id: 'p2', name: 'b', owner: null },
        ],
      },
    } as Alert;
    expect(await home.alertAudience(runway)).toEqual([OPS2]);
  });
});
