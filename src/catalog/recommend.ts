// Recommender: every GPU type that fits (with its smallest valid count), ranked by price; and the
// direct yes/no for a setup the user names.
import { GPUS } from './data/gpus.ts';
import {
  contextFrom,
  contextTerms,
  type Estimate,
  GPUS_PER_NODE,
  kvPerGpuGiB,
  maxContextFor,
  type Parallelism,
  parallelismFor,
  perGpuNeed,
  TRAINING_TASKS,
} from './estimate.ts';
import { splitsLayers } from './formats.ts';
import { countAllowed, tensorParallelProblem } from './parallel.ts';
import { type GpuPrice, type PriceBook, type PriceSource, priceFor, type StockLevel } from './prices.ts';
import { type TargetRate, type ThroughputView, throughputFor, usdPerMillion } from './throughput.ts';
import type { GpuSpec } from './types.ts';
import { HOURS_PER_DAY, round, UTILISATION, VLLM_DEFAULT_UTILISATION } from './units.ts';

export interface Option {
  rank: number;
  /** named: the hardware the question named (with `fits` as its verdict); alternative: others after it;
   *  ranked: no hardware was named. */
  role: 'named' | 'alternative' | 'ranked';
  /** Fits within 0.95 × usable memory (only a named setup can be false). */
  fits: boolean;
  /** defaults: fits with the runtime's default flags; tuned: only with tuned flags; tight: under 1 GiB spare;
   *  n/a: no default-flags rule applies (training, llama.cpp, non-LLMs). */
  comfort: 'defaults' | 'tuned' | 'tight' | 'n/a';
  /** Machines: 1 for a pod, more for an Instant Cluster. */
  nodes: number;
  gpusPerNode: number;
  /** RunPod gpuTypeId. */
  gpuId: string;
  gpuName: string;
  count: number;
  parallelism: Parallelism;
  perGpuNeedGiB: number;
  usableGiB: number;
  /** usable × 0.95: what the plan may fill. */
  budgetGiB: number;
  headroomGiB: number;
  headroomPct: number;
  /** Also fits with vLLM's default flags (gpu-memory-utilization 0.9, default runtime overhead); null if n/a. */
  fitsWithVllmDefaults: boolean | null;
  /** Largest context per sequence that fits at the stated concurrency; null when context does not apply. */
  maxContextTokens: number | null;
  interconnect: string;
  bandwidthGBs: number;
  onDemandUsdPerGpuHr: number | null;
  spotUsdPerGpuHr: number | null;
  onDemandUsdPerHr: number | null;
  spotUsdPerHr: number | null;
  onDemandUsdPerDay: number | null;
  spotUsdPerDay: number | null;
  onDemandCloud: 'SECURE' | 'COMMUNITY' | null;
  priceSource: PriceSource;
  priceAsOf: string | null;
  priceCaveat: string | null;
  stock: StockLevel;
  /** null when no budget was given or the price is unknown. */
  withinBudget: boolean | null;
  /** Decode-throughput estimate (roofline; THROUGHPUT_METHOD); null for training and non-LLMs. */
  decode: ThroughputView | null;
  /** $ per million output tokens at `decode.aggregateTokPerSec` (on-demand, or spot when ranked by spot). */
  usdPerMillionTokens: number | null;
  why?: string;
}

export interface RankRequest {
  pricing: 'on-demand' | 'spot';
  budgetUsdPerHr: number | null;
  /** Only these GPU ids (e.g. "on 4090s"). */
  gpuIds?: ReadonlySet<string>;
  /** Only these counts (e.g. "single GPU"). */
  counts?: readonly number[];
  /** Minimum usable memory per GPU. */
  minUsableGiB?: number;
  /** GPU ids and segments the question ruled out ("no 4090s", "anything but consumer cards"). */
  excludeGpuIds?: ReadonlySet<string>;
  excludeSegments?: ReadonlySet<GpuSpec['segment']>;
}

// Module-level copies of imported constants: read on every option.
const U = UTILISATION;
const U_DEFAULT = VLLM_DEFAULT_UTILISATION;
const PER_NODE = GPUS_PER_NODE;

/** GPUs considered for recommendations, most memory first (legacy types excluded). */
const RECOMMENDABLE: readonly GpuSpec[] = GPUS.filter((g) => !g.legacy);
/** Counts pods come in and people use: machines hold 1, 2, 4 or 8 GPUs (tensor parallel also needs them). */
export const POD_COUNTS = [1, 2, 4, 8] as const;

/** Why a GPU type cannot run this workload at all (independent of memory), or null. */
export function unsupportedReason(gpu: GpuSpec, e: Estimate): string | null {
  const w = e.workload;
  if (gpu.vendor === 'AMD' && (w.format === 'nf4' || w.task === 'qlora')) {
    return 'bitsandbytes (NF4/QLoRA) support on ROCm is limited';
  }
  if (!gpu.bf16 && (w.format === 'bf16' || TRAINING_TASKS.has(w.task))) return 'no BF16 support';
  return null;
}

export interface Setup {
  gpu: GpuSpec;
  count: number;
  mode: Parallelism;
  need: number;
  /** What every GPU type shares at this count (computed once per count by fittingSetups). */
  basis?: CountBasis;
}

/** Per-count terms every GPU type shares: the need with vLLM's default flags, the KV part of the need, and the
 *  fixed part and KV scale of the longest-context formula. */
export interface CountBasis {
  /** vLLM serving, where the default-flags rule applies. */
  vllm: boolean;
  needDefaults: number;
  kvPerGpu: number;
  ctxFixed: number;
  ctxScale: number;
}

export function countBasis(e: Estimate, n: number, mode: Parallelism): CountBasis {
  const ctx = contextTerms(e, n, mode);
  const w = e.workload;
  return {
    vllm: w.model.kind === 'llm' && !TRAINING_TASKS.has(w.task) && !splitsLayers(w.format),
    needDefaults: perGpuNeed(e, n, mode, e.runtimeDefaultGiB),
    kvPerGpu: kvPerGpuGiB(e, n, mode),
    ctxFixed: ctx === null ? Number.NaN : ctx.fixed,
    ctxScale: ctx === null ? Number.NaN : ctx.kvScale,
  };
}

/** For each GPU type, the smallest valid count that fits (more of the same card only costs more). */
export function fittingSetups(
  e: Estimate,
  req: Pick<RankRequest, 'gpuIds' | 'counts' | 'minUsableGiB' | 'excludeGpuIds' | 'excludeSegments'> = {},
): Setup[] {
  const w = e.workload;
  const training = TRAINING_TASKS.has(w.task);
  const wanted = req.counts ?? POD_COUNTS;
  // Valid counts and the per-GPU need for each, computed once for all GPU types.
  const counts: number[] = [];
  const modes: Parallelism[] = [];
  const needs: number[] = [];
  const bases: CountBasis[] = [];
  for (const n of wanted) {
    if (!countAllowed(w.model, w.format, n, training)) continue;
    const mode = parallelismFor(w, n, true);
    counts.push(n);
    modes.push(mode);
    needs.push(perGpuNeed(e, n, mode));
    bases.push(countBasis(e, n, mode));
  }
  const out: Setup[] = [];
  for (const gpu of RECOMMENDABLE) {
    if (req.gpuIds && !req.gpuIds.has(gpu.id)) continue;
    if (req.excludeGpuIds?.has(gpu.id) || req.excludeSegments?.has(gpu.segment)) continue;
    if (req.minUsableGiB !== undefined && gpu.usableGiB < req.minUsableGiB) continue;
    if (unsupportedReason(gpu, e)) continue;
    const budget = gpu.usableGiB * UTILISATION;
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i]!;
      if (n > gpu.maxCount) continue;
      if (needs[i]! <= budget) {
        out.push({ gpu, count: n, mode: modes[i]!, need: needs[i]!, basis: bases[i]! });
        break;
      }
    }
  }
  return out;
}

/**
 * GPU types RunPod rents as Instant Clusters (multi-node, 8 GPUs per node; runpod/docs instant-clusters/*.mdx,
 * e.g. "16x H100 SXM"), and the most nodes we size.
 */
export const CLUSTER_GPU_IDS: ReadonlySet<string> = new Set([
  'NVIDIA H100 80GB HBM3',
  'NVIDIA H200',
  'NVIDIA B200',
  'NVIDIA A100-SXM4-80GB',
]);
export const MAX_NODES = 8;

/** Beyond one machine: for each cluster GPU type, the fewest nodes that hold one replica. */
export function clusterSetups(
  e: Estimate,
  req: Pick<RankRequest, 'gpuIds' | 'excludeGpuIds' | 'excludeSegments'> = {},
): Setup[] {
  const w = e.workload;
  if (!countAllowed(w.model, w.format, GPUS_PER_NODE, TRAINING_TASKS.has(w.task))) return [];
  const out: Setup[] = [];
  for (const gpu of RECOMMENDABLE) {
    if (!CLUSTER_GPU_IDS.has(gpu.id) || (req.gpuIds && !req.gpuIds.has(gpu.id))) continue;
    if (req.excludeGpuIds?.has(gpu.id) || req.excludeSegments?.has(gpu.segment)) continue;
    if (unsupportedReason(gpu, e)) continue;
    for (let nodes = 2; nodes <= MAX_NODES; nodes++) {
      const n = nodes * GPUS_PER_NODE;
      const need = perGpuNeed(e, n, 'multi-node');
      if (need <= gpu.usableGiB * UTILISATION) {
        out.push({ gpu, count: n, mode: 'multi-node', need, basis: countBasis(e, n, 'multi-node') });
        break;
      }
    }
  }
  return out;
}

type LinkNotes = Record<Parallelism, string>;

function describeLink(gpu: GpuSpec, mode: Parallelism): string {
  if (mode === 'single') return 'single GPU';
  if (mode === 'multi-node')
    return `RunPod Instant Cluster: tensor parallel over NVLink inside each ${GPUS_PER_NODE}-GPU node, pipeline parallel (or FSDP for training) across nodes`;
  const how =
    mode === 'tensor'
      ? 'tensor parallel'
      : mode === 'fsdp'
        ? 'FSDP'
        : mode === 'pipeline'
          ? 'pipeline parallel'
          : 'layer split';
  switch (gpu.interconnect) {
    case 'nvswitch':
      return `${how} over NVLink/NVSwitch (${gpu.interconnectGBs} GB/s)`;
    case 'nvlink':
      return `${how} over NVLink (${gpu.interconnectGBs} GB/s)`;
    case 'infinity-fabric':
      return `${how} over AMD Infinity Fabric (${gpu.interconnectGBs} GB/s)`;
    case 'nvlink-bridge':
      return `${how} over PCIe; NVLink bridge (${gpu.interconnectGBs} GB/s) only if the host has one (check nvidia-smi topo -m)`;
    default:
      return `${how} over PCIe only (no NVLink)`;
  }
}

/** Interconnect sentences per GPU and parallelism, built once. */
const LINK_NOTES: ReadonlyMap<GpuSpec, LinkNotes> = new Map(
  GPUS.map((g) => [
    g,
    {
      single: describeLink(g, 'single'),
      tensor: describeLink(g, 'tensor'),
      pipeline: describeLink(g, 'pipeline'),
      'layer-split': describeLink(g, 'layer-split'),
      fsdp: describeLink(g, 'fsdp'),
      'multi-node': describeLink(g, 'multi-node'),
    },
  ]),
);

const interconnectNote = (gpu: GpuSpec, count: number, mode: Parallelism): string =>
  count === 1 ? 'single GPU' : LINK_NOTES.get(gpu)![mode];

const r2 = (n: number): number => Math.round(n * 100) / 100;
const perDay = (perHr: number | null): number | null => (perHr === null ? null : r2(perHr * HOURS_PER_DAY));
const total = (perGpu: number | null, n: number): number | null =>
  perGpu === null ? null : Math.round(perGpu * n * 10000) / 10000;

/** What the throughput estimate needs from the question. */
export interface RateContext {
  concurrencyStated: boolean;
  target: TargetRate | null;
  pricing: 'on-demand' | 'spot';
  /** The cloud the question asked for ("not on community cloud" → SECURE): live prices of that cloud only. */
  cloud: 'SECURE' | 'COMMUNITY' | null;
}
const NO_RATE: RateContext = { concurrencyStated: false, target: null, pricing: 'on-demand', cloud: null };

/** On-demand $/GPU/h and its cloud for the cloud asked for; the snapshot is SECURE-only and kept as it is. */
function cloudPrice(
  price: GpuPrice,
  cloud: RateContext['cloud'],
): { perGpu: number | null; cloud: GpuPrice['onDemandCloud'] } {
  if (cloud === null || price.source === 'snapshot' || price.source === 'none')
    return { perGpu: price.onDemandPerGpu, cloud: price.onDemandCloud };
  const perGpu = cloud === 'SECURE' ? price.secureOnDemandPerGpu : price.communityOnDemandPerGpu;
  return { perGpu, cloud: perGpu === null ? null : cloud };
}

export function toOption(
  e: Estimate,
  s: Setup,
  book: PriceBook,
  budgetUsdPerHr: number | null,
  rate: RateContext = NO_RATE,
): Option {
  const price = priceFor(book, s.gpu.id, s.count);
  const b = s.basis ?? countBasis(e, s.count, s.mode);
  const usable = s.gpu.usableGiB;
  const budget = usable * U;
  const asked = rate.cloud === null ? null : cloudPrice(price, rate.cloud);
  const odPerGpu = asked ? asked.perGpu : price.onDemandPerGpu;
  const od = total(odPerGpu, s.count);
  const spot = total(price.spotPerGpu, s.count);
  const defaults = b.vllm ? b.needDefaults <= usable * U_DEFAULT : null;
  const headroom = budget - s.need;
  const nodes = s.mode === 'multi-node' ? s.count / PER_NODE : 1;
  const fits = s.need <= budget + 1e-9;
  // No speed for a setup that does not fit (only a named one can be shown so).
  const decode = fits
    ? throughputFor(
        e,
        s.gpu,
        s.count,
        s.mode,
        budget,
        s.need,
        rate.concurrencyStated,
        rate.target,
        b.kvPerGpu,
      )
    : null;
  const perHr = rate.pricing === 'spot' ? (spot ?? od) : od;
  return {
    rank: 0,
    role: 'ranked',
    fits,
    comfort: headroom < TIGHT_GIB ? 'tight' : defaults === null ? 'n/a' : defaults ? 'defaults' : 'tuned',
    nodes,
    gpusPerNode: s.count / nodes,
    gpuId: s.gpu.id,
    gpuName: s.gpu.displayName,
    count: s.count,
    parallelism: s.mode,
    perGpuNeedGiB: r2(s.need),
    usableGiB: usable,
    budgetGiB: r2(budget),
    headroomGiB: r2(headroom),
    headroomPct: Math.round((headroom / usable) * 1000) / 10,
    fitsWithVllmDefaults: defaults,
    maxContextTokens: Number.isNaN(b.ctxFixed) ? null : contextFrom(e, b.ctxFixed, b.ctxScale, budget),
    interconnect: interconnectNote(s.gpu, s.count, s.mode),
    bandwidthGBs: s.gpu.bandwidthGBs,
    onDemandUsdPerGpuHr: odPerGpu,
    spotUsdPerGpuHr: price.spotPerGpu,
    onDemandUsdPerHr: od,
    spotUsdPerHr: spot,
    onDemandUsdPerDay: perDay(od),
    spotUsdPerDay: perDay(spot),
    onDemandCloud: asked ? asked.cloud : price.onDemandCloud,
    priceSource: price.source,
    priceAsOf: price.asOf,
    priceCaveat: price.caveat,
    stock: price.stock,
    withinBudget: budgetUsdPerHr === null || od === null ? null : od <= budgetUsdPerHr + 1e-9,
    decode,
    usdPerMillionTokens: decode ? usdPerMillion(perHr, decode.aggregateTokPerSec) : null,
  };
}

/** Less spare memory than this per GPU is a tight fit: never the first option while another fits. */
export const TIGHT_GIB = 1;
/** A setup that fits with default flags ranks ahead of a tuned-only one up to this much dearer (15 %). */
export const COMFORT_PREMIUM = 1.15;

/** NVLink/NVSwitch or Infinity Fabric between the GPUs of a pod. */
const fastLink = (g: GpuSpec): boolean =>
  g.interconnect === 'nvswitch' || g.interconnect === 'nvlink' || g.interconnect === 'infinity-fabric';

/**
 * Ranking price: the setup's price, with multi-GPU setups that talk over PCIe counted dearer per extra GPU
 * (gpu-sizing.md §5: "penalise n>1 on PCIe-only types") — 10 % for tensor/layer split, 15 % for FSDP
 * training — and 2 % per extra GPU on NVLink/NVSwitch/Infinity Fabric. Shown prices are never changed.
 */
export function rankingPrice(o: Option, price: number, gpu: GpuSpec): number {
  if (o.count === 1) return price;
  const fast = fastLink(gpu);
  const perExtra = fast ? 0.02 : o.parallelism === 'fsdp' ? 0.15 : 0.1;
  return price * (1 + perExtra * (o.count - 1));
}

// Scratch columns for rank(), reused across calls (ranking is synchronous and never re-entered). KEY is the
// group × 1e7 plus the ranking price: within a group the prices are all known or all unknown (group 5).
let KEY = new Float64Array(64);
let GROUP = new Int8Array(64);
let SLOW = new Int8Array(64);
let ORDER = new Int32Array(64);

/** Ties on group and price (within half a cent): fewer GPUs, a fast link, more bandwidth, less memory. */
function tieBefore(os: readonly Option[], i: number, j: number): boolean {
  const x = os[i]!;
  const y = os[j]!;
  if (x.count !== y.count) return x.count < y.count;
  if (SLOW[i] !== SLOW[j]) return SLOW[i]! < SLOW[j]!;
  if (x.bandwidthGBs !== y.bandwidthGBs) return x.bandwidthGBs > y.bandwidthGBs;
  return x.usableGiB < y.usableGiB;
}

/** Sort: priced and within budget and in stock first, by ranking price; then over budget; out of stock; unpriced. */
export function rank(
  options: Option[],
  pricing: 'on-demand' | 'spot',
  gpuOf: (id: string) => GpuSpec,
  /** The setups the options were built from, in the same order (saves a GPU lookup per option). */
  setups?: readonly Setup[],
): Option[] {
  const n = options.length;
  if (n > KEY.length) {
    KEY = new Float64Array(n * 2);
    GROUP = new Int8Array(n * 2);
    SLOW = new Int8Array(n * 2);
    ORDER = new Int32Array(n * 2);
  }
  for (let i = 0; i < n; i++) {
    const o = options[i]!;
    const g = setups?.[i]?.gpu ?? gpuOf(o.gpuId);
    const k = pricing === 'spot' ? o.spotUsdPerHr : o.onDemandUsdPerHr;
    let group: number;
    if (k === null) group = pricing === 'spot' && o.onDemandUsdPerHr !== null ? 4 : 5;
    else if (o.stock === 'None') group = 3;
    else if (o.withinBudget === false || o.decode?.meetsTarget === false) group = 2;
    else group = 1;
    const one = k ?? o.onDemandUsdPerHr;
    const premium = o.comfort === 'tuned' || o.comfort === 'tight' ? COMFORT_PREMIUM : 1;
    GROUP[i] = group;
    const key =
      group * 1e7 +
      (one === null ? 0 : rankingPrice(o, o.decode === null ? one : one * o.decode.replicas, g) * premium);
    KEY[i] = key;
    SLOW[i] = fastLink(g) ? 0 : 1;
    // Insertion sort (stable; a few dozen rows at most).
    let j = i;
    while (j > 0) {
      const p = ORDER[j - 1]!;
      const d = key - KEY[p]!;
      if (d <= -0.005 || (d < 0.005 && tieBefore(options, i, p))) {
        ORDER[j] = p;
        j--;
      } else break;
    }
    ORDER[j] = i;
  }
  // A tight fit leads only when nothing in its group has room to spare.
  if (n > 1 && options[ORDER[0]!]!.comfort === 'tight') {
    const g = GROUP[ORDER[0]!];
    for (let k = 1; k < n && GROUP[ORDER[k]!] === g; k++) {
      if (options[ORDER[k]!]!.comfort !== 'tight') {
        const lead = ORDER[k]!;
        ORDER.copyWithin(1, 0, k);
        ORDER[0] = lead;
        break;
      }
    }
  }
  const sorted: Option[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = options[ORDER[i]!]!;
    o.rank = i + 1;
    sorted[i] = o;
  }
  return sorted;
}

export interface SetupCheck {
  fits: boolean;
  count: number;
  parallelism: Parallelism;
  perGpuNeedGiB: number;
  usableGiB: number;
  budgetGiB: number;
  /** budget − need: positive = spare per GPU, negative = short per GPU. */
  marginGiB: number;
  /** Why tensor parallel cannot use this count (pipeline parallel is used instead), or null. */
  tensorParallelProblem: string | null;
  maxContextTokens: number | null;
}

/** The direct answer for a named setup (count × a GPU with `usableGiB`). */
export function checkSetup(e: Estimate, usableGiB: number, count: number): SetupCheck {
  const w = e.workload;
  const training = TRAINING_TASKS.has(w.task);
  const nodes = count > GPUS_PER_NODE && count % GPUS_PER_NODE === 0 && w.model.kind === 'llm';
  const tpSize = nodes ? GPUS_PER_NODE : count;
  const problem =
    count > 1 && !training && !splitsLayers(w.format)
      ? tensorParallelProblem(w.model, w.format, tpSize)
      : null;
  let mode = nodes ? 'multi-node' : parallelismFor(w, count, problem === null);
  if (count > 1 && w.model.kind !== 'llm') mode = 'single';
  const need = count > 1 && w.model.kind !== 'llm' ? perGpuNeed(e, 1, 'single') : perGpuNeed(e, count, mode);
  const budget = usableGiB * UTILISATION;
  return {
    fits: need <= budget,
    count,
    parallelism: mode,
    perGpuNeedGiB: round(need, 2),
    usableGiB,
    budgetGiB: round(budget, 2),
    marginGiB: round(budget - need, 2),
    tensorParallelProblem: problem,
    maxContextTokens: maxContextFor(e, count, mode, budget),
  };
}
