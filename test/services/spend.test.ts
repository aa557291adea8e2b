import { describe, expect, it } from 'vitest';
import { SpendService, startOfUtcDay } from '../../src/services/spend.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { FakeClock, InMemoryRunpod } from '../fakes/runpod-memory.ts';

async function world() {
  const clock = new FakeClock('2026-11-26T10:00:00.000Z');
  const runpod = new InMemoryRunpod({ clock, account: { balanceUsd: 120, spendLimitUsd: 50 } });
  const store = new MemoryStore();
  // Ana: running 2 h (since 08:00) at $1/h, and one up since yesterday (counts from 00:00) at $0.5/h.
  runpod.seedPod({
    id: 'a1',
    name: 'ana-train',
    costPerHr: 1,
    runtime: { uptimeSeconds: 7200, gpus: [], cpuPercent: null, memoryPercent: null, ports: [] },
  });
  runpod.seedPod({
    id: 'a2',
    name: 'ana-long',
    costPerHr: 0.5,
    runtime: { uptimeSeconds: 30 * 3600, gpus: [], cpuPercent: null, memoryPercent: null, ports: [] },
  });
  // Bob: a stopped pod costs nothing now.
  runpod.seedPod({ id: 'b1', name: 'bob-eval', costPerHr: 2, running: false });
  // Someone in the RunPod console: 1 h at $3/h.
  runpod.seedPod({
    id: 'x1',
    name: 'console-box',
    costPerHr: 3,
    runtime: { uptimeSeconds: 3600, gpus: [], cpuPercent: null, memoryPercent: null, ports: [] },
  });
  for (const [podId, podName, userId] of [
    ['a1', 'ana-train', 'U_ANA'],
    ['a2', 'ana-long', 'U_ANA'],
    ['b1', 'bob-eval', 'U_BOB'],
  ] as const) {
    await store.savePodOwnership({
      podId,
      podName,
      userId,
      teamId: 'T1',
      createdAt: '2026-11-25T00:00:00.000Z',
    });
  }
  return { clock, runpod, store, spend: new SpendService({ runpod, store, clock }) };
}

describe('SpendService.summary', () => {
  it('gives balance, $/h, runway, limit and today by owner with an unattributed bucket', async () => {
    const { spend } = await world();
    const s = await spend.summary();
    expect(s).toMatchObject({
      at: '2026-11-26T10:00:00.000Z',
      dayStart: '2026-11-26T00:00:00.000Z',
      balanceUsd: 120,
      spendPerHrUsd: 4.5,
      spendLimitUsd: 50,
      runway: { kind: 'hours', hours: 120 / 4.5 },
      runwayHours: 120 / 4.5,
    });
    expect(s.byOwner.map((o) => [o.userId, o.costPerHrUsd, o.todayUsd])).toEqual([
      ['U_ANA', 1.5, 7], // 2 h × $1 + 10 h × $0.5
      [null, 3, 3],
    ]);
    expect(s.byOwner[0]?.pods.map((p) => [p.name, p.hoursToday, p.todayUsd])).toEqual([
      ['ana-long', 10, 5],
      ['ana-train', 2, 2],
    ]);
    expect(s.todayTotalUsd).toBe(10);
    expect(s.notes[0]).toMatch(/estimate/);
  });

  it('takes `now` from the argument or the clock', async () => {
    const { spend, clock } = await world();
    clock.advance(3600_000);
    const later = await spend.summary();
    expect(later.at).toBe('2026-11-26T11:00:00.000Z');
    const explicit = await spend.summary(new Date('2026-11-26T10:00:00.000Z'));
    expect(explicit.at).toBe('2026-11-26T10:00:00.000Z');
  });

  it('has unlimited runway (runwayHours null) when nothing is spending', async () => {
    const clock = new FakeClock();
    const runpod = new InMemoryRunpod({ clock });
    const s = await new SpendService({ runpod, store: new MemoryStore(), clock }).summary();
    expect(s.runway).toEqual({ kind: 'unlimited' });
    expect(s.runwayHours).toBeNull();
    expect(s.byOwner).toEqual([]);
    expect(s.todayTotalUsd).toBe(0);
  });

  it('counts a pulling pod from when podbay created it, and says when a start is unknown', async () => {
    const clock = new FakeClock('2026-11-26T10:00:00.000Z');
    const runpod = new InMemoryRunpod({ clock });
    const store = new MemoryStore();
    runpod.seedPod({ id: 'p1', name: 'pulling', costPerHr: 2 });
    runpod.seedPod({ id: 'p2', name: 'mystery', costPerHr: 1 });
    runpod.stuckPulling('p1');
    runpod.stuckPulling('p2');
    await store.savePodOwnership({
      podId: 'p1',
      podName: 'pulling',
      userId: 'U1',
      teamId: null,
      createdAt: '2026-11-26T09:30:00.000Z',
    });
    const s = await new SpendService({ runpod, store, clock }).summary();
    expect(s.byOwner.map((o) => [o.userId, o.todayUsd])).toEqual([
      ['U1', 1],
      [null, 0],
    ]);
    expect(s.notes[1]).toMatch(/1 running pod has no start time yet/);
  });

  it('day starts at midnight UTC', () => {
    expect(startOfUtcDay(new Date('2026-11-26T23:59:59.999Z')).toISOString()).toBe(
      '2026-11-26T00:00:00.000Z',
    );
  });
});
