// The create side of pod lifetimes, on the real services over the in-memory RunPod and store:
// the role default, an explicit stop_after, stop_after=none, and a create that waited for approval.
// A lifetime is recorded only once the pod exists.
import { describe, expect, it } from 'vitest';
import { registerExecutors } from '../../src/services/approval-executors.ts';
import { PodbayError } from '../../src/services/errors.ts';
import { sequentialIds } from '../../src/services/ids.ts';
import { LifetimeService } from '../../src/services/lifetimes.ts';
import { PodService } from '../../src/services/pods.ts';
import { ADMIN, AP1, EXAMPLE_POLICY, podRequest, REQ, world } from '../approvals/world.ts';

const H = 3_600_000;
const LIFETIMES = `${EXAMPLE_POLICY}lifetimes:\n  default: 8h\n  admin: 2d\n`;
const SMALL = 'NVIDIA RTX A6000'; // $0.49/h: no approval
const BIG = 'NVIDIA A100 80GB PCIe'; // 2× is $3.28/h: needs approval

/** world() with the PodService main.ts wires: lifetimes recorded in the same store. */
function lifeWorld(policy = LIFETIMES, opts: { lifetimes?: boolean } = {}) {
  const w = world({ policy });
  const lifetimes = new LifetimeService({ store: w.store, clock: w.clock });
  const pods = new PodService({
    runpod: w.runpod,
    store: w.store,
    clock: w.clock,
    guard: { access: w.access, approvals: w.approvals },
    ids: sequentialIds(),
    ...(opts.lifetimes === false ? {} : { lifetimes }),
  });
  registerExecutors(w.approvals, { pods, volumes: w.volumes, endpoints: w.endpoints });
  return { ...w, pods, lifetimes };
}

const now = (w: { clock: { now(): Date } }) => w.clock.now().getTime();

describe('a create records its lifetime', () => {
  it('no stop_after: the default of the requester’s role applies, set by the policy', async () => {
    const w = lifeWorld();
    const r = await w.pods.create(podRequest(SMALL, 1), REQ);
    if (r.outcome !== 'created') throw new Error(r.outcome);
    expect(await w.lifetimes.get(r.pod.name)).toEqual({
      podName: r.pod.name,
      stopAtMs: now(w) + 8 * H,
      setBy: 'policy',
      warnedAtMs: null,
    });
    // The fake clock is 2026-11-26T12:00Z.
    expect(r.message).toContain('It stops automatically at 20:00 UTC (stop_after 8h).');
    expect(r.lifetime).toMatchObject({ stopAtMs: now(w) + 8 * H, ms: 8 * H, setBy: 'policy' });
    const audit = await w.store.listAudit({ limit: 10 });
    const done = audit.find((a) => a.action === 'pod.create' && a.outcome === 'done');
    expect(done?.data).toMatchObject({
      lifetimeMs: 8 * H,
      lifetimeSetBy: 'policy',
      stopAtMs: now(w) + 8 * H,
    });
  });

  it('the highest role the person holds that has a default: an admin gets the admin one', async () => {
    const w = lifeWorld();
    const r = await w.pods.create(podRequest(SMALL, 1), ADMIN);
    if (r.outcome !== 'created') throw new Error(r.outcome);
    expect((await w.lifetimes.get(r.pod.name))?.stopAtMs).toBe(now(w) + 48 * H);
    expect(r.message).toContain('stops automatically at 12:00 UTC on 2026-11-28 (stop_after 2d)');
  });

  it('a role with no default of its own: the next one down that has one', async () => {
    const w = lifeWorld(`${EXAMPLE_POLICY}lifetimes:\n  viewer: 1h\n`);
    // U0REQ is operator (no default) and viewer ("*": 1h).
    const r = await w.pods.create(podRequest(SMALL, 1), REQ);
    if (r.outcome !== 'created') throw new Error(r.outcome);
    expect((await w.lifetimes.get(r.pod.name))?.stopAtMs).toBe(now(w) + H);
  });

  it('an explicit stop_after wins over the default, and is set by the requester', async () => {
    const w = lifeWorld();
    const r = await w.pods.create(podRequest(SMALL, 1, { lifetimeMs: 90 * 60_000 }), REQ);
    if (r.outcome !== 'created') throw new Error(r.outcome);
    expect(await w.lifetimes.get(r.pod.name)).toMatchObject({
      stopAtMs: now(w) + 90 * 60_000,
      setBy: 'U0REQ',
    });
    expect(r.message).toContain('stops automatically at 13:30 UTC (stop_after 90m)');
  });

  it('stop_after=none: no lifetime, even though the policy has a default', async () => {
    const w = lifeWorld();
    const r = await w.pods.create(podRequest(SMALL, 1, { lifetimeMs: null }), REQ);
    if (r.outcome !== 'created') throw new Error(r.outcome);
    expect(await w.lifetimes.list()).toEqual([]);
    expect(r.message).not.toMatch(/stops automatically/);
    expect(r.lifetime).toBeUndefined();
  });

  it('no lifetimes in the policy and none asked for: none recorded, nothing said', async () => {
    const w = lifeWorld(EXAMPLE_POLICY);
    const r = await w.pods.create(podRequest(SMALL, 1), REQ);
    expect(r.outcome).toBe('created');
    expect(await w.lifetimes.list()).toEqual([]);
    expect(r.message).not.toMatch(/stop/);
  });

  it('the idempotent path (a form or command submission) records it under the final name', async () => {
    const w = lifeWorld();
    const r = await w.pods.create(podRequest(SMALL, 1, { lifetimeMs: 4 * H }), REQ, {
      idempotencyKey: 'form:V1',
    });
    if (r.outcome !== 'created') throw new Error(r.outcome);
    expect((await w.lifetimes.list()).map((l) => l.podName)).toEqual([r.pod.name]);
    const again = await w.pods.create(podRequest(SMALL, 1, { lifetimeMs: 4 * H }), REQ, {
      idempotencyKey: 'form:V1',
    });
    expect(again.outcome).toBe('duplicate');
    expect(await w.lifetimes.list()).toHaveLength(1);
  });
});

describe('only when the pod was created', () => {
  it('a failed create records nothing', async () => {
    const w = lifeWorld();
    w.runpod.failNext('createPod', new PodbayError('NO_CAPACITY', 'no machine'));
    await expect(w.pods.create(podRequest(SMALL, 1), REQ)).rejects.toMatchObject({ code: 'NO_CAPACITY' });
    w.runpod.failNext('createPod', new PodbayError('RUNPOD_UNAVAILABLE', 'down'));
    await expect(w.pods.create(podRequest(SMALL, 1, { lifetimeMs: 2 * H }), REQ)).rejects.toThrow();
    expect(await w.lifetimes.list()).toEqual([]);
  });

  it('a bad lifetime is refused before anything is made', async () => {
    const w = lifeWorld();
    await expect(w.pods.create(podRequest(SMALL, 1, { lifetimeMs: 60_000 }), REQ)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      userMessage: expect.stringMatching(/stop_after is between 15m and 30d/),
    });
    expect((await w.runpod.listPods()).filter((p) => p.status !== 'TERMINATED')).toHaveLength(0);
  });

  it('a podbay that keeps no lifetimes refuses a stop_after instead of dropping it (and has no defaults)', async () => {
    const w = lifeWorld(LIFETIMES, { lifetimes: false });
    await expect(w.pods.create(podRequest(SMALL, 1, { lifetimeMs: 2 * H }), REQ)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect((await w.runpod.listPods()).filter((p) => p.status !== 'TERMINATED')).toHaveLength(0);
    const r = await w.pods.create(podRequest(SMALL, 1), REQ);
    expect(r.outcome).toBe('created');
    expect(await w.lifetimes.list()).toEqual([]);
  });
});

describe('a create that waits for approval', () => {
  async function ask(w: ReturnType<typeof lifeWorld>, extra: Record<string, unknown> = {}) {
    const r = await w.pods.create(podRequest(BIG, 2, extra), REQ, { justification: 'eval' });
    if (r.outcome !== 'needs-approval' || !r.requestId) throw new Error(r.outcome);
    return r.requestId;
  }

  it('records nothing while pending; once approved and run, the lifetime counts from the create', async () => {
    const w = lifeWorld();
    const id = await ask(w, { lifetimeMs: 4 * H });
    const req = await w.approvals.get(id);
    expect(req?.payload.summary).toMatch(/, stop_after 4h$/);
    expect(req?.payload.params.request).toMatchObject({ lifetimeMs: 4 * H });
    expect(await w.lifetimes.list()).toEqual([]);

    w.clock.advance(30 * 60_000);
    const r = await w.approvals.approve(id, AP1);
    expect(r.outcome).toBe('done');
    const name = req?.payload.target as string;
    expect(await w.lifetimes.get(name)).toMatchObject({ stopAtMs: now(w) + 4 * H, setBy: 'U0REQ' });
    expect(r.message).toContain('stops automatically at 16:30 UTC (stop_after 4h)');
  });

  it('the role default is decided when asked, shown to approvers, and kept as the policy’s', async () => {
    const w = lifeWorld();
    const id = await ask(w);
    const req = await w.approvals.get(id);
    expect(req?.payload.summary).toMatch(/, stop_after 8h$/);
    expect(req?.payload.params).toMatchObject({ request: { lifetimeMs: 8 * H }, lifetimeSetBy: 'policy' });
    await w.approvals.approve(id, AP1);
    expect(await w.lifetimes.get(req?.payload.target as string)).toMatchObject({
      stopAtMs: now(w) + 8 * H,
      setBy: 'policy',
    });
  });

  it('stop_after=none is carried through the approval: no lifetime', async () => {
    const w = lifeWorld();
    const id = await ask(w, { lifetimeMs: null });
    const req = await w.approvals.get(id);
    expect(req?.payload.params.request).toMatchObject({ lifetimeMs: null });
    expect(req?.payload.summary).not.toMatch(/stop_after/);
    expect((await w.approvals.approve(id, AP1)).outcome).toBe('done');
    expect(await w.lifetimes.list()).toEqual([]);
  });

  it('a denied request records nothing', async () => {
    const w = lifeWorld();
    const id = await ask(w, { lifetimeMs: 4 * H });
    expect((await w.approvals.deny(id, AP1, 'not now')).outcome).toBe('denied');
    expect(await w.lifetimes.list()).toEqual([]);
  });

  it('a create whose answer was lost and whose pod turns up later gets its lifetime when found', async () => {
    const w = lifeWorld();
    const id = await ask(w, { lifetimeMs: 4 * H });
    const name = (await w.approvals.get(id))?.payload.target as string;
    w.runpod.failNext('createPod', new PodbayError('OUTCOME_UNKNOWN', 'lost answer'));
    expect((await w.approvals.approve(id, AP1)).outcome).toBe('refused');
    expect(await w.lifetimes.list()).toEqual([]);
    // RunPod had made it after all.
    w.runpod.seedPod({ name, gpuTypeId: BIG });
    w.clock.advance(3 * 60_000);
    await w.approvals.expireDue();
    expect((await w.approvals.get(id))?.status).toBe('done');
    expect(await w.lifetimes.get(name)).toMatchObject({ stopAtMs: now(w) + 4 * H, setBy: 'U0REQ' });
  });
});
