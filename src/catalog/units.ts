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

/** GiB with one decimal: "37.0". */
export const gib = (n: number): string => n.toFixed(1);

/** Dollars: "$0.44", "$1,234.50"; "n/a" when unknown. */
export function usd(n: number | null): string {
  if (n === null) return 'n/a';
  if (n >= 1000) return `$${int(Math.floor(n))}.${(n % 1).toFixed(2).slice(2)}`;
  return `$${n.toFixed(2)}`;
}

/** Tokens, short: 8192 → "8k", 131072 → "128k", 1048576 → "1M", 6000 → "5.9k". */
export function tokens(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)}M`;
  if (n >= 1024) {
    const k = n / 1024;
    return Number.isInteger(k) ? `${k}k` : `${k.toFixed(1)}k`;
  }
  return String(n);
}

/** Bytes per token, short: 327680 → "320 KiB", 70272 → "68.6 KiB". */
export function bytesShort(n: number): string {
  if (n >= GIB) return `${(n / GIB).toFixed(2)} GiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  const k = n / KIB;
  return Number.isInteger(k) ? `${k} KiB` : `${k.toFixed(1)} KiB`;
}

/** Billions of parameters: 68.447 → "68.45B", 0.335 → "0.335B". */
export function params(b: number): string {
  if (b >= 100) return `${b.toFixed(1)}B`;
  if (b >= 1) return `${b.toFixed(2)}B`;
  return `${b.toFixed(3)}B`;
}
