// Memory estimate for one workload (gpu-sizing.md §0–§7): weights by format, KV cache, runtime overhead,
// training states and activations, and the per-GPU need under tensor/pipeline/FSDP splits.
import { WHISPER_ENCODER_FRAMES } from './data/models.ts';
import { FORMATS, splitsLayers } from './formats.ts';
import type { FormatId, ModelSpec } from './types.ts';
import { BILLION, bytesShort, fixed, GIB, gib, int, params, tokens } from './units.ts';

export type Task =
  | 'serve'
  | 'lora'
  | 'qlora'
  | 'full-finetune'
  | 'embeddings'
  | 'transcription'
  | 'image-generation';

export const TRAINING_TASKS: ReadonlySet<Task> = new Set(['lora', 'qlora', 'full-finetune']);

/** How a replica is spread over n GPUs. */
export type Parallelism = 'single' | 'tensor' | 'pipeline' | 'layer-split' | 'fsdp' | 'multi-node';

/** GPUs per node in a RunPod Instant Cluster (HGX boards). */
export const GPUS_PER_NODE = 8;

export interface Workload {
  model: ModelSpec;
  format: FormatId;
  task: Task;
  /** Tokens per sequence (serving context, or training sequence length). */
  contextTokens: number;
  /** Sequences resident at once (serving: concurrent users; training: micro-batch). */
  concurrency: number;
  /** Bytes per KV element: 2 (BF16/FP16, the default) or 1 (--kv-cache-dtype fp8). */
  kvBytes: 1 | 2;
  loraRank: number;
  optimizer: 'adamw' | 'adamw-8bit';
  /** Bits per weight when the checkpoint names them (EXL2 "4.65bpw"); else the format's. */
  bitsPerWeight?: number;
}

export interface Estimate {
  workload: Workload;
  linearParamsB: number;
  embedParamsB: number;
  weightsGiB: number;
  /** KV bytes per token of context (0 when the model keeps no KV cache). */
  kvBytesPerToken: number;
  /** Whisper: fixed cross-attention cache per sequence. */
  kvFixedPerSeqGiB: number;
  kvGiB: number;
  /** How KV divides under tensor parallel: by KV head, replicated (MLA latent), or no KV. */
  kvSplit: 'heads' | 'replicated' | 'none';
  runtimeGiB: number;
  /** Runtime overhead with vLLM's default flags (gpu-sizing.md §4). */
  runtimeDefaultGiB: number;
  adapterParamsB: number;
  /** Gradients + optimizer states + master weights (training); shards under FSDP. */
  trainStatesGiB: number;
  /** Per-GPU activations (training, encoders, diffusion); never divided. */
  activationsGiB: number;
  /** Everything that divides by the GPU count (weights, training states). */
  shardableGiB: number;
  /** Single-GPU total. */
  totalGiB: number;
  /** The arithmetic, one line per term. */
  lines: string[];
  /** What the decode-throughput estimate needs (throughput.ts); null for training and non-LLMs. */
  decode: DecodeBasis | null;
}

export interface DecodeBasis {
  /** Weight bytes outside the MoE experts (all of them for a dense model). */
  denseBytes: number;
  expertBytes: number;
  /** Share of experts one sequence routes to per layer (top-k / experts); 0 for dense. */
  routed: number;
  /** KV bytes one sequence reads per step at the stated context. */
  kvSeqBytes: number;
  /** FLOPs per generated token (2 × active params). */
  flopsPerToken: number;
  /** KV heads a tensor-parallel split can divide by (1: MLA latent, replicated). */
  kvHeadsSplit: number;
}

/** Runtime overhead per GPU: tuned vs vLLM defaults, by model class (gpu-sizing.md §4 table). */
export function runtimeOverhead(model: ModelSpec): { tuned: number; defaults: number } {
  if (model.kind !== 'llm') return { tuned: 1, defaults: 1.5 };
  // The notes' classes are ≤4B, 7–14B and ≥27B/MoE; the gap is split at 24B (gpt-oss-20b is a small MoE).
  if (model.paramsB >= 24) return { tuned: 2.5, defaults: 6 };
  if (model.paramsB > 4.5) return { tuned: 1.5, defaults: 3 };
  return { tuned: 1, defaults: 1.5 };
}

export function embedParams(model: ModelSpec): number {
  if (model.kind === 'image') return 0;
  return (model.vocab * model.hidden * (model.tiedEmbeddings ? 1 : 2)) / BILLION;
}

/** Weight bytes for a model in a format (quantized formats leave embeddings/lm_head at 16 bits). */
export function weightBytes(model: ModelSpec, format: FormatId, bitsOverride?: number): number {
  const f = FORMATS[format];
  const bits = bitsOverride ?? f.bits;
  const total = model.paramsB * BILLION;
  if (f.scope === 'all' || model.kind !== 'llm') return (total * bits) / 8;
  if (f.scope === 'experts' && model.moe) {
    const experts = model.moe.expertParamsB * BILLION;
    return (experts * bits) / 8 + (total - experts) * 2;
  }
  const embed = embedParams(model) * BILLION;
  return ((total - embed) * bits) / 8 + embed * 2;
}

/** KV-cache bytes per token (gpu-sizing.md §3.1; MLA: latent per layer). */
export function kvBytesPerToken(model: ModelSpec, kvBytes: 1 | 2): number {
  if (model.attention === 'none' || model.kind === 'image' || model.kind === 'embedding') return 0;
  const layers = model.kvLayers ?? model.layers;
  if (model.attention === 'mla' && model.mla)
    return layers * (model.mla.kvLoraRank + model.mla.ropeDim) * kvBytes;
  return 2 * layers * model.kvHeads * model.headDim * kvBytes;
}

/** LoRA adapter parameters at rank r on q,k,v,o,gate,up,down: r × Σ(in + out) per layer (§6). */
export function loraParamsB(model: ModelSpec, rank: number): number {
  if (model.kind !== 'llm') return (model.paramsB * rank) / 16 / 200; // ≈0.5 % of params at r=16
  const h = model.hidden;
  const q = model.heads * model.headDim;
  const kv = model.kvHeads * model.headDim;
  const experts = model.moe ? model.moe.experts : 1;
  const attn = h + q + 2 * (h + kv) + (q + h);
  const mlp = 3 * (h + model.intermediate) * experts;
  return (rank * model.layers * (attn + mlp)) / BILLION;
}

/** Training activations per GPU with gradient checkpointing (Korthikanti et al. 2022; §6), GiB. */
function trainingActivationsGiB(model: ModelSpec, seq: number, batch: number): number {
  if (model.kind !== 'llm') return (model.trainActivationPerItemGiB ?? 1) * batch;
  const h = model.hidden;
  const kept = 2 * seq * batch * h * model.layers; // each layer's 16-bit input
  const recompute = seq * batch * h * 34; // one layer's activations during recompute (FlashAttention)
  const logits = seq * batch * model.vocab * 4 * 2; // fp32 logits + their gradient
  return (kept + recompute + logits) / GIB;
}

/** Inference activations for encoders (embeddings): one layer live at a time, memory-efficient attention. */
function encoderActivationsGiB(model: ModelSpec, seq: number, batch: number): number {
  return (batch * seq * model.hidden * 34) / GIB;
}

const fmtB = (bytes: number) => fixed(bytes / 1e9, 1);

export function estimate(w: Workload): Estimate {
  const m = w.model;
  const f = FORMATS[w.format];
  const lines: string[] = [];
  const embedB = m.kind === 'llm' ? embedParams(m) : 0;
  const linearB = m.paramsB - embedB;
  const training = w.task === 'lora' || w.task === 'qlora' || w.task === 'full-finetune';

  // Weights.
  const bits = w.bitsPerWeight ?? f.bits;
  const wBytes = weightBytes(m, w.format, bits);
  const weightsGiB = wBytes / GIB;
  if (m.kind !== 'llm' || f.scope === 'all') {
    lines.push(
      `weights = ${params(m.paramsB)} params × ${bits} bit / 8 = ${fmtB(wBytes)} GB = ${gib(weightsGiB)} GiB (${f.label})`,
    );
  } else if (f.scope === 'experts' && m.moe) {
    const eB = m.moe.expertParamsB;
    lines.push(
      `weights = ${params(eB)} expert params × ${bits} bit / 8 + ${params(m.paramsB - eB)} other params × 2 B` +
        ` = ${fmtB((eB * BILLION * bits) / 8)} + ${fmtB((m.paramsB - eB) * BILLION * 2)} GB = ${gib(weightsGiB)} GiB (${f.label} experts)`,
    );
  } else {
    lines.push(
      `weights = ${params(linearB)} linear × ${bits} bit / 8 + ${params(embedB)} embeddings × 2 B` +
        ` = ${fmtB((linearB * BILLION * bits) / 8)} + ${fmtB(embedB * BILLION * 2)} GB = ${gib(weightsGiB)} GiB (${f.label})`,
    );
  }

  // KV cache (serving LLMs and Whisper's decoder).
  const perTok = training ? 0 : kvBytesPerToken(m, w.kvBytes);
  let kvFixedPerSeqGiB = 0;
  let kvGiB = 0;
  let kvSplit: Estimate['kvSplit'] = 'none';
  if (perTok > 0 && m.kind === 'asr') {
    kvFixedPerSeqGiB = (2 * m.layers * WHISPER_ENCODER_FRAMES * m.hidden * w.kvBytes) / GIB;
    kvGiB = ((perTok * w.contextTokens) / GIB + kvFixedPerSeqGiB) * w.concurrency;
    kvSplit = 'heads';
    lines.push(
      `KV = (${bytesShort(perTok)}/token × ${w.contextTokens} decoder tokens + ${gib(kvFixedPerSeqGiB * 1024)} MiB` +
        ` cross-attention over ${WHISPER_ENCODER_FRAMES} audio frames) × ${w.concurrency} stream(s) = ${gib(kvGiB)} GiB`,
    );
  } else if (perTok > 0) {
    const resident = w.contextTokens * w.concurrency;
    kvGiB = (perTok * resident) / GIB;
    kvSplit = m.attention === 'mla' ? 'replicated' : 'heads';
    const layers = m.kvLayers ?? m.layers;
    const formula =
      m.attention === 'mla' && m.mla
        ? `${layers} layers × (${m.mla.kvLoraRank} + ${m.mla.ropeDim}) latent × ${w.kvBytes} B`
        : `2 × ${layers} layers × ${m.kvHeads} KV heads × ${m.headDim} head_dim × ${w.kvBytes} B`;
    lines.push(
      `KV = ${formula} = ${bytesShort(perTok)}/token × ${int(w.contextTokens)} tokens × ${w.concurrency}` +
        ` sequence(s) = ${gib(kvGiB)} GiB${w.kvBytes === 1 ? ' (FP8 KV cache)' : ''}`,
    );
  } else if (!training && m.kind === 'llm') {
    lines.push('KV = 0 (no KV cache)');
  }

  // Training states and activations.
  let adapterParamsB = 0;
  let trainStatesGiB = 0;
  let activationsGiB = 0;
  const stateBytes = w.optimizer === 'adamw-8bit' ? 10 : 16;
  if (w.task === 'full-finetune') {
    // 16 B/param = bf16 weights 2 + bf16 grads 2 + fp32 master 4 + Adam m 4 + v 4 (ZeRO paper).
    const extra = stateBytes - 2;
    trainStatesGiB = (m.paramsB * BILLION * extra) / GIB;
    lines.push(
      `gradients + optimizer = ${params(m.paramsB)} × ${extra} B (bf16 grads 2 + ${
        stateBytes === 16 ? 'fp32 master 4 + Adam m,v 8' : 'fp32 master 4 + 8-bit Adam 2'
      }) = ${gib(trainStatesGiB)} GiB`,
    );
  } else if (w.task === 'lora' || w.task === 'qlora') {
    adapterParamsB = loraParamsB(m, w.loraRank);
    trainStatesGiB = (adapterParamsB * BILLION * stateBytes) / GIB;
    lines.push(
      `LoRA adapters r=${w.loraRank} = ${params(adapterParamsB)} params × ${stateBytes} B (weights, grads, ` +
        `${stateBytes === 16 ? 'fp32 Adam' : '8-bit Adam'}) = ${gib(trainStatesGiB)} GiB`,
    );
  }
  if (training) {
    activationsGiB = trainingActivationsGiB(m, w.contextTokens, w.concurrency);
    lines.push(
      m.kind === 'llm'
        ? `activations = ${int(w.contextTokens)} seq × ${w.concurrency} micro-batch, gradient checkpointing` +
            ` (layer inputs + one layer + fp32 logits) = ${gib(activationsGiB)} GiB`
        : `activations ≈ ${gib(m.trainActivationPerItemGiB ?? 1)} GiB per sample × ${w.concurrency} = ${gib(activationsGiB)} GiB (rough)`,
    );
  } else if (m.kind === 'embedding') {
    activationsGiB = encoderActivationsGiB(m, w.contextTokens, w.concurrency);
    lines.push(
      `activations = batch ${w.concurrency} × ${w.contextTokens} tokens (one encoder layer live) = ${gib(activationsGiB)} GiB`,
    );
  } else if (m.kind === 'image') {
    activationsGiB = (m.activationPerItemGiB ?? 2.5) * w.concurrency;
    lines.push(
      `activations + VAE decode ≈ ${gib(m.activationPerItemGiB ?? 2.5)} GiB per image × ${w.concurrency} = ${gib(activationsGiB)} GiB`,
    );
  }

  const r = runtimeOverhead(m);
  // llama.cpp has no CUDA graphs or profiling pass: its compute buffer is ~0.5–1.5 GiB (gpu-sizing.md §4).
  if (splitsLayers(w.format)) r.tuned = Math.min(r.tuned, 1.5);
  lines.push(
    splitsLayers(w.format)
      ? `runtime = ${gib(r.tuned)} GiB per GPU (CUDA context and ${FORMATS[w.format].runtime} buffers)`
      : `runtime = ${gib(r.tuned)} GiB per GPU (CUDA context, activation peak, CUDA graphs${
          m.kind === 'llm' && !training ? '; vLLM with --max-num-batched-tokens ≤ 2048' : ''
        })`,
  );

  const shardableGiB = weightsGiB + trainStatesGiB;
  const expertBytes = m.moe ? (m.moe.expertParamsB * BILLION * bits) / 8 : 0;
  const decode: DecodeBasis | null =
    m.kind === 'llm' && !training && perTok > 0
      ? {
          denseBytes: wBytes - expertBytes,
          expertBytes,
          routed: m.moe ? m.moe.topK / m.moe.experts : 0,
          kvSeqBytes: perTok * w.contextTokens,
          flopsPerToken: 2 * (m.activeParamsB ?? m.paramsB) * BILLION,
          kvHeadsSplit: kvSplit === 'heads' ? m.kvHeads : 1,
        }
      : null;
  const totalGiB = shardableGiB + kvGiB + activationsGiB + r.tuned;
  return {
    workload: w,
    linearParamsB: linearB,
    embedParamsB: embedB,
    weightsGiB,
    kvBytesPerToken: perTok,
    kvFixedPerSeqGiB,
    kvGiB,
    kvSplit,
    runtimeGiB: r.tuned,
    runtimeDefaultGiB: r.defaults,
    adapterParamsB,
    trainStatesGiB,
    activationsGiB,
    shardableGiB,
    totalGiB,
    lines,
    decode,
  };
}

/** How the work spreads over n GPUs for this workload. */
export function parallelismFor(w: Workload, n: number, tensorValid: boolean): Parallelism {
  if (n === 1) return 'single';
  if (w.task === 'lora' || w.task === 'qlora' || w.task === 'full-finetune') return 'fsdp';
  if (splitsLayers(w.format)) return 'layer-split';
  return tensorValid ? 'tensor' : 'pipeline';
}

/** Fraction of the layers on the busiest GPU when layers are split across n GPUs. */
const layerFraction = (layers: number, n: number): number =>
  layers > 0 ? Math.ceil(layers / n) / layers : 1 / n;

/** KV divisor under tensor parallel: KV heads split (replicated past kv_heads), MLA latent replicated. */
function kvDivisor(e: Estimate, n: number): number {
  if (e.kvSplit === 'replicated' || e.kvSplit === 'none') return 1;
  return Math.min(n, e.workload.model.kvHeads);
}

/** The KV-cache part of one GPU's need with n GPUs (the rest is fixed as the batch grows). */
export function kvPerGpuGiB(e: Estimate, n: number, mode: Parallelism): number {
  if (mode === 'single') return e.kvGiB;
  if (mode === 'tensor') return e.kvGiB / kvDivisor(e, n);
  if (mode === 'fsdp') return 0;
  if (mode === 'multi-node') return e.kvGiB / kvDivisor(e, GPUS_PER_NODE) / (n / GPUS_PER_NODE);
  return e.kvGiB * layerFraction(e.workload.model.kvLayers ?? e.workload.model.layers, n);
}

/** Memory one GPU needs with n GPUs (tuned runtime overhead). */
export function perGpuNeed(e: Estimate, n: number, mode: Parallelism, runtime = e.runtimeGiB): number {
  if (mode === 'single') return e.totalGiB - e.runtimeGiB + runtime;
  if (mode === 'tensor') return e.shardableGiB / n + e.kvGiB / kvDivisor(e, n) + e.activationsGiB + runtime;
  if (mode === 'fsdp') return e.shardableGiB / n + e.activationsGiB + runtime;
  if (mode === 'multi-node') {
    // Serving: tensor parallel inside a node, pipeline parallel across nodes (vLLM docs); training: FSDP.
    if (TRAINING_TASKS.has(e.workload.task)) return e.shardableGiB / n + e.activationsGiB + runtime;
    const nodes = n / GPUS_PER_NODE;
    return e.shardableGiB / n + e.kvGiB / kvDivisor(e, GPUS_PER_NODE) / nodes + e.activationsGiB + runtime;
  }
  const frac = layerFraction(e.workload.model.kvLayers ?? e.workload.model.layers, n);
  return (e.shardableGiB + e.kvGiB) * frac + e.activationsGiB + runtime;
}

/** The longest-context formula's terms for n GPUs: the fixed per-GPU need and the KV scale; null when context
 *  does not apply (no KV cache, not an LLM, FSDP training). */
export function contextTerms(
  e: Estimate,
  n: number,
  mode: Parallelism,
): { fixed: number; kvScale: number } | null {
  const w = e.workload;
  if (e.kvBytesPerToken === 0 || w.model.kind !== 'llm' || mode === 'fsdp') return null;
  if (mode === 'single' || mode === 'tensor') {
    return {
      fixed: e.shardableGiB / n + e.activationsGiB + e.runtimeGiB,
      kvScale: 1 / (mode === 'single' ? 1 : kvDivisor(e, n)),
    };
  }
  if (mode === 'multi-node') {
    const nodes = n / GPUS_PER_NODE;
    return {
      fixed: e.shardableGiB / n + e.activationsGiB + e.runtimeGiB,
      kvScale: 1 / kvDivisor(e, GPUS_PER_NODE) / nodes,
    };
  }
  const frac = layerFraction(w.model.kvLayers ?? w.model.layers, n);
  return { fixed: e.shardableGiB * frac + e.activationsGiB + e.runtimeGiB, kvScale: frac };
}

/** Largest context per sequence from contextTerms' parts: capped at the model's maximum, 0 when nothing fits. */
export function contextFrom(e: Estimate, fixed: number, kvScale: number, budgetGiB: number): number {
  const room = budgetGiB - fixed;
  if (room <= 0) return 0;
  const perSeqTokens = Math.floor((room * GIB) / (e.kvBytesPerToken * kvScale * e.workload.concurrency));
  return Math.min(perSeqTokens, e.workload.model.maxContext);
}

/**
 * Largest context per sequence that fits in `budgetGiB` per GPU at the workload's concurrency,
 * capped at the model's maximum; 0 when not even the weights fit; null when context does not apply.
 */
export function maxContextFor(e: Estimate, n: number, mode: Parallelism, budgetGiB: number): number | null {
  const t = contextTerms(e, n, mode);
  return t === null ? null : contextFrom(e, t.fixed, t.kvScale, budgetGiB);
}

/** "8k × 4 users" style description of the resident tokens. */
export function describeLoad(w: Workload): string {
  if (w.task === 'lora' || w.task === 'qlora' || w.task === 'full-finetune') {
    return `sequence ${tokens(w.contextTokens)}, micro-batch ${w.concurrency}`;
  }
  if (w.model.kind === 'embedding') return `batch ${w.concurrency} × ${w.contextTokens} tokens`;
  if (w.model.kind === 'image') return `batch ${w.concurrency}`;
  if (w.model.kind === 'asr') return `${w.concurrency} stream(s)`;
  return `${tokens(w.contextTokens)} context × ${w.concurrency} ${w.concurrency === 1 ? 'sequence' : 'sequences'}`;
}
