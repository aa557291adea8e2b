// Splitting slash-command text into words. Slack sends text as typed, with &, < and > escaped
// and often "smart" quotes; both are undone here. Pure and total: never throws.

export type Usage = { kind: 'usage'; problem?: string };

export const usage = (problem?: string): Usage => (problem ? { kind: 'usage', problem } : { kind: 'usage' });

export function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Words, with "double" or 'single' quotes (straight or curly) grouping spaces; null on an unclosed quote. */
export function tokenize(raw: string): string[] | null {
  const text = unescapeSlack(raw)
    .replace(/[\u201c\u201d\u201e]/g, '"')
    .replace(/[\u2018\u2019]/g, "'");
  const out: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += ch;
      has = true;
    }
  }
  if (quote) return null;
  if (has) out.push(cur);
  return out;
}

/** Splits `key=value` words from plain ones; keys are lower-cased. */
export function splitOptions(words: string[]): { plain: string[]; options: Map<string, string> } {
  const plain: string[] = [];
  const options = new Map<string, string>();
  for (const w of words) {
    const eq = w.indexOf('=');
    if (eq > 0) options.set(w.slice(0, eq).toLowerCase(), w.slice(eq + 1));
    else plain.push(w);
  }
  return { plain, options };
}

export function parseIntIn(s: string | undefined, min: number, max: number): number | null {
  if (s === undefined || !/^\d{1,7}$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

export function parseMoney(s: string | undefined, max = 1000): number | null {
  if (s === undefined) return null;
  const t = s.replace(/^\$/, '');
  if (!/^\d{0,6}(\.\d{1,4})?$/.test(t) || t === '' || t === '.') return null;
  const n = Number(t);
  return n > 0 && n <= max ? n : null;
}

/** For messages: the user's word, shortened and stripped of backticks so it cannot break formatting. */
export function quoteWord(s: string, max = 40): string {
  const t = s.replace(/[`\n\r]/g, '');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** `<ref> [why="…"]`: a destructive command's target and the reason approvers will read. */
export function refAndReason(
  words: string[],
  usageLine: string,
): { ref: string; why: string | null } | Usage {
  const { plain, options } = splitOptions(words);
  const [ref] = plain;
  if (plain.length !== 1 || !ref?.trim() || [...options.keys()].some((k) => k !== 'why'))
    return usage(usageLine);
  const why = options.get('why')?.trim() || null;
  if (why && why.length > 500) return usage('why= is at most 500 characters.');
  return { ref: ref.trim(), why };
}
