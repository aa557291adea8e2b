// REST v2's per-user request windows, on the wall clock (clients pace in real time): every
// authenticated answer carries RateLimit and RateLimit-Policy; past a quota comes a 429 with Retry-After.

export interface RateWindow {
  /** "minute", "hour", "day" (or any name, for tests). */
  name: string;
  /** Requests allowed per window. */
  quota: number;
  /** Window length in seconds. */
  seconds: number;
}

/** RunPod's documented example policy is 60/min, 3000/h, 50000/day; the twin is more generous by default. */
export const DEFAULT_WINDOWS: readonly RateWindow[] = [
  { name: 'minute', quota: 6_000, seconds: 60 },
  { name: 'hour', quota: 300_000, seconds: 3_600 },
  { name: 'day', quota: 5_000_000, seconds: 86_400 },
];

interface Counter {
  window: RateWindow;
  startedMs: number;
  used: number;
}

export class RateLimiter {
  private counters: Counter[] = [];

  constructor(
    windows: readonly RateWindow[] = DEFAULT_WINDOWS,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.configure(windows);
  }

  configure(windows: readonly RateWindow[]): void {
    const now = this.nowMs();
    this.counters = windows.map((window) => ({ window, startedMs: now, used: 0 }));
  }

  /** Counts one request; answers the headers to send and, when over quota, the seconds to wait. */
  take(): { headers: Record<string, string>; retryAfterSec: number | null } {
    const now = this.nowMs();
    let retryAfterSec: number | null = null;
    for (const c of this.counters) {
      if (now - c.startedMs >= c.window.seconds * 1000) {
        c.startedMs = now;
        c.used = 0;
      }
    }
    const over = this.counters.filter((c) => c.used >= c.window.quota);
    if (over.length) {
      retryAfterSec = Math.max(...over.map((c) => this.resetSec(c, now)));
    } else {
      for (const c of this.counters) c.used += 1;
    }
    const rl = this.counters
      .map((c) => `"${c.window.name}";r=${Math.max(0, c.window.quota - c.used)};t=${this.resetSec(c, now)}`)
      .join(', ');
    const policy = this.counters
      .map((c) => `"${c.window.name}";q=${c.window.quota};w=${c.window.seconds}`)
      .join(', ');
    return { headers: { ratelimit: rl, 'ratelimit-policy': policy }, retryAfterSec };
  }

  private resetSec(c: Counter, now: number): number {
    return Math.max(0, Math.ceil((c.startedMs + c.window.seconds * 1000 - now) / 1000));
  }
}
