// Negation and exclusion ("no lora", "not on community cloud", "anything but consumer cards"): the
// negated words are taken out of the question before it is read, and handed back so the parser can
// apply what they exclude. Pure; only runs when the question has a negation cue.

import { negatableWord } from './exclusions.ts';
import { matchGpuAt } from './gpu-lookup.ts';

/** Single-word cues. "no more than $2/h" is a budget, not a negation (see NOT_AFTER_NO). */
const CUES = new Set([
  'no',
  'not',
  'without',
  'except',
  'excluding',
  'exclude',
  'avoid',
  'never',
  'non',
  'nor',
  'dont',
  'nothing',
  'sans',
]);
/** Two-word cues: "anything but", "other than", "w/o", "don't", "instead of", "rather than". */
const PAIR_CUES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['anything', new Set(['but', 'except'])],
  ['everything', new Set(['but', 'except'])],
  ['other', new Set(['than'])],
  ['instead', new Set(['of'])],
  ['rather', new Set(['than'])],
  ['w', new Set(['o'])],
  ['don', new Set(['t'])],
  ['won', new Set(['t'])],
  ['isn', new Set(['t'])],
  ['aren', new Set(['t'])],
  ['doesn', new Set(['t'])],
  ['wasn', new Set(['t'])],
]);
/** After "no"/"not" these make a comparison or a hedge, not an exclusion. */
const NOT_AFTER_NO = new Set([
  'more',
  'less',
  'higher',
  'lower',
  'greater',
  'sure',
  'problem',
  'idea',
  'than',
  'just',
  'only',
  // "nothing over $1/h", "no above-budget setups": a limit, not an exclusion.
  'over',
  'above',
  'under',
  'below',
  'beyond',
  'exceeding',
]);
/**
 * After a cue, these make the negation point back at what came before it ("spot is not ok", "community cloud
 * isn't an option", "consumer cards won't work"): the subject is negated, not the predicate.
 */
const PREDICATES = new Set([
  'ok',
  'okay',
  'fine',
  'acceptable',
  'allowed',
  'option',
  'options',
  'possible',
  'wanted',
  'desired',
  'suitable',
  'viable',
  'reliable',
  'good',
  'great',
  'needed',
  'required',
  'necessary',
  'welcome',
  'preferred',
  'work',
  'works',
  'working',
]);
/** Verbs between a postfix negation's subject and its cue ("spot *is* not ok"). */
const AUX = new Set(['is', 'are', 'was', 'were', 'be', 'would', 'will', 'should', 'really']);
/** Words skipped inside a negated phrase before its subject ("not on the community cloud"). */
const FILLERS = new Set([
  'the',
  'a',
  'an',
  'any',
  'on',
  'in',
  'using',
  'use',
  'with',
  'via',
  'need',
  'needed',
  'want',
  'to',
  'be',
  'do',
  'going',
  'interested',
  'care',
  'about',
  'like',
  'really',
  'some',
  'running',
  'run',
  'from',
  'of',
  'i',
  'we',
  'it',
]);
/** Words that end a negated phrase (a new clause or the positive half of "not X but Y"). */
const ENDS = new Set([
  'but',
  'and',
  'just',
  'only',
  'instead',
  'rather',
  'so',
  'because',
  'since',
  'please',
  'pls',
  'then',
  'at',
  'for',
  'with',
  'to',
  'on',
  'in',
  'is',
  'are',
  'will',
  'would',
  'fine',
  'ok',
  'okay',
  'thanks',
]);
/** Words that end a negation that has no subject yet ("not just 8k", "no, but …"). */
const LEAD_ENDS = new Set(['but', 'and', 'just', 'only', 'so', 'then', 'because', 'since', 'thanks']);
/** A negated phrase's own nouns: they may follow the subject ("community cloud", "consumer cards"). */
const NOUNS = new Set([
  'cloud',
  'card',
  'cards',
  'gpu',
  'gpus',
  'instance',
  'instances',
  'pod',
  'pods',
  'pricing',
  'price',
  'version',
  'model',
  'variant',
  'kv',
  'cache',
  'tuning',
  'tune',
  'finetune',
  'adapter',
  'adapters',
  'checkpoint',
  'weights',
  'quant',
  'ones',
  '1',
]);
const MAX_WORDS = 3;

export const CLAUSE = ',';

/** Tokens that can start a negation (single cues and the first word of a two-word cue). */
const STARTS: ReadonlySet<string> = new Set([...CUES, ...PAIR_CUES.keys()]);

/** Does a token list (from tokenize) hold anything that could start a negation? Cheap test for the hot path. */
export function mayNegate(tokens: readonly string[]): boolean {
  for (const t of tokens) if (STARTS.has(t)) return true;
  return false;
}

export interface Negation {
  /** The tokens left once every cue and negated phrase is removed. */
  tokens: string[];
  /** The negated words, in order (phrases joined, cues dropped). */
  negated: string[];
}

const isDigitFirst = (t: string): boolean => {
  const c = t.charCodeAt(0);
  return c >= 48 && c <= 57;
};

/**
 * Split negated phrases out of a token list that carries CLAUSE markers at punctuation. A phrase is at most
 * three words after the cue (fillers skipped), stopping at a clause break, a word that starts a new phrase,
 * or a number once the phrase has a subject; "or"/"nor" continue it ("no lora or qlora").
 */
export function splitNegations(tokens: readonly string[]): Negation {
  const keep: string[] = [];
  const negated: string[] = [];
  /** Where the current clause starts in `keep` (a postfix negation reaches back no further). */
  let clauseStart = 0;
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t === CLAUSE) {
      clauseStart = keep.length;
      i++;
      continue;
    }
    let start = -1;
    if (CUES.has(t) && !NOT_AFTER_NO.has(tokens[i + 1] ?? '')) start = i + 1;
    else if (PAIR_CUES.get(t)?.has(tokens[i + 1] ?? '')) start = i + 2;
    if (start < 0) {
      keep.push(t);
      i++;
      continue;
    }
    let p = start;
    while (p < tokens.length && (tokens[p] === 'a' || tokens[p] === 'an' || tokens[p] === 'be')) p++;
    if (PREDICATES.has(tokens[p] ?? '') && takeSubject(keep, clauseStart, negated)) {
      i = p + 1;
      continue;
    }
    let j = start;
    let words = 0;
    while (j < tokens.length) {
      const w = tokens[j]!;
      if (w === CLAUSE) break;
      if (w === 'or' || w === 'nor') {
        if (words === 0) break;
        words = 0;
        j++;
        continue;
      }
      if (words === 0) {
        if (LEAD_ENDS.has(w)) break;
        if (FILLERS.has(w) || ENDS.has(w)) {
          j++;
          continue;
        }
      } else if (ENDS.has(w) || (isDigitFirst(w) && w !== '1') || (!NOUNS.has(w) && words >= 2)) break;
      // A GPU name is one subject however many words it has ("rtx 4090", "h100 sxm").
      const gpu = words === 0 ? matchGpuAt(tokens, j) : null;
      if (gpu) {
        for (let k = j; k < gpu.end; k++) negated.push(tokens[k]!);
        words++;
        j = gpu.end;
        continue;
      }
      negated.push(w);
      words++;
      j++;
      if (words >= MAX_WORDS) break;
    }
    // A cue with nothing to negate ("whether or not") is dropped.
    i = j;
  }
  return { tokens: keep, negated };
}

/**
 * A postfix negation's subject: the negatable words just before the cue, within the clause and past any
 * auxiliary verb ("community cloud is" → "community cloud"). Moves them from `keep` to `negated`; false when
 * there is none (the cue then reads forward as usual).
 */
function takeSubject(keep: string[], clauseStart: number, negated: string[]): boolean {
  let end = keep.length;
  while (end > clauseStart && AUX.has(keep[end - 1]!)) end--;
  let from = end;
  // A bare noun ("cards is not ok") is no subject: something negatable must be named.
  let subject = false;
  while (from > clauseStart && end - from < MAX_WORDS) {
    const w = keep[from - 1]!;
    // A GPU name ending here is one subject ("rtx 4090 is not ok").
    let gpuAt = -1;
    for (let k = Math.max(clauseStart, from - MAX_WORDS); k < from && gpuAt < 0; k++) {
      const g = matchGpuAt(keep, k);
      if (g && g.end === from) gpuAt = k;
    }
    if (gpuAt >= 0) {
      from = gpuAt;
      subject = true;
    } else if (negatableWord(w)) {
      from--;
      subject = true;
    } else if (NOUNS.has(w)) from--;
    else break;
  }
  if (!subject) return false;
  for (let k = from; k < end; k++) negated.push(keep[k]!);
  keep.length = from;
  return true;
}
