// Four-eyes approvals as a service: request → decision → execution, with the policy of the issue.
// Every refusal changes nothing and is audited; every decision is one atomic state change.
import { describe, expect, it } from 'vitest';
import { PodbayError } from '../../src/services/errors.ts';
import { SERVICES_ENV_SECRET } from '../support/secrets.ts';
import { ADMIN, AP1, AP2, EXAMPLE_POLICY, LEAD, podRequest, REQ, VIEWER, world } from './world.ts';

async function askBig(w: ReturnType<typeof world>, extra: Record<string, unknown> = {}) {
  const r = await w.pods.create(podRequest('NVIDIA A100 80GB PCIe', 2, extra), REQ, {
    justification: 'release eval',
  });
  if (r.outcome !== 'needs-approval' || !r.requestId) throw new Error(`expected a request, got ${r.outcome}`);
  return r.requestId;
}

const livePods = async (w: ReturnType<typeof world>) =>
  (await w.runpod.listPods()).filter((p) => p.status !== 'TERMINATED');

describe('approvals', () => {
  it('a create above the price threshold becomes a request with the exact parameters and quote', async () => {
    const w = world();
    const id = await askBig(w);
    expect(id).toMatch(/^apr_[a-z0-9]{20}$/);
    const req = await w.approvals.get(id);
    expect(req?.status).toBe('pending');
    expect(req?.payload.quote?.perHourUsd).toBeCloseTo(3.28, 2);
    expect(req?.payload.rule).toMatch(/\$3\.28\/h, above the \$1\.00\/h/);
    expect(req?.payload.justification).toBe('release eval');
    expect(req?.payload.message).toEqual({ channel: 'C0APPROVALS', ts: expect.any(String) });
    expect(w.notifier.posts).toHaveLength(1);
    expect(await livePods(w)).toHaveLength(0);
  });

  it('an approver approves: the pod is created once, under the name shown, owned by the requester', async () => {
    const w = world();
    const id = await askBig(w);
    const shownName = (await w.approvals.get(id))?.payload.target;
    const r = await w.approvals.approve(id, AP1);
    expect(r.outcome).toBe('done');
    const pods = await livePods(w);
    expect(pods.map((p) => p.name)).toEqual([shownName]);
    expect((await w.store.podOwnershipByName(shownName as string))?.userId).toBe('U0REQ');
    expect(w.notifier.kinds()).toEqual(['approved', 'executed']);
    const again = await w.approvals.approve(id, AP2);
    expect(again.outcome).toBe('refused');
    expect(await livePods(w)).toHaveLength(1);
    const audit = await w.store.listAudit({ limit: 50 });
    const done = audit.find((a) => a.action === 'pod.create' && a.outcome === 'done' && a.data?.approvedBy);
    expect(done?.data).toMatchObject({
      requestId: id,
      approvedBy: 'U0AP01',
      requester: 'U0REQ',
      runpodId: pods[0]?.id,
    });
  });

  it('a member of an approver user group may approve', async () => {
    const w = world();
    const id = await askBig(w);
    expect((await w.approvals.approve(id, LEAD)).outcome).toBe('done');
  });

  it('refuses self-approval, non-approvers, forged and expired values; each changes nothing and is audited', async () => {
    const w = world({ policy: EXAMPLE_POLICY.replace('operator: [U0REQ]', 'operator: [U0REQ, U0AP01]') });
    const id = await askBig(w);
    const cases: Array<[string, () => Promise<{ outcome: string; message: string }>, RegExp]> = [
      ['self', () => w.approvals.approve(id, REQ), /your own request/],
      ['viewer', () => w.approvals.approve(id, VIEWER), /approver or admin role/],
      // One character changed (never to itself: ids are random).
      [
        'forged',
        () => w.approvals.approve(`${id.slice(0, -1)}${id.endsWith('x') ? 'y' : 'x'}`, AP1),
        /does not exist/,
      ],
      ['garbage', () => w.approvals.approve('{"id":1}', AP1), /does not exist/],
      ['deny-self', () => w.approvals.deny(id, REQ, 'no'), /your own request/],
      ['withdraw-other', () => w.approvals.withdraw(id, AP1), /Only the person who asked/],
    ];
    for (const [name, act, re] of cases) {
      const before = (await w.store.listAudit({ limit: 1000 })).length;
      const r = await act();
      expect(r.outcome, name).toBe('refused');
      expect(r.message, name).toMatch(re);
      const after = await w.store.listAudit({ limit: 1000 });
      expect(after.length, `${name} is audited`).toBe(before + 1);
      expect(after[0]?.outcome, name).toBe('denied');
      expect((await w.approvals.get(id))?.status, name).toBe('pending');
    }
    expect(await livePods(w)).toHaveLength(0);
    w.clock.advance(3_600_001);
    const late = await w.approvals.approve(id, AP1);
    expect(late).toMatchObject({ outcome: 'refused', message: expect.stringMatching(/expired/) });
    expect((await w.approvals.get(id))?.status).toBe('expired');
    expect(w.notifier.kinds()).toContain('expired');
    expect(await livePods(w)).toHaveLength(0);
  });

  it('50 approvers at once create exactly one pod; approve and deny at once end in one outcome', async () => {
    const w = world({
      policy: EXAMPLE_POLICY.replace('approver: [U0AP01, U0AP02, S0GPULEADS]', 'approver: ["*"]'),
    });
    const id = await askBig(w);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => w.approvals.approve(id, { userId: `U0A${i}X`, teamId: 'T1' })),
    );
    expect(results.filter((r) => r.outcome === 'done')).toHaveLength(1);
    expect(await livePods(w)).toHaveLength(1);

    const id2 = await askBig(w);
    const [a, d] = await Promise.all([w.approvals.approve(id2, AP1), w.approvals.deny(id2, AP2, 'too big')]);
    expect([a.outcome, d.outcome].filter((o) => o !== 'refused')).toHaveLength(1);
    const final = (await w.approvals.get(id2))?.status;
    expect(final === 'done' || final === 'denied').toBe(true);
    expect(await livePods(w)).toHaveLength(final === 'done' ? 2 : 1);
  });

  it('deny needs a reason and tells the requester; the requester can withdraw', async () => {
    const w = world();
    const id = await askBig(w);
    expect((await w.approvals.deny(id, AP1, '  ')).outcome).toBe('refused');
    const d = await w.approvals.deny(id, AP1, 'use the A6000s');
    expect(d.outcome).toBe('denied');
    expect((await w.approvals.get(id))?.reason).toBe('use the A6000s');
    expect(w.notifier.events.at(-1)?.event).toEqual({
      kind: 'denied',
      by: 'U0AP01',
      reason: 'use the A6000s',
    });
    const id2 = await askBig(w);
    expect((await w.approvals.withdraw(id2, REQ)).outcome).toBe('withdrawn');
    expect((await w.approvals.approve(id2, AP1)).outcome).toBe('refused');
    expect(await livePods(w)).toHaveLength(0);
  });

  it('a price rise above the tolerance sends it back for approval with the new quote; within it runs', async () => {
    const w = world();
    const id = await askBig(w);
    const a100 = w.runpod.gpuTypes.find((t) => t.id === 'NVIDIA A100 80GB PCIe');
    if (!a100) throw new Error('no A100 in the fake');
    a100.price = 1.64 * 1.25;
    const r = await w.approvals.approve(id, AP1);
    expect(r.outcome).toBe('requoted');
    expect(await livePods(w)).toHaveLength(0);
    expect((await w.approvals.get(id))?.status).toBe('failed');
    const next = r.outcome === 'requoted' ? r.request : null;
    expect(next?.payload.quote?.perHourUsd).toBeCloseTo(4.1, 2);
    expect(next?.payload.supersedes).toBe(id);
    a100.price = 1.64 * 1.3 * 1.05; // +5 % on the new quote: within 10 %
    expect((await w.approvals.approve(next?.id as string, AP2)).outcome).toBe('done');
    expect(await livePods(w)).toHaveLength(1);
  });

  it('env values wait sealed: never in the stored payload, the audit or notifications; the pod gets them', async () => {
    const w = world();
    const id = await askBig(w, { env: [{ key: 'HF_TOKEN', value: SERVICES_ENV_SECRET }] });
    const stored = JSON.stringify(await w.store.getPending(id));
    expect(stored).not.toContain(SERVICES_ENV_SECRET);
    expect(stored).toContain('HF_TOKEN');
    await w.approvals.approve(id, AP1);
    const [pod] = await livePods(w);
    expect(w.runpod.envOf(pod?.id as string)).toEqual([{ key: 'HF_TOKEN', value: SERVICES_ENV_SECRET }]);
    const audit = await w.store.listAudit({ limit: 100 });
    expect(JSON.stringify(audit)).not.toContain(SERVICES_ENV_SECRET);
    const created = audit.find((a) => a.action === 'pod.create' && a.outcome === 'done' && a.data?.podName);
    expect(created?.data).toMatchObject({
      params: { envKeys: ['HF_TOKEN'], gpuCount: 2 },
      approvedBy: 'U0AP01',
    });
    expect((created?.data?.quote as { perHourUsd: number } | undefined)?.perHourUsd).toBeCloseTo(3.28, 2);
    expect(JSON.stringify(w.notifier.events)).not.toContain(SERVICES_ENV_SECRET);
  });

  it('gpu_count_above, terminate and volume delete need approval; small creates do not', async () => {
    const w = world();
    const small = await w.pods.create(podRequest('NVIDIA RTX A6000', 1), REQ);
    expect(small.outcome).toBe('created');
    const many = await w.pods.create(podRequest('NVIDIA RTX A6000', 5), REQ);
    expect(many.outcome === 'needs-approval' && many.reason).toMatch(/5 GPUs, more than the 4/);
    const pod = small.outcome === 'created' ? small.pod : null;
    const t = await w.pods.terminate(pod?.id as string, REQ);
    expect(t.outcome).toBe('needs-approval');
    expect((await w.runpod.getPod(pod?.id as string))?.status).toBe('RUNNING');
    const req = (await w.approvals.pending()).find((r) => r.kind === 'pod.terminate');
    expect((await w.approvals.approve(req?.id as string, ADMIN)).outcome).toBe('done');
    expect((await w.runpod.getPod(pod?.id as string))?.status ?? 'TERMINATED').toBe('TERMINATED');

    const vol = w.runpod.seedVolume({ name: 'models', sizeGb: 100, dataCenterId: 'EU-RO-1' });
    const v = await w.volumes.delete(vol.id, REQ);
    expect(v.outcome).toBe('needs-approval');
    expect((await w.runpod.listVolumes()).map((x) => x.id)).toContain(vol.id);
    const vreq = (await w.approvals.pending()).find((r) => r.kind === 'volume.delete');
    expect((await w.approvals.approve(vreq?.id as string, AP2)).outcome).toBe('done');
    expect((await w.runpod.listVolumes()).map((x) => x.id)).not.toContain(vol.id);
  });

  it('caps: over the pod count or $/h an operator is refused (admins are exempt)', async () => {
    const w = world({ policy: EXAMPLE_POLICY.replace('per_user_pods: 5', 'per_user_pods: 1') });
    expect((await w.pods.create(podRequest('NVIDIA RTX A6000', 1), REQ)).outcome).toBe('created');
    const second = await w.pods.create(podRequest('NVIDIA RTX A6000', 1), REQ);
    expect(second).toMatchObject({
      outcome: 'denied',
      reason: expect.stringMatching(/per_user_pods allows 1/),
    });
    const w2 = world({
      policy: EXAMPLE_POLICY.replace('per_user_cost_per_hour: 20', 'per_user_cost_per_hour: 0.5'),
    });
    const pricey = await w2.pods.create(podRequest('NVIDIA RTX A6000', 2), REQ);
    expect(pricey).toMatchObject({
      outcome: 'denied',
      reason: expect.stringMatching(/above caps.per_user_cost_per_hour/),
    });
    expect((await w2.pods.create(podRequest('NVIDIA RTX A6000', 2), ADMIN)).outcome).toBe('created');
  });

  it('a viewer cannot create; an operator cannot stop someone else’s pod; an admin can', async () => {
    const w = world();
    await expect(w.pods.create(podRequest('NVIDIA RTX A6000', 1), VIEWER)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const theirs = await w.pods.create(podRequest('NVIDIA RTX A6000', 1), ADMIN);
    const id = theirs.outcome === 'created' ? theirs.pod.id : '';
    const err = await w.pods.stop(id, REQ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PodbayError);
    expect((err as PodbayError).userMessage).toMatch(/belongs to <@U0ADMIN>.*needs the admin role/);
    expect((err as PodbayError).hint).toMatch(/<@U0ADMIN>/);
    expect((await w.pods.stop(id, ADMIN)).outcome).toBe('done');
  });

  it('recover(): a request approved but not started runs once; one caught executing is matched by name', async () => {
    const w = world();
    const id = await askBig(w);
    await w.store.transitionPending(id, 'pending', {
      to: 'approved',
      at: w.clock.now().toISOString(),
      decidedBy: 'U0AP01',
    });
    const id2 = await askBig(w);
    await w.store.transitionPending(id2, 'pending', {
      to: 'executing',
      at: w.clock.now().toISOString(),
      decidedBy: 'U0AP01',
    });
    // The second one reached RunPod before the crash:
    const r2 = await w.approvals.get(id2);
    await w.pods.create(r2?.payload.params.request as never, REQ, {
      approvedBy: AP1,
      name: r2?.payload.target as string,
    });
    const out = await w.approvals.recover();
    expect(out).toMatchObject({ resumed: 1, reconciled: 1 });
    expect((await w.approvals.get(id))?.status).toBe('done');
    expect((await w.approvals.get(id2))?.status).toBe('done');
    expect(await livePods(w)).toHaveLength(2);
    const again = await w.approvals.recover();
    expect(again).toMatchObject({ resumed: 0, reconciled: 0 });
    expect(await livePods(w)).toHaveLength(2);
  });

  it('expireDue() closes overdue requests and tells the requester', async () => {
    const w = world();
    const id = await askBig(w);
    expect(await w.approvals.expireDue()).toBe(0);
    w.clock.advance(3_600_000);
    expect(await w.approvals.expireDue()).toBe(1);
    expect((await w.approvals.get(id))?.status).toBe('expired');
    expect(w.notifier.kinds()).toEqual(['expired']);
  });

  it('an approved create whose outcome was unknown is looked at again by the sweep, and runs once', async () => {
    const w = world();
    const id = await askBig(w);
    w.runpod.failNext('createPod', new PodbayError('OUTCOME_UNKNOWN', 'lost answer'));
    const r = await w.approvals.approve(id, AP1);
    expect(r.outcome).toBe('refused');
    expect((await w.approvals.get(id))?.status).toBe('executing');
    expect(await livePods(w)).toHaveLength(0);
    await w.approvals.expireDue();
    expect((await w.approvals.get(id))?.status).toBe('executing'); // too soon to look again
    w.clock.advance(3 * 60_000);
    await w.approvals.expireDue();
    expect((await w.approvals.get(id))?.status).toBe('done');
    expect(await livePods(w)).toHaveLength(1);
    await w.approvals.expireDue();
    expect(await livePods(w)).toHaveLength(1);
  });
});
