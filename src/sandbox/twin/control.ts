// The twin's control surface: what a test (in process) or a person (over HTTP) uses to move
// the clock, break things and look inside. Never part of RunPod's API.
import type { FailNextOptions, FaultInjector, FaultKind, FaultsConfig } from './faults.ts';
import { MSG, TwinApiError } from './messages.ts';
import { interruptSpot, podCostPerHr } from './pods.ts';
import type { PodRecord } from './records.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';
import { seedPods } from './seed.ts';
import type { TwinState } from './state.ts';
import type { TwinStats, TwinStatsSnapshot } from './stats.ts';

export interface PodSummary {
  id: string;
  name: string;
  desiredStatus: string;
  podType: string;
  gpuTypeId: string;
  gpuCount: number;
  dataCenterId: string;
  costPerHr: number;
  scenario: Scenario;
  /** RUNNING but the image is still pulling (runtime null). */
  pulling: boolean;
}

export interface TwinSummary {
  now: string;
  realtime: { enabled: boolean; speed: number };
  account: {
    id: string;
    email: string;
    clientBalance: number;
    currentSpendPerHr: number;
    spendLimit: number;
  };
  podCount: number;
  /** The first 200 pods. */
  pods: PodSummary[];
  volumes: number;
  endpoints: number;
  templates: number;
}

interface ControlDeps {
  state: TwinState;
  faults: FaultInjector;
  stats: TwinStats;
  /** Puts the world back as the twin started (state, seed data, faults, stats). */
  reset: () => void;
}

export class TwinControl {
  private timer: ReturnType<typeof setInterval> | undefined;
  private speed = 1;

  constructor(private readonly deps: ControlDeps) {}

  get state(): TwinState {
    return this.deps.state;
  }

  now(): Date {
    return this.deps.state.now();
  }

  /** Moves simulated time forward (billing, image pulls, metrics, auto-stop follow). */
  advance(seconds: number): Date {
    this.deps.state.advance(seconds);
    return this.now();
  }

  /**
   * Realtime mode: simulated time follows the wall clock (× speed), for the interactive
   * sandbox and `podbay twin`. The timer does not keep the process alive on its own.
   */
  setRealtime(enabled: boolean, speed = 1, tickMs = 1000): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!enabled) return;
    if (!(speed > 0)) throw new Error('speed must be > 0');
    this.speed = speed;
    let last = performance.now();
    this.timer = setInterval(() => {
      const t = performance.now();
      this.deps.state.advance(((t - last) / 1000) * this.speed);
      last = t;
    }, tickMs);
    this.timer.unref();
  }

  get realtime(): { enabled: boolean; speed: number } {
    return { enabled: this.timer !== undefined, speed: this.speed };
  }

  interruptSpot(podId: string): void {
    interruptSpot(this.deps.state, podId);
  }

  /** Free GPUs of a type: in one data center, or in every site offering it. */
  setStock(gpuTypeId: string, count: number, dataCenterId?: string): void {
    this.deps.state.setStock(gpuTypeId, count, dataCenterId);
  }

  /** Free GPUs of a type in one data center, or summed over all. */
  stock(gpuTypeId: string, dataCenterId?: string): number {
    const s = this.deps.state;
    if (dataCenterId !== undefined) return s.freeGpus(gpuTypeId, dataCenterId);
    let n = 0;
    for (const [key, free] of s.stock) if (key.startsWith(`${gpuTypeId}|`)) n += free;
    return n;
  }

  setScenario(podId: string, scenario: Scenario): void {
    if (!SCENARIOS.includes(scenario)) throw new Error(`scenario must be one of ${SCENARIOS.join(', ')}`);
    const pod = this.deps.state.pods.get(podId);
    if (!pod) throw new TwinApiError(MSG.podNotFound(podId));
    pod.scenario = scenario;
  }

  /** Replaces the fault rules (and restarts the seeded fault sequence). */
  setFaults(config: FaultsConfig): void {
    this.deps.faults.configure(config);
  }

  /** The next `count` calls of a root field ('*' = any) fail with `kind`. */
  failNext(operation: string, kind: FaultKind, count = 1, opts: FailNextOptions = {}): void {
    this.deps.faults.failNext(operation, kind, count, opts);
  }

  clearFaults(): void {
    this.deps.faults.clear();
  }

  faults() {
    return this.deps.faults.snapshot();
  }

  /** Adds `n` pods quickly (benchmarks); returns their ids. */
  seedPods(n: number): string[] {
    return seedPods(this.deps.state, n);
  }

  setAccount(patch: { clientBalance?: number; spendLimit?: number; email?: string }): void {
    const a = this.deps.state.account;
    if (patch.clientBalance !== undefined) {
      a.clientBalance = patch.clientBalance;
      if (patch.clientBalance > 0) a.balanceExhausted = false;
    }
    if (patch.spendLimit !== undefined) a.spendLimit = patch.spendLimit;
    if (patch.email !== undefined) a.email = patch.email;
  }

  /** A copy of the stored pod (env values included: this is the twin's own view). */
  pod(podId: string): PodRecord | null {
    const p = this.deps.state.pods.get(podId);
    return p ? structuredClone(p) : null;
  }

  podByName(name: string): PodRecord | null {
    for (const p of this.deps.state.pods.values()) if (p.name === name) return structuredClone(p);
    return null;
  }

  stats(): TwinStatsSnapshot {
    return this.deps.stats.snapshot();
  }

  resetStats(): void {
    this.deps.stats.reset();
  }

  summary(): TwinSummary {
    const s = this.deps.state;
    const pods: PodSummary[] = [];
    for (const p of s.pods.values()) {
      if (pods.length >= 200) break;
      pods.push({
        id: p.id,
        name: p.name,
        desiredStatus: p.desiredStatus,
        podType: p.podType,
        gpuTypeId: p.gpuTypeId,
        gpuCount: p.gpuCount,
        dataCenterId: p.dataCenterId,
        costPerHr: podCostPerHr(p),
        scenario: p.scenario,
        pulling: p.desiredStatus === 'RUNNING' && s.nowMs < p.readyAtMs,
      });
    }
    return {
      now: s.now().toISOString(),
      realtime: this.realtime,
      account: {
        id: s.account.id,
        email: s.account.email,
        clientBalance: Math.round(s.account.clientBalance * 10_000) / 10_000,
        currentSpendPerHr: Math.round(s.spendPerHr() * 10_000) / 10_000,
        spendLimit: s.account.spendLimit,
      },
      podCount: s.pods.size,
      pods,
      volumes: s.volumes.size,
      endpoints: s.endpoints.size,
      templates: [...s.templates.values()].filter((t) => t.owned).length,
    };
  }

  /** Back to the starting world: state and seed data, no faults, zero stats (realtime unchanged). */
  reset(): void {
    this.deps.reset();
  }

  dispose(): void {
    this.setRealtime(false);
  }
}
