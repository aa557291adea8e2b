// GpuAdvisor over an in-memory RunPod: live prices for the counts an answer needs, a TTL cache, the
// snapshot when RunPod is unreachable (and the answer says so), and the prices/stock helpers.
import { describe, expect, it } from 'vitest';
import { isPodbayError } from '../../src/services/errors.ts';
import { GpuAdvisor } from '../../src/services/gpu-advisor.ts';
import { GpuOffersFake, ManualClock, runpodDown } from '../fakes/gpu-offers-fake.ts';

const TTL = 10 * 60_000;

function setup() {
  const api = new GpuOffersFake();
  const clock = new ManualClock();
  const advisor = new GpuAdvisor(api, clock, TTL);
  return { api, clock, advisor };
}

describe('GpuAdvisor.answer', () => {
  it('fetches live prices once per GPU count the answer needs and labels them live', async () => {
    const { api, advisor } = setup();
    const a = await advisor.answer('70b awq at 32k context for 4 users');
    const counts = api.offerCalls.map((c) => c.gpuCount).sort((x, y) => x - y);
    expect(new Set(counts).size).toBe(counts.length);
    expect(counts).toContain(1);
    expect(counts).toContain(2);
    const a40 = a.options.find((o) => o.gpuName === 'A40' && o.count === 2)!;
    expect(a40.priceSource).toBe('live');
    expect(a40.onDemandUsdPerGpuHr).toBe(0.36);
    expect(a40.spotUsdPerGpuHr).toBe(0.19);
    expect(a40.stock).toBe('Medium');
    expect(a40.priceAsOf).toBe('2026-11-26T12:00:00.000Z');
    expect(a.priceSource.used).toBe('mixed');
    expect(a.priceSource.text).toMatch(/live RunPod prices \(fetched 2026-11-26T12:00:00.000Z\)/);
  });

  it('with nothing new to fetch, answer() is the very answer answerNow() gave (so Slack gets no second message)', async () => {
    const { advisor, clock } = setup();
    await advisor.answer('70b awq');
    clock.advance(1000);
    const now = advisor.answerNow('70b awq');
    expect(await advisor.answer('70b awq')).toBe(now);
    clock.advance(TTL);
    const refreshed = await advisor.answer('70b awq');
    expect(refreshed).not.toBe(now);
    expect(advisor.answerNow('70b awq')).not.toBe(now); // new prices, new answer
  });

  it('reuses cached prices within the TTL (labelled cache) and refetches after it', async () => {
    const { api, clock, advisor } = setup();
    await advisor.answer('70b awq');
    const first = api.offerCalls.length;
    clock.advance(TTL - 1000);
    const b = await advisor.answer('70b awq');
    expect(api.offerCalls.length).toBe(first);
    expect(b.options.find((o) => o.gpuName === 'A40')!.priceSource).toBe('cache');
    clock.advance(2000);
    const c = await advisor.answer('70b awq');
    expect(api.offerCalls.length).toBeGreaterThan(first);
    expect(c.options.find((o) => o.gpuName === 'A40')!.priceSource).toBe('live');
  });

  it('treats a GPU RunPod lists at $0 as not offered and keeps the snapshot price', async () => {
    const { advisor } = setup();
    const a = await advisor.answer('70b awq');
    const l40s = a.options.find((o) => o.gpuName === 'L40S')!;
    expect(l40s.priceSource).toBe('snapshot');
    expect(l40s.stock).toBe('None');
  });

  it('falls back to the snapshot when RunPod fails, and says so', async () => {
    const { api, advisor } = setup();
    api.failWith = runpodDown();
    const a = await advisor.answer('70b awq');
    expect(a.status).toBe('ok');
    expect(a.options[0]!.priceSource).toBe('snapshot');
    expect(a.priceSource.liveProblem).toMatch(/RunPod is not answering right now/);
    expect(a.priceSource.text).toMatch(/Live prices unavailable/);
    expect(a.priceSource.text).toMatch(/snapshot/);
  });

  it('falls back to stale cached prices before the snapshot when RunPod fails', async () => {
    const { api, clock, advisor } = setup();
    await advisor.answer('70b awq');
    clock.advance(TTL * 3);
    api.failWith = runpodDown();
    const a = await advisor.answer('70b awq');
    expect(a.options.find((o) => o.gpuName === 'A40')!.priceSource).toBe('cache');
    expect(a.priceSource.liveProblem).toMatch(/cached RunPod prices/);
  });

  it('drops cached prices older than the stale limit', async () => {
    const api = new GpuOffersFake();
    const clock = new ManualClock();
    const advisor = new GpuAdvisor(api, clock, TTL, { maxStaleMs: 60 * 60_000 });
    await advisor.answer('70b awq');
    clock.advance(2 * 60 * 60_000);
    const a = advisor.answerNow('70b awq');
    expect(a.options.every((o) => o.priceSource === 'snapshot' || o.priceSource === 'none')).toBe(true);
  });

  it('shares one in-flight fetch between concurrent answers', async () => {
    const { api, advisor } = setup();
    await Promise.all([advisor.answer('70b awq'), advisor.answer('70b awq'), advisor.answer('70b awq')]);
    const ones = api.offerCalls.filter((c) => c.gpuCount === 1).length;
    expect(ones).toBe(1);
  });

  it('does not call RunPod for questions it clarifies or refuses', async () => {
    const { api, advisor } = setup();
    expect((await advisor.answer('GPT-4o')).status).toBe('refuse');
    expect((await advisor.answer('llama')).status).toBe('clarify');
    expect(api.offerCalls).toHaveLength(0);
  });

  it('logs a fallback without the error text', async () => {
    const warnings: unknown[] = [];
    const api = new GpuOffersFake();
    api.failWith = runpodDown();
    const advisor = new GpuAdvisor(api, new ManualClock(), TTL, {
      logger: { warn: (obj: unknown) => void warnings.push(obj) } as never,
    });
    await advisor.answer('70b awq');
    expect(warnings).toContainEqual({ call: 'gpuOffers', code: 'RUNPOD_UNAVAILABLE' });
  });
});

describe('GpuAdvisor.answerNow', () => {
  it('answers synchronously from the snapshot before any fetch, with no network call', () => {
    const { api, advisor } = setup();
    const a = advisor.answerNow('70b awq');
    expect(a.options[0]!.gpuName).toBe('RTX A6000');
    expect(a.options[0]!.priceSource).toBe('snapshot');
    expect(api.offerCalls).toHaveLength(0);
  });

  it('uses what answer() cached, labelled as cache', async () => {
    const { api, advisor } = setup();
    await advisor.answer('70b awq');
    const calls = api.offerCalls.length;
    const a = advisor.answerNow('70b awq');
    expect(api.offerCalls.length).toBe(calls);
    expect(a.options.find((o) => o.gpuName === 'RTX A6000')!.priceSource).toBe('cache');
    expect(a.priceSource.text).toMatch(/cached at 2026-11-26T12:00:00.000Z/);
  });

  it('works without a RunPod client at all', async () => {
    const advisor = new GpuAdvisor(null, new ManualClock(), TTL);
    expect(advisor.answerNow('mistral 7b').options[0]!.priceSource).toBe('snapshot');
    expect((await advisor.answer('mistral 7b')).options[0]!.priceSource).toBe('snapshot');
  });
});

describe('GpuAdvisor.prices and stock', () => {
  it('lists prices, live where RunPod has them', async () => {
    const { advisor } = setup();
    const p = await advisor.prices();
    const a6000 = p.rows.find((r) => r.gpuName === 'RTX A6000')!;
    expect(a6000).toMatchObject({
      onDemandUsdPerGpuHr: 0.33,
      onDemandCloud: 'COMMUNITY',
      priceSource: 'live',
    });
    expect(p.rows.find((r) => r.gpuName === 'RTX 4090')!.priceSource).toBe('snapshot');
    expect(p.text).toMatch(/RTX A6000 .*\$0\.33\/h community/);
    expect(p.source).toMatch(/live RunPod prices/);
    expect(p.source).toMatch(/snapshot/);
  });

  it('filters to one GPU by a loose name', async () => {
    const { advisor } = setup();
    const p = await advisor.prices('h100 sxm');
    expect(p.rows.map((r) => r.gpuId)).toEqual(['NVIDIA H100 80GB HBM3']);
    expect(p.rows[0]!.onDemandUsdPerGpuHr).toBe(2.69);
  });

  it('rejects an unknown GPU name with a hint', async () => {
    const { advisor } = setup();
    const err = await advisor.prices('banana 9000').catch((e: unknown) => e);
    expect(isPodbayError(err) && err.code).toBe('NOT_FOUND');
    expect(isPodbayError(err) && err.toUserText()).toMatch(/Try a name like/);
  });

  it('reports stock with the data centers that have the GPU', async () => {
    const { api, advisor } = setup();
    const s = await advisor.stock('a40');
    expect(s.source).toBe('live');
    expect(s.rows).toHaveLength(1);
    expect(s.rows[0]!.stock).toBe('High');
    expect(s.rows[0]!.dataCenters.map((d) => `${d.id}:${d.stock}`)).toEqual(['US-KS-2:High', 'EU-RO-1:Low']);
    expect(api.dataCenterCalls).toEqual([{ gpuCount: 1 }]);
    expect(s.text).toMatch(/A40: stock High.*US-KS-2 \(High\)/);
  });

  it('stock without RunPod says it needs a live connection', async () => {
    const advisor = new GpuAdvisor(null, new ManualClock(), TTL);
    const s = await advisor.stock();
    expect(s.source).toBe('none');
    expect(s.text).toMatch(/needs a live RunPod connection/);
  });

  it('stock falls back to the last answer when RunPod fails', async () => {
    const { api, advisor } = setup();
    await advisor.stock();
    api.failWith = runpodDown();
    const s = await advisor.stock('a6000');
    expect(s.source).toBe('cache');
    expect(s.note).toMatch(/did not answer/);
    expect(s.rows[0]!.stock).toBe('Low');
  });
});
