// Shared CLI output helpers: readable tables for people, one JSON document with --json.
import Table from 'cli-table3';

export type Print = (text: string) => void;

export function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const r of rows) t.push(r.map(String));
  return t.toString();
}

export const usd = (n: number | null | undefined, digits = 2): string =>
  n === null || n === undefined ? 'n/a' : `$${n.toFixed(digits)}`;

export function hours(h: number | null): string {
  if (h === null || !Number.isFinite(h)) return 'no spend';
  if (h >= 48) return `${(h / 24).toFixed(1)} days`;
  return `${h.toFixed(1)} h`;
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return `${d}d ${h}h`;
  if (h) return `${h}h ${m}m`;
  return `${m}m`;
}
