// GPU info and spot-advice answers: specs and prices of named GPUs (or those matching a memory or
// budget filter), with what the largest common models need on them.
import { type Analysis, DEFAULT_CONTEXT } from './analyze.ts';
import { makeAnswer, priceSourceView } from './answer-parts.ts';
import type { Answer, GpuInfoView } from './answer-types.ts';
import { GPU_BY_ID, GPUS } from './data/gpus.ts';
import { MODEL_BY_ID } from './data/models.ts';
import { estimate } from './estimate.ts';
import { FORMATS } from './formats.ts';
import { type PriceBook, priceFor } from './prices.ts';
import type { GpuSpec, ModelSpec } from './types.ts';
import { gib, int, usd, UTILISATION } from './units.ts';

const LINK_LABEL: Readonly<Record<GpuSpec['interconnect'], (gbs: number | null) => string>> = {
  nvswitch: (gbs) => `NVLink/NVSwitch ${gbs} GB/s`,
  nvlink: (gbs) => `NVLink ${gbs} GB/s`,
  'nvlink-bridge': (gbs) => `PCIe (NVLink bridge ${gbs} GB/s if the host has one)`,
  'infinity-fabric': (gbs) => `Infinity Fabric ${gbs} GB/s`,
  pcie: () => 'PCIe only',
};

function gpuInfoRow(g: GpuSpec, book: PriceBook): GpuInfoView {
  const p = priceFor(book, g.id, 1);
  return {
    gpuId: g.id,
    gpuName: g.displayName,
    architecture: g.architecture,
    memoryGb: g.memoryGb,
    usableGiB: g.usableGiB,
    bandwidthGBs: g.bandwidthGBs,
    fp16TensorTflops: g.fp16TensorTflops,
    fp8: g.fp8,
    interconnect: LINK_LABEL[g.interconnect](g.interconnectGBs),
    bestFor: g.bestFor,
    onDemandUsdPerGpuHr: p.onDemandPerGpu,
    spotUsdPerGpuHr: p.spotPerGpu,
    priceSource: p.source,
    stock: p.stock,
  };
}

export function infoAnswer(a: Analysis, book: PriceBook): Answer {
  let rows: GpuInfoView[];
  if (a.kind === 'spot-advice') {
    rows = GPUS.map((g) => gpuInfoRow(g, book))
      .filter((r) => r.spotUsdPerGpuHr !== null && r.onDemandUsdPerGpuHr !== null)
      .sort(
        (x, y) => x.spotUsdPerGpuHr! / x.onDemandUsdPerGpuHr! - y.spotUsdPerGpuHr! / y.onDemandUsdPerGpuHr!,
      );
  } else {
    rows = a.infoGpus.map((g) => gpuInfoRow(g, book));
    if (a.intent.gpus.length === 0) {
      const budget = a.intent.budget?.usdPerHr ?? null;
      rows = rows.filter(
        (r) => budget === null || (r.onDemandUsdPerGpuHr !== null && r.onDemandUsdPerGpuHr <= budget + 1e-9),
      );
      // Within a budget the question is what fits: most memory first; otherwise cheapest first.
      rows.sort(
        budget !== null
          ? (x, y) =>
              y.usableGiB - x.usableGiB || (x.onDemandUsdPerGpuHr ?? 1e9) - (y.onDemandUsdPerGpuHr ?? 1e9)
          : (x, y) =>
              (x.onDemandUsdPerGpuHr ?? 1e9) - (y.onDemandUsdPerGpuHr ?? 1e9) || x.usableGiB - y.usableGiB,
      );
    }
  }
  const capacity: string[] = [];
  if (a.kind === 'gpu-info') {
    for (const r of rows.slice(0, 3)) {
      const line = capacityLine(GPU_BY_ID.get(r.gpuId)!);
      if (line) capacity.push(line);
    }
  }
  const ps = priceSourceView(
    book,
    rows.map((r) => r.priceSource),
  );
  let headline: string;
  if (a.kind === 'spot-advice') {
    headline = a.intent.production
      ? 'Not on its own: spot pods can be interrupted at any time — use on-demand (or serverless) for a production API.'
      : 'Spot is cheaper but interruptible: fine for batch work and checkpointed training, not for an API on its own.';
  } else if (rows.length === 1) {
    const r = rows[0]!;
    headline =
      `${r.gpuName}: ${r.memoryGb} GB (${gib(r.usableGiB)} GiB usable), ${int(r.bandwidthGBs)} GB/s` +
      `${r.fp16TensorTflops !== null ? `, ${r.fp16TensorTflops} TFLOPS BF16 dense` : ''} — ` +
      `${r.onDemandUsdPerGpuHr === null ? 'on-demand price unknown' : `${usd(r.onDemandUsdPerGpuHr)}/h on-demand`}, ` +
      `${r.spotUsdPerGpuHr === null ? 'no spot price known' : `${usd(r.spotUsdPerGpuHr)}/h spot`}.`;
  } else if (rows.length === 0) {
    headline = 'No GPU matches that filter.';
  } else {
    const order = a.intent.gpus.length ? '' : a.intent.budget ? ', most memory first' : ', cheapest first';
    headline = `${rows.length} GPUs${order}: ${rows
      .slice(0, 3)
      .map((r) => `${r.gpuName} ${usd(r.onDemandUsdPerGpuHr)}/h`)
      .join(', ')}${rows.length > 3 ? ', …' : ''}`;
  }
  return makeAnswer(a, {
    status: 'ok',
    kind: a.kind,
    headline,
    message: null,
    examples: [],
    assumptions: a.assumptions,
    estimate: null,
    fitCheck: null,
    options: [],
    guidance: [...capacity, ...a.guidance],
    gpus: rows,
    priceSource: ps,
  });
}

/** Reference models for "what fits on one of these": the common dense sizes, smallest first. */
const CAPACITY_MODELS: readonly ModelSpec[] = [
  'llama-3.2-3b',
  'llama-3.1-8b',
  'mistral-nemo-12b',
  'qwen2.5-14b',
  'mistral-small-24b',
  'qwen2.5-32b',
  'llama-3.3-70b',
  'mistral-large-123b',
  'llama-3.1-405b',
].map((id) => MODEL_BY_ID.get(id)!);

const CAPACITY = new Map<string, string | null>();

/** "On one RTX 4090 (8k context, one user): up to Llama 3.1 8B in BF16, Qwen2.5 14B in FP8, …". */
function capacityLine(gpu: GpuSpec): string | null {
  const hit = CAPACITY.get(gpu.id);
  if (hit !== undefined) return hit;
  const budget = gpu.usableGiB * UTILISATION;
  const parts: string[] = [];
  for (const format of ['bf16', gpu.fp8 ? 'fp8' : 'int8', 'awq'] as const) {
    let best: ModelSpec | null = null;
    for (const m of CAPACITY_MODELS) {
      const e = estimate({
        model: m,
        format,
        task: 'serve',
        contextTokens: DEFAULT_CONTEXT,
        concurrency: 1,
        kvBytes: 2,
        loraRank: 16,
        optimizer: 'adamw',
      });
      if (e.totalGiB <= budget) best = m;
    }
    if (best) parts.push(`${best.name} in ${FORMATS[format].label}`);
  }
  const line = parts.length
    ? `On one ${gpu.displayName} (${gib(budget)} GiB usable, 8k context, one user) the largest common models that fit: ${parts.join(', ')}.`
    : null;
  CAPACITY.set(gpu.id, line);
  return line;
}
