// Finding the model in tokenized text: family words (with typos), versions, sizes and variant words,
// resolved against the registry; bare sizes map to the most common model of that size.
import { MODELS } from './data/models.ts';
import type { ModelSpec } from './types.ts';

export interface Family {
  key: string;
  name: string;
  /** Versions the family has, as typed after its name ("3.1", "2.5"). */
  versions: ReadonlySet<string>;
}

const FAMILIES: Readonly<Record<string, { name: string; versions: string[] }>> = {
  llama: { name: 'Llama', versions: ['2', '3', '3.1', '3.2', '3.3', '4'] },
  codellama: { name: 'Code Llama', versions: [] },
  mistral: { name: 'Mistral', versions: ['0.1', '0.2', '0.3', '3', '3.1', '3.2'] },
  mixtral: { name: 'Mixtral', versions: ['0.1'] },
  qwen: { name: 'Qwen', versions: ['2', '2.5', '3'] },
  gemma: { name: 'Gemma', versions: ['2', '3'] },
  phi: { name: 'Phi', versions: ['3', '3.5', '4'] },
  deepseek: { name: 'DeepSeek', versions: ['3', '3.1'] },
  kimi: { name: 'Kimi', versions: [] },
  'gpt-oss': { name: 'gpt-oss', versions: [] },
  bge: { name: 'BGE', versions: ['1.5'] },
  e5: { name: 'E5', versions: ['2'] },
  minilm: { name: 'MiniLM', versions: [] },
  nomic: { name: 'Nomic Embed', versions: ['1.5'] },
  whisper: { name: 'Whisper', versions: [] },
  sdxl: { name: 'SDXL', versions: ['1.0'] },
  sd: { name: 'Stable Diffusion', versions: ['1.5'] },
  flux: { name: 'FLUX.1', versions: ['1'] },
};

export const FAMILY_INFO: ReadonlyMap<string, Family> = new Map(
  Object.entries(FAMILIES).map(([key, f]) => [key, { key, name: f.name, versions: new Set(f.versions) }]),
);

/** Single words that name a family, optionally implying a variant. */
const FAMILY_WORD_LIST: Readonly<Record<string, { family: string; variant?: string }>> = {
  llama: { family: 'llama' },
  llamas: { family: 'llama' },
  codellama: { family: 'codellama' },
  mistral: { family: 'mistral' },
  mixtral: { family: 'mixtral' },
  codestral: { family: 'mistral', variant: 'codestral' },
  nemo: { family: 'mistral', variant: 'nemo' },
  qwen: { family: 'qwen' },
  qwq: { family: 'qwen', variant: 'qwq' },
  gemma: { family: 'gemma' },
  phi: { family: 'phi' },
  deepseek: { family: 'deepseek' },
  r1: { family: 'deepseek', variant: 'r1' },
  kimi: { family: 'kimi' },
  gptoss: { family: 'gpt-oss' },
  bge: { family: 'bge' },
  e5: { family: 'e5' },
  minilm: { family: 'minilm' },
  nomic: { family: 'nomic' },
  whisper: { family: 'whisper' },
  sdxl: { family: 'sdxl' },
  flux: { family: 'flux' },
  'flux.1': { family: 'flux' },
};

/** Families we know by name but do not carry in the registry: sized generically when a size is given. */
const OTHER_FAMILY_LIST: Readonly<Record<string, string>> = {
  yi: 'Yi',
  falcon: 'Falcon',
  olmo: 'OLMo',
  granite: 'Granite',
  command: 'Command R',
  dbrx: 'DBRX',
  internlm: 'InternLM',
  starcoder: 'StarCoder',
  starcoder2: 'StarCoder2',
  vicuna: 'Vicuna',
  zephyr: 'Zephyr',
  openchat: 'OpenChat',
  hermes: 'Hermes',
  solar: 'SOLAR',
  jamba: 'Jamba',
  nemotron: 'Nemotron',
  mpt: 'MPT',
  bloom: 'BLOOM',
  pythia: 'Pythia',
  llava: 'LLaVA',
  glm: 'GLM',
  chatglm: 'ChatGLM',
  baichuan: 'Baichuan',
  exaone: 'EXAONE',
  smollm: 'SmolLM',
  tinyllama: 'TinyLlama',
  wizardlm: 'WizardLM',
  minimax: 'MiniMax',
  ernie: 'ERNIE',
};

/** Closed models: their weights are not published, so they cannot run on a rented GPU. */
interface Closed {
  name: string;
  vendor: string;
  alternative: string;
}
const CLOSED_WORD_LIST: Readonly<Record<string, Closed>> = {
  chatgpt: { name: 'ChatGPT', vendor: 'OpenAI', alternative: 'gpt-oss-120b, Llama 3.3 70B or Qwen2.5 72B' },
  claude: { name: 'Claude', vendor: 'Anthropic', alternative: 'Llama 3.3 70B, Qwen2.5 72B or DeepSeek-V3' },
  gemini: { name: 'Gemini', vendor: 'Google', alternative: "Gemma 2/3 (Google's open models)" },
  bard: { name: 'Bard', vendor: 'Google', alternative: 'Gemma 2 27B' },
  palm: { name: 'PaLM', vendor: 'Google', alternative: 'Gemma 2 27B' },
  midjourney: { name: 'Midjourney', vendor: 'Midjourney', alternative: 'SDXL or FLUX.1 [dev]' },
  dalle: { name: 'DALL·E', vendor: 'OpenAI', alternative: 'SDXL or FLUX.1 [dev]' },
  'dall.e': { name: 'DALL·E', vendor: 'OpenAI', alternative: 'SDXL or FLUX.1 [dev]' },
  sora: { name: 'Sora', vendor: 'OpenAI', alternative: 'an open video model' },
  copilot: { name: 'Copilot', vendor: 'GitHub/Microsoft', alternative: 'Qwen2.5 Coder 32B or Codestral 22B' },
};
// Maps, not object lookups: a question may contain "__proto__" or "constructor".
const FAMILY_WORDS = new Map(Object.entries(FAMILY_WORD_LIST));
const OTHER_FAMILIES = new Map(Object.entries(OTHER_FAMILY_LIST));
const CLOSED_WORDS = new Map(Object.entries(CLOSED_WORD_LIST));
const CLOSED_GPT_SUFFIX = new Set([
  '3.5',
  '4',
  '4o',
  '4.1',
  '4.5',
  '5',
  '5.1',
  'o1',
  'o3',
  'turbo',
  '4turbo',
]);

const MOE_SIZE = /^(\d{1,2})x(\d{1,3})b$/;
const SIZE_B = /^(\d+(?:\.\d+)?)(b|bn)$/;
const SIZE_T = /^(\d+(?:\.\d+)?)(t|tn)$/;
const SIZE_M = /^(\d+(?:\.\d+)?)m$/;
const NUMBER = /^\d+(?:\.\d+)?$/;
const VERSION = /^v?(\d+(?:\.\d+)?)$/;
const ACTIVE = /^a\d+(?:\.\d+)?b$/; // "a3b" in "qwen3-30b-a3b"
const SPECIAL_VARIANTS = new Set(['coder', 'qwq', 'distill', 'vision', 'moe']);
const PARAM_WORDS = new Set(['param', 'params', 'parameter', 'parameters', 'model', 'models']);

export interface ModelMatch {
  /** The registry model (or a generic stand-in) to size, or null. */
  model: ModelSpec | null;
  family: Family | null;
  /** A family we know by name but do not carry (e.g. "Falcon"). */
  otherFamily: string | null;
  /** Several registry models fit what was typed; ask which. */
  candidates: ModelSpec[];
  /** Parameter count typed ("70b" → 70), billions. */
  sizeB: number | null;
  /** The model is a generic dense stand-in for an unknown architecture. */
  generic: boolean;
  closed: Closed | null;
  /** Token indexes that belong to the model name. */
  used: number[];
}

/** A complete ModelMatch from the fields that are set (object literals, not spreads: spreads are slow here). */
function result(used: number[], p: Partial<ModelMatch>): ModelMatch {
  return {
    model: p.model ?? null,
    family: p.family ?? null,
    otherFamily: p.otherFamily ?? null,
    candidates: p.candidates ?? [],
    sizeB: p.sizeB ?? null,
    generic: p.generic ?? false,
    closed: p.closed ?? null,
    used,
  };
}

const byFamily = new Map<string, ModelSpec[]>();
for (const m of MODELS) {
  const list = byFamily.get(m.family);
  if (list) list.push(m);
  else byFamily.set(m.family, [m]);
}
const SIZE_DEFAULTS = MODELS.filter((m) => m.sizeDefault && m.kind === 'llm');
/** Dense GQA templates for models we do not know, by size. */
const TEMPLATES = MODELS.filter((m) => m.kind === 'llm' && !m.moe && m.attention === 'gqa' && m.sizeDefault)
  .slice()
  .sort((a, b) => a.paramsB - b.paramsB);

/** Every word the model lookup understands exactly (so typo correction leaves them alone). */
export const MODEL_WORDS: ReadonlySet<string> = new Set([
  ...FAMILY_WORDS.keys(),
  ...OTHER_FAMILIES.keys(),
  ...CLOSED_WORDS.keys(),
  ...MODELS.flatMap((m) => m.variants),
  'gpt',
  'oss',
  'code',
  'stable',
  'diffusion',
  'xl',
  'distil',
  'instruct',
  'chat',
  'base',
  'it',
  'hf',
  'meta',
  'all',
  'grok',
]);

const sizeClose = (model: ModelSpec, sizeB: number): boolean =>
  Math.abs(model.paramsB - sizeB) <= Math.max(0.12 * sizeB, 0.3);

/** A dense model of `sizeB` with the layout of the nearest registry model. */
export function genericModel(sizeB: number, familyName: string | null): ModelSpec {
  let t = TEMPLATES[0]!;
  for (const c of TEMPLATES)
    if (Math.abs(Math.log(c.paramsB / sizeB)) < Math.abs(Math.log(t.paramsB / sizeB))) t = c;
  const label = sizeB >= 1 ? `${Number(sizeB.toFixed(2))}B` : `${Math.round(sizeB * 1000)}M`;
  // Object.assign, not a spread: spreads are slow on this path.
  return Object.assign({}, t, {
    id: `generic-${label.toLowerCase()}`,
    name: familyName ? `${familyName} ${label}` : `a ${label} dense model`,
    repo: '',
    family: 'generic',
    versions: [],
    variants: [],
    paramsB: sizeB,
    maxContext: Math.max(t.maxContext, 131072),
    familyDefault: false,
    sizeDefault: false,
    notes: [
      `Architecture not in our registry: layout borrowed from ${t.name} (${t.layers} layers, ${t.kvHeads} KV heads × ` +
        `${t.headDim}); a model with full multi-head attention keeps several times more KV cache.`,
    ],
    source: `generic stand-in based on ${t.name}`,
  });
}

interface Scan {
  family: string | null;
  familyAt: number;
  otherFamily: string | null;
  version: string | null;
  sizeB: number | null;
  words: Set<string>;
  used: number[];
}

function scan(tokens: readonly string[], skip: Uint8Array): Scan | { closed: Closed; used: number[] } {
  const s: Scan = {
    family: null,
    familyAt: -1,
    otherFamily: null,
    version: null,
    sizeB: null,
    words: new Set(),
    used: [],
  };
  const hasOpenAi = tokens.includes('openai');
  for (let i = 0; i < tokens.length; i++) {
    if (skip[i]) continue;
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const closed = CLOSED_WORDS.get(t);
    if (closed) return { closed, used: [i] };
    if (t === 'gpt' && next !== undefined) {
      if (next === 'oss') {
        setFamily(s, 'gpt-oss', i);
        s.used.push(i, i + 1);
        i++;
        continue;
      }
      if (CLOSED_GPT_SUFFIX.has(next) || next.startsWith('4o') || next.startsWith('5')) {
        return {
          closed: { name: `GPT-${next}`, vendor: 'OpenAI', alternative: 'gpt-oss-120b or Llama 3.3 70B' },
          used: [i],
        };
      }
    }
    if ((t === 'o1' || t === 'o3' || t === 'o4') && hasOpenAi) {
      return {
        closed: { name: `OpenAI ${t}`, vendor: 'OpenAI', alternative: 'gpt-oss-120b or DeepSeek-R1' },
        used: [i],
      };
    }
    if (t === 'grok' && next !== '1' && next !== '1b') {
      return {
        closed: {
          name: 'Grok',
          vendor: 'xAI',
          alternative: 'Grok-1 (314B, open weights: ask "grok-1 314b")',
        },
        used: [i],
      };
    }
    const fw = FAMILY_WORDS.get(t);
    if (fw) {
      if (fw.variant) s.words.add(fw.variant);
      // "r1" after another family (e.g. "qwen r1") is a variant word, not a new family.
      if (!(t === 'r1' && s.family)) setFamily(s, fw.family, i);
      s.used.push(i);
      continue;
    }
    if (t === 'code' && next === 'llama') {
      setFamily(s, 'codellama', i);
      s.used.push(i, i + 1);
      i++;
      continue;
    }
    if (t === 'stable' && next === 'diffusion') {
      const after = tokens[i + 2];
      const xl = after === 'xl' || after === 'sdxl';
      setFamily(s, xl || after === undefined || after !== '1.5' ? 'sdxl' : 'sd', i);
      s.used.push(i, i + 1);
      i++;
      continue;
    }
    if (t === 'sd' && next !== undefined && (next === 'xl' || next === '1.5' || next === '15')) {
      setFamily(s, next === 'xl' ? 'sdxl' : 'sd', i);
      s.used.push(i, i + 1);
      i++;
      continue;
    }
    if (t === 'distil' && next === 'whisper') {
      setFamily(s, 'whisper', i);
      s.words.add('distil');
      s.used.push(i, i + 1);
      i++;
      continue;
    }
    const other = OTHER_FAMILIES.get(t);
    if (other && !s.family && !s.otherFamily) {
      s.otherFamily = other;
      s.familyAt = i;
      s.used.push(i);
      continue;
    }
    const c0 = t.charCodeAt(0);
    const digit0 = c0 >= 48 && c0 <= 57;
    if (!digit0 && c0 !== 97 /* a */ && c0 !== 118 /* v */) {
      // Plain words: only variant words matter from here on.
      if (c0 >= 97 && c0 <= 122) s.words.add(t);
      continue;
    }
    // Sizes.
    let m = digit0 ? MOE_SIZE.exec(t) : null;
    if (m) {
      s.words.add(t);
      s.used.push(i);
      continue;
    }
    if (c0 === 97 && ACTIVE.test(t)) {
      s.words.add(t);
      s.used.push(i);
      continue;
    }
    m = digit0 ? SIZE_B.exec(t) : null;
    if (m && s.sizeB === null) {
      s.sizeB = Number(m[1]);
      s.used.push(i);
      continue;
    }
    m = digit0 ? SIZE_T.exec(t) : null;
    if (m && s.sizeB === null) {
      s.sizeB = Number(m[1]) * 1000;
      s.used.push(i);
      continue;
    }
    if (digit0 && next !== undefined && s.sizeB === null && NUMBER.test(t)) {
      const unit = next;
      if (unit === 'b' || unit === 'bn' || unit === 'billion') {
        s.sizeB = Number(t);
        s.used.push(i, i + 1);
        i++;
        continue;
      }
      if (unit === 't' || unit === 'tn' || unit === 'trillion') {
        s.sizeB = Number(t) * 1000;
        s.used.push(i, i + 1);
        i++;
        continue;
      }
      if (unit === 'm' || unit === 'million') {
        if (PARAM_WORDS.has(tokens[i + 2] ?? '')) {
          s.sizeB = Number(t) / 1000;
          s.used.push(i, i + 1);
          i++;
          continue;
        }
      }
    }
    m = digit0 && next !== undefined && PARAM_WORDS.has(next) ? SIZE_M.exec(t) : null;
    if (m && s.sizeB === null) {
      s.sizeB = Number(m[1]) / 1000;
      s.used.push(i);
      continue;
    }
    // Versions (and "llama 70"-style sizes) right after the family name.
    // A variant word may come between ("mistral small 3.1").
    const afterWord = i === s.familyAt + 2 && /^[a-z]+$/.test(tokens[i - 1] ?? '');
    if (s.family && (i === s.familyAt + 1 || (i === s.familyAt + 2 && (s.version !== null || afterWord)))) {
      const v = VERSION.exec(t);
      if (v) {
        const info = FAMILY_INFO.get(s.family);
        if (info?.versions.has(v[1]!) && s.version === null) {
          s.version = v[1]!;
          s.used.push(i);
          continue;
        }
        const n = Number(v[1]);
        if (!t.startsWith('v') && s.sizeB === null && n >= 0.5 && n <= 2000 && Number.isFinite(n)) {
          const after = tokens[i + 1];
          if (after === undefined || !/^(k|users?|tokens?|gpus?|context|ctx|x)$/.test(after)) {
            s.sizeB = n;
            s.used.push(i);
            continue;
          }
        }
      }
    }
    if (/^[a-z]/.test(t)) s.words.add(t);
    else if (/^v\d/.test(t)) s.words.add(t);
  }
  return s;
}

function setFamily(s: Scan, family: string, at: number): void {
  if (s.family) {
    s.words.add(family); // a second family word ("r1 distill qwen") narrows the first
    return;
  }
  s.family = family;
  s.familyAt = at;
}

function pickClosest(list: ModelSpec[], sizeB: number): ModelSpec | null {
  let best: ModelSpec | null = null;
  for (const m of list) if (!best || Math.abs(m.paramsB - sizeB) < Math.abs(best.paramsB - sizeB)) best = m;
  return best;
}

/** Find the model named in `tokens`, skipping tokens flagged in `skip` (e.g. GPU names). */
export function matchModel(tokens: readonly string[], skip: Uint8Array): ModelMatch {
  const r = scan(tokens, skip);
  if ('closed' in r) return result(r.used, { closed: r.closed });
  const s = r;
  if (!s.family) {
    if (s.sizeB === null) return result(s.used, { otherFamily: s.otherFamily });
    if (s.otherFamily) {
      return result(s.used, { model: genericModel(s.sizeB, s.otherFamily), sizeB: s.sizeB, generic: true });
    }
    const near = SIZE_DEFAULTS.filter((m) => sizeClose(m, s.sizeB!));
    const model = pickClosest(near, s.sizeB);
    if (model) return result(s.used, { model, sizeB: s.sizeB });
    return result(s.used, { model: genericModel(s.sizeB, null), sizeB: s.sizeB, generic: true });
  }
  const family = FAMILY_INFO.get(s.family) ?? null;
  let list = byFamily.get(s.family) ?? [];
  if (s.version !== null) {
    const v = s.version;
    const withVersion = list.filter((m) => m.versions.includes(v));
    if (withVersion.length) list = withVersion;
  }
  if (s.sizeB !== null) {
    const sized = list.filter((m) => sizeClose(m, s.sizeB!));
    if (!sized.length) {
      const name = family ? `${family.name}${s.version ? ` ${s.version}` : ''}` : null;
      return result(s.used, { model: genericModel(s.sizeB, name), family, sizeB: s.sizeB, generic: true });
    }
    // The nearest size wins ("qwen3 32b" is the dense 32B, not the 30B MoE); ties go to the defaults below.
    const size = s.sizeB;
    let best = Number.POSITIVE_INFINITY;
    for (const m of sized) best = Math.min(best, Math.abs(m.paramsB - size) / size);
    list = [];
    for (const m of sized) if (Math.abs(m.paramsB - size) / size <= best + 0.01) list.push(m);
  }
  // Variant words narrow the list to the models matching the most of them; with none, prefer the
  // plain models over coder/reasoning/distilled ones.
  let bestHits = 0;
  const hits = list.map((m) => {
    let h = 0;
    for (const w of m.variants) if (s.words.has(w)) h++;
    if (h > bestHits) bestHits = h;
    return h;
  });
  if (bestHits > 0) list = list.filter((_, i) => hits[i] === bestHits);
  else {
    const plain = list.filter((m) => !m.variants.some((w) => SPECIAL_VARIANTS.has(w)));
    if (plain.length) list = plain;
  }
  if (list.length === 1) return result(s.used, { model: list[0]!, family, sizeB: s.sizeB });
  if (s.sizeB !== null) {
    const pick = list.find((m) => m.sizeDefault) ?? list.find((m) => !m.variants.length) ?? list[0]!;
    return result(s.used, { model: pick, family, sizeB: s.sizeB });
  }
  // Checkpoints of one size class (Mistral Small 3 and 3.1, both 24B) are one answer, the first listed.
  const sizes = new Set(list.map((m) => Math.round(m.paramsB)));
  const def = list.find((m) => m.familyDefault);
  if (def) return result(s.used, { model: def, family });
  if (sizes.size === 1) return result(s.used, { model: list[0]!, family });
  return result(s.used, { family, candidates: list });
}
