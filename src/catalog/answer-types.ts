// The Answer document: what `podbay gpu --json` prints and what the Slack view renders.
//
// Rendering guide (answerText() in answer-text.ts is the reference rendering):
// - status 'clarify' | 'refuse': show `message` and `examples` (a refusal for "nothing fits" also carries
//   `estimate` with the arithmetic).
// - kind 'sizing': `headline`; the first three `options` with their `why`; `estimate.lines` (the arithmetic);
//   `assumptions`; `guidance`; `priceSource.text`. `options` holds every fitting setup, ranked.
// - kind 'fit-check': `fitCheck.verdict` (also the headline) and, when it does not fit, `fitCheck.nearest`;
//   `options` is still the general ranking for the same workload.
// - kind 'gpu-info' | 'spot-advice': the `gpus` rows and `guidance`.
// Units: memory in GiB (2^30 bytes), money in USD; every price carries its `priceSource`
// ('live' | 'cache' | 'snapshot' | 'none') and the answer-level `priceSource` says which were used.
import type { Parallelism, Task } from './estimate.ts';
import type { Budget } from './intent.ts';
import type { PriceSource, StockLevel } from './prices.ts';
import type { Option } from './recommend.ts';
import type { FormatId } from './types.ts';

export type { Option } from './recommend.ts';

export type AnswerStatus = 'ok' | 'clarify' | 'refuse';
/** sizing: which GPU for a workload; fit-check: the user's own setup; gpu-info: specs/prices of GPUs;
 *  spot-advice: spot vs on-demand guidance; none: clarify/refuse without a subject. */
export type AnswerKind = 'sizing' | 'fit-check' | 'gpu-info' | 'spot-advice' | 'none';

/** What was understood, with defaults filled in (`stated` tells which values came from the question). */
export interface IntentView {
  model: {
    id: string;
    name: string;
    repo: string | null;
    paramsB: number;
    activeParamsB: number | null;
    /** A generic stand-in: the architecture is not in the registry. */
    generic: boolean;
  } | null;
  family: string | null;
  /** Parameter count as typed ("70b"). */
  sizeB: number | null;
  task: Task | null;
  format: FormatId | null;
  formatLabel: string | null;
  contextTokens: number | null;
  concurrency: number | null;
  pricing: 'on-demand' | 'spot';
  cloud: 'SECURE' | 'COMMUNITY' | null;
  budget: Budget | null;
  hardware: {
    gpuId: string | null;
    gpuName: string | null;
    count: number | null;
    vramGiB: number | null;
    owned: boolean;
  } | null;
  singleGpu: boolean;
  /** "at most 2 GPUs": the most GPUs a setup may have; null when not bounded. */
  maxGpuCount: number | null;
  kvCacheDtype: 'bf16' | 'fp8';
  loraRank: number | null;
  /** Which of task/format/context/concurrency/pricing the question stated (the rest are assumptions). */
  stated: { task: boolean; format: boolean; context: boolean; concurrency: boolean; pricing: boolean };
  typoCorrections: { typed: string; matched: string }[];
  /** Words the question negated ("no lora" → ["lora"]) and what they rule out. */
  negated: string[];
  excluded: { formats: FormatId[]; gpuIds: string[]; segments: string[] };
  /** Decode speed asked for, as read. */
  throughput: { tokPerSec: number; perUser: boolean | null } | null;
  /** Numbers in the question that nothing read. */
  ignoredNumbers: string[];
}

export interface EstimateView {
  model: string;
  format: string;
  task: Task;
  load: string;
  contextTokens: number;
  concurrency: number;
  weightsGiB: number;
  kvBytesPerToken: number;
  kvGiB: number;
  runtimeGiB: number;
  trainingStatesGiB: number;
  activationsGiB: number;
  /** Everything on one GPU. */
  totalGiB: number;
  /** The arithmetic, one line per term, ending with the per-GPU total against usable × 0.95. */
  lines: string[];
}

export interface FitCheckView {
  gpuId: string | null;
  gpuName: string;
  count: number;
  owned: boolean;
  /** Can be rented on RunPod. */
  rentable: boolean;
  fits: boolean;
  /** The direct yes/no sentence with the margin. */
  verdict: string;
  perGpuNeedGiB: number;
  usableGiB: number;
  budgetGiB: number;
  marginGiB: number;
  parallelism: Parallelism;
  tensorParallelProblem: string | null;
  maxContextTokens: number | null;
  onDemandUsdPerHr: number | null;
  spotUsdPerHr: number | null;
  priceSource: PriceSource;
  /** When it does not fit: the nearest setup that does. */
  nearest: Option | null;
}

export interface GpuInfoView {
  gpuId: string;
  gpuName: string;
  architecture: string;
  memoryGb: number;
  usableGiB: number;
  bandwidthGBs: number;
  fp16TensorTflops: number | null;
  fp8: boolean;
  interconnect: string;
  bestFor: string;
  onDemandUsdPerGpuHr: number | null;
  spotUsdPerGpuHr: number | null;
  priceSource: PriceSource;
  stock: StockLevel;
}

export interface PriceSourceView {
  used: 'live' | 'cache' | 'snapshot' | 'mixed' | 'none';
  text: string;
  snapshotAsOf: string;
  snapshotSource: string;
  liveProblem: string | null;
}

/** The answer to one question: the `podbay gpu --json` document and the Slack view's model. */
export interface Answer {
  status: AnswerStatus;
  kind: AnswerKind;
  question: string;
  /** One line: the recommendation, the verdict, or the reason. */
  headline: string;
  /** For clarify/refuse: the explanation; otherwise null. */
  message: string | null;
  /** For clarify/refuse: questions that would work. */
  examples: string[];
  intent: IntentView;
  assumptions: string[];
  estimate: EstimateView | null;
  fitCheck: FitCheckView | null;
  /** Every fitting (GPU type, smallest valid count), ranked by price; the first three carry `why`. */
  options: Option[];
  guidance: string[];
  /** GPU rows for gpu-info and spot-advice answers. */
  gpus: GpuInfoView[];
  priceSource: PriceSourceView;
}
