// Pacing from REST v2's RateLimit / RateLimit-Policy headers (IETF structured fields, e.g.
// `"minute";r=12;t=30`): spread the requests left in a window over the time left, wait for the
// reset when none are left, and stop everything while a Retry-After runs, so a 429 rarely comes.
import { rateLimited } from '../errors.ts';

interface WindowState {
  /** Requests left in the window, counted down locally between answers. */
  remaining: number;
  /** When the window resets (ms, on the pacer's clock). */
  resetAtMs: number;
  quota: number | null;
}

export interface PacerOptions {
  nowMs?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait podbay accepts before giving up with RATE_LIMITED (a person is waiting). */
  maxWaitMs?: number;
  /** Below this share of a window's quota, requests are spread evenly over what is left of it. */
  spreadBelow?: number;
}

/** `"minute";r=12;t=30, "hour";q=3000;w=3600` → [{name, params}] (unknown parameters kept as numbers). */
export function parseStructuredList(
  header: string | null,
): { name: string; params: Record<string, number> }[] {
  if (!header) return [];
  const out: { name: string; params: Record<string, number> }[] = [];
  for (const member of header.split(',')) {
    const [rawName, ...rawParams] = member.split(';').map((x) => x.trim());
    const name = (rawName ?? '').replace(/^"|"$/g, '');
    if (!name) continue;
    const params: Record<string, number> = {};
    for (const p of rawParams) {
      const [k, v] = p.split('=');
      const n = Number(v);
      if (k && Number.isFinite(n)) params[k] = n;
    }
    out.push({ name, params });
  }
  return out;
}

export class Pacer {
  readonly #windows = new Map<string, WindowState>();
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxWaitMs: number;
  readonly #spreadBelow: number;
  #blockedUntilMs = 0;
  #nextSlotMs = 0;
  /** Total time spent waiting, for doctor and tests. */
  waitedMs = 0;
  waits = 0;

  constructor(opts: PacerOptions = {}) {
    this.#now = opts.nowMs ?? (() => performance.now());
    this.#sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#maxWaitMs = opts.maxWaitMs ?? 15_000;
    this.#spreadBelow = opts.spreadBelow ?? 0.1;
  }

  /** Waits as long as the windows ask before one more request; RATE_LIMITED when that is too long. */
  async beforeRequest(): Promise<void> {
    const now = this.#now();
    let waitUntil = Math.max(this.#blockedUntilMs, this.#nextSlotMs);
    let spacing = 0;
    for (const w of this.#windows.values()) {
      if (w.resetAtMs <= now) continue;
      if (w.remaining <= 0) waitUntil = Math.max(waitUntil, w.resetAtMs);
      else if (w.quota !== null && w.remaining < w.quota * this.#spreadBelow)
        spacing = Math.max(spacing, (w.resetAtMs - now) / w.remaining);
    }
    const wait = waitUntil - now;
    if (wait > this.#maxWaitMs) throw rateLimited(Math.ceil(wait / 1000));
    this.#nextSlotMs = Math.max(now, waitUntil) + spacing;
    for (const w of this.#windows.values()) if (w.resetAtMs > now) w.remaining -= 1;
    if (wait > 0) {
      this.waits += 1;
      this.waitedMs += wait;
      await this.#sleep(wait);
    }
  }

  /** Reads an answer's headers: the windows' state, and Retry-After (seconds) when one came. */
  observe(headers: Headers, retryAfterSec?: number): void {
    const now = this.#now();
    const policy = new Map(
      parseStructuredList(headers.get('ratelimit-policy')).map((m) => [m.name, m.params]),
    );
    for (const m of parseStructuredList(headers.get('ratelimit'))) {
      const r = m.params.r;
      const t = m.params.t;
      if (r === undefined || t === undefined) continue;
      this.#windows.set(m.name, {
        remaining: r,
        resetAtMs: now + t * 1000,
        quota: policy.get(m.name)?.q ?? null,
      });
    }
    if (retryAfterSec !== undefined)
      this.#blockedUntilMs = Math.max(this.#blockedUntilMs, now + retryAfterSec * 1000);
  }
}
