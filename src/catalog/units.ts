// Units and number formatting for the catalog. Memory is GiB (2^30 bytes) everywhere; parameter
// counts are decimal (1 B = 1e9); bandwidth is decimal GB/s. Formatting avoids Intl (slow on hot paths).

export const GIB = 1024 ** 3;
export const KIB = 1024;
export const BILLION = 1e9;
export const HOURS_PER_DAY = 24;
/** Fraction of usable VRAM we allow a plan to fill (gpu-sizing.md §0: u ≤ 0.95). */
export const UTILISATION = 0.95;
/** vLLM's default --gpu-memory-utilization, used for the "runs with default flags" check. */
export const VLLM_DEFAULT_UTILISATION = 0.9;

export const round = (n: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** 12345 → "12,345". */
export function int(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return n < 0 ? `-${out}` : out;
}

const POW10 = [1, 10, 100, 1000];
const PAD = ['', '0', '00'];

/**
 * The same string as `n.toFixed(d)` for d ≤ 3, without its cost on ordinary values (answers format dozens of
 * numbers each): integer arithmetic, falling back to toFixed near a rounding tie (where only the exact decimal
 * value decides) and for huge or non-finite values.
 */
export function fixed(n: number, d: number): string {
  const neg = n < 0;
  const f = POW10[d]!;
  const x = (neg ? -n : n) * f;
  if (!(x < 1e15)) return n.toFixed(d);
  const fl = Math.floor(x);
  const frac = x - fl;
  if (frac > 0.499999 && frac < 0.500001) return n.toFixed(d);
  const r = frac > 0.5 ? fl + 1 : fl;
  let s: string;
  if (d === 0) s = String(r);
  else {
    const ip = Math.floor(r / f);
    const fp = String(r - ip * f);
    s = `${ip}.${PAD[d - fp.length] ?? ''}${fp}`;
  }
  return neg ? `-${s}` : s;
}

/** GiB with one decimal: "37.0". */
export const gib = (n: number): string => fixed(n, 1);

/** Dollars: "$0.44", "$1,234.50"; "n/a" when unknown. */
export function usd(n: number | null): string {
  if (n === null) return 'n/a';
  if (n >= 1000) return `$${int(Math.floor(n))}.${fixed(n % 1, 2).slice(2)}`;
  return `$${fixed(n, 2)}`;
}

/** Tokens, short: 8192 → "8k", 131072 → "128k", 1048576 → "1M", 6000 → "5.9k". */
export function tokens(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)}M`;
  if (n >= 1024) {
    const k = n / 1024;
    return Number.isInteger(k) ? `${k}k` : `${fixed(k, 1)}k`;
  }
  return String(n);
}

/** Bytes per token, short: 327680 → "320 KiB", 70272 → "68.6 KiB". */
export function bytesShort(n: number): string {
  if (n >= GIB) return `${fixed(n / GIB, 2)} GiB`;
  if (n >= 1024 * 1024) return `${fixed(n / (1024 * 1024), 1)} MiB`;
  const k = n / KIB;
  return Number.isInteger(k) ? `${k} KiB` : `${fixed(k, 1)} KiB`;
}

/** Billions of parameters: 68.447 → "68.45B", 0.335 → "0.335B". */
export function params(b: number): string {
  if (b >= 100) return `${fixed(b, 1)}B`;
  if (b >= 1) return `${fixed(b, 2)}B`;
  return `${fixed(b, 3)}B`;
}
