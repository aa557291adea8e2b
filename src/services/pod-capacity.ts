// RunPod had no machine for a create: the typed error, with GPU types and data centers that have stock now.
import type { GpuOffer, StockStatus } from './domain.ts';
import { PodbayError } from './errors.ts';
import type { CreatePodRequest } from './pod-request.ts';
import type { RunpodApi } from './ports.ts';
import { offerQuery } from './quote.ts';

const STOCK_RANK: Record<StockStatus, number> = { High: 0, Medium: 1, Low: 2, Unknown: 3, None: 4 };

export interface GpuAlternative {
  gpuTypeId: string;
  displayName: string;
  memoryInGb: number | null;
  stockStatus: StockStatus;
  onDemandPricePerGpuHr: number | null;
}

/** NO_CAPACITY with up to 3 GPU types (same or more memory when possible) that have stock now. */
export class NoCapacityError extends PodbayError {
  readonly alternatives: GpuAlternative[];
  readonly gpuTypeIds: string[];
  /** Data centers where the asked GPU type is available (when a data center was asked for). */
  readonly dataCenterIds: string[];
  constructor(
    gpuTypeIds: string[],
    alternatives: GpuAlternative[],
    dataCenterId?: string,
    dataCenterIds: string[] = [],
    askedName?: string,
    gpuCount = 1,
  ) {
    const what = `${gpuCount > 1 ? `${gpuCount}× ` : ''}${askedName ?? gpuTypeIds[0] ?? 'that GPU'}`;
    super(
      'NO_CAPACITY',
      `RunPod has no machine free with ${what}${dataCenterId ? ` in ${dataCenterId}` : ''} right now.`,
      {
        hint: capacityHint(alternatives, dataCenterIds, askedName ?? gpuTypeIds[0] ?? 'it'),
        retryable: false,
      },
    );
    this.name = 'NoCapacityError';
    this.gpuTypeIds = gpuTypeIds;
    this.alternatives = alternatives;
    this.dataCenterIds = dataCenterIds;
  }
}

function capacityHint(alternatives: GpuAlternative[], dataCenterIds: string[], askedName: string): string {
  const parts: string[] = [];
  if (alternatives.length) {
    const list = alternatives.map((a) => {
      const facts = [
        a.memoryInGb !== null ? `${a.memoryInGb} GB` : null,
        a.onDemandPricePerGpuHr !== null ? `$${a.onDemandPricePerGpuHr.toFixed(2)}/GPU/h` : null,
        `stock ${a.stockStatus}`,
      ].filter(Boolean);
      return `${a.displayName} (${facts.join(', ')})`;
    });
    parts.push(`GPU types with stock now: ${list.join('; ')}.`);
  }
  if (dataCenterIds.length) parts.push(`${askedName} is available in ${dataCenterIds.join(', ')}.`);
  if (!parts.length) return 'Try again in a few minutes, or pick another GPU type or data center.';
  return `Try another GPU type or data center. ${parts.join(' ')}`;
}

/** The NO_CAPACITY error with up to 3 stocked alternatives and data centers that have the asked type. */
export async function noCapacityError(
  runpod: RunpodApi,
  request: CreatePodRequest,
): Promise<NoCapacityError> {
  const asked = request.gpuTypeIds;
  let offers: GpuOffer[] = [];
  try {
    offers = await runpod.gpuOffers(offerQuery(undefined, request.gpuCount, request.cloudType));
  } catch {
    // Suggestions are a courtesy; the capacity error stands without them.
  }
  const askedOffer = offers.find((o) => o.id === asked[0]);
  const memory = askedOffer?.memoryInGb ?? null;
  const stocked = offers.filter(
    (o) =>
      !asked.includes(o.id) &&
      o.lowest !== null &&
      ['High', 'Medium', 'Low'].includes(o.lowest.stockStatus) &&
      (o.lowest.availableGpuCounts.length === 0 || o.lowest.availableGpuCounts.includes(request.gpuCount)),
  );
  const bigEnough = memory === null ? stocked : stocked.filter((o) => (o.memoryInGb ?? 0) >= memory);
  const pool = bigEnough.length ? bigEnough : stocked;
  const alternatives = pool
    .sort(
      (a, b) =>
        (a.lowest?.onDemandPrice ?? Number.POSITIVE_INFINITY) -
          (b.lowest?.onDemandPrice ?? Number.POSITIVE_INFINITY) ||
        STOCK_RANK[a.lowest?.stockStatus ?? 'Unknown'] - STOCK_RANK[b.lowest?.stockStatus ?? 'Unknown'] ||
        a.displayName.localeCompare(b.displayName),
    )
    .slice(0, 3)
    .map((o) => ({
      gpuTypeId: o.id,
      displayName: o.displayName,
      memoryInGb: o.memoryInGb,
      stockStatus: o.lowest?.stockStatus ?? 'Unknown',
      onDemandPricePerGpuHr: o.lowest?.onDemandPrice ?? null,
    }));
  let dataCenterIds: string[] = [];
  try {
    const dcs = await runpod.dataCenters({ gpuCount: request.gpuCount });
    dataCenterIds = dcs
      .filter((dc) => dc.id !== request.dataCenterId)
      .filter((dc) =>
        dc.gpus.some((g) => asked.includes(g.gpuTypeId) && g.available && g.stockStatus !== 'None'),
      )
      .map((dc) => dc.id)
      .slice(0, 3);
  } catch {
    // As above: no data center suggestions then.
  }
  return new NoCapacityError(
    asked,
    alternatives,
    request.dataCenterId,
    dataCenterIds,
    askedOffer?.displayName,
    request.gpuCount,
  );
}
