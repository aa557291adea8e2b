// What a pod would cost and how long the balance lasts with it: $/h, $/day, runway now and after.
import { z } from 'zod';
import { needsGraphql } from './billing.ts';
import type { Account, CloudType, GpuOffer, StockStatus } from './domain.ts';
import { PodbayError } from './errors.ts';
import type { GpuOfferQuery, RunpodApi } from './ports.ts';
import { zodProblems } from './validation.ts';

export { zodProblems } from './validation.ts';

/** Enough of a pod spec to price it. A PodSpec or a CreatePodRequest can be passed as is. */
export interface QuoteInput {
  /** The first id is the one priced (it is the preferred type). */
  gpuTypeIds: string[];
  gpuCount: number;
  kind: 'on-demand' | 'spot';
  /** Spot only: USD per GPU per hour; the current minimum bid when absent. */
  bidPerGpu?: number;
  cloudType?: CloudType;
  dataCenterId?: string;
}

/** How long the balance lasts: a number of hours, no end (nothing is spending), or unknown (no price). */
export type Runway = { kind: 'hours'; hours: number } | { kind: 'unlimited' } | { kind: 'unknown' };

export type PriceBasis = 'on-demand-lowest' | 'on-demand-list' | 'spot-bid' | 'spot-minimum-bid' | 'unknown';

export interface PodQuote {
  gpuTypeId: string;
  gpuDisplayName: string | null;
  gpuMemoryInGb: number | null;
  gpuCount: number;
  kind: 'on-demand' | 'spot';
  /** USD per GPU per hour; null when RunPod gave no price. */
  pricePerGpuHr: number | null;
  priceBasis: PriceBasis;
  /** Spot only: the bid the price is based on. */
  bidPerGpu: number | null;
  /** Spot only: RunPod's current minimum bid per GPU. */
  minimumBidPerGpu: number | null;
  perHourUsd: number | null;
  perDayUsd: number | null;
  stockStatus: StockStatus;
  /** null when the balance needs RunPod's GraphQL API (REST v2 alone): the runway is then unknown. */
  balanceUsd: number | null;
  spendPerHrUsd: number | null;
  spendLimitUsd: number | null;
  runwayNow: Runway;
  runwayAfter: Runway;
  /** User sentences worth showing next to the numbers (unknown price, no stock, bid under the floor). */
  notes: string[];
}

const HOURS_PER_DAY = 24;

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Balance divided by spend per hour; unlimited when nothing is spending; unknown when spend is unknown. */
export function runway(balanceUsd: number, spendPerHrUsd: number | null): Runway {
  if (spendPerHrUsd === null || !Number.isFinite(spendPerHrUsd)) return { kind: 'unknown' };
  if (spendPerHrUsd <= 0) return { kind: 'unlimited' };
  return { kind: 'hours', hours: Math.max(0, balanceUsd) / spendPerHrUsd };
}

/** "3.2 days", "5.0 h", "∞ (nothing is spending)", "unknown". */
export function describeRunway(r: Runway): string {
  if (r.kind === 'unknown') return 'unknown';
  if (r.kind === 'unlimited') return '∞ (nothing is spending)';
  // Hours beside days, so adding one cheap pod still shows a difference ("2.5 days (61 h)" → "(59 h)").
  if (r.hours >= 48) return `${(r.hours / HOURS_PER_DAY).toFixed(1)} days (${Math.round(r.hours)} h)`;
  return `${r.hours.toFixed(1)} h`;
}

const QuoteInputSchema = z.object({
  gpuTypeIds: z.array(z.string().trim().min(1)).min(1, 'name at least one GPU type'),
  gpuCount: z.number().int().min(1).max(16),
  kind: z.enum(['on-demand', 'spot']),
  bidPerGpu: z.number().positive().max(1000).optional(),
  cloudType: z.enum(['SECURE', 'COMMUNITY', 'ALL']).optional(),
  dataCenterId: z.string().trim().min(1).optional(),
});

/** INVALID_REQUEST listing every problem, in words a person can act on. */
export function validateQuoteInput(input: QuoteInput): QuoteInput {
  const parsed = QuoteInputSchema.safeParse(input);
  if (parsed.success) return input;
  throw new PodbayError('INVALID_REQUEST', `That pod request is not valid: ${zodProblems(parsed.error)}.`, {
    hint: 'GPU count is 1 to 16; a spot bid is a positive $ per GPU per hour.',
  });
}

function listPrice(offer: GpuOffer, cloudType: CloudType | undefined, spot: boolean): number | null {
  const secure = spot ? offer.secureSpotPrice : offer.securePrice;
  const community = spot ? offer.communitySpotPrice : offer.communityPrice;
  const candidates =
    cloudType === 'SECURE' ? [secure] : cloudType === 'COMMUNITY' ? [community] : [secure, community];
  const prices = candidates.filter((p): p is number => typeof p === 'number' && p > 0);
  return prices.length ? Math.min(...prices) : null;
}

/** Spot floor per GPU: the lowest-price minimum bid, else the list spot price. */
export function minimumBid(offer: GpuOffer | null, cloudType?: CloudType): number | null {
  if (!offer) return null;
  const floor = offer.lowest?.minimumBidPrice;
  if (typeof floor === 'number' && floor > 0) return floor;
  return listPrice(offer, cloudType, true);
}

/** Pure: the quote from an offer (null when RunPod has none for that type) and the account. */
export function buildQuote(input: QuoteInput, offer: GpuOffer | null, account: Account | null): PodQuote {
  const gpuTypeId = input.gpuTypeIds[0] ?? '';
  const name = offer?.displayName ?? gpuTypeId;
  const notes: string[] = [];
  let pricePerGpuHr: number | null = null;
  let priceBasis: PriceBasis = 'unknown';
  let bidPerGpu: number | null = null;
  const floor = minimumBid(offer, input.cloudType);

  if (input.kind === 'on-demand') {
    const lowest = offer?.lowest?.onDemandPrice;
    if (typeof lowest === 'number' && lowest > 0) {
      pricePerGpuHr = lowest;
      priceBasis = 'on-demand-lowest';
    } else if (offer && listPrice(offer, input.cloudType, false) !== null) {
      pricePerGpuHr = listPrice(offer, input.cloudType, false);
      priceBasis = 'on-demand-list';
      notes.push(`RunPod gave no current lowest price for ${name}; this uses its list price.`);
    }
  } else if (input.bidPerGpu !== undefined) {
    bidPerGpu = input.bidPerGpu;
    pricePerGpuHr = input.bidPerGpu;
    priceBasis = 'spot-bid';
    if (floor !== null && input.bidPerGpu < floor) {
      notes.push(
        `Your bid of $${input.bidPerGpu.toFixed(2)}/GPU/h is under the current minimum of $${floor.toFixed(2)}; the pod would not start.`,
      );
    }
  } else if (floor !== null) {
    bidPerGpu = floor;
    pricePerGpuHr = floor;
    priceBasis = 'spot-minimum-bid';
    notes.push(
      `Priced at the current minimum spot bid of $${floor.toFixed(2)}/GPU/h; spot pods can be interrupted.`,
    );
  }

  if (pricePerGpuHr === null) {
    notes.push(
      offer
        ? `RunPod gave no ${input.kind} price for ${name} right now, so the cost is unknown.`
        : `RunPod does not list the GPU type "${gpuTypeId}", so the cost is unknown.`,
    );
  }
  const stockStatus: StockStatus = offer?.lowest?.stockStatus ?? 'Unknown';
  if (stockStatus === 'None')
    notes.push(`${name} has no stock right now; creating may fail for lack of capacity.`);

  const perHourUsd = pricePerGpuHr === null ? null : round(pricePerGpuHr * input.gpuCount);
  const perDayUsd = perHourUsd === null ? null : round(perHourUsd * HOURS_PER_DAY);
  if (!account)
    notes.push(
      'The balance needs RunPod’s GraphQL API, which this install has switched off, so the runway is unknown.',
    );
  const runwayAfter: Runway =
    perHourUsd === null || !account
      ? { kind: 'unknown' }
      : runway(account.balanceUsd, account.spendPerHrUsd + perHourUsd);
  return {
    gpuTypeId,
    gpuDisplayName: offer?.displayName ?? null,
    gpuMemoryInGb: offer?.memoryInGb ?? null,
    gpuCount: input.gpuCount,
    kind: input.kind,
    pricePerGpuHr,
    priceBasis,
    bidPerGpu,
    minimumBidPerGpu: input.kind === 'spot' ? floor : null,
    perHourUsd,
    perDayUsd,
    stockStatus,
    balanceUsd: account?.balanceUsd ?? null,
    spendPerHrUsd: account?.spendPerHrUsd ?? null,
    spendLimitUsd: account?.spendLimitUsd ?? null,
    runwayNow: account ? runway(account.balanceUsd, account.spendPerHrUsd) : { kind: 'unknown' },
    runwayAfter,
    notes,
  };
}

/** The GpuOfferQuery for one GPU type at a count, honouring the cloud type and data center asked for. */
export function offerQuery(
  gpuTypeId: string | undefined,
  gpuCount: number,
  cloudType?: CloudType,
  dataCenterId?: string,
): GpuOfferQuery {
  const q: GpuOfferQuery = { gpuCount };
  if (gpuTypeId !== undefined) q.ids = [gpuTypeId];
  if (cloudType === 'SECURE') q.secureCloud = true;
  if (cloudType === 'COMMUNITY') q.secureCloud = false;
  if (dataCenterId !== undefined) q.dataCenterId = dataCenterId;
  return q;
}

/** Asks RunPod for the offer and the account, then builds the quote. INVALID_REQUEST on a bad input. */
export async function quotePod(runpod: RunpodApi, input: QuoteInput): Promise<PodQuote> {
  validateQuoteInput(input);
  const gpuTypeId = input.gpuTypeIds[0];
  const [offers, account] = await Promise.all([
    runpod.gpuOffers(offerQuery(gpuTypeId, input.gpuCount, input.cloudType, input.dataCenterId)),
    runpod.account().catch((e: unknown) => {
      // A price is still worth showing when only the balance is out of reach.
      if (needsGraphql(e, 'balance')) return null;
      throw e;
    }),
  ]);
  const offer = offers.find((o) => o.id === gpuTypeId) ?? null;
  return buildQuote(input, offer, account);
}
