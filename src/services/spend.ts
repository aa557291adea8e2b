// Spend right now: balance, $/h, runway, limit, and today's spend by owner: RunPod's billing
// records where the API has them (billing.ts), else estimated from running pods.
import {
  type BilledDay,
  BillingService,
  billedByOwner,
  needsGraphql,
  ownerBucket,
  ownerOrder,
} from './billing.ts';
import type { Pod } from './domain.ts';
import { matchOwners } from './ownership.ts';
import type { Clock, RunpodApi, Store } from './ports.ts';
import { type Runway, runway } from './quote.ts';

export interface OwnerSpend {
  /** null = unattributed (pods made outside podbay). */
  userId: string | null;
  teamId: string | null;
  /** Sum of running pods' cost per hour. */
  costPerHrUsd: number;
  /** Cost per hour × hours running since midnight UTC, summed. */
  todayUsd: number;
  pods: Array<{ id: string; name: string; costPerHrUsd: number; hoursToday: number; todayUsd: number }>;
}

export interface SpendSummary {
  /** ISO time the summary is for. */
  at: string;
  /** ISO start of "today" (midnight UTC). */
  dayStart: string;
  /** null when the balance needs RunPod's GraphQL API and this install runs on REST v2 alone. */
  balanceUsd: number | null;
  spendPerHrUsd: number;
  /** Balance / spend per hour; unlimited when nothing is spending. */
  runway: Runway;
  /** Hours, or null when nothing is spending (∞); same as runway, flat for simple callers. */
  runwayHours: number | null;
  spendLimitUsd: number | null;
  /** Largest today first; the unattributed bucket (userId null) is last. */
  byOwner: OwnerSpend[];
  todayTotalUsd: number;
  /** billing: today's spend is RunPod's billing record; estimate: cost per hour × hours running. */
  source?: 'billing' | 'estimate';
  /** Billed spend per day, oldest first, today last (empty for an estimate). */
  daily?: BilledDay[];
  /** How the numbers were made (estimate, what is not counted). */
  notes: string[];
}

export interface SpendServiceDeps {
  runpod: RunpodApi;
  store: Store;
  clock: Clock;
}

const HOUR_MS = 3_600_000;
const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** Midnight UTC of the day `now` is in. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export class SpendService {
  private readonly runpod: RunpodApi;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly billing: BillingService;

  constructor(deps: SpendServiceDeps) {
    this.runpod = deps.runpod;
    this.store = deps.store;
    this.clock = deps.clock;
    this.billing = new BillingService(deps.runpod, deps.clock);
  }

  /** The summary at `now` (default: the clock's now). */
  async summary(now?: Date): Promise<SpendSummary> {
    const at = now ?? this.clock.now();
    const dayStart = startOfUtcDay(at);
    const [account, pods, records] = await Promise.all([
      this.runpod.account().catch((e: unknown) => {
        if (needsGraphql(e, 'balance')) return null;
        throw e;
      }),
      this.runpod.listPods(),
      this.store.listPodOwnerships(),
    ]);
    // RunPod bills a pod while it is asked to run (also while its image pulls).
    const running = pods.filter((p) => p.status === 'RUNNING');
    const owners = matchOwners(running, records);
    const buckets = new Map<string, OwnerSpend>();
    let unknownStart = 0;
    for (const [i, pod] of running.entries()) {
      const rec = owners[i]?.record ?? null;
      const since = runningSince(pod, rec?.createdAt ?? null, at);
      if (since === null) unknownStart++;
      const from = since === null ? at.getTime() : Math.max(since.getTime(), dayStart.getTime());
      const hoursToday = Math.max(0, (at.getTime() - from) / HOUR_MS);
      const key = rec?.userId ?? '';
      const bucket = buckets.get(key) ?? ownerBucket(rec);
      const todayUsd = pod.costPerHr * hoursToday;
      bucket.costPerHrUsd = round4(bucket.costPerHrUsd + pod.costPerHr);
      bucket.todayUsd += todayUsd;
      bucket.pods.push({
        id: pod.id,
        name: pod.name,
        costPerHrUsd: pod.costPerHr,
        hoursToday: round2(hoursToday),
        todayUsd: round2(todayUsd),
      });
      buckets.set(key, bucket);
    }
    const estimated = [...buckets.values()]
      .map((b) => ({
        ...b,
        todayUsd: round2(b.todayUsd),
        pods: b.pods.sort((x, y) => y.todayUsd - x.todayUsd),
      }))
      .sort(ownerOrder);
    // RunPod's own billing records where it has them; the estimate stays the fallback.
    const billed = await this.billing.spend(pods, 7, at).catch(() => null);
    const byOwner = billed ? billedByOwner(billed, pods, records) : estimated;
    const spendPerHrUsd =
      account?.spendPerHrUsd ??
      (await this.runpod.spendRate?.().catch(() => null)) ??
      round4(running.reduce((t, p) => t + p.costPerHr, 0));
    const r = account ? runway(account.balanceUsd, spendPerHrUsd) : ({ kind: 'unknown' } as const);
    const notes = [
      billed
        ? `Today's spend is RunPod's billing record per pod (network volumes: $${billed.todayVolumesUsd.toFixed(2)} more today).`
        : "Today's spend is an estimate from running pods: cost per hour × hours running since 00:00 UTC. Pods stopped earlier today, network volumes and serverless workers are not counted.",
    ];
    if (!account) {
      notes.push(
        'Balance and runway need RunPod’s GraphQL API, which this install has switched off; spend per hour is the sum of the running pods and network volumes.',
      );
    }
    if (unknownStart && !billed) {
      notes.push(
        `${unknownStart} running pod${unknownStart > 1 ? 's have' : ' has'} no start time yet, so ${unknownStart > 1 ? 'they count' : 'it counts'} as $0 today.`,
      );
    }
    return {
      at: at.toISOString(),
      dayStart: dayStart.toISOString(),
      balanceUsd: account?.balanceUsd ?? null,
      spendPerHrUsd,
      runway: r,
      runwayHours: r.kind === 'hours' ? r.hours : null,
      spendLimitUsd: account?.spendLimitUsd ?? null,
      byOwner,
      todayTotalUsd: round2(byOwner.reduce((sum, b) => sum + b.todayUsd, 0)),
      source: billed ? 'billing' : 'estimate',
      daily: billed?.daily ?? [],
      notes,
    };
  }
}

/** When the pod started running: now − uptime when it reports one, else when podbay created it. */
function runningSince(pod: Pod, createdAt: string | null, now: Date): Date | null {
  if (pod.runtime) return new Date(now.getTime() - pod.runtime.uptimeSeconds * 1000);
  if (createdAt) {
    const t = Date.parse(createdAt);
    if (Number.isFinite(t) && t <= now.getTime()) return new Date(t);
  }
  return null;
}
