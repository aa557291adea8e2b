// Decode throughput and $ per million output tokens, by the roofline: a decode step reads the weights
// once (for MoE, the experts the batch routes to) plus every resident sequence's KV cache, so
// step time = max(bytes read / bandwidth, FLOPs / tensor throughput). An estimate, not a measurement.
import { type DecodeBasis, type Estimate, GPUS_PER_NODE, kvPerGpuGiB, type Parallelism } from './estimate.ts';
import type { GpuSpec } from './types.ts';

/** Share of peak memory bandwidth and of dense tensor FLOPS a decode step reaches (vLLM decode kernels
 *  reach roughly 60–80 % of peak bandwidth; small-batch GEMMs reach far less of peak FLOPS). */
export const BANDWIDTH_EFFICIENCY = 0.7;
export const COMPUTE_EFFICIENCY = 0.4;
/** vLLM's default --max-num-seqs: the largest batch it schedules. */
export const MAX_BATCH = 256;

export const THROUGHPUT_METHOD =
  `Decode estimate (roofline): per step, weights (MoE: the experts the batch touches) + the KV cache of every ` +
  `sequence at full context are read at ${BANDWIDTH_EFFICIENCY * 100} % of peak memory bandwidth, or 2 × active ` +
  `params × batch FLOPs at ${COMPUTE_EFFICIENCY * 100} % of dense BF16 tensor FLOPS, whichever is slower; ` +
  'prefill and scheduling are not counted, so treat it as an upper bound.';

export interface TargetRate {
  /** Tokens per second each user must see, or null for an aggregate target. */
  perUser: number | null;
  /** Tokens per second in total. */
  total: number;
  users: number;
}

export interface ThroughputView {
  /** Sequences decoded together in the estimate. */
  batch: number;
  perSeqTokPerSec: number;
  aggregateTokPerSec: number;
  /** Replicas of this setup a stated rate needs (1 without a target). */
  replicas: number;
  /** null without a target; false when even one sequence per replica is too slow. */
  meetsTarget: boolean | null;
}

/** GPUs that read the weights in parallel: all under tensor parallel, one node's under multi-node
 *  (pipeline stages run one after another), one otherwise. */
function parallelReaders(n: number, mode: Parallelism): number {
  return mode === 'tensor' ? n : mode === 'multi-node' ? PER_NODE : 1;
}
const PER_NODE = GPUS_PER_NODE;

/** Seconds per decode step: weights (MoE: the experts a batch routes to, per layer 1 − (1 − k/E)^batch)
 *  and every sequence's KV, over bandwidth; or the FLOPs over tensor throughput, whichever is slower. */
function step(b: DecodeBasis, gpu: GpuSpec, par: number, batch: number): number {
  const experts = b.routed > 0 ? b.expertBytes * (1 - (1 - b.routed) ** batch) : 0;
  const kvDiv = par > 1 ? Math.min(par, b.kvHeadsSplit) : 1;
  const memory =
    ((b.denseBytes + experts) / par + (b.kvSeqBytes * batch) / kvDiv) /
    (gpu.bandwidthGBs * 1e9 * BANDWIDTH_EFFICIENCY);
  const tflops = gpu.fp16TensorTflops;
  const compute = tflops ? (b.flopsPerToken * batch) / par / (tflops * 1e12 * COMPUTE_EFFICIENCY) : 0;
  return Math.max(memory, compute);
}

/** Seconds per decode step for `batch` sequences on n × gpu (0 when throughput does not apply). */
export function stepSeconds(e: Estimate, gpu: GpuSpec, n: number, mode: Parallelism, batch: number): number {
  const b = e.decode;
  return b ? step(b, gpu, parallelReaders(n, mode), batch) : 0;
}

/** Largest batch whose KV fits beside the weights on this setup, given its per-GPU need at the stated load. */
export function batchThatFits(
  e: Estimate,
  n: number,
  mode: Parallelism,
  budgetGiB: number,
  needGiB: number,
): number {
  return batchFor(e.workload.concurrency, kvPerGpuGiB(e, n, mode), budgetGiB, needGiB);
}

function batchFor(concurrency: number, kv: number, budgetGiB: number, needGiB: number): number {
  if (kv <= 0) return concurrency;
  const perSeq = kv / concurrency;
  return Math.max(1, Math.min(MAX_BATCH, Math.floor((budgetGiB - (needGiB - kv)) / perSeq)));
}

/** Throughput of one option; null for training and non-LLM workloads. */
export function throughputFor(
  e: Estimate,
  gpu: GpuSpec,
  n: number,
  mode: Parallelism,
  budgetGiB: number,
  needGiB: number,
  concurrencyStated: boolean,
  target: TargetRate | null,
  kvPerGpu: number = kvPerGpuGiB(e, n, mode),
): ThroughputView | null {
  const b = e.decode;
  if (!b) return null;
  const par = parallelReaders(n, mode);
  const fits = batchFor(e.workload.concurrency, kvPerGpu, budgetGiB, needGiB);
  // The stated users decode together; an aggregate target without users is met at the batch memory allows.
  const batch =
    concurrencyStated || (target !== null && target.perUser !== null)
      ? Math.max(1, Math.min(e.workload.concurrency, MAX_BATCH))
      : fits;
  const t = step(b, gpu, par, batch);
  let replicas = 1;
  let meetsTarget: boolean | null = null;
  if (target) {
    if (target.perUser !== null) {
      // Largest batch per replica (halving) at which every sequence still gets the rate.
      let k = Math.min(fits, target.users, MAX_BATCH);
      while (k > 1 && 1 / step(b, gpu, par, k) < target.perUser) k = Math.floor(k / 2);
      meetsTarget = 1 / step(b, gpu, par, k) >= target.perUser;
      replicas = meetsTarget ? Math.ceil(target.users / k) : 1;
    } else {
      const most = Math.min(fits, MAX_BATCH);
      replicas = Math.max(1, Math.ceil(target.total / (most / step(b, gpu, par, most))));
      meetsTarget = true;
    }
  }
  return {
    batch,
    perSeqTokPerSec: Math.round((1 / t) * 10) / 10,
    aggregateTokPerSec: Math.round(batch / t),
    replicas,
    meetsTarget,
  };
}

/** $ per million output tokens at the option's aggregate rate. */
export function usdPerMillion(usdPerHr: number | null, tokPerSec: number): number | null {
  if (usdPerHr === null || tokPerSec <= 0) return null;
  return Math.round((usdPerHr / (tokPerSec * 3600)) * 1e6 * 100) / 100;
}
