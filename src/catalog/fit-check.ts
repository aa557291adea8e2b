// The direct answer to "will it fit on my …": yes/no with the margin, and if not, what would.
import type { Analysis, FitTarget } from './analyze.ts';
import type { FitCheckView } from './answer-types.ts';
import { GPUS } from './data/gpus.ts';
import {
  describeLoad,
  type Estimate,
  estimate,
  GPUS_PER_NODE,
  type Task,
  TRAINING_TASKS,
} from './estimate.ts';
import { FORMATS, isGguf } from './formats.ts';
import { TIGHT_FIT_NOTE } from './guides.ts';
import { type PriceBook, priceFor } from './prices.ts';
import { countAllowed } from './parallel.ts';
import {
  CLUSTER_GPU_IDS,
  checkSetup,
  clusterSetups,
  fittingSetups,
  MAX_NODES,
  type Option,
  POD_COUNTS,
  toOption,
} from './recommend.ts';
import type { FormatId, GpuSpec } from './types.ts';
import { gib, round, tokens, usd } from './units.ts';

export interface LighterChoice {
  task: Task;
  format: FormatId;
  label: string;
}

/** Lighter formats or training methods for the same model, lightest last; empty when there is none. */
export function lighterChoices(w: Estimate['workload'], gpu: GpuSpec | null): LighterChoice[] {
  if (w.model.kind !== 'llm') return [];
  const tries: LighterChoice[] = [];
  if (w.task === 'full-finetune')
    tries.push(
      { task: 'lora', format: 'bf16', label: 'LoRA' },
      { task: 'qlora', format: 'nf4', label: 'QLoRA' },
    );
  else if (w.task === 'lora') tries.push({ task: 'qlora', format: 'nf4', label: 'QLoRA' });
  else if (isGguf(w.format)) {
    for (const f of ['gguf-q8_0', 'gguf-q5_k_m', 'gguf-q4_k_m', 'gguf-q3_k_m'] as const) {
      if (FORMATS[f].bits < FORMATS[w.format].bits)
        tries.push({ task: w.task, format: f, label: FORMATS[f].label });
    }
  } else if (w.task === 'serve') {
    if (w.format === 'bf16' || w.format === 'fp32') {
      const eight: FormatId = gpu && !gpu.fp8 ? 'int8' : 'fp8';
      tries.push({ task: 'serve', format: eight, label: FORMATS[eight].label });
    }
    if (FORMATS[w.format].bits > 4.2) tries.push({ task: 'serve', format: 'awq', label: 'AWQ 4-bit' });
  }
  return tries;
}

/** A lighter format or training method that makes the same setup fit, as a sentence; null if none. */
function smallerThatFits(e: Estimate, usableGiB: number, n: number, gpu: GpuSpec | null): string | null {
  for (const t of lighterChoices(e.workload, gpu)) {
    const alt = estimate({ ...e.workload, task: t.task, format: t.format });
    const c = checkSetup(alt, usableGiB, n);
    if (c.fits) return `With ${t.label} it needs ${gib(c.perGpuNeedGiB)} GiB per GPU and fits.`;
  }
  return null;
}

/** A bare memory size ("a 24 GB card") as a RunPod card: the card with that label the answer is about. */
export interface ResolvedFit extends FitTarget {
  /** The memory size asked about, when the card was chosen for it. */
  vramAsked: number | null;
  /** Cards of the same label with a different verdict (e.g. 48 GB cards that show 45 GiB with ECC). */
  sameLabelOther: GpuSpec[];
}

const NONE_OTHER: GpuSpec[] = [];
// A literal, not a spread: this runs for every fit question.
const asIs = (f: FitTarget): ResolvedFit => ({
  gpu: f.gpu,
  name: f.name,
  usableGiB: f.usableGiB,
  count: f.count,
  owned: f.owned,
  vramAsked: null,
  sameLabelOther: NONE_OTHER,
});

/**
 * Resolve a bare memory size to a rentable card of that label: one that fits at the asked count (or at its
 * fewest count for "how many"), else the cheapest; the rest of the label's cards that disagree are named.
 * Owned cards, named GPUs and sizes no RunPod card has stay as they are.
 */
export function resolveFit(f: FitTarget, e: Estimate, book: PriceBook): ResolvedFit {
  if (f.gpu !== null || f.owned) return asIs(f);
  const label = f.usableGiB;
  let best: { g: GpuSpec; n: number; fits: boolean; price: number } | null = null;
  const rows: { g: GpuSpec; fits: boolean }[] = [];
  for (const g of GPUS) {
    if (g.legacy || g.memoryGb !== label) continue;
    const n =
      f.count ??
      fittingSetups(e, { gpuIds: new Set([g.id]) })[0]?.count ??
      POD_COUNTS.find((k) => k <= g.maxCount && checkSetup(e, g.usableGiB, k).fits) ??
      1;
    const fits = checkSetup(e, g.usableGiB, n).fits;
    const per = priceFor(book, g.id, n).onDemandPerGpu;
    const price = per === null ? Number.POSITIVE_INFINITY : per * n;
    rows.push({ g, fits });
    if (
      !best ||
      (fits && !best.fits) ||
      (fits === best.fits && (n < best.n || (n === best.n && price < best.price)))
    )
      best = { g, n, fits, price };
  }
  if (!best) return asIs(f);
  const chosen = best;
  return {
    gpu: { kind: 'runpod', gpu: chosen.g },
    name: chosen.g.displayName,
    usableGiB: chosen.g.usableGiB,
    count: f.count,
    owned: false,
    vramAsked: label,
    sameLabelOther: rows.filter((r) => r.fits !== chosen.fits).map((r) => r.g),
  };
}

/** A named count a pod cannot have, moved to one RunPod rents, with the reason; null when it can. */
function rentableCount(
  gpu: GpuSpec,
  n: number,
  w: Estimate['workload'],
): { count: number; note: string } | null {
  if (n <= gpu.maxCount) return null;
  const cluster =
    CLUSTER_GPU_IDS.has(gpu.id) &&
    w.model.kind === 'llm' &&
    countAllowed(w.model, w.format, GPUS_PER_NODE, TRAINING_TASKS.has(w.task));
  if (cluster) {
    const nodes = Math.min(MAX_NODES, Math.ceil(n / GPUS_PER_NODE));
    const count = nodes * GPUS_PER_NODE;
    if (count === n) return null;
    return {
      count,
      note: `${n}× ${gpu.displayName} is not one pod (a pod holds at most ${gpu.maxCount}); RunPod Instant Clusters come in nodes of ${GPUS_PER_NODE}, so this is sized at ${nodes} nodes × ${GPUS_PER_NODE} = ${count}.`,
    };
  }
  return {
    count: gpu.maxCount,
    note: `${n}× ${gpu.displayName} is not something RunPod rents: a pod holds at most ${gpu.maxCount}, and ${gpu.displayName} is not offered as a multi-node Instant Cluster; sized at ${gpu.maxCount}.`,
  };
}

export function fitCheckView(
  a: Analysis,
  f: ResolvedFit,
  e: Estimate,
  book: PriceBook,
  options: Option[],
): FitCheckView {
  const runpod = f.gpu?.kind === 'runpod' ? f.gpu.gpu : null;
  let count = f.count;
  let countFound = false;
  if (count === null && runpod) {
    const only = { gpuIds: new Set([runpod.id]) };
    const s = fittingSetups(e, only)[0];
    // No tensor-parallel count fits: the fewest pod GPUs that do with pipeline parallel, else a cluster.
    const piped = s
      ? undefined
      : POD_COUNTS.find((n) => n <= runpod.maxCount && checkSetup(e, f.usableGiB, n).fits);
    const cluster = s || piped ? undefined : clusterSetups(e, only)[0];
    count = s?.count ?? piped ?? cluster?.count ?? runpod.maxCount;
    countFound = Boolean(s || piped || cluster);
  }
  if (count === null && !runpod) {
    // "How many 24 GB cards" of a size no RunPod card has: the fewest pod count that fits.
    const k = POD_COUNTS.find((x) => checkSetup(e, f.usableGiB, x).fits);
    count = k ?? 1;
    countFound = k !== undefined;
  }
  let n = count ?? 1;
  const moved = runpod ? rentableCount(runpod, n, e.workload) : null;
  if (moved) n = moved.count;
  const c = checkSetup(e, f.usableGiB, n);
  const price = runpod ? priceFor(book, runpod.id, n) : null;
  const setupName = `${n}× ${f.name}${f.vramAsked !== null ? ` (${f.vramAsked} GB)` : ''}`;
  const w = e.workload;
  let verdict: string;
  if (c.fits) {
    verdict =
      `Yes: ${w.model.name} (${FORMATS[w.format].label}, ${describeLoad(w)}) fits on ${setupName}` +
      `${countFound && f.count === null ? ' (the fewest that fit)' : ''}: ${gib(c.perGpuNeedGiB)} GiB per GPU of ` +
      `${gib(c.budgetGiB)} GiB usable, ${gib(c.marginGiB)} GiB to spare.`;
    if (c.parallelism === 'multi-node' && !moved) {
      verdict += ` One pod holds at most ${runpod?.maxCount ?? 8} GPUs: this is a RunPod Instant Cluster of ${n / 8} nodes × 8 GPUs (tensor parallel inside a node, pipeline parallel across nodes).`;
    }
    if (c.tensorParallelProblem) {
      verdict += ` Tensor parallel cannot use ${n} GPUs (${c.tensorParallelProblem}): run it with pipeline parallelism (vLLM --pipeline-parallel-size ${n}).`;
    }
    if (c.maxContextTokens !== null && w.model.kind === 'llm') {
      verdict += ` Up to ${tokens(c.maxContextTokens)} tokens of context fit per sequence at ${w.concurrency} sequence(s).`;
    }
    if (c.marginGiB < Math.max(1, f.usableGiB * 0.03)) verdict += ` Tight: ${TIGHT_FIT_NOTE.slice(11)}`;
    if (n > 1 && runpod && f.count !== null) {
      const fewer = fittingSetups(e, { gpuIds: new Set([runpod.id]) })[0];
      if (fewer && fewer.count < n)
        verdict += ` ${fewer.count}× would also do (${gib(fewer.need)} GiB per GPU).`;
    }
  } else {
    verdict =
      `No: ${w.model.name} (${FORMATS[w.format].label}, ${describeLoad(w)}) needs ${gib(c.perGpuNeedGiB)} GiB per GPU; ` +
      `${setupName} gives ${gib(c.budgetGiB)} GiB usable per GPU — ${gib(-c.marginGiB)} GiB short.`;
    if (c.maxContextTokens !== null && c.maxContextTokens >= 1024 && w.model.kind === 'llm') {
      verdict += ` It would fit with the context capped at ${tokens(c.maxContextTokens)} tokens.`;
    }
    const smaller = smallerThatFits(e, f.usableGiB, n, runpod);
    if (smaller) verdict += ` ${smaller}`;
  }
  if (f.vramAsked !== null && runpod) {
    const others = f.sameLabelOther.map((g) => `${g.displayName} (${gib(g.usableGiB)} GiB usable)`);
    verdict += ` Sized on the ${runpod.displayName} (${gib(runpod.usableGiB)} GiB usable), the cheapest ${f.vramAsked} GB card ${
      c.fits ? 'that fits' : 'RunPod rents'
    }${others.length ? `; ${c.fits ? 'not' : 'but'} on ${others.join(', ')}` : ''}.`;
  }
  if (moved) verdict = `${moved.note} ${verdict}`;
  let nearest: Option | null = null;
  if (!c.fits) {
    const same = runpod ? fittingSetups(e, { gpuIds: new Set([runpod.id]) })[0] : undefined;
    if (same && same.count > n) nearest = toOption(e, same, book, a.rankRequest.budgetUsdPerHr, a.rate);
    else nearest = options[0] ?? null;
    if (nearest) {
      verdict += ` Nearest setup that works: ${nearest.count}× ${nearest.gpuName} (${gib(nearest.perGpuNeedGiB)} GiB per GPU${
        nearest.onDemandUsdPerHr !== null ? `, ${usd(nearest.onDemandUsdPerHr)}/h` : ''
      }).`;
    }
  }
  return {
    gpuId: runpod?.id ?? null,
    gpuName: f.name,
    count: n,
    owned: f.owned,
    rentable: runpod !== null,
    fits: c.fits,
    verdict,
    perGpuNeedGiB: c.perGpuNeedGiB,
    usableGiB: c.usableGiB,
    budgetGiB: c.budgetGiB,
    marginGiB: c.marginGiB,
    parallelism: c.parallelism,
    tensorParallelProblem: c.tensorParallelProblem,
    maxContextTokens: c.maxContextTokens,
    onDemandUsdPerHr: price?.onDemandPerGpu != null && !f.owned ? round(price.onDemandPerGpu * n, 4) : null,
    spotUsdPerHr: price?.spotPerGpu != null && !f.owned ? round(price.spotPerGpu * n, 4) : null,
    priceSource: price && !f.owned ? price.source : 'none',
    nearest,
  };
}
