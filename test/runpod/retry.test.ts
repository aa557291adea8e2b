import { describe, expect, it } from 'vitest';
import { rateLimited, unavailable } from '../../src/runpod/errors.ts';
import { backoffDelayMs, type RetryPolicy, withRetry } from '../../src/runpod/retry.ts';
import { PodbayError } from '../../src/services/errors.ts';

/** A policy on a virtual clock: sleeping moves time forward, nothing waits. */
function virtualPolicy(over: Partial<RetryPolicy> = {}) {
  let now = 0;
  const sleeps: number[] = [];
  const policy: RetryPolicy = {
    budgetMs: 10_000,
    baseDelayMs: 100,
    maxDelayMs: 2_000,
    maxAttempts: 6,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    nowMs: () => now,
    ...over,
  };
  return { policy, sleeps };
}

describe('read retry policy', () => {
  it('retries transient errors with growing, jittered delays and then succeeds', async () => {
    const { policy, sleeps } = virtualPolicy();
    let calls = 0;
    const out = await withRetry(policy, async () => {
      calls++;
      if (calls < 4) throw unavailable('HTTP 503');
      return 'ok';
    });
    expect(out).toBe('ok');
    expect(calls).toBe(4);
    expect(sleeps).toEqual([75, 150, 300]); // ceiling/2 + 0.5 × ceiling/2
  });

  it('honours Retry-After when it asks for longer than the backoff', async () => {
    const { policy, sleeps } = virtualPolicy();
    let calls = 0;
    await withRetry(policy, async () => {
      if (calls++ === 0) throw rateLimited(3);
      return 1;
    });
    expect(sleeps).toEqual([3000]);
  });

  it('gives up with the last typed error when the next wait would overrun the budget', async () => {
    const { policy, sleeps } = virtualPolicy({ budgetMs: 500 });
    let calls = 0;
    const err = await withRetry(policy, async () => {
      calls++;
      throw unavailable('HTTP 502');
    }).catch((e) => e);
    expect(err).toBeInstanceOf(PodbayError);
    expect(err.code).toBe('RUNPOD_UNAVAILABLE');
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(500);
    expect(calls).toBe(sleeps.length + 1);
  });

  it('does not retry errors that are not transient', async () => {
    const { policy } = virtualPolicy();
    let calls = 0;
    await expect(
      withRetry(policy, async () => {
        calls++;
        throw new PodbayError('INVALID_REQUEST', 'bad');
      }),
    ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(calls).toBe(1);
  });

  it('stops after maxAttempts', async () => {
    const { policy } = virtualPolicy({ maxAttempts: 3, budgetMs: 1e9 });
    let calls = 0;
    await expect(
      withRetry(policy, async () => {
        calls++;
        throw unavailable('x');
      }),
    ).rejects.toBeInstanceOf(PodbayError);
    expect(calls).toBe(3);
  });

  it('caps the delay and keeps jitter within [ceiling/2, ceiling]', () => {
    for (const r of [0, 0.25, 0.999]) {
      const { policy } = virtualPolicy({ random: () => r });
      const d = backoffDelayMs(policy, 20, unavailable('x'));
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
});
