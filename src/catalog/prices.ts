// Price book: live RunPod prices (per GPU count) merged over the offline snapshot. Every price carries
// its source; a GPU with neither a live nor a snapshot price has an unknown price, never a guessed one.
import { PRICE_SNAPSHOT, PRICE_SNAPSHOT_META, type SnapshotPrice } from './data/price-snapshot.ts';

export type StockLevel = 'High' | 'Medium' | 'Low' | 'None' | 'Unknown';

/**
 * Live price input for one GPU type. Structurally the `GpuOffer` that the RunPod port returns, so
 * offers can be passed as they are; the catalog does not import the service's domain types.
 */
export interface LivePriceInput {
  id: string;
  securePrice: number | null;
  communityPrice: number | null;
  secureSpotPrice: number | null;
  communitySpotPrice: number | null;
  lowest: {
    gpuCount: number;
    onDemandPrice: number | null;
    minimumBidPrice: number | null;
    stockStatus: string;
    availableGpuCounts: readonly number[];
  } | null;
}

/** One batch of live offers, as fetched for one GPU count. */
export interface LiveBatch {
  gpuCount: number;
  /** ISO time of the fetch. */
  fetchedAt: string;
  /** 'live': fetched for this answer; 'cache': fetched earlier and reused. */
  source: 'live' | 'cache';
  offers: readonly LivePriceInput[];
}

export type PriceSource = 'live' | 'cache' | 'snapshot' | 'none';

export interface GpuPrice {
  /** Lowest on-demand USD per GPU-hour for this count; null when unknown. */
  onDemandPerGpu: number | null;
  onDemandCloud: 'SECURE' | 'COMMUNITY' | null;
  secureOnDemandPerGpu: number | null;
  communityOnDemandPerGpu: number | null;
  /** Spot: RunPod's minimum bid per GPU-hour; null when unknown. */
  spotPerGpu: number | null;
  stock: StockLevel;
  /** GPU counts RunPod currently offers for this type (live only). */
  availableCounts: readonly number[] | null;
  source: PriceSource;
  /** ISO fetch time (live/cache) or the snapshot's "as of" month. */
  asOf: string | null;
  caveat: string | null;
}

export interface PriceBook {
  readonly snapshot: ReadonlyMap<string, SnapshotPrice>;
  /** Live offers by GPU count, then by GPU id. */
  readonly live: ReadonlyMap<number, { batch: LiveBatch; byId: ReadonlyMap<string, LivePriceInput> }>;
  /** Why live prices are missing (e.g. the RunPod call failed), for the answer to say. */
  readonly liveProblem: string | null;
}

const SNAPSHOT_MAP: ReadonlyMap<string, SnapshotPrice> = new Map(PRICE_SNAPSHOT.map((p) => [p.gpuId, p]));

/** A book built from the snapshot alone. */
export const SNAPSHOT_BOOK: PriceBook = { snapshot: SNAPSHOT_MAP, live: new Map(), liveProblem: null };

export function createPriceBook(batches: readonly LiveBatch[], liveProblem: string | null = null): PriceBook {
  if (!batches.length && liveProblem === null) return SNAPSHOT_BOOK;
  const live = new Map<number, { batch: LiveBatch; byId: ReadonlyMap<string, LivePriceInput> }>();
  for (const b of batches) live.set(b.gpuCount, { batch: b, byId: new Map(b.offers.map((o) => [o.id, o])) });
  return { snapshot: SNAPSHOT_MAP, live, liveProblem };
}

/** RunPod reports 0 for "not offered"; treat zero/negative/non-finite as unknown. */
const positive = (n: number | null | undefined): number | null =>
  typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;

const minOf = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

const STOCK: ReadonlySet<string> = new Set(['High', 'Medium', 'Low', 'None']);
function stockOf(s: string | undefined): StockLevel {
  if (!s) return 'Unknown';
  const t = s[0]!.toUpperCase() + s.slice(1).toLowerCase();
  return STOCK.has(t) ? (t as StockLevel) : 'Unknown';
}

function fromLive(o: LivePriceInput, batch: LiveBatch, exactCount: boolean, count: number): GpuPrice | null {
  const secure = positive(o.securePrice);
  const community = positive(o.communityPrice);
  const lowestOd = exactCount ? positive(o.lowest?.onDemandPrice) : null;
  const onDemand = lowestOd ?? minOf(secure, community);
  const spot =
    (exactCount ? positive(o.lowest?.minimumBidPrice) : null) ??
    minOf(positive(o.secureSpotPrice), positive(o.communitySpotPrice));
  if (onDemand === null && spot === null) return null;
  let cloud: GpuPrice['onDemandCloud'] = null;
  if (onDemand !== null) cloud = onDemand === community ? 'COMMUNITY' : onDemand === secure ? 'SECURE' : null;
  return {
    onDemandPerGpu: onDemand,
    onDemandCloud: cloud,
    secureOnDemandPerGpu: secure,
    communityOnDemandPerGpu: community,
    spotPerGpu: spot,
    stock: exactCount ? stockOf(o.lowest?.stockStatus) : 'Unknown',
    availableCounts: exactCount && o.lowest ? o.lowest.availableGpuCounts : null,
    source: batch.source,
    asOf: batch.fetchedAt,
    caveat: exactCount ? null : `live 1-GPU list price; price and stock for ${count} GPUs not checked`,
  };
}

const UNKNOWN: GpuPrice = {
  onDemandPerGpu: null,
  onDemandCloud: null,
  secureOnDemandPerGpu: null,
  communityOnDemandPerGpu: null,
  spotPerGpu: null,
  stock: 'Unknown',
  availableCounts: null,
  source: 'none',
  asOf: null,
  caveat: null,
};

/** Snapshot prices precomputed per GPU and count (index = count; counts 1–16). */
const SNAPSHOT_PRICES = new Map<string, GpuPrice[]>();
for (const s of PRICE_SNAPSHOT) {
  const byCount: GpuPrice[] = [];
  for (let n = 0; n <= 64; n++) {
    const od = s.onDemandByCount?.[n] ?? s.onDemandUsdPerGpuHr;
    byCount.push({
      onDemandPerGpu: od,
      onDemandCloud: s.cloud,
      secureOnDemandPerGpu: od,
      communityOnDemandPerGpu: null,
      spotPerGpu: s.spotUsdPerGpuHr,
      stock: 'Unknown',
      availableCounts: null,
      source: 'snapshot',
      asOf: PRICE_SNAPSHOT_META.asOf,
      caveat: s.caveat ?? null,
    });
  }
  SNAPSHOT_PRICES.set(s.gpuId, byCount);
}

/** Price per GPU for `count` GPUs of `gpuId`: live for that count, else live 1-GPU list price, else snapshot. */
export function priceFor(book: PriceBook, gpuId: string, count: number): GpuPrice {
  if (book.live.size === 0) return snapshotPrice(book, gpuId, count);
  const exact = book.live.get(count);
  const stockFromLive = exact?.byId.get(gpuId);
  if (stockFromLive && exact) {
    const p = fromLive(stockFromLive, exact.batch, true, count);
    if (p) return p;
  }
  const one = book.live.get(1);
  const oneOffer = one?.byId.get(gpuId);
  if (oneOffer && one && count !== 1) {
    const p = fromLive(oneOffer, one.batch, false, count);
    if (p) return p;
  }
  const snap = snapshotPrice(book, gpuId, count);
  if (stockFromLive && snap.source === 'snapshot') {
    // Live listing without a price: keep the live stock next to the snapshot price.
    return Object.assign({}, snap, { stock: stockOf(stockFromLive.lowest?.stockStatus) });
  }
  return snap;
}

function snapshotPrice(book: PriceBook, gpuId: string, count: number): GpuPrice {
  const byCount = SNAPSHOT_PRICES.get(gpuId);
  if (!byCount) return UNKNOWN;
  const hit = byCount[count];
  if (hit) return hit;
  const s = book.snapshot.get(gpuId)!;
  return Object.assign({}, byCount[1]!, {
    onDemandPerGpu: s.onDemandUsdPerGpuHr,
    secureOnDemandPerGpu: s.onDemandUsdPerGpuHr,
  });
}

/** One sentence naming where prices came from. */
const SNAPSHOT_SENTENCE =
  `offline snapshot as of ${PRICE_SNAPSHOT_META.asOfNote}, third-party (${PRICE_SNAPSHOT_META.source}), ` +
  'SECURE cloud only';

export function describeSource(source: PriceSource, asOf: string | null): string {
  if (source === 'live') return `live RunPod prices (fetched ${asOf ?? 'now'})`;
  if (source === 'cache') return `RunPod prices cached at ${asOf ?? 'an earlier fetch'}`;
  if (source === 'snapshot') return SNAPSHOT_SENTENCE;
  return 'no price known';
}
