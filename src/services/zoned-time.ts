// Calendar arithmetic in a named time zone (PODBAY_TZ) with Intl only: the day and month a moment
// falls in, and when that day or month ends, correct across daylight-saving changes.

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(
  ms: number,
  timeZone: string,
): { y: number; m: number; d: number; h: number; mi: number; s: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(ms)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return {
    y: out.year ?? 0,
    m: out.month ?? 1,
    d: out.day ?? 1,
    h: out.hour ?? 0,
    mi: out.minute ?? 0,
    s: out.second ?? 0,
  };
}

/** True when Intl knows the zone (e.g. "Europe/Berlin", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at that moment (ms; +1h for Berlin in winter). */
function offsetMs(ms: number, timeZone: string): number {
  const p = parts(ms, timeZone);
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) - Math.floor(ms / 1000) * 1000;
}

/** The UTC moment of local midnight on y-m-d (m 1–12) in the zone. */
function localMidnight(y: number, m: number, d: number, timeZone: string): number {
  const guess = Date.UTC(y, m - 1, d);
  let t = guess - offsetMs(guess, timeZone);
  t = guess - offsetMs(t, timeZone); // once more: the offset at midnight itself
  return t;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-03": the day the moment falls in, in the zone. */
export function dayKey(date: Date, timeZone: string): string {
  const p = parts(date.getTime(), timeZone);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}`;
}

/** "2026-12": the month the moment falls in, in the zone. */
export function monthKey(date: Date, timeZone: string): string {
  return dayKey(date, timeZone).slice(0, 7);
}

/** When the day the moment falls in ends (next local midnight), as UTC ms. */
export function endOfDayMs(date: Date, timeZone: string): number {
  const p = parts(date.getTime(), timeZone);
  const next = new Date(Date.UTC(p.y, p.m - 1, p.d + 1));
  return localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone);
}

/** When the month the moment falls in ends (local midnight on the 1st of the next), as UTC ms. */
export function endOfMonthMs(date: Date, timeZone: string): number {
  const p = parts(date.getTime(), timeZone);
  const next = new Date(Date.UTC(p.y, p.m, 1));
  return localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, 1, timeZone);
}

/** "Thu 3 Dec, 14:05 UTC" style: the moment as people in the zone read it. */
export function formatLocal(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(ms);
}
