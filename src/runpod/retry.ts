// Retry for reads: jittered exponential backoff that honours Retry-After, bounded by a time
// budget. Written here rather than with p-retry because the wait must follow the server's
// Retry-After and stop when the budget would be overrun, and mutations must never come here blindly.
import { PodbayError } from '../services/errors.ts';

export interface RetryPolicy {
  /** Total time, in ms, the retries may take (waits included). */
  budgetMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
  /** Injectable for tests. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  nowMs: () => number;
}

export const defaultRetryPolicy = (budgetMs: number): RetryPolicy => ({
  budgetMs,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxAttempts: 8,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  random: Math.random,
  nowMs: () => performance.now(),
});

/** Delay before attempt `attempt + 1` (attempt counts from 0): full jitter, never below Retry-After. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, err: PodbayError): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = ceiling / 2 + policy.random() * (ceiling / 2);
  const serverAsked = err.retryAfterSec !== undefined ? err.retryAfterSec * 1000 : 0;
  return Math.max(jittered, serverAsked);
}

export async function withRetry<T>(policy: RetryPolicy, op: () => Promise<T>): Promise<T> {
  const started = policy.nowMs();
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (!(e instanceof PodbayError) || !e.retryable) throw e;
      if (attempt + 1 >= policy.maxAttempts) throw e;
      const delay = backoffDelayMs(policy, attempt, e);
      const spent = policy.nowMs() - started;
      if (spent + delay > policy.budgetMs) throw e;
      await policy.sleep(delay);
    }
  }
}
