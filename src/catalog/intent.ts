// Free text → Intent: model (or bare size), format, task, context, concurrency, pricing, budget and
// hardware constraints. Pure; never throws on odd input.
import type { Task } from './estimate.ts';
import { type GpuRef, matchGpuAt } from './gpu-lookup.ts';
import {
  CONCURRENCY_AFTER,
  CONCURRENCY_BEFORE,
  CONTEXT_WORDS,
  DAY,
  DOMAIN,
  FORMAT_WORDS,
  FUZZY,
  HOUR,
  KNOWN,
  MONTH,
  ON_DEMAND,
  OPTIMIZER_WORDS,
  OWNED,
  PEOPLE,
  SPOT,
  STOP,
  V,
  W,
  WEEK,
  WORD_CLASSES,
} from './intent-words.ts';
import { type ModelMatch, matchModel } from './model-lookup.ts';
import { mayNegate, splitNegations } from './negation.ts';
import { readExclusions } from './exclusions.ts';
import { tokenize } from './text.ts';
import type { FormatId, GpuSpec, ModelSpec } from './types.ts';

export interface Budget {
  amountUsd: number;
  per: 'hour' | 'day' | 'week' | 'month';
  usdPerHr: number;
  /** The period was not written; we assumed it. */
  perAssumed: boolean;
}

export interface HardwareConstraint {
  /** The GPU named (RunPod or a well-known card people own); null for "a 24 GB card". */
  gpu: GpuRef | null;
  /** GPUs named; null when not said ("on 4090s"). */
  count: number | null;
  /** Memory of an unnamed card ("my 24GB GPU"), GiB. */
  vramGiB: number | null;
  /** The user already has it ("I have 3x A6000"): answer fit only, no rental price. */
  owned: boolean;
}

export interface Intent {
  question: string;
  match: ModelMatch;
  format: FormatId | null;
  /** How the format was read ("4-bit: assumed AWQ"), when it needs saying. */
  formatNote: string | null;
  task: Task | null;
  /** "fine-tune" without LoRA/QLoRA/full. */
  finetuneUnspecified: boolean;
  contextTokens: number | null;
  /** "long context" / "full context" without a number. */
  contextWord: 'long' | 'max' | null;
  concurrency: number | null;
  pricing: 'spot' | 'on-demand' | null;
  cloud: 'SECURE' | 'COMMUNITY' | null;
  budget: Budget | null;
  hardware: HardwareConstraint | null;
  /** Every GPU named, in order. */
  gpus: GpuRef[];
  /** RunPod ids named by a bare family name ("h100"), whose sibling variants are relevant too. */
  bareGpuIds: string[];
  singleGpu: boolean;
  /** "on 2 GPUs" without a type. */
  gpuCount: number | null;
  /** "at most 2 GPUs", "up to 4 GPUs", "no more than 2 GPUs": the most GPUs a setup may have. */
  maxGpuCount: number | null;
  /** "how many H100s", "number of GPUs": the fewest GPUs of the named type is the answer. */
  howMany: boolean;
  /** "at least 48 GB". */
  minVramGiB: number | null;
  fitQuestion: boolean;
  wantsPrice: boolean;
  wantsStock: boolean;
  spotQuestion: boolean;
  production: boolean;
  kvBytes: 1 | 2;
  /** Bits per weight written in the question ("4.65bpw"), for EXL2. */
  bitsPerWeight: number | null;
  /** The concurrency came from a head count ("50 devs", "20 users"), not a number of parallel requests. */
  concurrencyFromPeople: boolean;
  loraRank: number | null;
  optimizer8bit: boolean;
  useCase: 'embeddings' | 'transcription' | 'image-generation' | 'chat' | null;
  /** Requests per second were given (throughput is not modelled). */
  throughputGiven: boolean;
  /** Requests per second as read ("20 rps"); with output tokens per request it sets a total decode rate. */
  requestsPerSec: number | null;
  /** Output tokens per request ("512 out", "300 output tokens"), part of each sequence's context. */
  outputTokens: number | null;
  /** How long it will run ("for 10 hours", "per month"), for a cost total. */
  durationHours: number | null;
  /** The text talks about GPUs/models at all. */
  domain: boolean;
  /** A greeting or a request for help ("hi", "help", "what can you do"): answer with examples. */
  greeting: boolean;
  fuzzy: { typed: string; matched: string }[];
  /** Words the question negated ("no lora" → ["lora"]); never read as wanted. */
  negated: string[];
  /** Weight formats the question ruled out ("without quantization", "not awq"). */
  excludedFormats: FormatId[];
  /** RunPod GPU ids ruled out ("no 4090s"). */
  excludedGpuIds: string[];
  /** GPU segments ruled out ("anything but consumer cards"). */
  excludedSegments: GpuSpec['segment'][];
  /** Decode speed asked for ("30 tok/s per user", "2000 tokens/s total"). */
  throughput: { tokPerSec: number; perUser: boolean | null } | null;
  /** Numbers in the question that nothing read, as typed. */
  ignoredNumbers: string[];
}

const NUM = /^\d+(?:\.\d+)?$/;
const K_NUM = /^(\d+(?:\.\d+)?)k$/;
const M_NUM = /^(\d+(?:\.\d+)?)m$/;
const GB_NUM = /^(\d+(?:\.\d+)?)(gb|gib|g)$/;
const DOLLAR = /^\$(\d+(?:\.\d+)?)(k)?$/;
const GLUED_COUNT = /^(\d{1,2})x$/;
const SUFFIX_COUNT = /^x(\d{1,2})$/;
const GGUF_LEVEL = /^i?q[2-8](?:_k)?(?:_[0-1]|_[sml]|_xs|_xxs)?$/;
const BPW = /^(\d+(?:\.\d+)?)bpw$/;
/** A rate glued to its unit: "30tok/s" → "30tok" "s", "40tps". */
const GLUED_RATE = /^(\d+(?:\.\d+)?k?)(tok|toks|tokens|t|tk|tps)$/;
const REQUEST_WORDS = new Set(['requests', 'request', 'req', 'reqs', 'queries', 'calls']);

// ── helpers ────────────────────────────────────────────────────────────────────────────────────

const num = (t: string | undefined): number | null => (t !== undefined && NUM.test(t) ? Number(t) : null);

function contextValue(t: string): number | null {
  const k = K_NUM.exec(t);
  if (k) return Math.round(Number(k[1]) * 1024);
  const n = num(t);
  if (n !== null && Number.isInteger(n) && n >= 128 && n <= 10_485_760) return n;
  return null;
}

function ggufFormat(level: string): { format: FormatId; note: string | null } {
  const l = level.replace(/^i/, '');
  if (level === 'iq4_xs') return { format: 'gguf-iq4_xs', note: null };
  if (l.startsWith('q8')) return { format: 'gguf-q8_0', note: null };
  if (l.startsWith('q6')) return { format: 'gguf-q6_k', note: null };
  if (l.startsWith('q5')) {
    return {
      format: 'gguf-q5_k_m',
      note: l === 'q5_k_m' || l === 'q5' ? null : `${level.toUpperCase()} sized as Q5_K_M`,
    };
  }
  if (l === 'q4_k_s') return { format: 'gguf-q4_k_s', note: null };
  if (l === 'q4_0') return { format: 'gguf-q4_0', note: null };
  if (l.startsWith('q4')) {
    return {
      format: 'gguf-q4_k_m',
      note: l === 'q4_k_m' || l === 'q4' ? null : `${level.toUpperCase()} sized as Q4_K_M`,
    };
  }
  if (l.startsWith('q3')) {
    return {
      format: 'gguf-q3_k_m',
      note: l === 'q3_k_m' || l === 'q3' ? null : `${level.toUpperCase()} sized as Q3_K_M`,
    };
  }
  return {
    format: 'gguf-q3_k_m',
    note: `${level.toUpperCase()} is not in our table: sized as Q3_K_M (an upper bound)`,
  };
}

// ── parser ─────────────────────────────────────────────────────────────────────────────────────

function correctTypos(tokens: string[], fuzzy: Intent['fuzzy']): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.length < 4 || KNOWN.has(t) || STOP.has(t) || DOMAIN.has(t) || !/^[a-z]+$/.test(t)) continue;
    const m = FUZZY.match(t);
    if (m && m !== t) {
      tokens[i] = m;
      fuzzy.push({ typed: t, matched: m });
    }
  }
}

const RATE_UNIT = new Set(['tok', 'tokens', 'token', 't', 'tk']);
const SECOND = new Set(['s', 'sec', 'second', 'secs']);
const AGGREGATE = new Set(['total', 'aggregate', 'overall', 'combined', 'altogether']);
const PER_SEQ = new Set([
  ...PEOPLE,
  'request',
  'req',
  'stream',
  'seq',
  'sequence',
  'chat',
  'session',
  'conversation',
]);

/** "30 tok/s", "30 tokens/sec", "30 tps", "30 tokens per second": tokens the rate takes after the number. */
function rateLength(tokens: readonly string[], i: number): number {
  const a = tokens[i + 1];
  if (a === 'tps' || a === 'tok/s') return 1;
  if (a === undefined || !RATE_UNIT.has(a)) return 0;
  const b = tokens[i + 2];
  if (b !== undefined && SECOND.has(b)) return 2;
  if (b === 'per' && tokens[i + 3] !== undefined && SECOND.has(tokens[i + 3]!)) return 3;
  return 0;
}

/** Per user/request ("each", "per user") or in total; null when the question does not say. */
function rateScope(tokens: readonly string[], from: number, to: number): boolean | null {
  for (let k = Math.max(0, from - 3); k < Math.min(tokens.length, to + 4); k++) {
    const w = tokens[k]!;
    if (AGGREGATE.has(w)) return false;
    if (w === 'each' || (w === 'per' && PER_SEQ.has(tokens[k + 1] ?? ''))) return true;
  }
  return null;
}

export function parseQuestion(question: string): Intent {
  const text = question.slice(0, 2000);
  const plain = tokenize(text);
  // Only a question with a cue is tokenized again with its clause breaks and split.
  const neg = mayNegate(plain) ? splitNegations(tokenize(text, true)) : null;
  const tokens = neg ? neg.tokens : plain;
  const negated = neg ? neg.negated : [];
  const fuzzy: Intent['fuzzy'] = [];
  correctTypos(tokens, fuzzy);
  if (negated.length) correctTypos(negated, fuzzy);
  const ex = readExclusions(negated);
  let wf = 0;
  let vf = 0;
  for (const t of tokens) {
    const c = WORD_CLASSES.get(t);
    if (c) {
      wf |= c[0];
      vf |= c[1];
    }
  }
  const used = new Uint8Array(tokens.length);

  // GPUs named, with counts ("2x 4090", "4090 x2", "two H100s", "a single A6000").
  const gpus: GpuRef[] = [];
  const bareGpuIds: string[] = [];
  let hardware: HardwareConstraint | null = null;
  let hardwarePlural = false;
  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const m = matchGpuAt(tokens, i);
    if (!m) continue;
    for (let j = m.start; j < m.end; j++) used[j] = 1;
    gpus.push(m.ref);
    if (m.bare && m.ref.kind === 'runpod') bareGpuIds.push(m.ref.gpu.id);
    let count: number | null = null;
    const p1 = tokens[m.start - 1];
    const p2 = tokens[m.start - 2];
    const g = p1 !== undefined ? GLUED_COUNT.exec(p1) : null;
    if (g && !used[m.start - 1]) {
      count = Number(g[1]);
      used[m.start - 1] = 1;
    } else if (p1 === 'x' && num(p2) !== null && !used[m.start - 2]) {
      count = num(p2);
      used[m.start - 1] = 1;
      used[m.start - 2] = 1;
    } else if (p1 !== undefined && !used[m.start - 1] && /^\d{1,2}$/.test(p1) && Number(p1) >= 1) {
      count = Number(p1);
      used[m.start - 1] = 1;
    } else if (
      p1 === 'of' &&
      p2 !== undefined &&
      !used[m.start - 2] &&
      /^\d{1,2}$/.test(p2) &&
      Number(p2) >= 1
    ) {
      // "a pair of 4090s", "2 of the H100s".
      count = Number(p2);
      used[m.start - 2] = 1;
    } else if (p1 === 'a' || p1 === 'an') {
      count = 1;
    }
    const n1 = tokens[m.end];
    const s = n1 !== undefined ? SUFFIX_COUNT.exec(n1) : null;
    if (count === null && s) {
      count = Number(s[1]);
      used[m.end] = 1;
    } else if (count === null && n1 === 'x' && num(tokens[m.end + 1]) !== null) {
      count = num(tokens[m.end + 1]);
      used[m.end] = 1;
      used[m.end + 1] = 1;
    }
    if (!hardware) {
      hardware = { gpu: m.ref, count, vramGiB: null, owned: false };
      hardwarePlural = m.plural;
    }
    i = m.end - 1;
  }

  const match = matchModel(tokens, used);
  for (const i of match.used) used[i] = 1;

  // Weight format and KV-cache dtype.
  let format: FormatId | null = null;
  let formatNote: string | null = null;
  let kvBytes: 1 | 2 = 2;
  let bits: number | null = null;
  let bitsPerWeight: number | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const b = BPW.exec(t);
    const v = b ? Number(b[1]) : num(t) !== null && tokens[i + 1] === 'bpw' ? Number(t) : null;
    if (v !== null && v >= 2 && v <= 8.5) {
      bitsPerWeight = v;
      format = 'exl2';
      used[i] = 1;
      if (!b) used[i + 1] = 1;
    }
  }
  if ((vf & V.exl2) !== 0) format = 'exl2';
  const ggufish = (vf & V.ggufish) !== 0;
  const bnb = (vf & V.bnb) !== 0;
  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const t = tokens[i]!;
    if (t === 'kv') continue;
    const fw = FORMAT_WORDS.get(t);
    const c0 = t.charCodeAt(0);
    const maybeGguf = (c0 === 113 /* q */ || c0 === 105) /* i */ && GGUF_LEVEL.test(t);
    const maybeBits =
      c0 >= 48 && c0 <= 57 && (tokens[i + 1] === 'bit' || tokens[i + 1] === 'bits' || t === '8bit');
    if (!fw && !maybeGguf && !maybeBits) continue;
    const nearKv = tokens[i - 1] === 'kv' || tokens[i + 1] === 'kv' || tokens[i - 2] === 'kv';
    if (nearKv && (fw === 'fp8' || fw === 'int8' || t === '8bit' || t === 'q8_0')) {
      kvBytes = 1;
      continue;
    }
    let f: FormatId | null = null;
    if (maybeGguf) {
      const g = ggufFormat(t);
      f = g.format;
      if (g.note) formatNote = g.note;
    } else if (maybeBits) {
      const optimizerNext = OPTIMIZER_WORDS.has(tokens[i + (t === '8bit' ? 1 : 2)] ?? '');
      if (t === '8bit') {
        if (!optimizerNext) f = 'int8';
      } else if ((t === '4' || t === '8' || t === '16' || t === '32') && !optimizerNext) {
        bits = Number(t);
        used[i] = 1;
      }
    } else if (fw === 'bits4') bits = 4;
    else if (fw === 'quantized') bits = bits ?? 0;
    else if (fw === 'unquantized') {
      f = 'bf16';
      formatNote = 'unquantized: sized in BF16 (say fp32 for 32-bit weights)';
    } else if (fw) {
      f = fw;
      if (t === 'load_in_4bit') formatNote = 'load_in_4bit: bitsandbytes NF4 (4.127 bits/weight)';
    }
    if (f && format !== 'exl2' && (format === null || format === 'bf16' || f.startsWith('gguf-q')))
      format = f;
  }
  if (format === null && (vf & V.precision) !== 0 && (wf & W.full) !== 0) {
    format = 'bf16';
    formatNote = 'full precision: sized in BF16, the unquantized checkpoint (say fp32 for 32-bit weights)';
  }
  if (format === null && bits !== null) {
    if (bits === 32) format = 'fp32';
    else if (bits === 16) format = 'bf16';
    else if (bits === 8) format = ggufish ? 'gguf-q8_0' : 'int8';
    else if (bnb) {
      format = 'nf4';
      formatNote = '4-bit with bitsandbytes: NF4 with double quantization (4.127 bits/weight)';
    } else if (ggufish) {
      format = 'gguf-q4_k_m';
      formatNote = '4-bit GGUF: assumed Q4_K_M';
    } else {
      format = 'awq';
      formatNote = `${bits === 0 ? 'quantized' : '4-bit'}: assumed AWQ/GPTQ INT4 with group size 128 (4.16 bits/weight)`;
    }
  }
  if (format === null && ggufish) {
    format = 'gguf-q4_k_m';
    formatNote =
      (vf & V.ollama) !== 0
        ? 'Ollama: assumed its default Q4_K_M quantization'
        : 'GGUF without a level: assumed Q4_K_M';
  }

  let excludedFormats = ex.formats;
  if (format === null && ex.unquantized) {
    // The weights as published: FP8 for a model that ships in FP8 (DeepSeek-V3/R1, Kimi K2).
    if (match.model?.nativeFormat === 'fp8') {
      format = 'fp8';
      excludedFormats = excludedFormats.filter((f) => f !== 'fp8');
      formatNote = `no quantization: ${match.model.name} as published, in FP8`;
    } else {
      format = 'bf16';
      formatNote = 'no quantization: sized in BF16, the unquantized checkpoint';
    }
  }

  // Task.
  let task: Task | null = null;
  let finetuneUnspecified = false;
  const fineTune = (wf & W.ft) !== 0 || ((wf & W.fine) !== 0 && (wf & W.tune) !== 0);
  if ((wf & W.qlora) !== 0) task = 'qlora';
  else if ((wf & W.lora) !== 0) task = 'lora';
  else if (fineTune && ex.noAdapters) task = ex.noFull ? 'qlora' : 'full-finetune';
  else if (fineTune && (ex.noFull || ex.noQlora)) task = 'lora';
  else if (
    (wf & W.pretrain) !== 0 ||
    ((wf & W.from) !== 0 && (wf & W.scratch) !== 0) ||
    ((wf & W.full) !== 0 && (fineTune || (wf & W.parameter) !== 0))
  )
    task = 'full-finetune';
  else if (fineTune) {
    task = 'lora';
    finetuneUnspecified = true;
  }
  let useCase: Intent['useCase'] = null;
  if ((wf & W.embed) !== 0) useCase = 'embeddings';
  else if ((wf & W.transcribe) !== 0 || ((wf & W.audio) !== 0 && (vf & V.generation) === 0))
    useCase = 'transcription';
  else if ((wf & W.diffusion) !== 0 || ((wf & W.image) !== 0 && (wf & W.generate) !== 0))
    useCase = 'image-generation';
  else if ((wf & W.chat) !== 0) useCase = 'chat';

  // Numbers: context, concurrency, budget, rank, memory.
  let contextTokens: number | null = null;
  let contextWord: Intent['contextWord'] = null;
  let concurrency: number | null = null;
  let budget: Budget | null = null;
  let loraRank: number | null = null;
  let vramGiB: number | null = null;
  /** GPUs of the bare memory size ("two 24GB cards"); plural without a count ("24GB cards"). */
  let vramCount: number | null = null;
  let vramPlural = false;
  let minVramGiB: number | null = null;
  let gpuCount: number | null = null;
  let maxGpuCount: number | null = null;
  // Token index that set the context / concurrency: a later value replaces it and the earlier one is reported.
  let contextAt = -1;
  let concurrencyAt = -1;
  let throughputGiven = false;
  let requestsPerSec: number | null = null;
  let outputTokens: number | null = null;
  let concurrencyFromPeople = false;
  let durationHours: number | null = null;
  let throughput: Intent['throughput'] = null;
  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const t = tokens[i]!;
    const c0 = t.charCodeAt(0);
    if (!(c0 >= 48 && c0 <= 57) && c0 !== 36 /* $ */ && t !== 'r' && t !== 'rank') continue;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    const prev2 = tokens[i - 2];
    // Budget: "$2/hr", "2 dollars an hour", "$500 a month".
    const d = DOLLAR.exec(t);
    const plainMoney =
      num(t) !== null &&
      (next === 'usd' || next === 'dollars' || next === 'dollar' || next === 'bucks' || next === '$');
    if (d || plainMoney) {
      const amount = d ? Number(d[1]) * (d[2] ? 1000 : 1) : Number(t);
      let j = i + 1;
      if (plainMoney) j++;
      let per: Budget['per'] | null = null;
      for (let k = j; k < Math.min(j + 3, tokens.length); k++) {
        const w = tokens[k]!;
        if (HOUR.has(w)) per = 'hour';
        else if (DAY.has(w)) per = 'day';
        else if (WEEK.has(w)) per = 'week';
        else if (MONTH.has(w)) per = 'month';
        if (per) break;
      }
      const perAssumed = per === null;
      const p: Budget['per'] = per ?? (amount < 30 ? 'hour' : 'month');
      const hours = p === 'hour' ? 1 : p === 'day' ? 24 : p === 'week' ? 168 : 730;
      if (amount > 0) budget = { amountUsd: amount, per: p, usdPerHr: amount / hours, perAssumed };
      used[i] = 1;
      continue;
    }
    // Memory: "24gb", "24 GB VRAM", "at least 48gb".
    const gbm = GB_NUM.exec(t);
    const gbValue = gbm
      ? Number(gbm[1])
      : num(t) !== null && (next === 'gb' || next === 'gib')
        ? Number(t)
        : null;
    if (gbValue !== null && gbValue >= 4 && gbValue <= 2048) {
      const atLeast =
        prev === 'least' ||
        prev === '>=' ||
        prev === '>' ||
        prev === 'min' ||
        prev === 'minimum' ||
        (prev === 'than' && (prev2 === 'more' || prev2 === 'over')) ||
        prev === 'over' ||
        prev === 'above';
      if (atLeast) minVramGiB = gbValue;
      else {
        vramGiB = gbValue;
        // A count before it ("two 24GB cards", "2x 24 GB GPUs", "4 x 24gb") or after it ("24GB x2").
        const g = prev !== undefined && !used[i - 1] ? GLUED_COUNT.exec(prev) : null;
        const before = g
          ? Number(g[1])
          : prev === 'x' && num(prev2) !== null && !used[i - 2]
            ? num(prev2)
            : prev !== undefined && !used[i - 1] && /^\d{1,2}$/.test(prev)
              ? Number(prev)
              : null;
        if (before !== null && before >= 1 && before <= 64) {
          vramCount = before;
          used[i - 1] = 1;
          if (prev === 'x') used[i - 2] = 1;
        }
        const at = gbm ? i + 1 : i + 2;
        const noun = tokens[at] === 'vram' || tokens[at] === 'memory' ? at + 1 : at;
        const w = tokens[noun];
        if (w === 'cards' || w === 'gpus') vramPlural = true;
        const sfx = w !== undefined ? SUFFIX_COUNT.exec(w) : null;
        const after =
          tokens[noun + 1] === 'x' && num(tokens[noun + 2]) !== null
            ? noun + 2
            : w === 'x' && num(tokens[noun + 1]) !== null
              ? noun + 1
              : -1;
        if (vramCount === null && sfx) {
          vramCount = Number(sfx[1]);
          used[noun] = 1;
        } else if (vramCount === null && after >= 0) {
          vramCount = num(tokens[after]);
          used[after] = 1;
          used[after - 1] = 1;
        }
      }
      used[i] = 1;
      if (!gbm) used[i + 1] = 1;
      continue;
    }
    // Duration: "for 10 hours", "3 days", "2 weeks" (cost totals, not budgets).
    if (
      num(t) !== null &&
      next !== undefined &&
      (HOUR.has(next) || DAY.has(next) || WEEK.has(next) || MONTH.has(next))
    ) {
      const n = Number(t);
      const hours = HOUR.has(next) ? 1 : DAY.has(next) ? 24 : WEEK.has(next) ? 168 : 730;
      if (n > 0 && n <= 10_000) durationHours = n * hours;
      used[i] = 1;
      continue;
    }
    // LoRA rank: "r=64", "rank 16".
    if ((t === 'r' || t === 'rank') && num(next) !== null) {
      loraRank = num(next);
      used[i] = 1;
      used[i + 1] = 1;
      i++;
      continue;
    }
    // Decode speed: "30 tok/s per user", "≈2000 tokens/s total".
    const kRate = K_NUM.exec(t);
    const rateValue = num(t) ?? (kRate ? Number(kRate[1]) * 1000 : null);
    const glued = rateValue === null ? GLUED_RATE.exec(t) : null;
    const rl =
      rateValue !== null
        ? rateLength(tokens, i)
        : glued && (glued[2] === 'tps' || SECOND.has(next ?? ''))
          ? glued[2] === 'tps'
            ? 0
            : 1
          : -1;
    // A glued rate takes 0 ("40tps") or 1 ("30tok" "s") more tokens; a bare number needs its unit after it.
    if (rateValue !== null ? rl > 0 : rl >= 0) {
      const g = glued ? glued[1]! : '';
      const v = glued ? (g.endsWith('k') ? Number(g.slice(0, -1)) * 1000 : Number(g)) : rateValue!;
      if (v > 0 && v <= 1_000_000) throughput = { tokPerSec: v, perUser: rateScope(tokens, i, i + rl) };
      for (let k = i; k <= i + rl; k++) used[k] = 1;
      i += rl;
      continue;
    }
    // Requests per second ("100 req/s", "50 rps", "20 requests per second"): a rate once output tokens are known.
    if (
      rateValue !== null &&
      (next === 'rps' ||
        next === 'qps' ||
        (next !== undefined &&
          REQUEST_WORDS.has(next) &&
          (SECOND.has(tokens[i + 2] ?? '') || (tokens[i + 2] === 'per' && SECOND.has(tokens[i + 3] ?? '')))))
    ) {
      throughputGiven = true;
      requestsPerSec = rateValue;
      used[i] = 1;
      continue;
    }
    // Output tokens per request ("512 out", "300 output tokens"): they sit in the KV cache too.
    if (
      rateValue !== null &&
      (next === 'out' ||
        next === 'output' ||
        (prev === 'output' && (next === 'tokens' || next === 'token')) ||
        ((next === 'tokens' || next === 'token') && (tokens[i + 2] === 'out' || tokens[i + 2] === 'output')))
    ) {
      outputTokens = rateValue;
      used[i] = 1;
      continue;
    }
    // Tensor-parallel size as vLLM spells it: "tp 4", "tp=2", "--tensor-parallel-size 2".
    if (
      num(t) !== null &&
      (prev === 'tp' ||
        prev === 'tensor_parallel_size' ||
        (prev === 'parallel' && prev2 === 'tensor') ||
        (prev === 'size' && prev2 === 'parallel' && tokens[i - 3] === 'tensor'))
    ) {
      const n = Number(t);
      if (Number.isInteger(n) && n >= 1 && n <= 64) gpuCount = n;
      used[i] = 1;
      continue;
    }
    // "on 2 gpus" / "8 gpus" without a type; "at most 2 gpus" / "up to 4 gpus" / "fewer than 4 gpus" bound it.
    if (num(t) !== null && (next === 'gpus' || next === 'gpu' || next === 'cards' || next === 'card')) {
      const n = num(t)!;
      const bound = countBound(tokens, i);
      if (Number.isInteger(n) && n >= 1 && n <= 64) {
        if (bound === null) gpuCount = n;
        else maxGpuCount = Math.max(1, bound === 'below' ? n - 1 : n);
      }
      used[i] = 1;
      continue;
    }
    // Concurrency: "4 users", "batch 8", "x 4 users", "1k users".
    // "context: 32k, users: 4": a number after a context word is the context, not a head count.
    const contextLabel = prev !== undefined && CONTEXT_WORDS.has(prev) && contextValue(t) !== null;
    const kAsCount = contextLabel ? null : K_NUM.exec(t);
    const asCount = contextLabel ? null : (num(t) ?? (kAsCount ? Number(kAsCount[1]) * 1000 : null));
    if (asCount !== null && Number.isInteger(asCount) && asCount >= 1) {
      const after =
        (next !== undefined && CONCURRENCY_AFTER.has(next)) ||
        (next === 'concurrent' && tokens[i + 2] !== undefined) ||
        (next !== undefined &&
          tokens[i + 2] !== undefined &&
          CONCURRENCY_AFTER.has(tokens[i + 2]!) &&
          /^(concurrent|simultaneous|parallel|active|chat)$/.test(next));
      const before =
        (prev !== undefined && CONCURRENCY_BEFORE.has(prev)) ||
        (prev === 'size' && prev2 === 'batch') ||
        (prev === 'of' && prev2 === 'batch') ||
        (prev === 'of' && tokens[i - 3] === 'batch') ||
        // A label: "users: 10", "• concurrent users ~20" (not "8 users 10 …", where the 8 is the count).
        (prev !== undefined &&
          CONCURRENCY_AFTER.has(prev) &&
          num(t) !== null &&
          (prev2 === undefined || num(prev2) === null) &&
          (asCount < 128 || next === undefined || !CONTEXT_WORDS.has(next)));
      if (after || before) {
        if (concurrencyAt >= 0 && concurrency !== asCount) used[concurrencyAt] = 0;
        concurrencyAt = i;
        concurrency = asCount;
        concurrencyFromPeople =
          next !== undefined && PEOPLE.has(next) && prev !== 'concurrent' && prev !== 'simultaneous';
        used[i] = 1;
        continue;
      }
    }
    // Context: "8k", "32k context", "context 16384", "1M tokens".
    // "$/1M tokens", "per 1M tokens" is a price unit, not a context length.
    const priceUnit = prev === '$' || prev === 'per' || prev === 'usd';
    const mm = priceUnit ? null : M_NUM.exec(t);
    const cv =
      mm && (next === 'context' || next === 'tokens' || next === 'ctx' || prev === 'context')
        ? Math.round(Number(mm[1]) * 1048576)
        : contextValue(t);
    if (cv !== null) {
      const nearWord =
        (next !== undefined && CONTEXT_WORDS.has(next)) ||
        (prev !== undefined && CONTEXT_WORDS.has(prev)) ||
        (prev2 !== undefined &&
          CONTEXT_WORDS.has(prev2) &&
          (prev === 'of' || prev === 'is' || prev === '=' || prev === 'to'));
      const phiVariant =
        match.family?.key === 'phi' && (prev === 'mini' || prev === 'small' || prev === 'medium');
      if (!phiVariant && (nearWord || K_NUM.test(t) || (mm !== null && cv >= 1048576))) {
        if (contextAt >= 0 && contextTokens !== cv) used[contextAt] = 0;
        contextAt = i;
        contextTokens = cv;
        used[i] = 1;
      }
    }
  }
  if (contextTokens === null) {
    if ((wf & W.long) !== 0 && ((wf & W.ctx) !== 0 || (vf & V.documents) !== 0)) contextWord = 'long';
    if (((wf & W.full) !== 0 || (wf & W.max) !== 0) && (wf & W.ctx) !== 0) contextWord = 'max';
  }

  // Pricing, ownership, constraints.
  let pricing: Intent['pricing'] = null;
  for (const t of tokens) {
    if (SPOT.has(t)) pricing = 'spot';
    else if (ON_DEMAND.has(t)) pricing = pricing ?? 'on-demand';
  }
  if ((wf & W.on) !== 0 && (wf & W.demand) !== 0 && pricing === null) pricing = 'on-demand';
  if (ex.pricing && pricing === null) pricing = ex.pricing;
  let cloud: Intent['cloud'] =
    (wf & W.community) !== 0 ? 'COMMUNITY' : (wf & W.secure) !== 0 ? 'SECURE' : null;
  if (ex.cloud && cloud === null) cloud = ex.cloud;
  let owned = (wf & W.already) !== 0;
  for (let i = 0; i < tokens.length && !owned; i++) {
    owned = OWNED.has(tokens[i]!) && !(tokens[i] === 'have' && tokens[i + 1] === 'to');
  }
  const singleGpu =
    (((wf & W.single) !== 0 || (wf & W.one) !== 0) && (wf & W.gpu) !== 0) ||
    (gpuCount === 1 && hardware === null) ||
    (ex.singleGpu && gpuCount === null);
  if (hardware) hardware.owned = owned;
  let howMany = (vf & V.fewest) !== 0;
  if ((vf & (V.how | V.number)) !== 0) {
    for (let i = 0; i < tokens.length - 1 && !howMany; i++) {
      const t = tokens[i]!;
      howMany = (t === 'how' && tokens[i + 1] === 'many') || (t === 'number' && tokens[i + 1] === 'of');
    }
  }
  if (!hardware && vramGiB !== null && (match.model || match.sizeB !== null || match.candidates.length)) {
    hardware = {
      gpu: null,
      count: vramCount ?? gpuCount ?? (vramPlural || howMany ? null : 1),
      vramGiB,
      owned,
    };
  } else if (hardware && hardware.count === null) {
    // No count next to the name: a count given elsewhere ("tp=4", "on 2 GPUs"), else one unless plural
    // or asked for ("how many A100 80GB for …": the fewest).
    hardware.count = gpuCount ?? (hardwarePlural || howMany ? null : 1);
  }
  const fitQuestion = (vf & V.fit) !== 0 || ((wf & W.can) !== 0 && (wf & W.run) !== 0);
  const wantsPrice = (vf & V.price) !== 0 || ((vf & V.how) !== 0 && (vf & V.much) !== 0);
  const wantsStock = (vf & V.stock) !== 0;
  const spotQuestion = pricing === 'spot' && (vf & V.spotQ) !== 0;
  const production = (vf & V.prod) !== 0;
  const optimizer8bit = (vf & V.adam) !== 0 && ((vf & V.eightBit) !== 0 || tokens.includes('8'));
  const domain =
    gpus.length > 0 ||
    match.model !== null ||
    match.family !== null ||
    match.candidates.length > 0 ||
    match.sizeB !== null ||
    match.closed !== null ||
    match.otherFamily !== null ||
    format !== null ||
    task !== null ||
    useCase !== null ||
    (vf & V.domain) !== 0;

  return {
    question,
    match,
    format,
    formatNote,
    task,
    finetuneUnspecified,
    contextTokens,
    contextWord,
    concurrency,
    pricing,
    cloud,
    budget,
    hardware,
    gpus,
    bareGpuIds,
    singleGpu,
    gpuCount,
    maxGpuCount,
    howMany,
    minVramGiB,
    fitQuestion,
    wantsPrice,
    wantsStock,
    spotQuestion,
    production,
    kvBytes,
    bitsPerWeight,
    concurrencyFromPeople,
    loraRank,
    optimizer8bit,
    useCase,
    throughputGiven,
    requestsPerSec,
    outputTokens,
    durationHours:
      durationHours ??
      (budget === null && ((vf & V.monthly) !== 0 || ((vf & V.month) !== 0 && (vf & V.perA) !== 0))
        ? 730
        : null),
    domain,
    greeting: tokens.length <= 8 && (vf & V.greet) !== 0,
    fuzzy,
    negated,
    excludedFormats,
    excludedGpuIds: ex.gpuIds,
    excludedSegments: ex.segments,
    throughput,
    ignoredNumbers: match.closed ? [] : unreadNumbers(tokens, used, match),
  };
}

/** "at most 2 gpus", "up to 4 gpus", "no more than 2 gpus", "4 gpus max" ('max'); "fewer than 4 gpus" ('below'). */
function countBound(tokens: readonly string[], i: number): 'max' | 'below' | null {
  const p1 = tokens[i - 1];
  const p2 = tokens[i - 2];
  if (p1 === 'max' || p1 === 'maximum' || p1 === '<' || p1 === '<=') return 'max';
  if (p1 === 'most' && p2 === 'at') return 'max';
  if (p1 === 'to' && p2 === 'up') return 'max';
  if (p1 === 'than' && p2 === 'more' && (tokens[i - 3] === 'no' || tokens[i - 3] === 'not')) return 'max';
  if (p1 === 'than' && (p2 === 'fewer' || p2 === 'less')) return 'below';
  const n2 = tokens[i + 2];
  if (n2 === 'max' || n2 === 'maximum' || (n2 === 'at' && tokens[i + 3] === 'most')) return 'max';
  return null;
}

// Weak: generic stand-ins are built per question and must not pile up here.
const NAME_PARTS = new WeakMap<ModelSpec, ReadonlySet<string>>();
/** The words of a model's id and repo ("llama-3.1-8b" → llama, 3.1, 8b), built once per model. */
function nameParts(m: ModelSpec): ReadonlySet<string> {
  let parts = NAME_PARTS.get(m);
  if (!parts) {
    parts = new Set(`${m.id} ${m.repo.toLowerCase()}`.split(/[\s/_-]+/));
    NAME_PARTS.set(m, parts);
  }
  return parts;
}

/** Numbers no rule consumed: named in the answer, never silently dropped. */
function unreadNumbers(tokens: readonly string[], used: Uint8Array, match: ModelMatch): string[] {
  const out: string[] = [];
  const m = match.model;
  const names = m ? nameParts(m) : null;
  for (let i = 0; i < tokens.length; i++) {
    if (used[i]) continue;
    const t = tokens[i]!;
    const c = t.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    // Parts of the model's own name ("3.1" in a repeated repo id, "128k" in Phi-3-mini-128k).
    if (m && (m.versions.includes(t) || names!.has(t))) continue;
    if (FORMAT_WORDS.has(t)) continue;
    out.push(t);
  }
  return out;
}
