// /gpu serverless: the pool that fits, per-second prices, and the monthly cost at a stated load.
import { describe, expect, it } from 'vitest';
import { flexDay, readLoad, SERVERLESS_POOLS, serverlessAnswer } from '../../src/catalog/serverless.ts';

// Pool budgets (0.95 × the smallest member's usable memory): AMPERE_16 15.2, AMPERE_24 21.4 (L4), ADA_24 22.8,
// AMPERE_48 / ADA_48_PRO 42.7 (A40 / L40), AMPERE_80 76.0, ADA_80_PRO 75.7, HOPPER_141 133.4 GiB.
type Case = [
  q: string,
  pool: string | 'refuse' | 'clarify',
  perWorker?: number,
  load?: Partial<{ rpd: number; s: number; idle: number; min: number; tokens: number }>,
];
const CASES: Case[] = [
  // 8B BF16 17.5 GiB: the 24 GB pool ($0.00019/s) beats 2 × 16 GB ($0.00032/s per worker).
  ['llama 3.1 8b 2000 requests/day 3 s each', 'AMPERE_24', 1, { rpd: 2000, s: 3 }],
  ['llama 3.1 8b, 2k requests per day, 3 sec per request', 'AMPERE_24', 1, { rpd: 2000, s: 3 }],
  ['mistral 7b 100 req/hour 2s each', 'AMPERE_24', 1, { rpd: 2400, s: 2 }],
  ['qwen2.5 7b 50 requests a day', 'AMPERE_24', 1, { rpd: 50 }],
  // Mistral 7B AWQ 4.6 + 1 + 1.5 = 7.1 GiB fits the cheapest pool.
  ['mistral 7b awq 1000 requests/day 2 s each', 'AMPERE_16', 1, { rpd: 1000, s: 2 }],
  ['gemma 3 4b 300 calls per day', 'AMPERE_16', 1, { rpd: 300 }],
  // 70B AWQ 42.0 GiB fits the 48 GB pools (A40 42.7); the cheaper of them is AMPERE_48.
  ['70b awq 200 requests/day 8 s each', 'AMPERE_48', 1, { rpd: 200, s: 8 }],
  [
    'llama 3.3 70b awq, 500 requests per day, 10 s each, idle timeout 30s',
    'AMPERE_48',
    1,
    { rpd: 500, s: 10, idle: 30 },
  ],
  // 70B FP8 72.7 GiB: 2 × 48 GB per worker ($0.00068/s) undercuts one A100 ($0.00076/s) and 4 × 24 GB ($0.00076/s).
  ['llama 3.3 70b fp8 1000 requests/day 5 s each', 'AMPERE_48', 2, { rpd: 1000, s: 5 }],
  // Qwen2.5-32B BF16 65.5 GiB: 2 × 48 GB per worker (34.0 each, $0.00068/s) before one A100 ($0.00076/s).
  ['qwen2.5 32b 3000 requests/day 4 s each', 'AMPERE_48', 2, { rpd: 3000, s: 4 }],
  ['gpt-oss-120b 10k requests a day 2 s each', 'AMPERE_48', 2, { rpd: 10000, s: 2 }],
  ['gpt-oss 20b 500 requests/day', 'AMPERE_16', 1, { rpd: 500 }],
  // SDXL 6.5 GiB + activations: the 16 GB pool.
  ['sdxl 300 images per day 4 s each', 'AMPERE_16', 1, { rpd: 300, s: 4 }],
  ['whisper large v3 2000 jobs/day 20 s each', 'AMPERE_16', 1, { rpd: 2000, s: 20 }],
  ['bge-large embeddings 100k requests/day 0.1 s each', 'AMPERE_16', 1, { rpd: 100000, s: 0.1 }],
  ['llama 3.1 8b 2000 requests/day 3 s each, 1 active worker', 'AMPERE_24', 1, { min: 1 }],
  ['llama 3.1 8b, 5000 requests/day, workers-min=2', 'AMPERE_24', 1, { rpd: 5000, min: 2 }],
  ['llama 3.1 8b 1000 requests/day, 300 tokens per request', 'AMPERE_24', 1, { tokens: 300 }],
  // Mixtral 8x7B BF16 90.5 GiB: 4 × 48 GB ($0.00136/s) < 2 × A100 ($0.00152/s) < one H200 ($0.00155/s).
  ['mixtral 8x7b 1000 requests/day 5 s each', 'AMPERE_48', 4, { rpd: 1000, s: 5 }],
  // As people type them: Slack bold, typos, "@ 8s", per-minute rates.
  ['*llama 3.1 8b* ~2k req/day, 3s each', 'AMPERE_24', 1, { rpd: 2000, s: 3 }],
  ['mistrl 7b serverless, 500 requests a day', 'AMPERE_24', 1, { rpd: 500 }],
  ['70b awq: 200 req per day @ 8s', 'AMPERE_48', 1, { rpd: 200, s: 8 }],
  // 10 a minute = 14,400 a day.
  ['qwen 2.5 7b 10 requests per minute', 'AMPERE_24', 1, { rpd: 14400 }],
  ['gpt-oss 20b, 1000 calls/day, idle 60s', 'AMPERE_16', 1, { rpd: 1000, idle: 60 }],
  // R1 FP8 627 GiB needs more than 4 GPUs of any pool.
  ['deepseek r1 1000 requests/day', 'refuse'],
  ['serverless for 5000 requests a day', 'clarify'],
];

describe('serverless answers', () => {
  it('has at least 20 questions', () => expect(CASES.length).toBeGreaterThanOrEqual(20));
  for (const [q, pool, perWorker, load] of CASES) {
    it(`[serverless] ${q}`, () => {
      const a = serverlessAnswer(q);
      if (pool === 'refuse' || pool === 'clarify') {
        expect(a.status).toBe(pool);
        return;
      }
      expect(a.status, a.headline).toBe('ok');
      expect(a.options[0]!.poolId).toBe(pool);
      expect(a.options[0]!.gpusPerWorker).toBe(perWorker);
      if (load?.rpd !== undefined) expect(a.load.requestsPerDay).toBeCloseTo(load.rpd, 6);
      if (load?.s !== undefined) expect(a.load.secondsPerRequest).toBe(load.s);
      if (load?.idle !== undefined) expect(a.load.idleTimeoutSec).toBe(load.idle);
      if (load?.min !== undefined) expect(a.load.minWorkers).toBe(load.min);
      if (load?.tokens !== undefined) expect(a.load.outputTokens).toBe(load.tokens);
      // Ranked by monthly cost; the button's prefill matches option 1.
      for (let i = 1; i < a.options.length; i++)
        expect(a.options[i]!.usdPerMonth).toBeGreaterThanOrEqual(a.options[i - 1]!.usdPerMonth);
      expect(a.options[0]!.endpoint.gpuPoolIds).toEqual([pool]);
      expect(a.options[0]!.endpoint.workersMin).toBe(a.load.minWorkers);
    });
  }
});

describe('the cost arithmetic, by hand', () => {
  it('2000 requests/day × 3 s, idle 5 s, 20 s cold start, no active workers', () => {
    // λ = 2000/86400 = 0.02315/s; e^(−5λ) = 0.8907 → 1781 cold starts; idle tail (1 − 0.8907)/λ = 4.72 s.
    // Billed: 6000 + 2000 × 4.72 + 1781 × 20 = 51,066 s/day.
    const { load } = readLoad('2000 requests/day 3 s each');
    const d = flexDay(load, 3, 20);
    expect(d.coldStarts).toBeCloseTo(1781.4, 0);
    expect(d.flexSeconds).toBeGreaterThan(51000);
    expect(d.flexSeconds).toBeLessThan(51100);
  });

  it('an active worker absorbs traffic up to 70 % busy: none left for flex workers', () => {
    const { load } = readLoad('10000 requests/day 5 s each 1 active worker');
    // Busy 50,000 s/day ≤ 0.7 × 86,400 = 60,480.
    expect(flexDay(load, 5, 20)).toEqual({ flexSeconds: 0, coldStarts: 0 });
  });

  it('monthly cost = billed seconds × GPUs × $/s × 30.4, plus active workers × $/s × 730 h', () => {
    const a = serverlessAnswer('llama 3.1 8b 2000 requests/day 3 s each, 1 active worker');
    const o = a.options[0]!;
    const pool = SERVERLESS_POOLS.find((p) => p.id === o.poolId)!;
    // One active worker: 0.00013 $/s × 3600 × 730 = $341.64; its 6000 busy s/day fit in it, so flex is $0.
    expect(o.activeUsdPerMonth).toBeCloseTo(pool.activeUsdPerSec * 3600 * 730, 2);
    expect(o.flexUsdPerMonth).toBe(0);
    expect(o.usdPerMonth).toBeCloseTo(341.64, 2);
  });

  it('a live pool price replaces the offline flex price and is labelled live', () => {
    const a = serverlessAnswer('llama 3.1 8b 2000 requests/day 3 s each', {
      prices: [{ poolId: 'AMPERE_24', usdPerGpuHr: 0.36 }],
      fetchedAt: '2026-12-01T00:00:00Z',
    });
    const o = a.options.find((x) => x.poolId === 'AMPERE_24')!;
    expect(o.priceSource).toBe('live');
    expect(o.flexUsdPerSec).toBeCloseTo(0.0001, 8);
    expect(a.priceSource).toMatch(/live RunPod catalog/);
  });

  it('output tokens set the time per request from the decode estimate', () => {
    const a = serverlessAnswer('llama 3.1 8b 1000 requests/day, 300 tokens per request');
    // L4 (the pool's slowest card, 300 GB/s): (16.06 GB + 1.07 GB KV) / (0.7 × 300 GB/s) = 81.6 ms per token.
    expect(a.options[0]!.secondsPerRequest).toBeCloseTo(300 * 0.0816, 0);
  });
});
