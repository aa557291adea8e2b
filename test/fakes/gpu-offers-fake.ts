// In-memory RunPod for GPU prices and stock: implements gpuOffers and dataCenters like RunPod's
// gpuTypes/lowestPrice and dataCenters queries; every other port method throws (not used here).
import type { DataCenter, GpuOffer, StockStatus } from '../../src/services/domain.ts';
import { PodbayError } from '../../src/services/errors.ts';
import type { Clock, GpuOfferQuery, RunpodApi } from '../../src/services/ports.ts';

export class ManualClock implements Clock {
  #ms: number;
  constructor(iso = '2026-11-26T12:00:00.000Z') {
    this.#ms = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.#ms);
  }
  advance(ms: number): void {
    this.#ms += ms;
  }
}

export interface FakeGpu {
  id: string;
  displayName: string;
  memoryInGb: number;
  securePrice: number | null;
  communityPrice: number | null;
  secureSpotPrice: number | null;
  communitySpotPrice: number | null;
  /** Per GPU count: lowest on-demand $/GPU/h and spot floor (defaults to the list prices). */
  byCount?: Record<number, { onDemand: number | null; minBid: number | null; stock: StockStatus }>;
  stock: StockStatus;
  /** Data centers that have it, with their stock. */
  dataCenters: Record<string, StockStatus>;
}

export const FAKE_GPUS: FakeGpu[] = [
  {
    id: 'NVIDIA A40',
    displayName: 'A40',
    memoryInGb: 48,
    securePrice: 0.4,
    communityPrice: 0.35,
    secureSpotPrice: 0.2,
    communitySpotPrice: 0.18,
    stock: 'High',
    byCount: { 2: { onDemand: 0.36, minBid: 0.19, stock: 'Medium' } },
    dataCenters: { 'US-KS-2': 'High', 'EU-RO-1': 'Low' },
  },
  {
    id: 'NVIDIA RTX A6000',
    displayName: 'RTX A6000',
    memoryInGb: 48,
    securePrice: 0.49,
    communityPrice: 0.33,
    secureSpotPrice: 0.25,
    communitySpotPrice: 0.22,
    stock: 'Low',
    dataCenters: { 'US-KS-2': 'Low' },
  },
  {
    id: 'NVIDIA H100 80GB HBM3',
    displayName: 'H100 SXM',
    memoryInGb: 80,
    securePrice: 2.69,
    communityPrice: null,
    secureSpotPrice: 2.2,
    communitySpotPrice: null,
    stock: 'Medium',
    dataCenters: { 'US-GA-2': 'Medium' },
  },
  {
    // Listed but not offered right now: RunPod reports 0 prices.
    id: 'NVIDIA L40S',
    displayName: 'L40S',
    memoryInGb: 48,
    securePrice: 0,
    communityPrice: 0,
    secureSpotPrice: 0,
    communitySpotPrice: 0,
    stock: 'None',
    dataCenters: {},
  },
];

export class GpuOffersFake implements RunpodApi {
  gpus: FakeGpu[];
  readonly offerCalls: GpuOfferQuery[] = [];
  readonly dataCenterCalls: { gpuCount?: number }[] = [];
  /** When set, every call fails with it. */
  failWith: Error | null = null;

  constructor(gpus: FakeGpu[] = FAKE_GPUS) {
    this.gpus = gpus.map((g) => ({ ...g }));
  }

  async gpuOffers(query: GpuOfferQuery): Promise<GpuOffer[]> {
    this.offerCalls.push(query);
    if (this.failWith) throw this.failWith;
    return this.gpus
      .filter((g) => !query.ids || query.ids.includes(g.id))
      .map((g) => {
        const c = g.byCount?.[query.gpuCount];
        const listed = query.gpuCount === 1 || c !== undefined;
        return {
          id: g.id,
          displayName: g.displayName,
          memoryInGb: g.memoryInGb,
          secureCloud: g.securePrice !== null,
          communityCloud: g.communityPrice !== null,
          securePrice: g.securePrice,
          communityPrice: g.communityPrice,
          secureSpotPrice: g.secureSpotPrice,
          communitySpotPrice: g.communitySpotPrice,
          lowest: {
            gpuCount: query.gpuCount,
            onDemandPrice: c ? c.onDemand : listed ? lowestOf(g.securePrice, g.communityPrice) : null,
            minimumBidPrice: c ? c.minBid : listed ? lowestOf(g.secureSpotPrice, g.communitySpotPrice) : null,
            stockStatus: c ? c.stock : listed ? g.stock : 'None',
            availableGpuCounts: [1, 2, 4, 8],
          },
        };
      });
  }

  async dataCenters(opts: { gpuCount?: number } = {}): Promise<DataCenter[]> {
    this.dataCenterCalls.push(opts);
    if (this.failWith) throw this.failWith;
    const ids = [...new Set(this.gpus.flatMap((g) => Object.keys(g.dataCenters)))].sort();
    return ids.map((id) => ({
      id,
      name: id,
      location: id.startsWith('US') ? 'United States' : 'Europe',
      storageSupport: true,
      gpus: this.gpus
        .filter((g) => g.dataCenters[id] !== undefined)
        .map((g) => ({
          gpuTypeId: g.id,
          displayName: g.displayName,
          available: g.dataCenters[id] !== 'None',
          stockStatus: g.dataCenters[id]!,
        })),
    }));
  }

  account(): never {
    return notHere('account');
  }
  listPods(): never {
    return notHere('listPods');
  }
  getPod(): never {
    return notHere('getPod');
  }
  createPod(): never {
    return notHere('createPod');
  }
  stopPod(): never {
    return notHere('stopPod');
  }
  resumePod(): never {
    return notHere('resumePod');
  }
  terminatePod(): never {
    return notHere('terminatePod');
  }
  listVolumes(): never {
    return notHere('listVolumes');
  }
  createVolume(): never {
    return notHere('createVolume');
  }
  updateVolume(): never {
    return notHere('updateVolume');
  }
  deleteVolume(): never {
    return notHere('deleteVolume');
  }
  listEndpoints(): never {
    return notHere('listEndpoints');
  }
  createEndpoint(): never {
    return notHere('createEndpoint');
  }
  updateEndpoint(): never {
    return notHere('updateEndpoint');
  }
  deleteEndpoint(): never {
    return notHere('deleteEndpoint');
  }
  listTemplates(): never {
    return notHere('listTemplates');
  }
}

const lowestOf = (a: number | null, b: number | null): number | null => {
  const xs = [a, b].filter((x): x is number => x !== null && x > 0);
  return xs.length ? Math.min(...xs) : null;
};

function notHere(method: string): never {
  throw new Error(
    `GpuOffersFake.${method} is not implemented: GPU advisor tests only use gpuOffers and dataCenters`,
  );
}

/** The kind of failure the real adapter raises when RunPod is down. */
export const runpodDown = (): PodbayError =>
  new PodbayError('RUNPOD_UNAVAILABLE', 'RunPod is not answering right now.', { retryable: true });
