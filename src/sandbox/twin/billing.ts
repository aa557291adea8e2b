// What the twin has billed, per pod and per network volume per simulated hour, so REST v2's
// /v2/billing/* can answer with history. Accrues as the clock moves, at the same rates as the balance.
import { STORAGE } from './prices.ts';
import type { PodRecord, VolumeRecord } from './records.ts';
import { networkVolumeMonthly, type TwinState } from './state.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface PodCharge {
  gpu: number;
  disk: number;
}

export type BucketSize = 'hour' | 'day' | 'week' | 'month' | 'year';

/** Start of the bucket `ms` falls in (UTC; weeks start on Monday). */
export function bucketStart(ms: number, size: BucketSize): number {
  const d = new Date(ms);
  switch (size) {
    case 'hour':
      return Math.floor(ms / HOUR_MS) * HOUR_MS;
    case 'day':
      return Math.floor(ms / DAY_MS) * DAY_MS;
    case 'week': {
      const day = Math.floor(ms / DAY_MS) * DAY_MS;
      return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
    }
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
}

export function bucketEnd(start: number, size: BucketSize): number {
  const d = new Date(start);
  if (size === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  if (size === 'year') return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
  return start + (size === 'hour' ? HOUR_MS : size === 'day' ? DAY_MS : 7 * DAY_MS);
}

export class BillingLedger {
  /** podId → hour start → charge. Terminated pods keep their history. */
  readonly pods = new Map<string, Map<number, PodCharge>>();
  readonly volumes = new Map<string, Map<number, number>>();

  clear(): void {
    this.pods.clear();
    this.volumes.clear();
  }

  /** Bills [fromMs, toMs) at the state's current rates, split at hour boundaries. */
  accrue(state: TwinState, fromMs: number, toMs: number): void {
    for (const p of state.pods.values()) this.accruePod(p, fromMs, toMs);
    for (const v of state.volumes.values()) this.accrueVolume(v, fromMs, toMs);
  }

  /**
   * History for seeded records, which were made with the clock set back: each is billed from
   * when it last started (at most 30 days back) as if it had stayed as it is now.
   */
  backfill(state: TwinState): void {
    const floor = state.nowMs - 30 * DAY_MS;
    for (const p of state.pods.values()) {
      const since = p.desiredStatus === 'RUNNING' ? p.startedAtMs : p.createdAtMs;
      this.accruePod(p, Math.max(floor, since), state.nowMs);
    }
    for (const v of state.volumes.values()) this.accrueVolume(v, Math.max(floor, v.createdAtMs), state.nowMs);
  }

  private accruePod(p: PodRecord, fromMs: number, toMs: number): void {
    eachHour(fromMs, toMs, (hour, hours) => {
      const c = this.podCharge(p.id, hour);
      if (p.desiredStatus === 'RUNNING') c.gpu += p.pricePerGpu * p.gpuCount * hours;
      else c.disk += ((p.volumeInGb * STORAGE.stoppedVolumePerGbMonth) / STORAGE.hoursPerMonth) * hours;
    });
  }

  private accrueVolume(v: VolumeRecord, fromMs: number, toMs: number): void {
    let row = this.volumes.get(v.id);
    if (!row) {
      row = new Map();
      this.volumes.set(v.id, row);
    }
    const perHour = networkVolumeMonthly(v.size) / STORAGE.hoursPerMonth;
    const r = row;
    eachHour(fromMs, toMs, (hour, hours) => r.set(hour, (r.get(hour) ?? 0) + perHour * hours));
  }

  private podCharge(podId: string, hour: number): PodCharge {
    let row = this.pods.get(podId);
    if (!row) {
      row = new Map();
      this.pods.set(podId, row);
    }
    let c = row.get(hour);
    if (!c) {
      c = { gpu: 0, disk: 0 };
      row.set(hour, c);
    }
    return c;
  }
}

function eachHour(fromMs: number, toMs: number, fn: (hourStart: number, hours: number) => void): void {
  for (let t = fromMs; t < toMs; ) {
    const hour = Math.floor(t / HOUR_MS) * HOUR_MS;
    const until = Math.min(toMs, hour + HOUR_MS);
    fn(hour, (until - t) / HOUR_MS);
    t = until;
  }
}
