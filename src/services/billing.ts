// Billed spend from RunPod's billing records (REST v2): per pod per day, and what a
// feature cannot have when the API behind this install has no such data.
import type { Pod } from './domain.ts';
import { PodbayError } from './errors.ts';
import { matchOwners } from './ownership.ts';
import type { BillingHistory, Clock, PodOwnership, RunpodApi } from './ports.ts';
import type { OwnerSpend } from './spend.ts';

export type GraphqlOnly = 'balance' | 'spot';

const NEEDS: Record<GraphqlOnly, string> = {
  balance: 'Balance needs RunPod’s GraphQL API, which this install has switched off.',
  spot: 'Spot pods need RunPod’s GraphQL API, which this install has switched off.',
};

/** A feature only RunPod's GraphQL API has, asked for while podbay runs on REST v2 alone. */
export class NeedsGraphqlError extends PodbayError {
  readonly feature: GraphqlOnly;
  constructor(feature: GraphqlOnly) {
    super('CONFIG_INVALID', NEEDS[feature], {
      hint:
        feature === 'balance'
          ? 'Spend per hour still comes from the pods and volumes; set RUNPOD_API=auto to see the balance and runway while RunPod keeps GraphQL.'
          : 'Create an on-demand pod instead, or set RUNPOD_API=auto while RunPod keeps GraphQL.',
    });
    this.name = 'NeedsGraphqlError';
    this.feature = feature;
  }
}

export const needsGraphql = (e: unknown, feature: GraphqlOnly): boolean =>
  e instanceof NeedsGraphqlError && e.feature === feature;

const DAY_MS = 86_400_000;
const round2 = (n: number) => Math.round(n * 100) / 100;

export interface BilledPod {
  podId: string;
  /** From the live pod list; null when the pod is gone (terminated). */
  name: string | null;
  usd: number;
}

export interface BilledDay {
  /** Midnight UTC, ISO. */
  day: string;
  podsUsd: number;
  volumesUsd: number;
  totalUsd: number;
}

export interface BilledSpend {
  /** Per pod, billed since midnight UTC (largest first). */
  today: BilledPod[];
  todayPodsUsd: number;
  todayVolumesUsd: number;
  /** The last `days` days, oldest first, today included (still running). */
  daily: BilledDay[];
}

/** Reads RunPod's billing records, when the API in use has them. */
export class BillingService {
  constructor(
    private readonly runpod: RunpodApi,
    private readonly clock: Clock,
  ) {}

  /** Whether RunPod's billing records can be asked for at all with this install. */
  get available(): boolean {
    return typeof this.runpod.billingHistory === 'function';
  }

  /** Billed spend today per pod and the last `days` days; null when there are no billing records to ask. */
  async spend(pods: readonly Pod[], days = 7, now?: Date): Promise<BilledSpend | null> {
    if (!this.runpod.billingHistory) return null;
    const at = now ?? this.clock.now();
    const today = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
    const start = new Date(today - (days - 1) * DAY_MS);
    const history = await this.runpod.billingHistory({ start, end: new Date(today + DAY_MS), bucket: 'day' });
    return summarize(history, pods, today, days);
  }
}

export function summarize(
  history: BillingHistory,
  pods: readonly Pod[],
  todayMs: number,
  days: number,
): BilledSpend {
  const names = new Map(pods.map((p) => [p.id, p.name]));
  const daily = Array.from({ length: days }, (_, i) => ({
    day: new Date(todayMs - (days - 1 - i) * DAY_MS).toISOString(),
    podsUsd: 0,
    volumesUsd: 0,
    totalUsd: 0,
  }));
  const index = (iso: string) => {
    const i = days - 1 - Math.round((todayMs - Math.floor(Date.parse(iso) / DAY_MS) * DAY_MS) / DAY_MS);
    return i >= 0 && i < days ? i : -1;
  };
  const todayByPod = new Map<string, number>();
  for (const r of history.pods) {
    const i = index(r.start);
    const d = daily[i];
    if (!d) continue;
    d.podsUsd += r.totalUsd;
    if (i === days - 1) todayByPod.set(r.podId, (todayByPod.get(r.podId) ?? 0) + r.totalUsd);
  }
  for (const r of history.volumes) {
    const d = daily[index(r.start)];
    if (d) d.volumesUsd += r.totalUsd;
  }
  for (const d of daily) {
    d.podsUsd = round2(d.podsUsd);
    d.volumesUsd = round2(d.volumesUsd);
    d.totalUsd = round2(d.podsUsd + d.volumesUsd);
  }
  const today = [...todayByPod]
    .map(([podId, usd]) => ({ podId, name: names.get(podId) ?? null, usd: round2(usd) }))
    .filter((p) => p.usd > 0)
    .sort((a, b) => b.usd - a.usd || a.podId.localeCompare(b.podId));
  const last = daily[days - 1];
  return {
    today,
    todayPodsUsd: last?.podsUsd ?? 0,
    todayVolumesUsd: last?.volumesUsd ?? 0,
    daily,
  };
}

/**
 * Today's billed spend grouped by owner, in the shape /spend shows: every pod RunPod billed
 * today (stopped or gone ones too), its cost per hour now when it still runs.
 */
export function billedByOwner(
  billed: BilledSpend,
  pods: readonly Pod[],
  records: readonly PodOwnership[],
): OwnerSpend[] {
  const live = new Map(pods.map((p) => [p.id, p]));
  const byId = new Map(records.filter((r) => r.podId !== null).map((r) => [r.podId, r]));
  const owners = matchOwners(pods, records);
  const ownerOfLive = new Map(pods.map((p, i) => [p.id, owners[i]?.record ?? null]));
  const buckets = new Map<string, OwnerSpend>();
  const ids = new Set([
    ...billed.today.map((b) => b.podId),
    ...pods.filter((p) => p.status === 'RUNNING').map((p) => p.id),
  ]);
  const usdOf = new Map(billed.today.map((b) => [b.podId, b.usd]));
  for (const id of ids) {
    const pod = live.get(id);
    const rec = ownerOfLive.get(id) ?? byId.get(id) ?? null;
    const key = rec?.userId ?? '';
    const bucket = buckets.get(key) ?? ownerBucket(rec);
    const costPerHrUsd = pod?.status === 'RUNNING' ? pod.costPerHr : 0;
    const todayUsd = usdOf.get(id) ?? 0;
    bucket.costPerHrUsd = Math.round((bucket.costPerHrUsd + costPerHrUsd) * 10_000) / 10_000;
    bucket.todayUsd = round2(bucket.todayUsd + todayUsd);
    // Billing keeps no hours; a pod that ran the whole day so far is shown by its cost alone.
    bucket.pods.push({ id, name: pod?.name ?? rec?.podName ?? id, costPerHrUsd, hoursToday: 0, todayUsd });
    buckets.set(key, bucket);
  }
  return [...buckets.values()]
    .map((b) => ({ ...b, pods: b.pods.sort((x, y) => y.todayUsd - x.todayUsd) }))
    .sort(ownerOrder);
}

/** An owner's empty spend bucket (no record: the unattributed one). */
export const ownerBucket = (rec: PodOwnership | null): OwnerSpend => ({
  userId: rec?.userId ?? null,
  teamId: rec?.teamId ?? null,
  costPerHrUsd: 0,
  todayUsd: 0,
  pods: [],
});

/** Largest today first; the unattributed bucket (userId null) last. */
export const ownerOrder = (a: OwnerSpend, b: OwnerSpend): number =>
  Number(a.userId === null) - Number(b.userId === null) ||
  b.todayUsd - a.todayUsd ||
  (a.userId ?? '').localeCompare(b.userId ?? '');
