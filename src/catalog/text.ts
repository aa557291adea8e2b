// Tokenizing free text and matching misspelt words. Built for speed: one pass over the characters,
// no regex per token on the hot path except the few that split glued forms.

/** Family prefixes that are split off glued versions/sizes: "llama3.1" → "llama" "3.1". */
const SPLIT_PREFIXES = new Set([
  'llama',
  'qwen',
  'qwq',
  'gemma',
  'phi',
  'mistral',
  'mixtral',
  'deepseek',
  'whisper',
  'rtx',
  'codellama',
  'gpt',
  'flux',
  'sd',
  'bge',
  'kimi',
  'codestral',
  'yi',
  'falcon',
]);

const NUMBER_WORDS: ReadonlyMap<string, string> = new Map(
  Object.entries({
    one: '1',
    two: '2',
    three: '3',
    four: '4',
    five: '5',
    six: '6',
    seven: '7',
    eight: '8',
    ten: '10',
    twelve: '12',
    sixteen: '16',
    twenty: '20',
    hundred: '100',
    dual: '2',
    quad: '4',
    single: '1',
    pair: '2',
    couple: '2',
    dozen: '12',
  }),
);

const isTokenChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || // a-z
  (c >= 48 && c <= 57) || // 0-9
  c === 46 || // .
  c === 95 || // _
  c === 36 || // $
  c === 37 || // %
  c === 62 || // > (for ">=")
  c === 60 || // <
  c === 126; // ~

const GLUED_COUNT = /^(\d{1,2})x([a-z]+\d.*|\d{3,4}[a-z]*)$/; // "2x4090", "8xh100"
const MOE_SIZE = /^\d{1,2}x\d{1,3}b$/; // "8x7b", "8x22b"
const LLAMA_SHORT = /^l([23](?:\.\d)?)$/; // "l3.1" → llama 3.1 (not "l4", a GPU)
const SUFFIX_COUNT = /^(.*\d[a-z]*)x(\d{1,2})$/; // "4090x2", "h100x8"
const ALPHA_NUM = /^([a-z]+)(\d.*)$/;

/** Lower-case, unify symbols, and split into tokens. */
const SPECIAL = /[×✕–—−’‘≥≤,]/;

/** Clause punctuation, marked with a "," token when `clauses` is set (negation scope ends there). */
const isClauseChar = (c: number): boolean =>
  c === 44 || c === 59 || c === 33 || c === 63 || c === 40 || c === 41 || c === 10;

export function tokenize(question: string, clauses = false): string[] {
  let s = question.toLowerCase();
  if (SPECIAL.test(s)) {
    s = s
      .replace(/[×✕]/g, 'x')
      .replace(/[–—−]/g, '-')
      .replace(/[’‘]/g, "'")
      .replace(/≥/g, '>=')
      .replace(/≤/g, '<=')
      .replace(/(\d),(\d{3})(?!\d)/g, '$1$2');
  }
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 32;
    if (isTokenChar(c)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      push(out, s.slice(start, i));
      start = -1;
    }
    if (clauses && isClauseChar(c)) out.push(',');
  }
  return out;
}

function push(out: string[], raw: string): void {
  let t = raw;
  // Sentence punctuation: drop leading/trailing dots ("70b." / "...").
  while (t.endsWith('.')) t = t.slice(0, -1);
  // Slack _italic_ and ~strike~ marks around a word ("_mistral 7b_"); inner ones stay ("max_model_len").
  while (t.charCodeAt(t.length - 1) === 95 || t.charCodeAt(t.length - 1) === 126) t = t.slice(0, -1);
  while (t.charCodeAt(0) === 95) t = t.slice(1);
  // Approximate numbers: "~8", "8ish".
  while (t.charCodeAt(0) === 126) t = t.slice(1);
  if (t.length > 3 && t.charCodeAt(0) <= 57 && t.charCodeAt(0) >= 48 && t.endsWith('ish')) t = t.slice(0, -3);
  while (t.startsWith('.') && !/^\.\d/.test(t)) t = t.slice(1);
  if (!t) return;
  const word = NUMBER_WORDS.get(t);
  if (word !== undefined) {
    out.push(word);
    return;
  }
  const c0 = t.charCodeAt(0);
  const hasX = t.includes('x');
  if (t.length > 2 && c0 >= 48 && c0 <= 57 && hasX && !MOE_SIZE.test(t)) {
    const m = GLUED_COUNT.exec(t);
    if (m) {
      out.push(m[1]!, 'x');
      push(out, m[2]!);
      return;
    }
  }
  if (t.length > 3 && hasX && !MOE_SIZE.test(t)) {
    const m = SUFFIX_COUNT.exec(t);
    if (m) {
      push(out, m[1]!);
      out.push('x', m[2]!);
      return;
    }
  }
  if (c0 < 97 || c0 > 122) {
    out.push(t);
    return;
  }
  const l = c0 === 108 /* l */ ? LLAMA_SHORT.exec(t) : null;
  if (l) {
    out.push('llama', l[1]!);
    return;
  }
  const a = /\d/.test(t) ? ALPHA_NUM.exec(t) : null;
  if (a && SPLIT_PREFIXES.has(a[1]!)) {
    out.push(a[1]!);
    push(out, a[2]!);
    return;
  }
  out.push(t);
}

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transposition), giving up once the
 * distance is known to exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}

/** A small vocabulary that misspellings are matched against, bucketed by first letter. */
export class FuzzyVocabulary {
  readonly #byFirst = new Map<string, string[]>();

  constructor(words: Iterable<string>) {
    for (const w of words) {
      const k = w[0]!;
      const list = this.#byFirst.get(k);
      if (list) list.push(w);
      else this.#byFirst.set(k, [w]);
    }
  }

  /**
   * The closest word within the allowed distance (1 for 4–5 letters, 2 for longer), sharing the first
   * letter; null when none or when two words tie.
   */
  match(token: string): string | null {
    if (token.length < 4) return null;
    const list = this.#byFirst.get(token[0]!);
    if (!list) return null;
    const max = token.length <= 5 ? 1 : 2;
    let best: string | null = null;
    let bestD = max + 1;
    let tie = false;
    for (const w of list) {
      const d = editDistance(token, w, max);
      if (d < bestD) {
        best = w;
        bestD = d;
        tie = false;
      } else if (d === bestD && d <= max) {
        tie = true;
      }
    }
    return bestD <= max && !tie ? best : null;
  }
}
