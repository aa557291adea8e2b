// What the Slack handlers need from the GPU catalog / advisor, built over the GpuAdvisor.
import type { Answer } from '../catalog/answer.ts';
import type { ServerlessAnswer } from '../catalog/serverless.ts';
import { GPUS } from '../catalog/data/gpus.ts';
import { findGpu } from '../catalog/gpu-lookup.ts';
import type { StockStatus } from '../services/domain.ts';
import type { GpuAdvisor } from '../services/gpu-advisor.ts';
import type { GpuChoice } from './views/create-modal.ts';

export interface PriceRow {
  gpuTypeId: string;
  displayName: string;
  memoryGb: number | null;
  onDemandUsd: number | null;
  spotUsd: number | null;
  stock: StockStatus;
}

export interface DataCenterStock {
  id: string;
  name: string;
  location: string | null;
  gpus: Array<{ displayName: string; stock: StockStatus }>;
}

export interface GpuPort {
  /** Synchronous, for the ack (catalog and price snapshot only, no I/O). */
  answerNow(question: string): Answer;
  /** With live prices (may take a while). */
  answer(question: string): Promise<Answer>;
  /** `/gpu serverless`: pools, $/s and $/month at the stated load (synchronous, for the ack). */
  serverless(question: string): ServerlessAnswer;
  /** $/GPU/h by GPU type, with where the prices came from; `gpu` filters to one type (as typed). */
  prices(gpu?: string): Promise<{ rows: PriceRow[]; source: string }>;
  /** Availability by data center, with a note on how fresh it is; `gpu` filters to one type. */
  stock(gpu?: string): Promise<{ dataCenters: DataCenterStock[]; note: string }>;
  /** GPU types for the create form (static, no I/O: the form must open within 3 s). */
  choices(): GpuChoice[];
  /** A GPU as typed ("a6000", "RTX 4090", a RunPod id) → its RunPod id, or null. */
  resolveGpu(text: string): string | null;
  /** Human name for a RunPod GPU id. */
  displayName(gpuTypeId: string): string;
}

/** Enough of a catalog GPU row to offer and recognise it. */
export interface GpuSpecLike {
  id: string;
  displayName: string;
  memoryGb: number;
  legacy?: boolean;
}

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/^nvidia\s+|^amd\s+/g, '')
    .replace(/geforce\s+/g, '')
    .replace(/[\s_-]+/g, '');

/** choices / resolveGpu / displayName over the catalog's GPU table (the rest of GpuPort comes from the advisor). */
export function gpuLookup(
  specs: readonly GpuSpecLike[],
  find?: (text: string) => string | null,
): Pick<GpuPort, 'choices' | 'resolveGpu' | 'displayName'> {
  const rentable = specs.filter((g) => !g.legacy);
  const ordered = [...rentable].sort(
    (a, b) => a.memoryGb - b.memoryGb || a.displayName.localeCompare(b.displayName),
  );
  const choices = ordered.map((g) => ({ id: g.id, label: `${g.displayName} · ${g.memoryGb} GB` }));
  return {
    choices: () => choices,
    displayName: (id) => specs.find((g) => g.id === id)?.displayName ?? id,
    resolveGpu: (text) => {
      const t = text.trim();
      if (!t) return null;
      const exact = specs.find((g) => g.id === t || g.id.toLowerCase() === t.toLowerCase());
      if (exact) return exact.id;
      const found = find?.(t);
      if (found) return found;
      const n = norm(t);
      const byName = specs.filter((g) => norm(g.displayName) === n || norm(g.id) === n);
      if (byName.length === 1) return byName[0]?.id ?? null;
      const partial = specs.filter((g) => norm(g.displayName).includes(n) || norm(g.id).includes(n));
      if (partial.length === 1) return partial[0]?.id ?? null;
      // "a6000" also matches "RTX PRO 6000"-style names; prefer a name that ends with what was typed.
      const suffix = partial.filter((g) => norm(g.displayName).endsWith(n));
      return suffix.length === 1 ? (suffix[0]?.id ?? null) : null;
    },
  };
}

/** The whole GpuPort over the catalog's GPU table and the GpuAdvisor (live prices, snapshot fallback). */
export function buildGpuPort(advisor: GpuAdvisor): GpuPort {
  const lookup = gpuLookup(GPUS, (t) => findGpu(t)?.id ?? null);
  return {
    ...lookup,
    answerNow: (q) => advisor.answerNow(q),
    answer: (q) => advisor.answer(q),
    serverless: (q) => advisor.serverless(q),
    prices: async (gpu) => {
      const listing = await advisor.prices(gpu);
      const rows = listing.rows
        .map((r) => ({
          gpuTypeId: r.gpuId,
          displayName: r.gpuName,
          memoryGb: r.memoryGb,
          onDemandUsd: r.onDemandUsdPerGpuHr,
          spotUsd: r.spotUsdPerGpuHr,
          stock: r.stock,
        }))
        .sort(
          (a, b) => (a.onDemandUsd ?? Number.POSITIVE_INFINITY) - (b.onDemandUsd ?? Number.POSITIVE_INFINITY),
        );
      return { rows, source: listing.source };
    },
    stock: async (gpu) => {
      const listing = await advisor.stock(gpu);
      // The advisor lists data centers per GPU; Slack shows GPUs per data center.
      const byDc = new Map<string, DataCenterStock>();
      for (const row of listing.rows) {
        for (const dc of row.dataCenters) {
          const entry = byDc.get(dc.id) ?? { id: dc.id, name: dc.name, location: dc.location, gpus: [] };
          entry.gpus.push({ displayName: row.gpuName, stock: dc.stock });
          byDc.set(dc.id, entry);
        }
      }
      return { dataCenters: [...byDc.values()], note: listing.note };
    },
  };
}
