// What negated words rule out, and what their opposite implies ("no spot" → on-demand, "not on
// community cloud" → secure, "no lora" with a fine-tune → full fine-tune).
import { GPU_BY_ID, GPUS } from './data/gpus.ts';
import { GPU_SIBLINGS, matchGpuAt } from './gpu-lookup.ts';
import { FORMAT_WORDS, ON_DEMAND, SPOT, W, WORD_CLASSES } from './intent-words.ts';
import type { FormatId, GpuSpec } from './types.ts';

export interface Exclusions {
  formats: FormatId[];
  /** "without quantization": the unquantized checkpoint. */
  unquantized: boolean;
  gpuIds: string[];
  segments: GpuSpec['segment'][];
  /** The pricing left when the other one is negated. */
  pricing: 'spot' | 'on-demand' | null;
  cloud: 'SECURE' | 'COMMUNITY' | null;
  /** LoRA/PEFT/adapters negated: a fine-tune is a full one. */
  noAdapters: boolean;
  /** QLoRA negated ("not qlora"): a fine-tune is plain LoRA. */
  noQlora: boolean;
  /** "not a full fine-tune": LoRA. */
  noFull: boolean;
  /** "no multi-gpu", "no tensor parallel". */
  singleGpu: boolean;
}

const NONE: Exclusions = {
  formats: [],
  unquantized: false,
  gpuIds: [],
  segments: [],
  pricing: null,
  cloud: null,
  noAdapters: false,
  noQlora: false,
  noFull: false,
  singleGpu: false,
};

const GGUF: FormatId[] = [
  'gguf-q8_0',
  'gguf-q6_k',
  'gguf-q5_k_m',
  'gguf-q4_k_m',
  'gguf-q4_k_s',
  'gguf-q4_0',
  'gguf-iq4_xs',
  'gguf-q3_k_m',
];
export const FOUR_BIT: readonly FormatId[] = [
  'awq',
  'gptq',
  'nf4',
  'mxfp4',
  'exl2',
  'gguf-q4_k_m',
  'gguf-q4_k_s',
  'gguf-q4_0',
  'gguf-iq4_xs',
];
/** Every format that quantizes weights below 16 bits. FP8 counts unless it is the model's own format. */
export const QUANTIZED: readonly FormatId[] = [
  'fp8',
  'int8',
  ...FOUR_BIT,
  ...GGUF.filter((f) => !FOUR_BIT.includes(f)),
];

const WORD_FORMATS: ReadonlyMap<string, readonly FormatId[]> = new Map<string, readonly FormatId[]>([
  ['quantization', QUANTIZED],
  ['quantisation', QUANTIZED],
  ['quantized', QUANTIZED],
  ['quantised', QUANTIZED],
  ['quant', QUANTIZED],
  ['quants', QUANTIZED],
  ['quantizing', QUANTIZED],
  ['gguf', GGUF],
  ['ggml', GGUF],
  ['ollama', GGUF],
  ['llama.cpp', GGUF],
  ['exl2', ['exl2']],
  ['exllama', ['exl2']],
  ['exllamav2', ['exl2']],
  ['bnb', ['nf4']],
  ['bitsandbytes', ['nf4']],
  ['8bit', ['int8']],
  ['4bit', FOUR_BIT],
  ['int4', FOUR_BIT],
  ['fp4', FOUR_BIT],
  ['nvfp4', FOUR_BIT],
  ['w4a16', FOUR_BIT],
]);

const SEGMENT_WORDS: ReadonlyMap<string, GpuSpec['segment']> = new Map([
  ['consumer', 'consumer'],
  ['geforce', 'consumer'],
  ['gaming', 'consumer'],
  ['desktop', 'consumer'],
  ['workstation', 'workstation'],
  ['datacenter', 'datacenter'],
  ['enterprise', 'datacenter'],
]);
const AMD_WORDS = new Set(['amd', 'rocm', 'instinct', 'radeon']);
const MULTI_WORDS = new Set([
  'multi',
  'multiple',
  'multigpu',
  'tensor',
  'sharding',
  'sharded',
  'distributed',
]);

/** Read the negated words; NONE (shared, never mutated) when there are none. */
export function readExclusions(negated: readonly string[]): Exclusions {
  if (!negated.length) return NONE;
  const formats = new Set<FormatId>();
  const gpuIds = new Set<string>();
  const segments = new Set<GpuSpec['segment']>();
  let wf = 0;
  let unquantized = false;
  let pricing: Exclusions['pricing'] = null;
  let singleGpu = false;
  for (let i = 0; i < negated.length; i++) {
    const t = negated[i]!;
    wf |= WORD_CLASSES.get(t)?.[0] ?? 0;
    const g = matchGpuAt(negated, i);
    if (g && g.ref.kind === 'runpod') {
      gpuIds.add(g.ref.gpu.id);
      if (g.bare) for (const id of GPU_SIBLINGS.get(g.ref.gpu.id) ?? []) gpuIds.add(id);
      i = g.end - 1;
      continue;
    }
    // "no fp8 kv cache" is about the KV cache's dtype, not the weights.
    const kv = negated[i + 1] === 'kv' || negated[i - 1] === 'kv';
    const list = kv ? undefined : WORD_FORMATS.get(t);
    if (list) {
      for (const f of list) formats.add(f);
      if (list === QUANTIZED) unquantized = true;
    }
    const fw = kv ? undefined : FORMAT_WORDS.get(t);
    if (fw === 'bits4') for (const f of FOUR_BIT) formats.add(f);
    else if (fw === 'quantized') {
      for (const f of QUANTIZED) formats.add(f);
      unquantized = true;
    } else if (fw && fw !== 'unquantized') formats.add(fw);
    if (/^i?q[2-8]/.test(t)) for (const f of GGUF) formats.add(f);
    const seg = SEGMENT_WORDS.get(t);
    if (seg) segments.add(seg);
    if (AMD_WORDS.has(t)) for (const gpu of GPUS) if (gpu.vendor === 'AMD') gpuIds.add(gpu.id);
    if (SPOT.has(t)) pricing = 'on-demand';
    else if (ON_DEMAND.has(t)) pricing = 'spot';
    if (MULTI_WORDS.has(t)) singleGpu = true;
  }
  if ((wf & W.demand) !== 0) pricing = 'spot';
  return {
    formats: [...formats],
    unquantized,
    gpuIds: [...gpuIds].filter((id) => GPU_BY_ID.has(id)),
    segments: [...segments],
    pricing,
    cloud: (wf & W.community) !== 0 ? 'SECURE' : (wf & W.secure) !== 0 ? 'COMMUNITY' : null,
    noAdapters: (wf & W.lora) !== 0,
    noQlora: (wf & W.qlora) !== 0,
    noFull: (wf & W.full) !== 0,
    singleGpu,
  };
}

/** Model variant words a question may rule out ("not the distilled one", "the coder one is not ok"). */
const VARIANT_WORDS = new Set([
  'distill',
  'distilled',
  'distil',
  'coder',
  'vision',
  'instruct',
  'base',
  'qwq',
]);

/** Whether a word names something a negation can rule out (a format, task, pricing, cloud, segment, vendor or
 *  model variant). */
export function negatableWord(t: string): boolean {
  if (WORD_FORMATS.has(t) || FORMAT_WORDS.has(t) || SEGMENT_WORDS.has(t) || AMD_WORDS.has(t)) return true;
  if (VARIANT_WORDS.has(t)) return true;
  if (SPOT.has(t) || ON_DEMAND.has(t) || MULTI_WORDS.has(t)) return true;
  const c = WORD_CLASSES.get(t)?.[0] ?? 0;
  return (c & (W.lora | W.qlora | W.full | W.community | W.secure | W.demand)) !== 0;
}
