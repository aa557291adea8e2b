// The daily spend digest: a pure model built from the scheduler's spend ledger (store namespace
// 'spend', key `day:YYYY-MM-DD`, one DayLedger per day in the configured time zone) and the pods
// running now. No I/O, no clock: `now` comes in. The Slack view is handlers/views/digest.ts.
import { addDays, dayKey, localTime, startOfDay } from './zoned-time.ts';

// The digest's callers read days the same way.
export { addDays, dayKey, startOfDay };

/** One pod's spend over one day (as the scheduler records it). */
export interface PodDaySpend {
  name: string;
  owner: string | null;
  usd: number;
  idleUsd: number;
  runningMs: number;
}

/** One day of the spend ledger, keyed `day:YYYY-MM-DD` in the store's 'spend' namespace. */
export interface DayLedger {
  day: string;
  /** whole account (from RunPod's spend rate), USD */
  totalUsd: number;
  pods: Record<string, PodDaySpend>;
}

export interface RunningPodInput {
  id: string;
  name: string;
  owner: string | null;
  uptimeSeconds: number;
  costPerHr: number;
}

export interface DigestInput {
  days: DayLedger[];
  running: RunningPodInput[];
  now: Date;
  timeZone: string;
}

/** A day in the digest's time zone: its key and the instants it runs between. */
export interface DigestDay {
  /** YYYY-MM-DD in the time zone. */
  day: string;
  /** ISO instant the day starts (local midnight, or the first instant of the day around DST). */
  start: string;
  /** ISO instant the next day starts (a day is 23, 24 or 25 hours long). */
  end: string;
}

export interface OwnerSpend {
  /** Slack user id; null = unattributed pods (made outside podbay or before it tracked them). */
  owner: string | null;
  usd: number;
  idleUsd: number;
  /** How many pods of this owner spent anything. */
  pods: number;
}

export interface PodSpend {
  id: string;
  name: string;
  owner: string | null;
  usd: number;
  idleUsd: number;
  runningMs: number;
}

/** The items left out of a top-N list, summed. */
export interface Others {
  count: number;
  usd: number;
}

export interface YesterdaySpend {
  /** The whole account, from RunPod's spend rate. */
  totalUsd: number;
  /** The pods' spend summed (byPod's top and others together). */
  podsUsd: number;
  /** totalUsd − podsUsd when positive: network volumes, serverless, pods the ledger missed. */
  notPodsUsd: number;
  /** Largest first; the unattributed bucket (owner null) sorts by its amount like any other. */
  byOwner: { top: OwnerSpend[]; others: Others | null };
  /** Top DIGEST_TOP_PODS by spend, the rest summed. */
  byPod: { top: PodSpend[]; others: Others | null };
  idle: {
    usd: number;
    /** idle / pods' spend, 0..1; null when the pods spent nothing. */
    share: number | null;
    /** Top DIGEST_TOP_IDLE by idle spend (only pods that were idle at all). */
    top: PodSpend[];
    others: Others | null;
  };
}

export interface RunningNow {
  count: number;
  /** Sum of the running pods' price. */
  perHrUsd: number;
  /** Top DIGEST_TOP_RUNNING by uptime. */
  longest: Array<
    RunningPodInput & { /** price × uptime: what the current run has cost so far */ sinceStartUsd: number }
  >;
}

export interface SeriesPoint {
  day: string;
  /** The ledger's account total; null when no ledger was recorded for the day (not 0). */
  usd: number | null;
}

export interface DigestModel {
  /** ISO instant the digest was built. */
  at: string;
  timeZone: string;
  /** True when the ledger has no day up to today at all (the first day): nothing to report yet. */
  empty: boolean;
  /** The first day the ledger has (up to today), or null when empty. */
  firstDay: string | null;
  period: {
    /** The last full day in the time zone. */
    yesterday: DigestDay;
    /** Today so far: from its start until `at`. */
    today: DigestDay & { /** local time of `at`, HH:MM (24 h) */ asOfLocal: string };
  };
  /** null when no ledger was recorded for yesterday. */
  yesterday: YesterdaySpend | null;
  /** Today's ledger total so far; null when none is recorded yet. */
  todaySoFarUsd: number | null;
  running: RunningNow;
  /** Seven days ending yesterday, oldest first. */
  series: SeriesPoint[];
  /** One character per day of `series`: ▁…█ scaled from $0 to the week's highest day, · for no record. */
  sparkline: string;
  /**
   * What the spend chart draws: the CHART_DAYS days ending yesterday and the ledger records among
   * them, oldest first (a day without a record is left out: the chart shows it as a gap).
   */
  chart: { from: string; through: string; days: number; ledgers: DayLedger[] };
  monthToDate: {
    /** First day of today's month. */
    from: string;
    /** Today (its spend so far included). */
    through: string;
    /** Sum of the recorded days; null when none of the month's days is recorded. */
    usd: number | null;
    daysRecorded: number;
    /** Days from `from` through `through`. */
    days: number;
  };
}

export const DIGEST_TOP_OWNERS = 15;
export const DIGEST_TOP_PODS = 10;
export const DIGEST_TOP_IDLE = 5;
export const DIGEST_TOP_RUNNING = 5;
export const SERIES_DAYS = 7;
/** Days in the digest's spend chart (the ledger keeps 40). */
export const CHART_DAYS = 30;

const BARS = '▁▂▃▄▅▆▇█';
/** What the sparkline shows for a day without a ledger record. */
export const SPARK_MISSING = '·';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const round2 = (n: number): number => Math.round(n * 100) / 100;
const money = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

function digestDay(day: string, timeZone: string): DigestDay {
  return {
    day,
    start: startOfDay(day, timeZone).toISOString(),
    end: startOfDay(addDays(day, 1), timeZone).toISOString(),
  };
}

// ---- pieces ---------------------------------------------------------------------------------

/** ▁…█ per value, scaled from 0 to the largest; null shows as SPARK_MISSING. */
export function sparkline(values: ReadonlyArray<number | null>): string {
  const max = Math.max(0, ...values.map((v) => (v === null ? 0 : v)));
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return SPARK_MISSING;
      if (max <= 0 || v <= 0) return BARS[0];
      const level = Math.min(BARS.length - 1, Math.max(0, Math.ceil((v / max) * BARS.length) - 1));
      return BARS[level];
    })
    .join('');
}

/** The first `n` items, the rest counted and summed. */
function topN<T>(items: T[], n: number, usdOf: (t: T) => number): { top: T[]; others: Others | null } {
  const rest = items.slice(n);
  return {
    top: items.slice(0, n),
    others: rest.length ? { count: rest.length, usd: round2(rest.reduce((t, i) => t + usdOf(i), 0)) } : null,
  };
}

const byName = (a: { name: string; id: string }, b: { name: string; id: string }): number =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

function yesterdaySpend(ledger: DayLedger): YesterdaySpend {
  const pods: PodSpend[] = Object.entries(ledger.pods ?? {})
    .map(([id, p]) => ({
      id,
      name: p.name || id,
      owner: p.owner || null,
      usd: money(p.usd),
      idleUsd: Math.min(money(p.idleUsd), money(p.usd)),
      runningMs: money(p.runningMs),
    }))
    .filter((p) => p.usd > 0);
  const podsUsdRaw = pods.reduce((t, p) => t + p.usd, 0);
  const idleRaw = pods.reduce((t, p) => t + p.idleUsd, 0);

  const owners = new Map<string | null, { usd: number; idleUsd: number; pods: number }>();
  for (const p of pods) {
    const o = owners.get(p.owner) ?? { usd: 0, idleUsd: 0, pods: 0 };
    o.usd += p.usd;
    o.idleUsd += p.idleUsd;
    o.pods += 1;
    owners.set(p.owner, o);
  }
  const byOwner: OwnerSpend[] = [...owners.entries()]
    .map(([owner, o]) => ({ owner, usd: o.usd, idleUsd: o.idleUsd, pods: o.pods }))
    .sort(
      (a, b) =>
        b.usd - a.usd ||
        Number(a.owner === null) - Number(b.owner === null) ||
        (a.owner ?? '').localeCompare(b.owner ?? ''),
    );

  const bySpend = [...pods].sort((a, b) => b.usd - a.usd || byName(a, b));
  const byIdle = pods.filter((p) => p.idleUsd > 0).sort((a, b) => b.idleUsd - a.idleUsd || byName(a, b));

  const roundPod = (p: PodSpend): PodSpend => ({ ...p, usd: round2(p.usd), idleUsd: round2(p.idleUsd) });
  const roundOwner = (o: OwnerSpend): OwnerSpend => ({
    ...o,
    usd: round2(o.usd),
    idleUsd: round2(o.idleUsd),
  });
  const ownersTop = topN(byOwner, DIGEST_TOP_OWNERS, (o) => o.usd);
  const podsTop = topN(bySpend, DIGEST_TOP_PODS, (p) => p.usd);
  const idleTop = topN(byIdle, DIGEST_TOP_IDLE, (p) => p.idleUsd);
  const totalUsd = money(ledger.totalUsd);
  return {
    totalUsd: round2(totalUsd),
    podsUsd: round2(podsUsdRaw),
    notPodsUsd: Math.max(0, round2(totalUsd - podsUsdRaw)),
    byOwner: { top: ownersTop.top.map(roundOwner), others: ownersTop.others },
    byPod: { top: podsTop.top.map(roundPod), others: podsTop.others },
    idle: {
      usd: round2(idleRaw),
      share: podsUsdRaw > 0 ? idleRaw / podsUsdRaw : null,
      top: idleTop.top.map(roundPod),
      others: idleTop.others,
    },
  };
}

function runningNow(running: RunningPodInput[]): RunningNow {
  const pods = running.filter((p) => Number.isFinite(p.uptimeSeconds) && p.uptimeSeconds >= 0);
  const longest = [...pods]
    .sort((a, b) => b.uptimeSeconds - a.uptimeSeconds || b.costPerHr - a.costPerHr || byName(a, b))
    .slice(0, DIGEST_TOP_RUNNING)
    .map((p) => ({ ...p, sinceStartUsd: round2((money(p.costPerHr) * p.uptimeSeconds) / 3600) }));
  return {
    count: pods.length,
    perHrUsd: Math.round(pods.reduce((t, p) => t + money(p.costPerHr), 0) * 10_000) / 10_000,
    longest,
  };
}

// ---- the digest -----------------------------------------------------------------------------

export function buildDigest(input: DigestInput): DigestModel {
  const { now, timeZone } = input;
  const today = dayKey(now, timeZone);
  const yesterday = addDays(today, -1);

  // One ledger per day; a later record for the same day wins. Days after today are ignored.
  const ledgers = new Map<string, DayLedger>();
  for (const d of input.days) if (DAY_RE.test(d.day) && d.day <= today) ledgers.set(d.day, d);
  const recorded = [...ledgers.keys()].sort();

  const series: SeriesPoint[] = [];
  for (let i = SERIES_DAYS - 1; i >= 0; i--) {
    const day = addDays(yesterday, -i);
    const l = ledgers.get(day);
    series.push({ day, usd: l ? round2(money(l.totalUsd)) : null });
  }

  const chartFrom = addDays(yesterday, -(CHART_DAYS - 1));
  const chartLedgers = recorded
    .filter((d) => d >= chartFrom && d <= yesterday)
    .map((d) => ledgers.get(d) as DayLedger);

  const monthFrom = `${today.slice(0, 7)}-01`;
  const monthDays = recorded.filter((d) => d >= monthFrom);
  const y = ledgers.get(yesterday);
  const t = ledgers.get(today);
  return {
    at: now.toISOString(),
    timeZone,
    empty: recorded.length === 0,
    firstDay: recorded[0] ?? null,
    period: {
      yesterday: digestDay(yesterday, timeZone),
      today: { ...digestDay(today, timeZone), asOfLocal: localTime(now, timeZone) },
    },
    yesterday: y ? yesterdaySpend(y) : null,
    todaySoFarUsd: t ? round2(money(t.totalUsd)) : null,
    running: runningNow(input.running),
    series,
    sparkline: sparkline(series.map((p) => p.usd)),
    chart: { from: chartFrom, through: yesterday, days: CHART_DAYS, ledgers: chartLedgers },
    monthToDate: {
      from: monthFrom,
      through: today,
      usd: monthDays.length
        ? round2(monthDays.reduce((s, d) => s + money(ledgers.get(d)?.totalUsd), 0))
        : null,
      daysRecorded: monthDays.length,
      days: Number(today.slice(8, 10)),
    },
  };
}
