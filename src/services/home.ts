// One person's Home tab as a plain model: their pods (status, $/h, idle or busy now), the requests
// waiting for their decision, their own pending requests, open alerts about their pods, and what
// they and the team spent today and this month. Read from the services and the store; no Slack.
// Also who should see a change: the people a request or an alert concerns, among those who have
// opened the Home at least once (remembered in the store, namespace 'home').
import type { AccessControl } from './access.ts';
import type { Alert } from './alert-model.ts';
import { DEFAULT_MAX_GAP_MS, SAMPLES_NS, SCAN_NS, SPEND_NS } from './alert-scan.ts';
import { AlertStore } from './alert-store.ts';
import type { ApprovalKind, ApprovalRecord, ApprovalService } from './approvals.ts';
import type { DayLedger } from './digest.ts';
import type { PodKind, PodStatus } from './domain.ts';
import { idleVerdict, type Sample } from './idle.ts';
import type { Role } from './policy-schema.ts';
import type { Clock, Store } from './ports.ts';
import type { OwnedPod, PodService } from './pods.ts';
import { dayKey } from './zoned-time.ts';

/** People who opened the Home tab at least once: key user id, value { since: ISO }. */
export const HOME_NS = 'home';

export interface HomeActivity {
  /**
   * idle / quiet (below the line, not yet for the whole window) / busy: by the policy's idle rule;
   * sampled: the latest sample without a rule to judge it; unknown: no recent sample; off: not running.
   */
  state: 'idle' | 'quiet' | 'busy' | 'sampled' | 'unknown' | 'off';
  /** Highest GPU utilisation in the latest sample (percent), or null. */
  utilPercent: number | null;
  sampleAtMs: number | null;
  /** Since when the pod has been below the idle line (idle and quiet). */
  idleSinceMs: number | null;
}

export interface HomePod {
  id: string;
  name: string;
  status: PodStatus;
  kind: PodKind;
  gpuCount: number;
  gpuName: string | null;
  costPerHr: number;
  activity: HomeActivity;
}

export interface HomeRequest {
  id: string;
  kind: ApprovalKind;
  /** The RunPod id or unique name it is about. */
  target: string;
  summary: string;
  requesterId: string;
  rule: string;
  justification: string | null;
  perHourUsd: number | null;
  createdAt: string;
  expiresAt: string;
}

export interface HomeSpend {
  /** Today (YYYY-MM-DD) in the team's time zone. */
  day: string;
  timeZone: string;
  /** null when the scheduler has recorded nothing for today yet. */
  today: { yoursUsd: number; teamUsd: number } | null;
  /** Month to date over the recorded days; null when none of this month's days is recorded. */
  month: { from: string; yoursUsd: number; teamUsd: number; daysRecorded: number } | null;
  /** When spend was last recorded (the scheduler's last scan), or null. */
  asOfMs: number | null;
}

export interface HomeModel {
  userId: string;
  atMs: number;
  timeZone: string;
  roles: Role[];
  /** What the person may do from here (which buttons they get). */
  may: { createPods: boolean; actOnPods: boolean; decide: boolean };
  /** Who can give a role (the policy's admins), for a person who has none. */
  helpers: string[];
  /** The person's live pods: running first, then by name. */
  pods: HomePod[];
  /** Their running pods' price per hour. */
  perHourUsd: number;
  idleRule: { utilBelowPercent: number; forMs: number } | null;
  /** Other people's pending requests this person may decide, waiting longest first (empty for others). */
  toDecide: HomeRequest[];
  /** Where requests are posted (for "and N more"). */
  approvalsChannel: string | null;
  /** The person's own pending requests, oldest first. */
  mine: HomeRequest[];
  /** Open alerts about the person's pods, newest first. */
  alerts: Alert[];
  spend: HomeSpend;
  /** The latest digest's spend chart (an uploaded Slack file), shown on every Home; null before one. */
  chart: HomeChart | null;
}

/** Where the latest spend chart is kept (store ns 'home', written when a digest uploads one). */
export const HOME_CHART_KEY = 'chart';

export interface HomeChart {
  fileId: string;
  alt: string;
  title: string;
}

export interface HomeServiceDeps {
  pods: Pick<PodService, 'list'>;
  approvals?: Pick<ApprovalService, 'pending'>;
  access: AccessControl;
  store: Store;
  clock: Clock;
  /** The team's time zone (PODBAY_TZ): the spend ledger's days are in it. */
  timeZone: string;
  /** Samples further apart than this break an idle stretch (as the scan counts it). */
  maxGapMs?: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const money = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

/** The owners an alert is about: the pod's owner, or for a low balance the owners of pods at risk. */
export function alertOwners(a: Alert): string[] {
  const out = new Set<string>();
  if (a.pod?.owner) out.add(a.pod.owner);
  if (a.kind === 'runway') for (const p of a.facts.atRisk) if (p.owner) out.add(p.owner);
  return [...out];
}

function homeRequest(r: ApprovalRecord): HomeRequest {
  return {
    id: r.id,
    kind: r.kind,
    target: r.payload.target,
    summary: r.payload.summary,
    requesterId: r.userId,
    rule: r.payload.rule,
    justification: r.payload.justification,
    perHourUsd: r.payload.quote?.perHourUsd ?? null,
    createdAt: r.createdAt,
    expiresAt: r.payload.expiresAt,
  };
}

/** A stored sample window, or null when the value is not one (the store is read defensively). */
function samplesOf(v: unknown): Sample[] | null {
  if (!Array.isArray(v)) return null;
  const out: Sample[] = [];
  for (const s of v) {
    if (!Array.isArray(s) || typeof s[0] !== 'number') continue;
    const util = typeof s[1] === 'number' && Number.isFinite(s[1]) ? s[1] : null;
    out.push([s[0], util]);
  }
  return out;
}

export class HomeService {
  private readonly alerts: AlertStore;
  private readonly maxGapMs: number;

  constructor(private readonly deps: HomeServiceDeps) {
    this.alerts = new AlertStore(deps.store);
    this.maxGapMs = deps.maxGapMs ?? DEFAULT_MAX_GAP_MS;
  }

  // ---- who has a Home ------------------------------------------------------------------------

  /** Records that the person opened the Home (once); true when it is their first time. */
  async remember(userId: string): Promise<boolean> {
    if (await this.deps.store.kvGet(HOME_NS, userId)) return false;
    const since = this.deps.clock.now().toISOString();
    return (await this.deps.store.kvPut(HOME_NS, userId, { since }, null)) !== null;
  }

  async hasHome(userId: string): Promise<boolean> {
    return (await this.deps.store.kvGet(HOME_NS, userId)) !== null;
  }

  /** Of these people, the ones who opened the Home at least once. */
  async withHome(userIds: Iterable<string>): Promise<string[]> {
    const wanted = [...new Set(userIds)].filter((u) => /^[UW][A-Z0-9]{2,}$/.test(u));
    if (wanted.length === 0) return [];
    if (wanted.length > 20) {
      const known = new Set((await this.deps.store.kvList(HOME_NS)).map((r) => r.key));
      return wanted.filter((u) => known.has(u));
    }
    const seen = await Promise.all(wanted.map((u) => this.hasHome(u)));
    return wanted.filter((_, i) => seen[i]);
  }

  /**
   * Whose Home a request's change shows on: the requester, the owner of the pod it is about, and
   * everyone with a Home who may decide it (approvers and admins, by the same rule as a decision).
   */
  async requestAudience(req: ApprovalRecord): Promise<string[]> {
    const out = new Set<string>([req.userId]);
    const owner = req.payload.params.owner;
    if (typeof owner === 'string' && owner) out.add(owner);
    for (const r of await this.deps.store.kvList(HOME_NS)) {
      if (r.key !== req.userId && (await this.mayDecide(r.key))) out.add(r.key);
    }
    return this.withHome(out);
  }

  /** Whose Home an alert's change shows on (the owners it is about, with a Home). */
  async alertAudience(alert: Alert): Promise<string[]> {
    return this.withHome(alertOwners(alert));
  }

  // ---- the model -----------------------------------------------------------------------------

  async model(userId: string): Promise<HomeModel> {
    const { access, clock, timeZone } = this.deps;
    const now = clock.now();
    const atMs = now.getTime();
    const roleSet = await access.roles.of(userId);
    const roles = [...roleSet];
    const has = (...r: Role[]) => r.some((x) => roleSet.has(x));
    const may = {
      createPods: has('operator', 'admin'),
      actOnPods: has('operator', 'admin'),
      decide: has('approver', 'admin'),
    };
    const idle = access.policy.alerts?.idle ?? null;
    const idleRule = idle ? { utilBelowPercent: idle.utilBelowPercent, forMs: idle.forMs } : null;
    const base = {
      userId,
      atMs,
      timeZone,
      roles,
      may,
      helpers: access.policy.roles.admin,
      idleRule,
      approvalsChannel: access.policy.approvals.channel,
    };
    if (roles.length === 0) {
      // No role, nothing to read: the view says who can give one.
      return {
        ...base,
        pods: [],
        perHourUsd: 0,
        toDecide: [],
        mine: [],
        alerts: [],
        spend: { day: dayKey(now, timeZone), timeZone, today: null, month: null, asOfMs: null },
        chart: null,
      };
    }
    const iso = now.toISOString();
    const live = (r: ApprovalRecord) => r.payload.expiresAt > iso;
    const byAge = (a: HomeRequest, b: HomeRequest) =>
      a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
    const [owned, pending, alerts, spend, chart] = await Promise.all([
      this.deps.pods.list({ scope: 'mine', userId }),
      this.deps.approvals ? this.deps.approvals.pending() : Promise.resolve([]),
      this.alerts.list(),
      this.spend(userId, now),
      this.deps.store.kvGet('home', HOME_CHART_KEY),
    ]);
    const pods = await Promise.all(owned.map((p) => this.homePod(p, atMs, idleRule)));
    const open = pending.filter(live);
    return {
      ...base,
      pods,
      perHourUsd:
        Math.round(pods.filter((p) => p.status === 'RUNNING').reduce((t, p) => t + p.costPerHr, 0) * 10_000) /
        10_000,
      toDecide: may.decide
        ? open
            .filter((r) => r.userId !== userId)
            .map(homeRequest)
            .sort(byAge)
        : [],
      mine: open
        .filter((r) => r.userId === userId)
        .map(homeRequest)
        .sort(byAge),
      alerts: alerts
        .map((s) => s.alert)
        .filter((a) => a.open && alertOwners(a).includes(userId))
        .sort((a, b) => b.openedAtMs - a.openedAtMs || a.key.localeCompare(b.key)),
      spend,
      chart: (chart?.value as HomeChart | undefined) ?? null,
    };
  }

  private async mayDecide(userId: string): Promise<boolean> {
    const roles = await this.deps.access.roles.of(userId);
    return roles.has('approver') || roles.has('admin');
  }

  private async homePod(
    pod: OwnedPod,
    nowMs: number,
    rule: { utilBelowPercent: number; forMs: number } | null,
  ): Promise<HomePod> {
    const out = {
      id: pod.id,
      name: pod.name,
      status: pod.status,
      kind: pod.kind,
      gpuCount: pod.gpuCount,
      gpuName: pod.gpuName,
      costPerHr: pod.costPerHr,
    };
    if (pod.status !== 'RUNNING')
      return { ...out, activity: { state: 'off', utilPercent: null, sampleAtMs: null, idleSinceMs: null } };
    const rec = await this.deps.store.kvGet(SAMPLES_NS, pod.id);
    const samples = rec ? (samplesOf(rec.value) ?? []) : [];
    const last = samples.at(-1);
    const util = last?.[1] ?? null;
    const at = last?.[0] ?? null;
    if (!last || util === null || nowMs - last[0] > this.maxGapMs)
      return { ...out, activity: { state: 'unknown', utilPercent: util, sampleAtMs: at, idleSinceMs: null } };
    if (!rule)
      return { ...out, activity: { state: 'sampled', utilPercent: util, sampleAtMs: at, idleSinceMs: null } };
    const v = idleVerdict(samples, nowMs, { ...rule, maxGapMs: this.maxGapMs });
    const since = v.state === 'idle' || v.state === 'quiet' ? v.sinceMs : null;
    return { ...out, activity: { state: v.state, utilPercent: util, sampleAtMs: at, idleSinceMs: since } };
  }

  /** Today's and this month's spend from the scheduler's ledger: the person's pods, and the account's total. */
  private async spend(userId: string, now: Date): Promise<HomeSpend> {
    const { store, timeZone } = this.deps;
    const day = dayKey(now, timeZone);
    const from = `${day.slice(0, 7)}-01`;
    const [rows, last] = await Promise.all([store.kvList(SPEND_NS), store.kvGet(SCAN_NS, 'last')]);
    const days = rows
      .filter((r) => r.key.startsWith('day:'))
      .map((r) => r.value as DayLedger)
      .filter((d) => typeof d?.day === 'string' && d.day >= from && d.day <= day);
    const yours = (d: DayLedger) =>
      Object.values(d.pods ?? {}).reduce((t, p) => t + (p?.owner === userId ? money(p.usd) : 0), 0);
    const today = days.find((d) => d.day === day);
    const lastAt = (last?.value as { atMs?: unknown } | undefined)?.atMs;
    return {
      day,
      timeZone,
      today: today ? { yoursUsd: round2(yours(today)), teamUsd: round2(money(today.totalUsd)) } : null,
      month: days.length
        ? {
            from,
            yoursUsd: round2(days.reduce((t, d) => t + yours(d), 0)),
            teamUsd: round2(days.reduce((t, d) => t + money(d.totalUsd), 0)),
            daysRecorded: new Set(days.map((d) => d.day)).size,
          }
        : null,
      asOfMs: typeof lastAt === 'number' && Number.isFinite(lastAt) ? lastAt : null,
    };
  }
}
