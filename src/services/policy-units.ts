// Units a policy file is written in: durations (90s, 30m, 1h, 2d), dollars, percentages.
// Each parser returns null for text it does not accept, so the schema can say what it expected.

const DURATION = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s" | "30m" | "1h" | "2d" → milliseconds; null for anything else. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : null;
}

/** Milliseconds in the largest unit that divides them: 3600000 → "1h", 5400000 → "90m". */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', UNIT_MS.d],
    ['h', UNIT_MS.h],
    ['m', UNIT_MS.m],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}

/** 1, 1.5, "1.00", "$1.00" → dollars; null when not a non-negative amount. */
export function parseDollars(value: unknown): number | null {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? Number(value.trim().replace(/^\$/, ''))
        : NaN;
  return Number.isFinite(n) && n >= 0 ? n : null;
}

/** "10%" or 10 → 0.1; null otherwise. */
export function parsePercent(value: unknown): number | null {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*%\s*$/.test(value)
        ? Number(value.trim().replace('%', ''))
        : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1000 ? n / 100 : null;
}

export const dollars = (n: number): string => `$${n.toFixed(2)}`;
export const percent = (f: number): string => `${Math.round(f * 1000) / 10}%`;
