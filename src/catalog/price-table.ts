// "/gpu prices [gpu]" and "/gpu stock [gpu]": price and stock tables built from a price book and, for
// stock, RunPod's per-data-center availability. Pure; the service supplies the inputs.
import { GPUS } from './data/gpus.ts';
import { type PriceBook, type PriceSource, priceFor, type StockLevel } from './prices.ts';
import type { GpuSpec } from './types.ts';
import { gib, usd } from './units.ts';

export interface PriceRow {
  gpuId: string;
  gpuName: string;
  memoryGb: number;
  usableGiB: number;
  onDemandUsdPerGpuHr: number | null;
  onDemandCloud: 'SECURE' | 'COMMUNITY' | null;
  secureUsdPerGpuHr: number | null;
  communityUsdPerGpuHr: number | null;
  spotUsdPerGpuHr: number | null;
  stock: StockLevel;
  priceSource: PriceSource;
  priceAsOf: string | null;
  caveat: string | null;
}

/** Price rows for every GPU (or one), cheapest on-demand first, unknown prices last. */
export function priceRows(book: PriceBook, only: GpuSpec | null = null): PriceRow[] {
  const gpus = only ? [only] : GPUS;
  const rows = gpus.map((g): PriceRow => {
    const p = priceFor(book, g.id, 1);
    return {
      gpuId: g.id,
      gpuName: g.displayName,
      memoryGb: g.memoryGb,
      usableGiB: g.usableGiB,
      onDemandUsdPerGpuHr: p.onDemandPerGpu,
      onDemandCloud: p.onDemandCloud,
      secureUsdPerGpuHr: p.secureOnDemandPerGpu,
      communityUsdPerGpuHr: p.communityOnDemandPerGpu,
      spotUsdPerGpuHr: p.spotPerGpu,
      stock: p.stock,
      priceSource: p.source,
      priceAsOf: p.asOf,
      caveat: p.caveat,
    };
  });
  return rows.sort(
    (a, b) =>
      (a.onDemandUsdPerGpuHr ?? Number.POSITIVE_INFINITY) -
        (b.onDemandUsdPerGpuHr ?? Number.POSITIVE_INFINITY) || a.usableGiB - b.usableGiB,
  );
}

export function priceRowsText(rows: readonly PriceRow[], sourceText: string): string {
  const lines = rows.map(
    (r) =>
      `• ${r.gpuName} (${r.memoryGb} GB, ${gib(r.usableGiB)} GiB usable): on-demand ${
        r.onDemandUsdPerGpuHr === null
          ? 'unknown'
          : `${usd(r.onDemandUsdPerGpuHr)}/h${r.onDemandCloud ? ` ${r.onDemandCloud.toLowerCase()}` : ''}`
      }, spot ${r.spotUsdPerGpuHr === null ? 'unknown' : `${usd(r.spotUsdPerGpuHr)}/h`}${
        r.stock !== 'Unknown' ? `, stock ${r.stock}` : ''
      } [${r.priceSource === 'none' ? 'no price known' : r.priceSource}]${r.caveat ? ` — ${r.caveat}` : ''}`,
  );
  return [...lines, '', sourceText].join('\n');
}

/** Availability per data center, structurally RunPod's DataCenter (the catalog keeps its own type). */
export interface DataCenterInput {
  id: string;
  name: string;
  location: string | null;
  gpus: readonly { gpuTypeId: string; available: boolean; stockStatus: string }[];
}

export interface StockRow {
  gpuId: string;
  gpuName: string;
  /** RunPod's overall stock for one GPU of this type. */
  stock: StockLevel;
  /** GPU counts RunPod can place now (live only). */
  availableCounts: readonly number[] | null;
  /** Data centers where it is available now, best stock first. */
  dataCenters: { id: string; name: string; location: string | null; stock: StockLevel }[];
}

const STOCK_ORDER: Readonly<Record<StockLevel, number>> = { High: 0, Medium: 1, Low: 2, None: 3, Unknown: 4 };

const level = (s: string): StockLevel => {
  const t = s ? s[0]!.toUpperCase() + s.slice(1).toLowerCase() : '';
  return t === 'High' || t === 'Medium' || t === 'Low' || t === 'None' ? t : 'Unknown';
};

export function stockRows(
  book: PriceBook,
  dataCenters: readonly DataCenterInput[],
  only: GpuSpec | null = null,
): StockRow[] {
  const gpus = only ? [only] : GPUS;
  const rows = gpus.map((g): StockRow => {
    const p = priceFor(book, g.id, 1);
    const dcs = dataCenters
      .flatMap((dc) =>
        dc.gpus
          .filter((x) => x.gpuTypeId === g.id && x.available)
          .map((x) => ({ id: dc.id, name: dc.name, location: dc.location, stock: level(x.stockStatus) })),
      )
      .sort((a, b) => STOCK_ORDER[a.stock] - STOCK_ORDER[b.stock] || a.id.localeCompare(b.id));
    return {
      gpuId: g.id,
      gpuName: g.displayName,
      stock: p.stock,
      availableCounts: p.availableCounts,
      dataCenters: dcs,
    };
  });
  if (only) return rows;
  return rows
    .filter((r) => r.stock !== 'Unknown' || r.dataCenters.length > 0)
    .sort(
      (a, b) => STOCK_ORDER[a.stock] - STOCK_ORDER[b.stock] || b.dataCenters.length - a.dataCenters.length,
    );
}

export function stockRowsText(rows: readonly StockRow[], note: string): string {
  if (!rows.length) return note;
  const lines = rows.map((r) => {
    const where = r.dataCenters.length
      ? r.dataCenters
          .slice(0, 6)
          .map((d) => `${d.id} (${d.stock})`)
          .join(', ') + (r.dataCenters.length > 6 ? `, +${r.dataCenters.length - 6} more` : '')
      : 'no data center reports it available';
    const counts = r.availableCounts?.length ? `; counts ${r.availableCounts.join('/')}` : '';
    return `• ${r.gpuName}: stock ${r.stock}${counts} — ${where}`;
  });
  return [...lines, '', note].join('\n');
}
