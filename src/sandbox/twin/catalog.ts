// Prices and stock as the catalog queries report them (gpuTypes.lowestPrice, dataCenters.gpuAvailability).
import { DATA_CENTERS, type DataCenterSpec, offeredIn } from './datacenters.ts';
import type { GpuSpec } from './prices.ts';
import type { TwinState } from './state.ts';

export type StockLevel = 'High' | 'Medium' | 'Low' | 'None';

/** Stock level from how many pods of the asked size still fit. */
export function stockLevel(podsThatFit: number): StockLevel {
  if (podsThatFit >= 8) return 'High';
  if (podsThatFit >= 3) return 'Medium';
  if (podsThatFit >= 1) return 'Low';
  return 'None';
}

export interface LowestPriceInput {
  gpuCount: number;
  secureCloud?: boolean;
  dataCenterId?: string;
  countryCode?: string;
  minDisk?: number;
  minDownload?: number;
  minUpload?: number;
}

const minOf = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.min(...v) : null;
};

export function lowestPrice(state: TwinState, gpu: GpuSpec, input: LowestPriceInput) {
  const count = Math.max(1, input.gpuCount);
  const sites = DATA_CENTERS.filter(
    (d) =>
      (input.dataCenterId !== undefined ? d.id === input.dataCenterId : d.listed) &&
      (input.secureCloud === undefined || d.secure === input.secureCloud) &&
      (input.countryCode === undefined || d.countryCode === input.countryCode) &&
      offeredIn(gpu, d) &&
      state.offers(gpu.id, d.id),
  );
  const tooMany = count > gpu.maxGpuCount;
  let fit = 0;
  let free = 0;
  let maxFree = 0;
  for (const d of sites) {
    const f = state.freeGpus(gpu.id, d.id);
    free += f;
    maxFree = Math.max(maxFree, f);
    if (!tooMany) fit += Math.floor(f / count);
  }
  const maxCount = Math.min(gpu.maxGpuCount, maxFree);
  const rented = sites.reduce((n, d) => n + state.rentedByUs(gpu.id, d.id), 0);
  const total = free + rented;
  const securePossible = sites.some((d) => d.secure);
  const communityPossible = sites.some((d) => !d.secure);
  return {
    gpuTypeId: gpu.id,
    gpuName: gpu.displayName,
    uninterruptablePrice: minOf([
      securePossible ? gpu.securePrice : null,
      communityPossible ? gpu.communityPrice : null,
    ]),
    minimumBidPrice: minOf([
      securePossible ? gpu.secureSpotPrice : null,
      communityPossible ? gpu.communitySpotPrice : null,
    ]),
    clusterPrice: null,
    stockStatus: stockLevel(fit),
    availableGpuCounts: Array.from({ length: maxCount }, (_, i) => i + 1),
    maxGpuCount: maxCount,
    maxUnreservedGpuCount: maxCount,
    rentedCount: rented,
    totalCount: total,
    rentalPercentage: total > 0 ? Math.round((rented / total) * 1000) / 1000 : 0,
    minMemory: gpu.ramPerGpuGb * count,
    minVcpu: gpu.vcpuPerGpu * count,
    minDisk: input.minDisk ?? null,
    minDownload: input.minDownload ?? null,
    minUpload: input.minUpload ?? null,
    countryCode: input.countryCode ?? null,
    supportPublicIp: true,
    compliance: [],
    gpuTypeDatacenters: sites.map((d) => ({
      dataCenterId: d.id,
      supportNetworkVolumes: d.storageSupport,
      availability: !tooMany && state.freeGpus(gpu.id, d.id) >= count ? 'AVAILABLE' : 'UNAVAILABLE',
    })),
  };
}

export function gpuAvailability(
  state: TwinState,
  dc: DataCenterSpec,
  gpus: readonly GpuSpec[],
  input: { gpuCount?: number; secureCloud?: boolean },
) {
  const count = Math.max(1, input.gpuCount ?? 1);
  if (input.secureCloud !== undefined && dc.secure !== input.secureCloud) return [];
  return gpus
    .filter((g) => offeredIn(g, dc) && state.offers(g.id, dc.id))
    .map((g) => {
      const fit = count > g.maxGpuCount ? 0 : Math.floor(state.freeGpus(g.id, dc.id) / count);
      return {
        id: g.id,
        gpuTypeId: g.id,
        gpuTypeDisplayName: g.displayName,
        displayName: g.displayName,
        available: fit > 0,
        stockStatus: stockLevel(fit),
      };
    });
}
