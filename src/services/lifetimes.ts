// Pod lifetimes podbay enforces itself (RunPod's stopAfter exists only in GraphQL and is an absolute
// time): a pod created with one is stopped at that time by the scan, after a warning 15 minutes
// before that carries Extend buttons. Kept by pod name, which is known before RunPod answers.
import { PodbayError } from './errors.ts';
import type { Clock, Store } from './ports.ts';
import { formatDuration, parseDuration } from './policy-units.ts';

export const LIFETIME_NS = 'lifetime';
/** How long before the stop the warning comes. */
export const LIFETIME_WARNING_MS = 15 * 60_000;
/** Longest lifetime podbay accepts (a longer one is a typo, or no lifetime at all). */
export const MAX_LIFETIME_MS = 30 * 86_400_000;
/** Shortest: below this the warning would come before the pod is up. */
export const MIN_LIFETIME_MS = 15 * 60_000;

export interface Lifetime {
  podName: string;
  /** When podbay stops the pod (ms since the epoch). */
  stopAtMs: number;
  /** Who set it (user id), or "policy" for a role default. */
  setBy: string;
  /** When the 15-minute warning went out; null until then (reset by an extension). */
  warnedAtMs: number | null;
}

/** "8h" → ms, checked against the limits; INVALID_REQUEST with what is accepted otherwise. */
export function parseLifetime(text: string): number {
  const ms = parseDuration(text);
  if (ms === null)
    throw new PodbayError(
      'INVALID_REQUEST',
      `stop_after "${text}" is not a duration; write e.g. 90m, 8h or 2d.`,
    );
  if (ms < MIN_LIFETIME_MS || ms > MAX_LIFETIME_MS)
    throw new PodbayError(
      'INVALID_REQUEST',
      `stop_after is between ${formatDuration(MIN_LIFETIME_MS)} and ${formatDuration(MAX_LIFETIME_MS)}; "${text}" is not.`,
    );
  return ms;
}

export class LifetimeService {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  /** Records that `podName` stops `ms` from now. */
  async set(podName: string, ms: number, setBy: string): Promise<Lifetime> {
    const life: Lifetime = {
      podName,
      stopAtMs: this.deps.clock.now().getTime() + ms,
      setBy,
      warnedAtMs: null,
    };
    await this.deps.store.kvPut(LIFETIME_NS, podName, life);
    return life;
  }

  async get(podName: string): Promise<Lifetime | null> {
    const r = await this.deps.store.kvGet(LIFETIME_NS, podName);
    return r ? (r.value as Lifetime) : null;
  }

  async list(): Promise<Lifetime[]> {
    return (await this.deps.store.kvList(LIFETIME_NS)).map((r) => r.value as Lifetime);
  }

  /** Moves the stop `ms` later than it is now (or than now, if it already passed); clears the warning. */
  async extend(podName: string, ms: number, by: string): Promise<Lifetime | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const r = await this.deps.store.kvGet(LIFETIME_NS, podName);
      if (!r) return null;
      const cur = r.value as Lifetime;
      const base = Math.max(cur.stopAtMs, this.deps.clock.now().getTime());
      const next: Lifetime = { ...cur, stopAtMs: base + ms, setBy: by, warnedAtMs: null };
      if ((await this.deps.store.kvPut(LIFETIME_NS, podName, next, r.version)) !== null) return next;
    }
    throw new PodbayError('CONFLICT', 'The lifetime changed while it was being extended; click again.');
  }
}
