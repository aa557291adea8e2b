// Pieces every answer shares: the intent and estimate views, the price-source summary, the Answer literal.
import type { Analysis } from './analyze.ts';
import type { Answer, EstimateView, IntentView, PriceSourceView } from './answer-types.ts';
import { GPU_BY_ID } from './data/gpus.ts';
import { PRICE_SNAPSHOT_META } from './data/price-snapshot.ts';
import { describeLoad, type Estimate, type Parallelism, type Task } from './estimate.ts';
import { FORMATS } from './formats.ts';
import { describeSource, type PriceBook, type PriceSource } from './prices.ts';
import type { GpuSpec } from './types.ts';
import { gib, round, UTILISATION } from './units.ts';

export const gpuOf = (id: string): GpuSpec => GPU_BY_ID.get(id)!;

export function intentView(a: Analysis): IntentView {
  const i = a.intent;
  const w = a.workload;
  const model = w?.model ?? null;
  const hw = i.hardware;
  return {
    model: model
      ? {
          id: model.id,
          name: model.name,
          repo: model.repo || null,
          paramsB: model.paramsB,
          activeParamsB: model.activeParamsB ?? null,
          generic: i.match.generic,
        }
      : null,
    family: i.match.family?.name ?? i.match.otherFamily ?? null,
    sizeB: i.match.sizeB,
    task: w?.task ?? i.task,
    format: w?.format ?? i.format,
    formatLabel: w ? FORMATS[w.format].label : i.format ? FORMATS[i.format].label : null,
    contextTokens: w ? (w.model.kind === 'image' ? null : w.contextTokens) : i.contextTokens,
    concurrency: w?.concurrency ?? i.concurrency,
    pricing: a.pricing,
    cloud: i.cloud,
    budget: i.budget,
    hardware: hw
      ? {
          gpuId: hw.gpu?.kind === 'runpod' ? hw.gpu.gpu.id : null,
          gpuName: hw.gpu ? (hw.gpu.kind === 'runpod' ? hw.gpu.gpu.displayName : hw.gpu.gpu.name) : null,
          count: hw.count,
          vramGiB: hw.vramGiB,
          owned: hw.owned,
        }
      : null,
    singleGpu: i.singleGpu,
    maxGpuCount: i.maxGpuCount,
    kvCacheDtype: i.kvBytes === 1 ? 'fp8' : 'bf16',
    loraRank: w && (w.task === 'lora' || w.task === 'qlora') ? w.loraRank : i.loraRank,
    stated: a.stated,
    typoCorrections: i.fuzzy,
    negated: i.negated,
    excluded: { formats: i.excludedFormats, gpuIds: i.excludedGpuIds, segments: i.excludedSegments },
    throughput: i.throughput,
    ignoredNumbers: i.ignoredNumbers,
  };
}

export function estimateView(
  e: Estimate,
  top: { count: number; need: number; usable: number; mode: Parallelism } | null,
): EstimateView {
  const w = e.workload;
  const lines = e.lines.slice();
  const single = round(e.totalGiB, 2);
  if (top) {
    const budget = top.usable * UTILISATION;
    const ok = top.need <= budget ? '✓' : '✗';
    const how =
      top.count === 1
        ? '1 GPU'
        : `${top.count} GPUs, ${top.mode === 'tensor' ? `TP=${top.count}` : top.mode}`;
    lines.push(
      `total per GPU (${how}) = ${gib(top.need)} GiB ${ok === '✓' ? '≤' : '>'} 0.95 × ${gib(top.usable)} GiB usable = ${gib(budget)} GiB ${ok}`,
    );
  } else {
    lines.push(`total on one GPU = ${gib(single)} GiB`);
  }
  return {
    model: w.model.name,
    format: FORMATS[w.format].label,
    task: w.task,
    load: describeLoad(w),
    contextTokens: w.contextTokens,
    concurrency: w.concurrency,
    weightsGiB: round(e.weightsGiB, 2),
    kvBytesPerToken: e.kvBytesPerToken,
    kvGiB: round(e.kvGiB, 2),
    runtimeGiB: e.runtimeGiB,
    trainingStatesGiB: round(e.trainStatesGiB, 2),
    activationsGiB: round(e.activationsGiB, 2),
    totalGiB: single,
    lines,
  };
}

export function priceSourceView(book: PriceBook, sources: Iterable<PriceSource>): PriceSourceView {
  const set = new Set<PriceSource>();
  for (const s of sources) if (s !== 'none') set.add(s);
  let liveAt = '';
  for (const v of book.live.values()) if (v.batch.fetchedAt > liveAt) liveAt = v.batch.fetchedAt;
  const used: PriceSourceView['used'] = set.size === 0 ? 'none' : set.size === 1 ? [...set][0]! : 'mixed';
  let text: string;
  if (used === 'none') text = 'No prices known for these GPUs.';
  else if (used === 'mixed') {
    text = `Prices: ${[...set].map((s) => describeSource(s, s === 'snapshot' ? null : liveAt || null)).join('; ')} (each option says which).`;
  } else text = `Prices: ${describeSource(used, used === 'snapshot' ? null : liveAt || null)}.`;
  if (book.liveProblem) text += ` Live prices unavailable: ${book.liveProblem}`;
  return {
    used,
    text,
    snapshotAsOf: PRICE_SNAPSHOT_META.asOf,
    snapshotSource: PRICE_SNAPSHOT_META.source,
    liveProblem: book.liveProblem,
  };
}

export type AnswerParts = Omit<Answer, 'question' | 'intent'>;

/** The Answer literal in a fixed key order (built field by field: object spreads are slow on this path). */
export function makeAnswer(a: Analysis, p: AnswerParts): Answer {
  return {
    status: p.status,
    kind: p.kind,
    question: a.intent.question,
    headline: p.headline,
    message: p.message,
    examples: p.examples,
    intent: intentView(a),
    assumptions: p.assumptions,
    estimate: p.estimate,
    fitCheck: p.fitCheck,
    options: p.options,
    guidance: p.guidance,
    gpus: p.gpus,
    priceSource: p.priceSource,
  };
}

export function taskLabel(t: Task): string {
  switch (t) {
    case 'serve':
      return 'serving';
    case 'lora':
      return 'LoRA fine-tune';
    case 'qlora':
      return 'QLoRA fine-tune';
    case 'full-finetune':
      return 'full fine-tune';
    case 'embeddings':
      return 'embeddings';
    case 'transcription':
      return 'transcription';
    case 'image-generation':
      return 'image generation';
  }
}
