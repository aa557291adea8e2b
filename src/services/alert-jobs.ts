// The scheduler's jobs as plain functions of `now`: a scan then delivery, and the daily digest.
// A lease in the store lets one podbay process on a database run them (the others stand by and
// take over when the holder's lease runs out), so two replicas never post the same alert twice.
import type { Logger } from '../logger.ts';
import type { AlertDelivery } from './alert-delivery.ts';
import type { AlertScan, ScanReport } from './alert-scan.ts';
import { SCAN_NS, SPEND_NS } from './alert-scan.ts';
import { buildDigest, type DayLedger } from './digest.ts';
import { matchOwners } from './ownership.ts';
import type { RunpodApi, Store } from './ports.ts';
import { dayKey } from './zoned-time.ts';

export const ALERT_LEASE = 'scheduler';
/** Short enough that a takeover after a crash comes before the idle samples' gap limit (3 min). */
export const DEFAULT_LEASE_MS = 30_000;
/** Margin kept before the lease's end, for the time the store takes to answer and clock drift. */
const LEASE_SAFETY_MS = 5_000;

export interface AlertJobsDeps {
  scan: AlertScan;
  delivery: AlertDelivery;
  store: Store;
  runpod: RunpodApi;
  logger: Logger;
  timeZone: string;
  /** This process, in the lease (unique per process). */
  holder: string;
  /** Monotonic milliseconds (default performance.now); tests pause time with it. */
  monotonic?: () => number;
  /** How long a lease lasts without renewal (default 30 s; the scheduler renews it every third of that). */
  leaseMs?: number;
}

export class AlertJobs {
  private readonly leaseMs: number;
  private leader = false;
  /** Until when (monotonic ms) this process may act as the holder: before the lease could expire. */
  private validUntil = 0;
  private readonly monotonic: () => number;

  constructor(private readonly deps: AlertJobsDeps) {
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
    this.monotonic = deps.monotonic ?? (() => performance.now());
  }

  /** How often the scheduler renews the lease between scans. */
  get heartbeatMs(): number {
    return Math.max(1000, Math.floor(this.leaseMs / 3));
  }

  /**
   * Whether this process holds the lease now. It counts only until shortly before the lease could
   * run out, measured on the monotonic clock from before it was taken: after a long pause (a GC,
   * a stalled network) this process stops posting before another one may take over.
   */
  get isLeader(): boolean {
    return this.leader && this.monotonic() < this.validUntil;
  }

  async lead(now: Date): Promise<boolean> {
    const asked = this.monotonic();
    this.leader = await this.deps.store.acquireLease(
      ALERT_LEASE,
      this.deps.holder,
      now.getTime(),
      this.leaseMs,
    );
    if (this.leader) this.validUntil = asked + this.leaseMs - LEASE_SAFETY_MS;
    return this.isLeader;
  }

  /** One scan and delivery, when this process holds the lease; null when another one does. */
  async tick(now: Date): Promise<ScanReport | null> {
    if (!(await this.lead(now))) return null;
    const report = await this.deps.scan.scan(now);
    // A scan slower than the lease's margin would post on a lease that may be gone: renew first.
    if (await this.lead(now)) await this.deps.delivery.flush();
    return report;
  }

  /** The digest for `now`'s day, posted once (a restart on the same day does not post it again). */
  async digest(now: Date): Promise<boolean> {
    const alerts = this.deps.scan.policy.alerts;
    if (!alerts || !(await this.lead(now))) return false;
    const day = dayKey(now, this.deps.timeZone);
    if ((await this.deps.store.kvPut(SCAN_NS, `digest:${day}`, { atMs: now.getTime() }, null)) === null)
      return false;
    const [days, pods, records] = await Promise.all([
      this.deps.store.kvList(SPEND_NS),
      this.deps.runpod.listPods(),
      this.deps.store.listPodOwnerships(),
    ]);
    const owners = matchOwners(pods, records);
    const running = pods
      .map((p, i) => ({ p, owner: owners[i]?.record?.userId ?? null }))
      .filter(({ p }) => p.status === 'RUNNING' && p.runtime)
      .map(({ p, owner }) => ({
        id: p.id,
        name: p.name,
        owner,
        uptimeSeconds: p.runtime?.uptimeSeconds ?? 0,
        costPerHr: p.costPerHr,
      }));
    const model = buildDigest({
      days: days.filter((r) => r.key.startsWith('day:')).map((r) => r.value as DayLedger),
      running,
      now,
      timeZone: this.deps.timeZone,
    });
    return this.deps.delivery.digest(alerts.digestChannel, model);
  }

  async release(): Promise<void> {
    if (this.leader) await this.deps.store.releaseLease(ALERT_LEASE, this.deps.holder).catch(() => undefined);
    this.leader = false;
  }
}
