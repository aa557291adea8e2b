import { describe, expect, it } from 'vitest';
import { buildQuote, describeRunway, quotePod, runway } from '../../src/services/quote.ts';
import { DEFAULT_GPU_TYPES, InMemoryRunpod } from '../fakes/runpod-memory.ts';

describe('quote', () => {
  it('prices on-demand at the lowest price × count, per day, with runway now and after', async () => {
    const runpod = new InMemoryRunpod({ account: { balanceUsd: 100 } });
    runpod.seedPod({ name: 'other', costPerHr: 1 });
    const q = await quotePod(runpod, { gpuTypeIds: ['NVIDIA RTX A6000'], gpuCount: 2, kind: 'on-demand' });
    expect(q).toMatchObject({
      gpuTypeId: 'NVIDIA RTX A6000',
      gpuDisplayName: 'RTX A6000',
      gpuMemoryInGb: 48,
      pricePerGpuHr: 0.49,
      priceBasis: 'on-demand-lowest',
      perHourUsd: 0.98,
      perDayUsd: 23.52,
      balanceUsd: 100,
      spendPerHrUsd: 1,
      spendLimitUsd: 80,
      bidPerGpu: null,
      minimumBidPerGpu: null,
    });
    expect(q.runwayNow).toEqual({ kind: 'hours', hours: 100 });
    expect(q.runwayAfter.kind).toBe('hours');
    expect(q.runwayAfter.kind === 'hours' && q.runwayAfter.hours).toBeCloseTo(100 / 1.98, 6);
    expect(q.notes).toEqual([]);
  });

  it('has unlimited runway now when nothing is spending', async () => {
    const runpod = new InMemoryRunpod({ account: { balanceUsd: 50 } });
    const q = await quotePod(runpod, { gpuTypeIds: ['NVIDIA A40'], gpuCount: 1, kind: 'on-demand' });
    expect(q.runwayNow).toEqual({ kind: 'unlimited' });
    expect(q.runwayAfter.kind === 'hours' && q.runwayAfter.hours).toBeCloseTo(50 / 0.44, 6);
  });

  it('prices spot as bid × count, defaulting to the minimum bid', async () => {
    const runpod = new InMemoryRunpod();
    const floor = await quotePod(runpod, { gpuTypeIds: ['NVIDIA RTX A6000'], gpuCount: 2, kind: 'spot' });
    expect(floor).toMatchObject({
      priceBasis: 'spot-minimum-bid',
      bidPerGpu: 0.25,
      minimumBidPerGpu: 0.25,
      perHourUsd: 0.5,
    });
    const bid = await quotePod(runpod, {
      gpuTypeIds: ['NVIDIA RTX A6000'],
      gpuCount: 2,
      kind: 'spot',
      bidPerGpu: 0.3,
    });
    expect(bid).toMatchObject({ priceBasis: 'spot-bid', bidPerGpu: 0.3, perHourUsd: 0.6, perDayUsd: 14.4 });
    const low = await quotePod(runpod, {
      gpuTypeIds: ['NVIDIA RTX A6000'],
      gpuCount: 1,
      kind: 'spot',
      bidPerGpu: 0.1,
    });
    expect(low.notes.join(' ')).toMatch(/under the current minimum of \$0\.25/);
  });

  it('says so clearly when the price is unknown', async () => {
    const runpod = new InMemoryRunpod({
      gpuTypes: [{ id: 'X', displayName: 'Mystery', memoryInGb: 24, price: null, minBid: null, stock: {} }],
    });
    const q = await quotePod(runpod, { gpuTypeIds: ['X'], gpuCount: 1, kind: 'on-demand' });
    expect(q).toMatchObject({
      pricePerGpuHr: null,
      perHourUsd: null,
      perDayUsd: null,
      priceBasis: 'unknown',
    });
    expect(q.runwayAfter).toEqual({ kind: 'unknown' });
    expect(q.notes.join(' ')).toMatch(/no on-demand price for Mystery .*cost is unknown/);
    expect(q.notes.join(' ')).toMatch(/no stock/);
    const missing = await quotePod(runpod, { gpuTypeIds: ['NOPE'], gpuCount: 1, kind: 'on-demand' });
    expect(missing.notes.join(' ')).toMatch(/does not list the GPU type "NOPE"/);
  });

  it('falls back to the list price when there is no lowest price', () => {
    const a6000 = DEFAULT_GPU_TYPES[0]!;
    const offer = {
      id: a6000.id,
      displayName: 'RTX A6000',
      memoryInGb: 48,
      secureCloud: true,
      communityCloud: true,
      securePrice: 0.79,
      communityPrice: 0.49,
      secureSpotPrice: null,
      communitySpotPrice: null,
      lowest: null,
    };
    const account = { id: null, email: null, balanceUsd: 10, spendPerHrUsd: 0, spendLimitUsd: null };
    const all = buildQuote({ gpuTypeIds: [a6000.id], gpuCount: 1, kind: 'on-demand' }, offer, account);
    expect(all).toMatchObject({ pricePerGpuHr: 0.49, priceBasis: 'on-demand-list', stockStatus: 'Unknown' });
    const secure = buildQuote(
      { gpuTypeIds: [a6000.id], gpuCount: 1, kind: 'on-demand', cloudType: 'SECURE' },
      offer,
      account,
    );
    expect(secure.pricePerGpuHr).toBe(0.79);
  });

  it('rejects a bad request with INVALID_REQUEST', async () => {
    const runpod = new InMemoryRunpod();
    await expect(quotePod(runpod, { gpuTypeIds: [], gpuCount: 0, kind: 'on-demand' })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(runpod.calls).toEqual([]);
  });

  it('runway arithmetic and wording', () => {
    expect(runway(100, 4)).toEqual({ kind: 'hours', hours: 25 });
    expect(runway(-5, 4)).toEqual({ kind: 'hours', hours: 0 });
    expect(runway(100, 0)).toEqual({ kind: 'unlimited' });
    expect(runway(100, null)).toEqual({ kind: 'unknown' });
    expect(describeRunway({ kind: 'hours', hours: 5 })).toBe('5.0 h');
    expect(describeRunway({ kind: 'hours', hours: 72 })).toBe('3.0 days (72 h)');
    expect(describeRunway({ kind: 'hours', hours: 60.6 })).not.toBe(describeRunway({ kind: 'hours', hours: 59.4 }));
    expect(describeRunway({ kind: 'unlimited' })).toMatch(/^∞/);
    expect(describeRunway({ kind: 'unknown' })).toBe('unknown');
  });
});
