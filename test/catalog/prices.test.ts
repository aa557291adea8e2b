// Live prices merged over the snapshot: per-count lowest prices win, RunPod's zero means "not offered",
// GPUs with no price anywhere stay unknown, and every price says where it came from.
import { describe, expect, it } from 'vitest';
import {
  answerQuestion,
  createPriceBook,
  type LiveBatch,
  type LivePriceInput,
  priceFor,
  priceRows,
  SNAPSHOT_BOOK,
  stockRows,
} from '../../src/catalog/index.ts';

const offer = (id: string, over: Partial<LivePriceInput> = {}): LivePriceInput => ({
  id,
  securePrice: 0.5,
  communityPrice: 0.4,
  secureSpotPrice: 0.25,
  communitySpotPrice: 0.2,
  lowest: {
    gpuCount: 1,
    onDemandPrice: 0.4,
    minimumBidPrice: 0.2,
    stockStatus: 'High',
    availableGpuCounts: [1, 2],
  },
  ...over,
});
const batch = (
  gpuCount: number,
  offers: LivePriceInput[],
  source: LiveBatch['source'] = 'live',
): LiveBatch => ({
  gpuCount,
  fetchedAt: '2026-11-26T12:00:00.000Z',
  source,
  offers,
});

describe('price book', () => {
  it('uses the live lowest price and minimum bid for the asked count', () => {
    const book = createPriceBook([
      batch(2, [
        offer('NVIDIA A40', {
          lowest: {
            gpuCount: 2,
            onDemandPrice: 0.38,
            minimumBidPrice: 0.17,
            stockStatus: 'Low',
            availableGpuCounts: [2],
          },
        }),
      ]),
    ]);
    const p = priceFor(book, 'NVIDIA A40', 2);
    expect(p).toMatchObject({ onDemandPerGpu: 0.38, spotPerGpu: 0.17, stock: 'Low', source: 'live' });
    expect(p.asOf).toBe('2026-11-26T12:00:00.000Z');
  });

  it('names the cloud of the on-demand price (community cheaper here)', () => {
    const book = createPriceBook([batch(1, [offer('NVIDIA A40')])]);
    const p = priceFor(book, 'NVIDIA A40', 1);
    expect(p.onDemandCloud).toBe('COMMUNITY');
    expect(p.secureOnDemandPerGpu).toBe(0.5);
    expect(p.communityOnDemandPerGpu).toBe(0.4);
  });

  it('falls back to the live 1-GPU list price for other counts, saying so', () => {
    const book = createPriceBook([batch(1, [offer('NVIDIA A40')])]);
    const p = priceFor(book, 'NVIDIA A40', 4);
    expect(p.source).toBe('live');
    expect(p.onDemandPerGpu).toBe(0.4);
    expect(p.caveat).toMatch(/4 GPUs not checked/);
    expect(p.stock).toBe('Unknown');
  });

  it('treats RunPod zeros as "not offered" and keeps the snapshot price with the live stock', () => {
    const book = createPriceBook([
      batch(1, [
        offer('NVIDIA A40', {
          securePrice: 0,
          communityPrice: 0,
          secureSpotPrice: 0,
          communitySpotPrice: 0,
          lowest: {
            gpuCount: 1,
            onDemandPrice: 0,
            minimumBidPrice: 0,
            stockStatus: 'None',
            availableGpuCounts: [],
          },
        }),
      ]),
    ]);
    const p = priceFor(book, 'NVIDIA A40', 1);
    expect(p.source).toBe('snapshot');
    expect(p.onDemandPerGpu).toBe(0.44);
    expect(p.stock).toBe('None');
  });

  it('keeps unknown prices unknown, live or not', () => {
    const book = createPriceBook([batch(1, [offer('NVIDIA A40')])]);
    const p = priceFor(book, 'NVIDIA RTX PRO 4500 Blackwell', 1);
    expect(p.onDemandPerGpu).toBeNull();
    expect(p.source).toBe('none');
  });

  it('labels cached batches as cache', () => {
    const book = createPriceBook([batch(1, [offer('NVIDIA A40')], 'cache')]);
    expect(priceFor(book, 'NVIDIA A40', 1).source).toBe('cache');
  });

  it('without live data every known price is the snapshot', () => {
    expect(priceFor(SNAPSHOT_BOOK, 'NVIDIA A40', 1).source).toBe('snapshot');
  });
});

describe('answers with live prices', () => {
  it('re-ranks with live prices and says the source per option and overall', () => {
    // Make the RTX A6000 far cheaper than the A40 live: it must become #1 for 70B AWQ.
    const book = createPriceBook([
      batch(1, [
        offer('NVIDIA RTX A6000', {
          securePrice: 0.2,
          communityPrice: 0.2,
          lowest: {
            gpuCount: 1,
            onDemandPrice: 0.2,
            minimumBidPrice: 0.1,
            stockStatus: 'High',
            availableGpuCounts: [1],
          },
        }),
      ]),
    ]);
    const a = answerQuestion('70b awq', book);
    expect(a.options[0]!.gpuName).toBe('RTX A6000');
    expect(a.options[0]!.priceSource).toBe('live');
    expect(a.options[1]!.priceSource).toBe('snapshot');
    expect(a.priceSource.used).toBe('mixed');
    expect(a.priceSource.text).toMatch(/live RunPod prices/);
    expect(a.priceSource.text).toMatch(/snapshot/);
  });

  it('demotes out-of-stock setups below ones in stock', () => {
    const book = createPriceBook([
      batch(1, [
        offer('NVIDIA A40', {
          lowest: {
            gpuCount: 1,
            onDemandPrice: 0.1,
            minimumBidPrice: null,
            stockStatus: 'None',
            availableGpuCounts: [],
          },
        }),
      ]),
    ]);
    const a = answerQuestion('70b awq', book);
    expect(a.options[0]!.gpuName).not.toBe('A40');
    expect(a.options.find((o) => o.gpuName === 'A40')!.stock).toBe('None');
  });

  it('mentions a live-price failure next to the fallback', () => {
    const book = createPriceBook([], 'RunPod is not answering right now.');
    const a = answerQuestion('70b awq', book);
    expect(a.priceSource.liveProblem).toBe('RunPod is not answering right now.');
    expect(a.priceSource.text).toMatch(/Live prices unavailable/);
    expect(a.options[0]!.priceSource).toBe('snapshot');
  });
});

describe('price and stock tables', () => {
  it('lists cheapest first, unknown last', () => {
    const rows = priceRows(SNAPSHOT_BOOK);
    const known = rows.filter((r) => r.onDemandUsdPerGpuHr !== null);
    expect(known.length).toBe(20);
    for (let i = 1; i < known.length; i++) {
      expect(known[i]!.onDemandUsdPerGpuHr!).toBeGreaterThanOrEqual(known[i - 1]!.onDemandUsdPerGpuHr!);
    }
    expect(rows.slice(known.length).every((r) => r.priceSource === 'none')).toBe(true);
  });

  it('joins stock with the data centers that have the GPU, best stock first', () => {
    const book = createPriceBook([batch(1, [offer('NVIDIA A40')])]);
    const rows = stockRows(book, [
      {
        id: 'EU-RO-1',
        name: 'EU-RO-1',
        location: 'Romania',
        gpus: [{ gpuTypeId: 'NVIDIA A40', available: true, stockStatus: 'Low' }],
      },
      {
        id: 'US-KS-2',
        name: 'US-KS-2',
        location: 'Kansas',
        gpus: [{ gpuTypeId: 'NVIDIA A40', available: true, stockStatus: 'High' }],
      },
      {
        id: 'US-TX-3',
        name: 'US-TX-3',
        location: 'Texas',
        gpus: [{ gpuTypeId: 'NVIDIA A40', available: false, stockStatus: 'None' }],
      },
    ]);
    const a40 = rows.find((r) => r.gpuId === 'NVIDIA A40')!;
    expect(a40.stock).toBe('High');
    expect(a40.dataCenters.map((d) => d.id)).toEqual(['US-KS-2', 'EU-RO-1']);
  });
});
