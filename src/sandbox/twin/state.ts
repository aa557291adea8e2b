// The twin's whole world: simulated clock, account, pods, volumes, endpoints, templates and
// GPU stock. Only `advance` moves time; balance falls with time × the current spend rate.
import { BillingLedger } from './billing.ts';
import { DATA_CENTERS, initialStock, stockKey } from './datacenters.ts';
import type { AccountRecord, EndpointRecord, PodRecord, TemplateRecord, VolumeRecord } from './records.ts';
import { HEX, LOWER_ALNUM, Prng } from './prng.ts';
import { poolPricePerGpuHr, STORAGE } from './prices.ts';

export interface StateOptions {
  /** Simulated start time (epoch ms). */
  startMs: number;
  /** Seed for ids and metrics. */
  randomSeed: number;
  /** Simulated seconds a new or resumed pod spends pulling its image before `runtime` appears. */
  createToRunningDelaySec: number;
  clientBalance: number;
}

export const DEFAULT_START = Date.UTC(2026, 10, 26, 9, 0, 0);

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RunPod writes dates in status texts as JavaScript's Date#toString in UTC. */
export function runpodDate(ms: number): string {
  const d = new Date(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${d.getUTCFullYear()} ${time} GMT+0000 (Coordinated Universal Time)`;
}

export class TwinState {
  readonly options: StateOptions;
  nowMs = 0;
  prng = new Prng(1);
  account!: AccountRecord;
  pods = new Map<string, PodRecord>();
  volumes = new Map<string, VolumeRecord>();
  endpoints = new Map<string, EndpointRecord>();
  templates = new Map<string, TemplateRecord>();
  /** Free GPUs per `stockKey(gpuTypeId, dataCenterId)`. */
  stock = new Map<string, number>();
  /** What has been billed, per pod and volume per hour (REST v2 billing history). */
  readonly ledger = new BillingLedger();
  /** Hooks run after `advance` moved time (e.g. auto-stop); kept generic so pods.ts owns pod rules. */
  private readonly timedEvents: TimedEventSource[] = [];

  constructor(options: StateOptions) {
    this.options = options;
    this.reset();
  }

  /** Back to an empty account at the start time (seeding is done by the caller). */
  reset(): void {
    this.nowMs = this.options.startMs;
    this.prng = new Prng(this.options.randomSeed);
    this.pods.clear();
    this.volumes.clear();
    this.endpoints.clear();
    this.templates.clear();
    this.ledger.clear();
    this.stock = initialStock();
    this.account = {
      id: `user_${this.prng.chars(27, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
      email: 'gpu-team@example.com',
      pubKey: '',
      clientBalance: this.options.clientBalance,
      spendLimit: 80,
      notifyPodsStale: true,
      notifyPodsGeneral: true,
      notifyLowBalance: true,
      balanceExhausted: false,
    };
  }

  addTimedEvents(source: TimedEventSource): void {
    this.timedEvents.push(source);
  }

  // ---- ids -------------------------------------------------------------------------------

  /** A fresh id of `length` lowercase alphanumerics, unique within `taken`. */
  newId(length: number, taken: { has(id: string): boolean }): string {
    for (;;) {
      const id = this.prng.chars(length, LOWER_ALNUM);
      if (!taken.has(id)) return id;
    }
  }

  hex(length: number): string {
    return this.prng.chars(length, HEX);
  }

  gpuUuid(): string {
    return `GPU-${this.hex(8)}-${this.hex(4)}-${this.hex(4)}-${this.hex(4)}-${this.hex(12)}`;
  }

  // ---- stock -----------------------------------------------------------------------------

  freeGpus(gpuTypeId: string, dataCenterId: string): number {
    return this.stock.get(stockKey(gpuTypeId, dataCenterId)) ?? 0;
  }

  /** Whether a GPU type is offered in a data center at all (present in the stock table). */
  offers(gpuTypeId: string, dataCenterId: string): boolean {
    return this.stock.has(stockKey(gpuTypeId, dataCenterId));
  }

  takeGpus(gpuTypeId: string, dataCenterId: string, count: number): void {
    this.stock.set(
      stockKey(gpuTypeId, dataCenterId),
      Math.max(0, this.freeGpus(gpuTypeId, dataCenterId) - count),
    );
  }

  returnGpus(gpuTypeId: string, dataCenterId: string, count: number): void {
    this.stock.set(stockKey(gpuTypeId, dataCenterId), this.freeGpus(gpuTypeId, dataCenterId) + count);
  }

  /** Sets free GPUs of a type in one data center, or in every site that offers it when none is given. */
  setStock(gpuTypeId: string, count: number, dataCenterId?: string): void {
    const n = Math.max(0, Math.floor(count));
    if (dataCenterId !== undefined) {
      this.stock.set(stockKey(gpuTypeId, dataCenterId), n);
      return;
    }
    let any = false;
    for (const d of DATA_CENTERS) {
      const key = stockKey(gpuTypeId, d.id);
      if (this.stock.has(key)) {
        this.stock.set(key, n);
        any = true;
      }
    }
    // Not offered anywhere yet: put it in the first listed site.
    const first = DATA_CENTERS[0];
    if (!any && first) this.stock.set(stockKey(gpuTypeId, first.id), n);
  }

  /** GPUs of a type our own pods hold in a data center (for rentedCount). */
  rentedByUs(gpuTypeId: string, dataCenterId?: string): number {
    let n = 0;
    for (const p of this.pods.values()) {
      if (
        p.holdsStock &&
        p.gpuTypeId === gpuTypeId &&
        (dataCenterId === undefined || p.dataCenterId === dataCenterId)
      )
        n += p.gpuCount;
    }
    return n;
  }

  // ---- money -----------------------------------------------------------------------------

  /** USD/hour now: running pods, stopped pods' volume disks, network volumes, active serverless workers. */
  spendPerHr(): number {
    let perHr = 0;
    const month = STORAGE.hoursPerMonth;
    for (const p of this.pods.values()) {
      if (p.desiredStatus === 'RUNNING') perHr += p.pricePerGpu * p.gpuCount;
      else perHr += (p.volumeInGb * STORAGE.stoppedVolumePerGbMonth) / month;
    }
    for (const v of this.volumes.values()) perHr += networkVolumeMonthly(v.size) / month;
    for (const e of this.endpoints.values()) {
      if (e.workersMin <= 0) continue;
      const pool = (e.gpuIds ?? '').split(',')[0]?.trim() ?? '';
      perHr += e.workersMin * e.gpuCount * poolPricePerGpuHr(pool);
    }
    return perHr;
  }

  /**
   * Moves simulated time forward. Billing accrues at the rate in force between events; timed
   * events (auto-stop/terminate, balance running out) happen at their own moment on the way.
   */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new Error('advance takes a number of seconds >= 0');
    const target = this.nowMs + seconds * 1000;
    for (let guard = 0; guard < 100_000; guard++) {
      const rate = this.spendPerHr();
      let next = target;
      for (const src of this.timedEvents) {
        const t = src.nextEventMs(this);
        if (t !== null && t < next) next = Math.max(t, this.nowMs);
      }
      const running = this.hasRunningPods();
      // When the balance reaches zero, running pods stop (at once if it is already spent).
      const zeroAt =
        rate > 0 && running
          ? this.nowMs + (Math.max(0, this.account.clientBalance) / rate) * 3_600_000
          : null;
      const balanceEvent = zeroAt !== null && zeroAt <= next;
      if (balanceEvent && zeroAt !== null) next = zeroAt;
      this.account.clientBalance -= (rate * (next - this.nowMs)) / 3_600_000;
      this.ledger.accrue(this, this.nowMs, next);
      this.nowMs = next;
      if (balanceEvent) {
        this.account.clientBalance = Math.min(0, this.account.clientBalance);
        for (const src of this.timedEvents) src.onBalanceExhausted(this);
        this.account.balanceExhausted = true;
      }
      for (const src of this.timedEvents) src.fire(this);
      if (this.nowMs >= target) return;
    }
  }

  hasRunningPods(): boolean {
    for (const p of this.pods.values()) if (p.desiredStatus === 'RUNNING') return true;
    return false;
  }

  /** Simulated `now` as a Date. */
  now(): Date {
    return new Date(this.nowMs);
  }
}

export interface TimedEventSource {
  /** The earliest pending event time (ms), or null. */
  nextEventMs(state: TwinState): number | null;
  /** Apply every event due at or before `state.nowMs`. */
  fire(state: TwinState): void;
  onBalanceExhausted(state: TwinState): void;
}

/** Network volumes: $0.07/GB/month up to 1 TB, $0.05/GB/month for the part above. */
export function networkVolumeMonthly(sizeGb: number): number {
  const small = Math.min(sizeGb, 1000);
  const large = Math.max(0, sizeGb - 1000);
  return small * STORAGE.networkVolumePerGbMonth + large * STORAGE.networkVolumeLargePerGbMonth;
}
