// One scan (a plain function of `now`; node-cron only calls it): one pod list and one account read,
// a utilisation sample per running pod kept in a bounded window, then the rules — idle pods (with
// the warning → last warning → automatic stop ladder), pods stopped for long, spot interruptions,
// lifetimes, budgets and runway. What to change is planned first (a dry run stops there), then
// written with compare-and-set, then the automatic stops run. Posting is AlertDelivery's job.
import type { Logger } from '../logger.ts';
import { type AccountContext, planAccountAlerts } from './alert-account.ts';
import { type Alert, type AlertPod, EXEMPT_NS, type StoredAlert, noted } from './alert-model.ts';
import { AlertStore } from './alert-store.ts';
import type { DayLedger } from './digest.ts';
import type { Account, GpuOffer, Pod } from './domain.ts';
import { asPodbayError } from './errors.ts';
import { appendSample, idleVerdict, type IdleVerdict, type Sample } from './idle.ts';
import { LIFETIME_NS, LIFETIME_WARNING_MS, type Lifetime } from './lifetimes.ts';
import { matchOwners } from './ownership.ts';
import { describeGpus } from './pods.ts';
import type { Policy } from './policy-schema.ts';
import { formatDuration } from './policy-units.ts';
import type { RunpodApi, Store } from './ports.ts';
import { dayKey } from './zoned-time.ts';

export const SAMPLES_NS = 'samples';
export const SEEN_NS = 'pod-seen';
export const SPEND_NS = 'spend';
export const SCAN_NS = 'scan';
/** Samples further apart than this break an idle stretch (a scan missed, podbay was down). */
export const DEFAULT_MAX_GAP_MS = 3 * 60_000;
/** Time between scans counted into the spend ledger at most (podbay was down: not guessed). */
const MAX_LEDGER_STEP_MS = 10 * 60_000;
/** The last warning comes this long before an automatic idle stop (less when the ladder is short). */
export const LAST_WARNING_MS = 15 * 60_000;
/** RunPod bills a stopped pod's volume disk at $0.20/GB/month (runpod.io/pricing, 2026). */
export const STOPPED_VOLUME_USD_PER_GB_MONTH = 0.2;
/** Days of spend ledger kept (the digest's seven-day sparkline, and a margin). */
const LEDGER_DAYS = 40;

/** What the scan remembers of a pod between scans. */
interface Seen {
  status: Pod['status'];
  /** When the pod was first seen in this status. */
  sinceMs: number;
}

/** A pod stop the scan decided on: by the idle ladder or a lifetime. */
export interface PlannedStop {
  podId: string;
  podName: string;
  key: string;
  why: 'idle' | 'lifetime';
}

/** Stops a pod for the policy itself (no person asked); answers the message to note. */
export type SystemStop = (podId: string, why: string) => Promise<string>;

export interface AlertScanDeps {
  runpod: RunpodApi;
  store: Store;
  policy: Policy;
  timeZone: string;
  logger: Logger;
  stop: SystemStop;
  maxGapMs?: number;
}

export interface ScanReport {
  atMs: number;
  pods: number;
  running: number;
  idle: number;
  /** Alerts opened by this scan. */
  opened: Alert[];
  /** Alerts this scan changed (not opened), e.g. a last warning, busy again, stopped. */
  changed: Alert[];
  stops: PlannedStop[];
  /** What the scan could not look at, in words (e.g. the balance needs GraphQL). */
  notes: string[];
  dryRun: boolean;
}

export interface ScanState {
  now: number;
  pods: Pod[];
  owners: Array<string | null>;
  account: Account | null;
  burnPerHr: number | null;
  samples: Map<string, Sample[]>;
  seen: Map<string, Seen>;
  alerts: Map<string, StoredAlert>;
  exempt: Map<string, number>;
  lifetimes: Lifetime[];
  ledger: DayLedger;
  /** Every day the ledger holds (month to date, pruning). */
  spendDays: DayLedger[];
  lastScanMs: number | null;
  /** Pods podbay stopped since the last scan (audit): their EXITED is not an interruption. */
  stoppedByPodbay: Set<string>;
}

/** The highest GPU utilisation of a running pod, or null when any GPU's number is missing. */
export function podUtil(pod: Pod): number | null {
  const gpus = pod.runtime?.gpus;
  if (!gpus || gpus.length === 0 || gpus.length < pod.gpuCount) return null;
  let max = 0;
  for (const g of gpus) {
    if (g.utilPercent === null || !Number.isFinite(g.utilPercent)) return null;
    if (g.utilPercent > max) max = g.utilPercent;
  }
  return max;
}

function alertPod(pod: Pod, owner: string | null): AlertPod {
  return {
    id: pod.id,
    name: pod.name,
    gpus: describeGpus(pod),
    gpuCount: pod.gpuCount,
    costPerHr: pod.costPerHr,
    owner,
    kind: pod.kind,
    networkVolumeId: pod.networkVolumeId,
    volumeInGb: pod.volumeInGb,
  };
}

/** The verdict of a pod without samples (shared: verdicts are only read). */
const UNKNOWN: IdleVerdict = { state: 'unknown' };

const isUp = (p: Pod) => p.status === 'RUNNING' || p.status === 'RESTARTING' || p.status === 'CREATED';

export class AlertScan {
  private readonly alerts: AlertStore;
  private readonly maxGapMs: number;
  /** Open alerts by kind and subject, per scan state (the state is never changed once read). */
  private readonly openIndex = new WeakMap<ScanState, Map<Alert['kind'], Map<string, StoredAlert>>>();

  constructor(private readonly deps: AlertScanDeps) {
    this.alerts = new AlertStore(deps.store);
    this.maxGapMs = deps.maxGapMs ?? DEFAULT_MAX_GAP_MS;
  }

  get policy(): Policy {
    return this.deps.policy;
  }

  async scan(now: Date, opts: { dryRun?: boolean } = {}): Promise<ScanReport> {
    const st = await this.read(now.getTime());
    const { plan, report } = this.evaluate(st, opts.dryRun === true);
    if (report.dryRun) return report;
    await this.apply(st, plan, report);
    return report;
  }

  /** The evaluation step alone (no I/O; `st` is left as it was): what a scan would change. */
  evaluate(st: ScanState, dryRun = false): { plan: Plan; report: ScanReport } {
    const report: ScanReport = {
      atMs: st.now,
      pods: st.pods.length,
      running: 0,
      idle: 0,
      opened: [],
      changed: [],
      stops: [],
      notes: [],
      dryRun,
    };
    if (st.account === null)
      report.notes.push(
        st.burnPerHr === null
          ? 'The balance and spend rate could not be read: budgets and runway were not checked.'
          : 'The balance needs RunPod GraphQL: runway was not checked (budgets use the spend rate).',
      );
    return { plan: this.plan(st, report), report };
  }

  // ---- read ----------------------------------------------------------------------------------

  /** What one scan reads: one pod list, one account read, then the store. */
  async read(now: number): Promise<ScanState> {
    const { runpod, store } = this.deps;
    const pods = await runpod.listPods();
    let account: Account | null = null;
    let burnPerHr: number | null = null;
    try {
      account = await runpod.account();
      burnPerHr = account.spendPerHrUsd;
    } catch (e) {
      this.deps.logger.info({ err: asPodbayError(e).code }, 'scan: account not read');
      if (runpod.spendRate) burnPerHr = await runpod.spendRate().catch(() => null);
    }
    const [records, samples, seen, alerts, exempt, lifetimes, last] = await Promise.all([
      store.listPodOwnerships(),
      store.kvList(SAMPLES_NS),
      store.kvList(SEEN_NS),
      this.alerts.list(),
      store.kvList(EXEMPT_NS),
      store.kvList(LIFETIME_NS),
      store.kvGet(SCAN_NS, 'last'),
    ]);
    const lastScanMs = last ? (last.value as { atMs: number }).atMs : null;
    const day = dayKey(new Date(now), this.deps.timeZone);
    const spendDays = (await store.kvList(SPEND_NS))
      .filter((r) => r.key.startsWith('day:'))
      .map((r) => r.value as DayLedger);
    const since = new Date(Math.min(lastScanMs ?? now, now) - 60_000).toISOString();
    const audit = await store.listAudit({ since, limit: 1000 });
    return {
      now,
      pods,
      owners: matchOwners(pods, records).map((m) => m.record?.userId ?? null),
      account,
      burnPerHr,
      samples: new Map(samples.map((r) => [r.key, r.value as Sample[]])),
      seen: new Map(seen.map((r) => [r.key, r.value as Seen])),
      alerts: new Map(alerts.map((a) => [a.alert.key, a])),
      exempt: new Map(exempt.map((r) => [r.key, (r.value as { untilMs: number }).untilMs])),
      lifetimes: lifetimes.map((r) => r.value as Lifetime),
      ledger: spendDays.find((d) => d.day === day) ?? { day, totalUsd: 0, pods: {} },
      spendDays,
      lastScanMs,
      stoppedByPodbay: new Set(
        audit.filter((e) => e.action === 'pod.stop' && e.outcome === 'done').map((e) => e.target),
      ),
    };
  }

  // ---- plan ----------------------------------------------------------------------------------

  /** The open alert of this kind about this subject, if any (the first in the store's order). */
  private openAlert(st: ScanState, kind: Alert['kind'], subject: string): StoredAlert | undefined {
    let index = this.openIndex.get(st);
    if (!index) {
      // Built once per scan state: a lookup per pod and rule must not walk every alert.
      index = new Map();
      for (const a of st.alerts.values()) {
        if (!a.alert.open) continue;
        let bySubject = index.get(a.alert.kind);
        if (!bySubject) {
          bySubject = new Map();
          index.set(a.alert.kind, bySubject);
        }
        if (!bySubject.has(a.alert.subject)) bySubject.set(a.alert.subject, a);
      }
      this.openIndex.set(st, index);
    }
    return index.get(kind)?.get(subject);
  }

  private newAlert<A extends Alert>(
    st: ScanState,
    fields: Pick<A, 'kind' | 'key' | 'subject' | 'stage' | 'facts'> & { pod: AlertPod | null; dm: boolean },
  ): A {
    const a = this.deps.policy.alerts;
    const owner = fields.pod?.owner ?? null;
    return {
      key: fields.key,
      kind: fields.kind,
      subject: fields.subject,
      stage: fields.stage,
      facts: fields.facts,
      pod: fields.pod,
      open: true,
      openedAtMs: st.now,
      updatedAtMs: st.now,
      notes: [],
      snoozedUntilMs: null,
      autoStopAtMs: null,
      channel: a?.channel ?? '',
      // Without an alerts section only lifetimes alert, and they go to the owner.
      dmTo: fields.dm && (a?.dmOwner ?? true) && owner ? owner : null,
      messages: { channel: null, dm: null },
      postingSinceMs: { channel: null, dm: null },
      revision: 1,
      delivered: 0,
    } as unknown as A;
  }

  private plan(st: ScanState, report: ScanReport): Plan {
    const plan: Plan = {
      samples: [],
      dropSamples: [],
      seen: [],
      dropSeen: [],
      created: [],
      changed: [],
      stops: [],
      dropLifetimes: [],
      warnedLifetimes: [],
      dropExempt: [],
    };
    const policy = this.deps.policy.alerts;
    const idleRule = policy?.idle
      ? { utilBelowPercent: policy.idle.utilBelowPercent, forMs: policy.idle.forMs, maxGapMs: this.maxGapMs }
      : null;
    const keepMs = (idleRule?.forMs ?? 0) + this.maxGapMs;
    const step =
      st.lastScanMs === null ? 0 : Math.max(0, Math.min(st.now - st.lastScanMs, MAX_LEDGER_STEP_MS));
    const ledger: DayLedger = { ...st.ledger, pods: { ...st.ledger.pods } };
    if (st.burnPerHr !== null) ledger.totalUsd += (st.burnPerHr * step) / 3_600_000;
    const listed = new Set<string>();

    for (let i = 0; i < st.pods.length; i++) {
      const pod = st.pods[i] as Pod;
      listed.add(pod.id);
      const owner = st.owners[i] ?? null;
      const running = pod.status === 'RUNNING';
      if (running) report.running++;
      // Samples: a running pod gets one per scan (null while its image pulls); others none.
      let verdict: IdleVerdict = UNKNOWN;
      if (running) {
        const next: Sample = [st.now, pod.runtime ? podUtil(pod) : null];
        const window = appendSample(st.samples.get(pod.id) ?? [], next, keepMs);
        plan.samples.push({ key: pod.id, value: window });
        if (idleRule) verdict = idleVerdict(window, st.now, idleRule);
      } else if (st.samples.has(pod.id)) plan.dropSamples.push(pod.id);
      if (verdict.state === 'idle') report.idle++;

      // The spend ledger, per pod (the digest's "by owner / by pod / idle").
      if (running && step > 0) {
        const d = ledger.pods[pod.id] ?? { name: pod.name, owner, usd: 0, idleUsd: 0, runningMs: 0 };
        const usd = (pod.costPerHr * step) / 3_600_000;
        ledger.pods[pod.id] = {
          name: pod.name,
          owner,
          usd: d.usd + usd,
          idleUsd: d.idleUsd + (verdict.state === 'idle' ? usd : 0),
          runningMs: d.runningMs + step,
        };
      }

      // What the pod was before: a status change since the last scan.
      const before = st.seen.get(pod.id);
      const seen: Seen =
        before && before.status === pod.status ? before : { status: pod.status, sinceMs: st.now };
      if (seen !== before) plan.seen.push({ key: pod.id, value: seen });

      if (idleRule && policy)
        this.planIdle(st, plan, pod, owner, verdict, idleRule, policy.idle?.autoStopAfterMs ?? null);
      if (policy?.stoppedLongerThanMs)
        this.planStopped(st, plan, pod, owner, seen, policy.stoppedLongerThanMs);
      if (policy) this.planSpot(st, plan, pod, owner, before, seen);
    }

    // Pods that are gone: forget them, and close what was open about them.
    for (const id of st.samples.keys()) if (!listed.has(id)) plan.dropSamples.push(id);
    for (const id of st.seen.keys()) if (!listed.has(id)) plan.dropSeen.push(id);
    for (const [id, until] of st.exempt) if (!listed.has(id) || until <= st.now) plan.dropExempt.push(id);
    const changedKeys = new Set(plan.changed.map((c) => c.next.key));
    for (const a of st.alerts.values()) {
      const x = a.alert;
      if (!x.open || !x.pod || listed.has(x.pod.id) || changedKeys.has(x.key)) continue;
      changedKeys.add(x.key);
      plan.changed.push({
        prev: a,
        next: noted(x, st.now, 'The pod is gone (terminated).', { open: false, stage: 'gone' }),
      });
    }

    this.planLifetimes(st, plan);
    if (policy) planAccountAlerts(this.accountContext(st, ledger), plan);
    plan.ledger = ledger;

    for (const c of plan.created) report.opened.push(c);
    for (const c of plan.changed) report.changed.push(c.next);
    return plan;
  }

  private accountContext(st: ScanState, ledger: DayLedger): AccountContext {
    const month = ledger.day.slice(0, 7);
    const monthUsd =
      ledger.totalUsd +
      st.spendDays
        .filter((d) => d.day.startsWith(month) && d.day !== ledger.day)
        .reduce((s, d) => s + d.totalUsd, 0);
    const all = [...st.alerts.values()];
    return {
      now: st.now,
      policy: this.deps.policy,
      timeZone: this.deps.timeZone,
      account: st.account,
      burnPerHr: st.burnPerHr,
      todayUsd: ledger.totalUsd,
      monthUsd,
      pods: st.pods.map((pod, i) => ({ pod, owner: st.owners[i] ?? null })),
      open: (kind, subject) => this.openAlert(st, kind, subject),
      episodes: (kind, subject) =>
        all.filter((a) => a.alert.kind === kind && a.alert.subject === subject).length,
      allOpen: (kind) => all.filter((a) => a.alert.open && a.alert.kind === kind),
      newAlert: (f) => this.newAlert(st, f),
    };
  }

  private planIdle(
    st: ScanState,
    plan: Plan,
    pod: Pod,
    owner: string | null,
    verdict: IdleVerdict,
    rule: { utilBelowPercent: number; forMs: number },
    autoStopAfterMs: number | null,
  ): void {
    const open = this.openAlert(st, 'idle', pod.id);
    if (open && open.alert.kind === 'idle') {
      const a = open.alert;
      if (pod.status !== 'RUNNING') {
        const what =
          pod.status === 'EXITED' ? 'The pod was stopped.' : `The pod is ${pod.status.toLowerCase()}.`;
        plan.changed.push({
          prev: open,
          next: noted(a, st.now, what, { open: false, stage: 'stopped', pod: alertPod(pod, owner) }),
        });
        return;
      }
      if (verdict.state === 'busy') {
        plan.changed.push({
          prev: open,
          next: noted(a, st.now, 'Busy again: the GPUs are working.', {
            open: false,
            stage: 'busy',
            pod: alertPod(pod, owner),
          }),
        });
        return;
      }
      // Still idle (or unknown for a moment): refresh the numbers without a new message revision.
      const idleSinceMs = a.facts.idleSinceMs;
      const facts = { ...a.facts, idleUsd: (pod.costPerHr * (st.now - idleSinceMs)) / 3_600_000 };
      let next: Alert = { ...a, facts, pod: alertPod(pod, owner), updatedAtMs: st.now };
      let changed = false;
      if (a.snoozedUntilMs !== null && a.snoozedUntilMs <= st.now) {
        next = noted(next, st.now, 'The snooze is over and the pod is still idle.', {
          snoozedUntilMs: null,
          stage: 'warning',
        });
        changed = true;
      }
      const snoozed = next.snoozedUntilMs !== null && next.snoozedUntilMs > st.now;
      if (next.autoStopAtMs !== null && !snoozed) {
        const lead = Math.min(LAST_WARNING_MS, (autoStopAfterMs ?? LAST_WARNING_MS * 2) / 2);
        if (st.now >= next.autoStopAtMs) {
          plan.stops.push({ podId: pod.id, podName: pod.name, key: a.key, why: 'idle' });
        } else if (st.now >= next.autoStopAtMs - lead && next.stage === 'warning') {
          next = noted(
            next,
            st.now,
            `Last warning: podbay stops this pod at the time shown unless someone acts.`,
            {
              stage: 'last-warning',
            },
          );
          changed = true;
        }
      }
      if (changed || next.updatedAtMs !== a.updatedAtMs) plan.changed.push({ prev: open, next });
      return;
    }
    if (verdict.state !== 'idle' || pod.status !== 'RUNNING') return;
    const exemptUntil = st.exempt.get(pod.id);
    if (exemptUntil !== undefined && exemptUntil > st.now) return;
    const key = `idle:${pod.id}:${verdict.sinceMs}`;
    if (st.alerts.has(key)) return; // this episode was alerted (and closed by a person) already
    const alert = this.newAlert<Extract<Alert, { kind: 'idle' }>>(st, {
      kind: 'idle',
      key,
      subject: pod.id,
      stage: 'warning',
      pod: alertPod(pod, owner),
      dm: true,
      facts: {
        idleSinceMs: verdict.sinceMs,
        idleUsd: (pod.costPerHr * (st.now - verdict.sinceMs)) / 3_600_000,
        utilBelowPercent: rule.utilBelowPercent,
        forMs: rule.forMs,
      },
    });
    alert.autoStopAtMs = autoStopAfterMs !== null ? st.now + autoStopAfterMs : null;
    plan.created.push(alert);
  }

  private planStopped(
    st: ScanState,
    plan: Plan,
    pod: Pod,
    owner: string | null,
    seen: Seen,
    longerThanMs: number,
  ): void {
    const open = this.openAlert(st, 'stopped', pod.id);
    if (open && pod.status !== 'EXITED') {
      const what = isUp(pod) ? 'The pod was resumed.' : `The pod is ${pod.status.toLowerCase()}.`;
      plan.changed.push({
        prev: open,
        next: noted(open.alert, st.now, what, { open: false, stage: 'resumed' }),
      });
      return;
    }
    if (open || pod.status !== 'EXITED' || st.now - seen.sinceMs < longerThanMs) return;
    const key = `stopped:${pod.id}:${seen.sinceMs}`;
    if (st.alerts.has(key)) return; // one proposal per stopped stretch
    plan.created.push(
      this.newAlert(st, {
        kind: 'stopped',
        key,
        subject: pod.id,
        stage: 'proposed',
        pod: alertPod(pod, owner),
        dm: true,
        facts: {
          stoppedSinceMs: seen.sinceMs,
          volumeUsdPerMonth: (pod.volumeInGb ?? 0) * STOPPED_VOLUME_USD_PER_GB_MONTH,
        },
      }),
    );
  }

  private planSpot(
    st: ScanState,
    plan: Plan,
    pod: Pod,
    owner: string | null,
    before: Seen | undefined,
    seen: Seen,
  ): void {
    const open = this.openAlert(st, 'spot', pod.id);
    if (open) {
      if (pod.status === 'EXITED') return;
      const what = isUp(pod) ? 'The pod is running again.' : `The pod is ${pod.status.toLowerCase()}.`;
      plan.changed.push({
        prev: open,
        next: noted(open.alert, st.now, what, { open: false, stage: 'recovered' }),
      });
      return;
    }
    // An interruption: a spot pod that was running at the last scan and is now stopped, with no
    // stop by podbay in between (a person's stop through podbay is audited).
    if (pod.kind !== 'spot' || pod.status !== 'EXITED' || before?.status !== 'RUNNING') return;
    if (st.stoppedByPodbay.has(pod.id)) return;
    const key = `spot:${pod.id}:${seen.sinceMs}`;
    if (st.alerts.has(key)) return;
    plan.created.push(
      this.newAlert(st, {
        kind: 'spot',
        key,
        subject: pod.id,
        stage: 'interrupted',
        pod: alertPod(pod, owner),
        dm: true,
        facts: {
          interruptedAtMs: seen.sinceMs,
          minBidPerGpu: null,
          onDemandPerHr: null,
          gpuTypeId: null,
          imageName: pod.imageName,
        },
      }),
    );
  }

  private planLifetimes(st: ScanState, plan: Plan): void {
    if (st.lifetimes.length === 0) return;
    const byName = new Map(st.pods.map((p, i) => [p.name, { pod: p, owner: st.owners[i] ?? null }]));
    for (const life of st.lifetimes) {
      const found = byName.get(life.podName);
      const open = this.openAlert(st, 'lifetime', life.podName);
      if (!found) {
        // Not listed (yet): a create RunPod has not shown; forget it a day after its time.
        if (st.now - life.stopAtMs > 86_400_000) plan.dropLifetimes.push(life.podName);
        continue;
      }
      const { pod, owner } = found;
      const ap = alertPod(pod, owner);
      if (!isUp(pod)) {
        // Stopped (by its lifetime or by someone): the lifetime is used up.
        plan.dropLifetimes.push(life.podName);
        if (open && open.alert.stage !== 'stopped')
          plan.changed.push({
            prev: open,
            next: noted(open.alert, st.now, 'The pod was stopped.', {
              open: false,
              stage: 'stopped',
              pod: ap,
            }),
          });
        continue;
      }
      if (st.now >= life.stopAtMs) {
        const key = open?.alert.key ?? `lifetime:${life.podName}:${life.stopAtMs}`;
        if (!open)
          plan.created.push(
            this.lifetimeAlert(st, key, life, ap, `Lifetime reached: podbay stops this pod now.`),
          );
        plan.stops.push({ podId: pod.id, podName: pod.name, key, why: 'lifetime' });
        continue;
      }
      if (st.now < life.stopAtMs - LIFETIME_WARNING_MS || life.warnedAtMs !== null) {
        if (open && open.alert.kind === 'lifetime' && open.alert.facts.stopAtMs !== life.stopAtMs) {
          // Extended elsewhere (CLI, another message): show the new time.
          plan.changed.push({
            prev: open,
            next: {
              ...open.alert,
              facts: { stopAtMs: life.stopAtMs },
              autoStopAtMs: life.stopAtMs,
              revision: open.alert.revision + 1,
            },
          });
        }
        continue;
      }
      plan.warnedLifetimes.push(life.podName);
      const text = `This pod stops in ${formatDuration(Math.max(60_000, Math.round((life.stopAtMs - st.now) / 60_000) * 60_000))} (its lifetime).`;
      if (open && open.alert.kind === 'lifetime') {
        plan.changed.push({
          prev: open,
          next: noted({ ...open.alert, facts: { stopAtMs: life.stopAtMs } }, st.now, text, {
            stage: 'warning',
            autoStopAtMs: life.stopAtMs,
          }),
        });
      } else
        plan.created.push(
          this.lifetimeAlert(st, `lifetime:${life.podName}:${life.stopAtMs}`, life, ap, text),
        );
    }
  }

  private lifetimeAlert(st: ScanState, key: string, life: Lifetime, ap: AlertPod, text: string): Alert {
    const a = this.newAlert<Extract<Alert, { kind: 'lifetime' }>>(st, {
      kind: 'lifetime',
      key,
      subject: life.podName,
      stage: 'warning',
      pod: ap,
      dm: true,
      facts: { stopAtMs: life.stopAtMs },
    });
    a.autoStopAtMs = life.stopAtMs;
    a.notes = [{ atMs: st.now, text }];
    return a;
  }

  // ---- apply ---------------------------------------------------------------------------------

  private async apply(st: ScanState, plan: Plan, report: ScanReport): Promise<void> {
    const { store } = this.deps;
    await store.kvPutMany(SAMPLES_NS, plan.samples);
    if (plan.dropSamples.length) await store.kvDelete(SAMPLES_NS, plan.dropSamples);
    if (plan.seen.length) await store.kvPutMany(SEEN_NS, plan.seen);
    if (plan.dropSeen.length) await store.kvDelete(SEEN_NS, plan.dropSeen);
    if (plan.dropExempt.length) await store.kvDelete(EXEMPT_NS, plan.dropExempt);
    if (plan.ledger) await store.kvPut(SPEND_NS, `day:${plan.ledger.day}`, plan.ledger);

    await this.enrichSpot(plan.created);
    // Alerts first, then the lifetimes marked warned: a crash in between warns again, never never.
    for (const a of plan.created) {
      if (!(await this.alerts.create(a))) report.opened = report.opened.filter((x) => x.key !== a.key);
    }
    for (const c of plan.changed) {
      // A click may have changed it since it was read: that change wins; the next scan looks again.
      if (!(await this.alerts.replace(c.prev, c.next)))
        report.changed = report.changed.filter((x) => x.key !== c.next.key);
    }
    for (const name of plan.warnedLifetimes) {
      const r = await store.kvGet(LIFETIME_NS, name);
      if (r)
        await store.kvPut(LIFETIME_NS, name, { ...(r.value as Lifetime), warnedAtMs: st.now }, r.version);
    }
    if (plan.dropLifetimes.length) await store.kvDelete(LIFETIME_NS, plan.dropLifetimes);

    const stopping = new Map<string, Promise<string>>();
    for (const s of plan.stops) {
      let text: string;
      let stopped = false;
      try {
        const why =
          s.why === 'idle'
            ? 'idle past the policy’s auto_stop_after'
            : 'its lifetime (stop_after) was reached';
        // Idle and lifetime may both stop a pod in one scan: it is stopped once, both alerts say so.
        let once = stopping.get(s.podId);
        if (!once) {
          once = this.deps.stop(s.podId, why);
          stopping.set(s.podId, once);
          report.stops.push(s);
        }
        text = await once;
        stopped = true;
      } catch (e) {
        text = `podbay could not stop the pod: ${asPodbayError(e).userMessage} It tries again at the next scan.`;
      }
      const written = await this.alerts.update(s.key, (a) =>
        noted(a, st.now, text, stopped ? { open: false, stage: 'stopped', autoStopAtMs: null } : {}),
      );
      if (written) report.changed.push(written);
      if (stopped && s.why === 'lifetime') await store.kvDelete(LIFETIME_NS, [s.podName]);
    }
    await store.kvPut(SCAN_NS, 'last', { atMs: st.now });
    await this.alerts.prune([...st.alerts.values()], st.now);
    await this.pruneLedger(st);
  }

  /** Spot alerts show what resuming and recreating cost now: one catalog read, only when needed. */
  private async enrichSpot(created: Alert[]): Promise<void> {
    const spots = created.filter((a) => a.kind === 'spot');
    if (!spots.length) return;
    const byCount = new Map<number, GpuOffer[]>();
    for (const a of spots) {
      if (a.kind !== 'spot' || !a.pod) continue;
      const n = Math.max(1, a.pod.gpuCount);
      let offers = byCount.get(n);
      if (!offers) {
        offers = await this.deps.runpod.gpuOffers({ gpuCount: n }).catch(() => [] as GpuOffer[]);
        byCount.set(n, offers);
      }
      const gpu = a.pod.gpus.replace(/^\d+×\s*/, '').toLowerCase();
      const offer = offers.find((o) => o.displayName.toLowerCase() === gpu || o.id.toLowerCase() === gpu);
      if (!offer) continue;
      a.facts.gpuTypeId = offer.id;
      a.facts.minBidPerGpu = offer.lowest?.minimumBidPrice ?? offer.secureSpotPrice ?? null;
      const od = offer.lowest?.onDemandPrice ?? offer.securePrice ?? null;
      a.facts.onDemandPerHr = od === null ? null : od * n;
    }
  }

  private async pruneLedger(st: ScanState): Promise<void> {
    const oldest = dayKey(new Date(st.now - LEDGER_DAYS * 86_400_000), this.deps.timeZone);
    const old = st.spendDays.filter((d) => d.day < oldest).map((d) => `day:${d.day}`);
    if (old.length) await this.deps.store.kvDelete(SPEND_NS, old);
  }
}

export interface Plan {
  samples: Array<{ key: string; value: Sample[] }>;
  dropSamples: string[];
  seen: Array<{ key: string; value: Seen }>;
  dropSeen: string[];
  created: Alert[];
  changed: Array<{ prev: StoredAlert; next: Alert }>;
  stops: PlannedStop[];
  dropLifetimes: string[];
  warnedLifetimes: string[];
  dropExempt: string[];
  ledger?: DayLedger;
}
