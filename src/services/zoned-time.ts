// Calendar arithmetic in a named time zone (PODBAY_TZ) with Intl only: the day and month a moment
// falls in, and when that day or month ends, correct across daylight-saving changes.

/** True when Intl knows the zone (e.g. "Europe/Berlin", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per zone (creating one is the costly part). Throws RangeError for an unknown zone. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

function localParts(date: Date, timeZone: string): { day: string; time: string } {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(date)) parts[p.type] = p.value;
  const year = (parts.year ?? '').padStart(4, '0');
  // Some ICU versions print midnight as 24 even with h23; it is the start of the day.
  const hour = parts.hour === '24' ? '00' : (parts.hour ?? '00');
  return { day: `${year}-${parts.month}-${parts.day}`, time: `${hour}:${parts.minute}` };
}

/** The calendar day (YYYY-MM-DD) `date` falls on in `timeZone` (an IANA name such as Asia/Kolkata). */
export function dayKey(date: Date, timeZone: string): string {
  return localParts(date, timeZone).day;
}

/** The day `n` calendar days after `day` (negative: before). Calendar arithmetic, so DST plays no part. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/**
 * The first instant of `day` in `timeZone`: local midnight, or the first instant after it where
 * a DST change skips midnight. Found by bisection over dayKey, so it needs no offset tables.
 */
export function startOfDay(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const base = Date.UTC(y, m - 1, d);
  // UTC offsets run from −12 h to +14 h: the day starts between these two.
  let lo = base - 16 * 3_600_000; // still the day before
  let hi = base + 16 * 3_600_000; // already the day (or later)
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (dayKey(new Date(mid), timeZone) < day) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** "14:05": the local time of day in the zone. */
export function localTime(date: Date, timeZone: string): string {
  return localParts(date, timeZone).time;
}

/** "2026-12": the month the moment falls in, in the zone. */
export function monthKey(date: Date, timeZone: string): string {
  return dayKey(date, timeZone).slice(0, 7);
}

/** When the day the moment falls in ends (the next day's first instant), as UTC ms. */
export function endOfDayMs(date: Date, timeZone: string): number {
  return startOfDay(addDays(dayKey(date, timeZone), 1), timeZone).getTime();
}

/** When the month the moment falls in ends (the first instant of the next month), as UTC ms. */
export function endOfMonthMs(date: Date, timeZone: string): number {
  const [y, m] = monthKey(date, timeZone).split('-').map(Number) as [number, number];
  const next = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return startOfDay(next, timeZone).getTime();
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
