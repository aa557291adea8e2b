// /spend over each API against the twin: billing history where REST v2 has it (real spend per pod
// and per day, stopped pods included), the estimate as the labelled fallback, and with v2 alone
// a spend rate from v2's own costs while the balance plainly needs GraphQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spendMessage } from '../../src/handlers/views/spend.ts';
import type { ApiMode } from '../../src/runpod/index.ts';
import { SpendService } from '../../src/services/spend.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { type TwinClient, twinClient } from '../support/twin-client.ts';

const clients = new Map<ApiMode, TwinClient>();
beforeAll(async () => {
  for (const mode of ['graphql', 'v2', 'auto'] as const)
    clients.set(mode, await twinClient({}, { api: mode }));
});
afterAll(() => Promise.all([...clients.values()].map((c) => c.close())));

const spendOf = (c: TwinClient) =>
  new SpendService({ runpod: c.api, store: new MemoryStore(), clock: { now: () => c.twin.control.now() } });

/** A pod that ran two hours this morning and was stopped: only billing records know what it cost. */
async function stoppedToday(c: TwinClient) {
  c.twin.control.reset();
  const pod = await c.api.createPod({
    kind: 'on-demand',
    name: 'morning-run',
    imageName: 'img:1',
    gpuTypeIds: ['NVIDIA RTX A6000'],
    gpuCount: 1,
  });
  c.twin.control.advance(2 * 3600);
  await c.api.stopPod(pod.id);
  c.twin.control.advance(600);
  return pod;
}

describe('/spend on each API', () => {
  it('v2: billed spend per pod (a pod stopped today too), spend rate from v2, balance needs GraphQL', async () => {
    const c = clients.get('v2')!;
    const pod = await stoppedToday(c);
    const s = await spendOf(c).summary();
    expect(s.source).toBe('billing');
    expect(s.balanceUsd).toBeNull();
    expect(s.runway).toEqual({ kind: 'unknown' });
    const billedPod = s.byOwner.flatMap((o) => o.pods).find((p) => p.id === pod.id);
    // 2 h at the pod's price, as RunPod billed it.
    expect(billedPod?.todayUsd).toBeCloseTo(2 * 0.49, 1);
    expect(billedPod?.costPerHrUsd).toBe(0);
    const running = (await c.api.listPods()).filter((p) => p.status === 'RUNNING');
    const podsPerHr = running.reduce((t, p) => t + p.costPerHr, 0);
    // Pods plus the network volumes' last hour of billing.
    expect(s.spendPerHrUsd).toBeGreaterThan(podsPerHr);
    expect(s.spendPerHrUsd).toBeLessThan(podsPerHr + 0.2);
    expect(s.daily).toHaveLength(7);
    expect(s.daily?.at(-1)?.totalUsd).toBeGreaterThan(0);
    expect(s.notes.join(' ')).toMatch(/need RunPod’s GraphQL API, which this install has switched off/);
    const m = spendMessage(s);
    expect(m.text).toMatch(/^Balance needs GraphQL, spending \$[\d.]+\/h, runway needs GraphQL/);
    expect(JSON.stringify(m.blocks)).toContain('Billed per day (UTC)');
  });

  it('auto: the balance and rate from GraphQL, today from billing records', async () => {
    const c = clients.get('auto')!;
    await stoppedToday(c);
    const s = await spendOf(c).summary();
    expect(s.source).toBe('billing');
    expect(s.balanceUsd).toBeGreaterThan(0);
    expect(s.runway.kind).toBe('hours');
    expect(s.spendPerHrUsd).toBe((await c.api.account()).spendPerHrUsd);
    expect(s.byOwner.flatMap((o) => o.pods).some((p) => p.name === 'morning-run')).toBe(true);
  });

  it('graphql: no billing records, so today stays the estimate, labelled as one', async () => {
    const c = clients.get('graphql')!;
    await stoppedToday(c);
    const s = await spendOf(c).summary();
    expect(s.source).toBe('estimate');
    expect(s.byOwner.flatMap((o) => o.pods).some((p) => p.name === 'morning-run')).toBe(false);
    expect(JSON.stringify(spendMessage(s).blocks)).toContain('(estimate)');
  });
});
