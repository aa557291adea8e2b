// Question → Analysis: parse, resolve the model/format/task/context, estimate memory and find every
// fitting setup. Needs no prices; the answer builder prices and ranks what this finds.
import { GPU_BY_ID, GPUS } from './data/gpus.ts';
import { MODEL_BY_ID } from './data/models.ts';
import {
  estimate,
  type Estimate,
  GPUS_PER_NODE,
  type Task,
  TRAINING_TASKS,
  type Workload,
} from './estimate.ts';
import { FORMATS, isGguf, isLlmOnlyFormat, splitsLayers } from './formats.ts';
import { GPU_SIBLINGS, type GpuRef } from './gpu-lookup.ts';
import {
  EMBEDDINGS_GUIDANCE,
  EXAMPLES,
  FINETUNE_GUIDANCE,
  IMAGE_GUIDANCE,
  PRODUCTION_GUIDANCE,
  SPOT_GUIDANCE,
  TRANSCRIPTION_GUIDANCE,
} from './guides.ts';
import { type Intent, parseQuestion } from './intent.ts';
import { genericModel } from './model-lookup.ts';
import { countAllowed, tensorParallelProblem } from './parallel.ts';
import {
  clusterSetups,
  fittingSetups,
  POD_COUNTS,
  type RankRequest,
  type RateContext,
  type Setup,
} from './recommend.ts';
import { THROUGHPUT_METHOD, type TargetRate } from './throughput.ts';
import type { AnswerKind, AnswerStatus, IntentView } from './answer-types.ts';
import type { FormatId, GpuSpec, ModelSpec } from './types.ts';
import { gib, int } from './units.ts';

export interface FitTarget {
  gpu: GpuRef | null;
  name: string;
  usableGiB: number;
  count: number | null;
  owned: boolean;
}

export interface Analysis {
  intent: Intent;
  status: AnswerStatus;
  kind: AnswerKind;
  message: string | null;
  examples: string[];
  assumptions: string[];
  guidance: string[];
  workload: Workload | null;
  estimate: Estimate | null;
  pricing: 'on-demand' | 'spot';
  rankRequest: RankRequest;
  setups: Setup[];
  fit: FitTarget | null;
  infoGpus: GpuSpec[];
  stated: IntentView['stated'];
  /** What the throughput estimate needs: stated concurrency, a target rate, the pricing. */
  rate: RateContext;
}

const MAX_PARAMS_B = 2000;
export const DEFAULT_CONTEXT = 8192;
const LONG_CONTEXT = 32768;
const DEFAULT_TRAIN_SEQ = 2048;
/** Tokens per embedding batch (a typical server budget): 32 texts of 512 tokens, 2 of 8k. */
const EMBED_BATCH_TOKENS = 16384;

/** How the question was read where it needs saying: typos, exclusions, numbers nothing used. */
function readingNotes(intent: Intent): string[] {
  const notes = intent.fuzzy.map((f) => `Read “${f.typed}” as “${f.matched}”.`);
  if (intent.negated.length) notes.push(`Excluded: ${intent.negated.join(' ')}.`);
  if (intent.ignoredNumbers.length)
    notes.push(
      `Ignored: ${intent.ignoredNumbers.map((n) => `“${n}”`).join(', ')} (not read as a size, context, count, budget or rate).`,
    );
  return notes;
}

function base(intent: Intent): Analysis {
  return {
    intent,
    status: 'ok',
    kind: 'none',
    message: null,
    examples: [],
    assumptions: readingNotes(intent),
    guidance: [],
    workload: null,
    estimate: null,
    pricing: intent.pricing ?? 'on-demand',
    rankRequest: {
      pricing: intent.pricing ?? 'on-demand',
      budgetUsdPerHr: intent.budget?.usdPerHr ?? null,
    },
    setups: [],
    fit: null,
    infoGpus: [],
    rate: {
      concurrencyStated: intent.concurrency !== null,
      target: null,
      pricing: intent.pricing ?? 'on-demand',
      cloud: intent.cloud,
    },
    stated: {
      task: intent.task !== null,
      format: intent.format !== null,
      context: intent.contextTokens !== null || intent.contextWord !== null,
      concurrency: intent.concurrency !== null,
      pricing: intent.pricing !== null,
    },
  };
}

// Analyses are built once per question and filled in place (object spreads are slow on this path).
function clarify(a: Analysis, message: string, examples: readonly string[] = EXAMPLES): Analysis {
  a.status = 'clarify';
  a.kind = 'none';
  a.message = message;
  a.examples = examples.slice();
  return a;
}

function refuse(a: Analysis, message: string, examples: readonly string[] = EXAMPLES.slice(0, 3)): Analysis {
  a.status = 'refuse';
  a.kind = 'none';
  a.message = message;
  a.examples = examples.slice();
  return a;
}

const USE_CASE_MODEL: Readonly<Record<string, string>> = {
  embeddings: 'bge-large-en-v1.5',
  transcription: 'whisper-large-v3',
  'image-generation': 'sdxl-base-1.0',
};

/** Parse, resolve and estimate; everything that does not depend on prices. */
export function analyzeQuestion(question: string): Analysis {
  const intent = parseQuestion(question);
  const a = base(intent);
  const m = intent.match;
  if (m.closed) {
    return refuse(
      a,
      `${m.closed.name} is a closed model: ${m.closed.vendor} serves it only through its own API and has not ` +
        `published the weights, so it cannot run on a RunPod GPU. For something you can host yourself, ask about ` +
        `an open model, e.g. ${m.closed.alternative}.`,
      ['which gpu for llama 3.3 70b awq?', 'gpt-oss-120b on one gpu?', 'qwen2.5 72b at 32k context'],
    );
  }
  if (m.sizeB !== null && !(m.sizeB > 0)) {
    return refuse(a, 'A model needs a positive parameter count; tell me its size, e.g. "7b" or "70b".');
  }
  if (m.sizeB !== null && m.sizeB > MAX_PARAMS_B) {
    const tib = (m.sizeB * 1e9 * 2) / 1024 ** 4;
    return refuse(
      a,
      `A ${int(m.sizeB)}B-parameter model would need about ${tib.toFixed(1)} TiB just for BF16 weights ` +
        `(${int(m.sizeB)}B × 2 bytes) — more than one 8-GPU node can hold (8 × B300 ≈ 2.1 TiB), and no open ` +
        'model that large exists: the largest open models are around 1T parameters (Kimi K2) and 671B ' +
        '(DeepSeek-V3/R1). Ask about one of those, or about a smaller model.',
      ['deepseek r1 on which gpus?', 'kimi k2 fp8', 'llama 3.1 405b fp8'],
    );
  }

  let model: ModelSpec | null = m.model;
  if (!model && m.candidates.length) {
    const names = m.candidates.map((c) => c.name);
    const fam = m.family?.name ?? 'That model';
    return clarify(
      a,
      `${fam} comes in several sizes: ${names.join(', ')}. Which one? The memory needed differs a lot between them.`,
      m.candidates
        .slice()
        .sort(
          (x, y) => Number(Boolean(y.sizeDefault)) - Number(Boolean(x.sizeDefault)) || x.paramsB - y.paramsB,
        )
        .slice(0, 3)
        .map((c) => `${c.name.toLowerCase()}${c.paramsB >= 30 && c.nativeFormat === 'bf16' ? ' awq' : ''}`),
    );
  }
  if (!model && m.otherFamily) {
    return clarify(
      a,
      `${m.otherFamily} is not in my model registry. Tell me its size (e.g. “${m.otherFamily.toLowerCase()} 40b”) ` +
        'and I will estimate it with a generic dense layout.',
    );
  }
  if (!model && m.family) {
    return clarify(
      a,
      `Which ${m.family.name} model? Add its size, e.g. “${m.family.name.toLowerCase()} 7b”.`,
    );
  }
  if (!model && intent.useCase && intent.useCase !== 'chat' && !TRAINING_TASKS.has(intent.task ?? 'serve')) {
    const id = USE_CASE_MODEL[intent.useCase];
    model = id ? (MODEL_BY_ID.get(id) ?? null) : null;
    if (model)
      a.assumptions.push(`No model named: sized ${model.name}, a common choice for ${intent.useCase}.`);
  }
  if (!model) return noModel(a);
  if (!m.family && !m.generic && m.sizeB !== null && intent.contextTokens !== null) {
    const limit = model.extendedContext ?? model.maxContext;
    if (intent.contextTokens > limit) {
      a.assumptions.push(
        `“${m.sizeB}b” with ${int(intent.contextTokens)} tokens of context: ${model.name} (the usual ${m.sizeB}B) ` +
          `stops at ${int(limit)}, so sized as a modern long-context ${m.sizeB}B instead.`,
      );
      model = genericModel(m.sizeB, null);
      intent.match.generic = true;
    }
  }
  return sizing(a, model);
}

function noModel(a: Analysis): Analysis {
  const intent = a.intent;
  if (intent.pricing === 'spot' && intent.gpus.length === 0) {
    const guidance = [...SPOT_GUIDANCE];
    if (intent.production) guidance.unshift(PRODUCTION_GUIDANCE);
    a.kind = 'spot-advice';
    a.guidance = guidance;
    return a;
  }
  if (
    intent.gpus.length ||
    intent.wantsPrice ||
    intent.wantsStock ||
    intent.minVramGiB !== null ||
    intent.budget !== null ||
    intent.hardware?.vramGiB
  ) {
    const seen = new Set<string>();
    const infoGpus: GpuSpec[] = [];
    for (const ref of intent.gpus) {
      if (ref.kind !== 'runpod') continue;
      const ids = [
        ref.gpu.id,
        ...(intent.bareGpuIds.includes(ref.gpu.id) ? (GPU_SIBLINGS.get(ref.gpu.id) ?? []) : []),
      ];
      for (const id of ids) {
        const g = GPU_BY_ID.get(id);
        if (g && !seen.has(id)) {
          seen.add(id);
          infoGpus.push(g);
        }
      }
    }
    const owned = intent.gpus.find((g) => g.kind === 'owned');
    if (!infoGpus.length && owned && owned.kind === 'owned') {
      return clarify(
        a,
        `The ${owned.gpu.name} (${gib(owned.gpu.usableGiB)} GiB) is not offered on RunPod. Tell me the model to ` +
          `check whether it fits, e.g. “will llama 3.1 8b fit on my ${owned.gpu.aliases[0]}?”.`,
      );
    }
    if (!infoGpus.length) {
      const min = intent.minVramGiB ?? (intent.hardware?.vramGiB ? intent.hardware.vramGiB * 0.9 : 0);
      for (const g of GPUS) if (!g.legacy && g.usableGiB >= min) infoGpus.push(g);
    }
    a.kind = 'gpu-info';
    a.infoGpus = infoGpus;
    if (intent.pricing === 'spot')
      a.guidance = [SPOT_GUIDANCE[0]!, ...(intent.production ? [PRODUCTION_GUIDANCE] : [])];
    return a;
  }
  if (intent.task && TRAINING_TASKS.has(intent.task)) {
    return clarify(
      a,
      'Which model do you want to fine-tune? Name it (or its size) and the method if you know it.',
      ['lora fine-tune llama 3.1 8b', 'qlora qwen2.5 32b with 4k sequences', 'full fine-tune mistral 7b'],
    );
  }
  if (intent.pricing === 'on-demand') {
    a.kind = 'spot-advice';
    a.guidance = [...SPOT_GUIDANCE];
    return a;
  }
  if (intent.domain || intent.greeting) {
    return clarify(
      a,
      'Which model should I size? Tell me the model (or its parameter count) and, if you know them, the ' +
        'precision, context length and number of concurrent users. If it is a model I do not know, add its size ' +
        '(e.g. “13b”).',
    );
  }
  return refuse(
    a,
    'I can only help with GPU sizing and prices for ML models on RunPod, and I could not find a model, GPU or ' +
      'workload in that question.',
  );
}

function resolveTask(intent: Intent, model: ModelSpec, notes: string[]): Task {
  const t = intent.task;
  if (t && TRAINING_TASKS.has(t)) {
    if (model.kind !== 'llm' && t === 'qlora') {
      notes.push('QLoRA is an LLM technique: sized as LoRA.');
      return 'lora';
    }
    return t;
  }
  if (model.kind === 'embedding') return 'embeddings';
  if (model.kind === 'asr') return 'transcription';
  if (model.kind === 'image') return 'image-generation';
  return 'serve';
}

function resolveFormat(
  intent: Intent,
  model: ModelSpec,
  task: Task,
  notes: string[],
): { format: FormatId; task: Task } {
  const stated = intent.format;
  if (intent.formatNote) notes.push(`${intent.formatNote[0]!.toUpperCase()}${intent.formatNote.slice(1)}.`);
  if (model.kind !== 'llm') {
    if (stated && isLlmOnlyFormat(stated)) {
      notes.push(`${FORMATS[stated].label} is an LLM weight format: sized ${model.name} in FP16.`);
      return { format: 'bf16', task };
    }
    if (!stated) notes.push(`No precision given: FP16/BF16 weights.`);
    return { format: stated ?? 'bf16', task };
  }
  if (task === 'qlora') {
    if (stated && stated !== 'nf4')
      notes.push('QLoRA loads the base model in NF4 regardless of the checkpoint format.');
    return { format: 'nf4', task };
  }
  if (task === 'full-finetune') {
    if (stated && stated !== 'bf16' && stated !== 'fp32') {
      notes.push(
        `A full fine-tune trains 16-bit weights; ${FORMATS[stated].label} checkpoints are for inference.`,
      );
    }
    // "No fp16/bf16": train in FP32.
    return { format: intent.excludedFormats.includes('bf16') ? 'fp32' : 'bf16', task };
  }
  if (task === 'lora') {
    if (stated === 'nf4') return { format: 'nf4', task: 'qlora' };
    if (stated && splitsLayers(stated)) {
      notes.push(`${FORMATS[stated].label} files are for inference: LoRA trains on the BF16 checkpoint.`);
      return { format: 'bf16', task };
    }
    return { format: stated ?? (intent.excludedFormats.includes('bf16') ? 'fp32' : 'bf16'), task };
  }
  if (!stated && intent.excludedFormats.includes(model.nativeFormat)) {
    const pick = (['bf16', 'fp8', 'awq'] as const).find((f) => !intent.excludedFormats.includes(f)) ?? 'bf16';
    notes.push(`${FORMATS[model.nativeFormat].label} ruled out: sized in ${FORMATS[pick].label}.`);
    return { format: pick, task };
  }
  if (!stated) {
    const native = model.nativeFormat;
    notes.push(
      native === 'bf16'
        ? 'No precision given: BF16, the checkpoint’s native format (say “awq”, “fp8” or “q4_k_m” for a quantized one).'
        : `No precision given: ${FORMATS[native].label}, the format ${model.name} ships in.`,
    );
    return { format: native, task };
  }
  return { format: stated, task };
}

function resolveContext(intent: Intent, model: ModelSpec, task: Task, notes: string[]): number {
  if (model.kind === 'image') return 0;
  if (model.kind === 'asr') return model.maxContext;
  const training = TRAINING_TASKS.has(task);
  const limit = model.extendedContext ?? model.maxContext;
  let ctx = intent.contextTokens;
  if (ctx === null && intent.contextWord === 'max') ctx = limit;
  if (ctx === null && intent.contextWord === 'long') {
    ctx = Math.min(LONG_CONTEXT, limit);
    notes.push(
      ctx < LONG_CONTEXT
        ? `“Long context”: sized at ${model.name}’s maximum, ${int(ctx)} tokens.`
        : `“Long context” read as ${int(ctx)} tokens; give a number for a different length.`,
    );
  }
  if (ctx === null) {
    if (model.kind === 'embedding') {
      ctx = Math.min(512, model.maxContext);
      notes.push(`Sized for ${ctx}-token inputs.`);
    } else if (training) {
      ctx = Math.min(DEFAULT_TRAIN_SEQ, model.maxContext);
      notes.push(`No sequence length given: ${int(ctx)} tokens per training sample.`);
    } else {
      ctx = Math.min(DEFAULT_CONTEXT, model.maxContext);
      notes.push(
        `No context length given: sized for ${int(ctx)} tokens per sequence (chat length); ask with e.g. ` +
          '“32k context” for longer prompts.',
      );
    }
  }
  if (ctx > limit) {
    notes.push(`${model.name} supports at most ${int(limit)} tokens: sized at ${int(limit)}.`);
    ctx = limit;
  } else if (ctx > model.maxContext) {
    notes.push(
      `${model.name} ships with a ${int(model.maxContext)}-token window; ${int(ctx)} needs RoPE scaling (YaRN) ` +
        'enabled in config.json, as its model card describes.',
    );
  }
  return ctx;
}

function sizing(a: Analysis, model: ModelSpec): Analysis {
  const intent = a.intent;
  const notes = a.assumptions;
  const m = intent.match;
  if (m.generic) notes.push(...(model.notes ?? []));
  else if (m.sizeB !== null && !m.family && model.sizeDefault) {
    notes.push(
      `“${m.sizeB}b” read as ${model.name}, the most common model of that size; name the model for an exact estimate.`,
    );
  }
  let task = resolveTask(intent, model, notes);
  const rf = resolveFormat(intent, model, task, notes);
  task = rf.task;
  const format = rf.format;
  let contextTokens = resolveContext(intent, model, task, notes);
  const out = intent.outputTokens;
  if (out !== null && model.kind === 'llm' && !TRAINING_TASKS.has(task)) {
    // A sequence holds its prompt and its reply: "2k in / 512 out" keeps 2,560 tokens of KV.
    const limit = model.extendedContext ?? model.maxContext;
    if (intent.contextTokens !== null) {
      const sum = Math.min(limit, contextTokens + out);
      notes.push(
        `${int(contextTokens)} prompt + ${int(out)} output tokens = ${int(sum)} tokens per sequence.`,
      );
      contextTokens = sum;
    } else
      notes.push(
        `${int(out)} output tokens per request fit in the ${int(contextTokens)}-token context assumed.`,
      );
  }
  let concurrency = intent.concurrency ?? 1;
  if (intent.concurrency === null) {
    if (model.kind === 'embedding') {
      concurrency = Math.max(1, Math.min(64, Math.floor(EMBED_BATCH_TOKENS / Math.max(1, contextTokens))));
      notes.push(`Batch of ${concurrency} texts at a time (≈${int(EMBED_BATCH_TOKENS)} tokens per batch).`);
    } else if (model.kind === 'llm' && !TRAINING_TASKS.has(task)) {
      notes.push('One sequence at a time; add e.g. “10 concurrent users” to size the KV cache for more.');
    } else if (TRAINING_TASKS.has(task)) {
      notes.push('Micro-batch 1 with gradient checkpointing (use gradient accumulation for larger batches).');
    }
  }
  if (intent.concurrencyFromPeople && intent.concurrency !== null && intent.concurrency > 1) {
    notes.push(
      `${int(intent.concurrency)} people counted as ${int(intent.concurrency)} concurrent sequences (an upper ` +
        'bound); if they are not all generating at once, size for the peak number of active requests.',
    );
  }
  if (intent.throughputGiven) {
    const rps = intent.requestsPerSec;
    notes.push(
      rps !== null && out !== null && !intent.throughput
        ? `${rps} requests/s × ${int(out)} output tokens = ${int(rps * out)} tok/s to generate in total; memory still ` +
            'depends on concurrent sequences, so give a user count for the KV cache.'
        : 'Requests per second are not modelled: memory depends on concurrent sequences, so give a user count' +
            ' (or the output tokens per request, to size for the decode rate).',
    );
  }
  const loraRank = intent.loraRank ?? 16;
  const w: Workload = {
    model,
    format,
    task,
    contextTokens,
    concurrency,
    kvBytes: intent.kvBytes,
    loraRank,
    optimizer: intent.optimizer8bit ? 'adamw-8bit' : 'adamw',
  };
  if (format === 'exl2' && intent.bitsPerWeight !== null) w.bitsPerWeight = intent.bitsPerWeight;
  if ((task === 'lora' || task === 'qlora') && intent.loraRank === null)
    notes.push('LoRA rank 16 on all linear layers.');
  if (intent.kvBytes === 1) notes.push('FP8 KV cache (--kv-cache-dtype fp8) halves the KV memory.');
  if (model.kind === 'llm' && !TRAINING_TASKS.has(task)) {
    notes.push(
      isGguf(format)
        ? 'Runtime: llama.cpp (layers split across GPUs when more than one).'
        : format === 'exl2'
          ? `Runtime: ExLlamaV2 at ${w.bitsPerWeight ?? FORMATS.exl2.bits} bits per weight (layers split across GPUs).`
          : 'Runtime: vLLM with --max-num-batched-tokens ≤ 2048 and --gpu-memory-utilization up to 0.95.',
    );
  }
  if (!m.generic && model.notes) notes.push(...model.notes);
  const est = estimate(w);

  const guidance: string[] = [];
  if (intent.finetuneUnspecified && model.kind === 'llm') {
    const alt = (t: Task, f: FormatId) => estimate({ ...w, task: t, format: f }).totalGiB;
    notes.push(
      `“Fine-tune” read as LoRA (BF16 base). On one GPU: QLoRA ≈ ${gib(alt('qlora', 'nf4'))} GiB, ` +
        `full fine-tune ≈ ${gib(alt('full-finetune', 'bf16'))} GiB — say which for a ranking.`,
    );
    guidance.push(...FINETUNE_GUIDANCE);
  }
  if (task === 'embeddings') guidance.push(...EMBEDDINGS_GUIDANCE);
  if (task === 'transcription') guidance.push(...TRANSCRIPTION_GUIDANCE);
  if (task === 'image-generation') guidance.push(...IMAGE_GUIDANCE);
  if (intent.pricing === 'spot') {
    guidance.push(SPOT_GUIDANCE[0]!);
    if (intent.production) guidance.push(PRODUCTION_GUIDANCE);
  } else if (intent.production && intent.spotQuestion) guidance.push(PRODUCTION_GUIDANCE);

  if (intent.cloud)
    notes.push(
      intent.cloud === 'SECURE'
        ? 'Secure cloud only: live prices are SECURE cloud prices (the offline snapshot is SECURE cloud).'
        : 'Community cloud asked: live prices are COMMUNITY cloud prices; the offline snapshot has SECURE cloud prices only.',
    );
  const req: RankRequest = { pricing: a.rankRequest.pricing, budgetUsdPerHr: a.rankRequest.budgetUsdPerHr };
  if (intent.excludedGpuIds.length) req.excludeGpuIds = new Set(intent.excludedGpuIds);
  if (intent.excludedSegments.length) req.excludeSegments = new Set(intent.excludedSegments);
  let fit: FitTarget | null = null;
  const hw = intent.hardware;
  const named = new Set<string>();
  for (const g of intent.gpus) if (g.kind === 'runpod') named.add(g.gpu.id);
  if (named.size >= 2 && !hw?.owned) {
    // "H100 vs H200 for 70B": rank just those types, each at the count it needs.
    req.gpuIds = named;
    notes.push(
      `Compared only the GPUs named: ${[...named].map((id) => GPU_BY_ID.get(id)!.displayName).join(', ')}.`,
    );
  } else if (hw?.gpu) {
    const usable = hw.gpu.gpu.usableGiB;
    const name = hw.gpu.kind === 'runpod' ? hw.gpu.gpu.displayName : hw.gpu.gpu.name;
    fit = { gpu: hw.gpu, name, usableGiB: usable, count: hw.count, owned: hw.owned };
    if (hw.gpu.kind === 'owned') notes.push(`${name} is not offered on RunPod: ${hw.gpu.gpu.note}.`);
    if (format === 'fp8' && hw.gpu.kind === 'runpod' && !hw.gpu.gpu.fp8) {
      notes.push(
        `${name} has no FP8 tensor cores: FP8 weights run weight-only (memory saving, no speed-up).`,
      );
    }
  } else if (hw?.vramGiB) {
    fit = {
      gpu: null,
      name: `${hw.vramGiB} GB GPU`,
      usableGiB: hw.vramGiB,
      count: hw.count,
      owned: hw.owned,
    };
    // A size RunPod rents is checked on a card of that label (fit-check.ts resolveFit); otherwise nominally.
    const vram = hw.vramGiB;
    if (hw.owned || !GPUS.some((g) => !g.legacy && g.memoryGb === vram))
      notes.push(`Your ${vram} GB card counted as ${vram} GiB usable; drivers usually show slightly less.`);
  }
  if (intent.singleGpu) req.counts = [1];
  else if (intent.gpuCount !== null && !hw?.gpu) req.counts = [usableCount(est, intent.gpuCount, notes)];
  else if (intent.maxGpuCount !== null && !hw?.gpu) {
    const max = intent.maxGpuCount;
    req.counts = POD_COUNTS.filter((n) => n <= max);
    notes.push(`At most ${max} GPU${max === 1 ? '' : 's'}: setups of ${req.counts.join(', ')} considered.`);
  }
  if (intent.minVramGiB !== null) req.minUsableGiB = intent.minVramGiB * 0.93;
  let setups = fittingSetups(est, req);
  if (!setups.length && !req.counts && req.minUsableGiB === undefined) {
    setups = clusterSetups(est, req);
    if (setups.length)
      notes.push(
        `No single machine holds it: sized as a multi-node RunPod Instant Cluster (${GPUS_PER_NODE} GPUs per node).`,
      );
  }
  if (!req.counts && intent.budget?.perAssumed) {
    notes.push(`Budget of $${intent.budget.amountUsd} read as per ${intent.budget.per}.`);
  }
  const target = targetRate(intent);
  if (target) {
    a.rate.target = target;
    notes.push(
      target.perUser !== null
        ? `Speed asked: ${int(target.perUser)} tok/s for each of ${int(target.users)} user(s) (${int(target.total)} tok/s in all); replicas are sized for it.`
        : `Speed asked: ${int(target.total)} tok/s in total; replicas are sized for it.`,
    );
  }
  if (model.kind === 'llm' && !TRAINING_TASKS.has(task)) notes.push(THROUGHPUT_METHOD);
  a.kind = fit ? 'fit-check' : 'sizing';
  a.workload = w;
  a.estimate = est;
  a.rankRequest = req;
  a.setups = setups;
  a.fit = fit;
  a.guidance = guidance;
  return a;
}

/** A GPU count as asked, or the next one pods come in and the model can split over ("3 GPUs" → 4). */
function usableCount(e: Estimate, asked: number, notes: string[]): number {
  const w = e.workload;
  const ok = (n: number) => countAllowed(w.model, w.format, n, TRAINING_TASKS.has(w.task));
  if ((POD_COUNTS as readonly number[]).includes(asked) && ok(asked)) return asked;
  const next =
    POD_COUNTS.find((n) => n >= asked && ok(n)) ?? [...POD_COUNTS].reverse().find((n) => n < asked && ok(n));
  if (next === undefined) return asked;
  const why =
    w.model.kind === 'llm' && !TRAINING_TASKS.has(w.task) && !splitsLayers(w.format)
      ? (tensorParallelProblem(w.model, w.format, asked) ?? `pods come with ${POD_COUNTS.join(', ')} GPUs`)
      : `pods come with ${POD_COUNTS.join(', ')} GPUs`;
  notes.push(`${asked} GPUs: ${why}; sized at ${next}.`);
  return next;
}

/** A rate the question asked for; "30 tok/s" with users and no "total" is per user; requests/s × output tokens
 *  is a total. */
function targetRate(intent: Intent): TargetRate | null {
  const t = intent.throughput;
  if (!t) {
    const rps = intent.requestsPerSec;
    const out = intent.outputTokens;
    return rps !== null && out !== null && rps * out > 0
      ? { perUser: null, total: rps * out, users: intent.concurrency ?? 1 }
      : null;
  }
  const users = intent.concurrency ?? 1;
  const perUser = t.perUser ?? t.tokPerSec <= 200;
  return perUser
    ? { perUser: t.tokPerSec, total: t.tokPerSec * users, users }
    : { perUser: null, total: t.tokPerSec, users };
}

/** GPU counts the answer will price, so live prices can be fetched for exactly those. */
export function neededGpuCounts(a: Analysis): number[] {
  const counts = new Set<number>([1]);
  for (const s of a.setups) counts.add(s.count);
  if (a.fit?.count) counts.add(a.fit.count);
  return [...counts].sort((x, y) => x - y);
}
