// The spend chart: a pure function from ledger numbers to PNG bytes. The series it returns must be
// what the stored DayLedger records say (summed here independently, day by day), missing days are
// gaps (null), the alt text states the numbers, and the picture matches its golden PNG within a
// pixel tolerance; a chart of other numbers does not. UPDATE_GOLDEN=1 rewrites the golden (look at it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHART_HEIGHT,
  CHART_SCALE,
  CHART_WIDTH,
  type ChartSeries,
  renderSpendChart,
} from '../../src/charts/spend-chart.ts';
import { buildDigest, type DayLedger, type PodDaySpend } from '../../src/services/digest.ts';
import { addDays } from '../../src/services/zoned-time.ts';
import { decodePng, isPng, pixelDiff } from './png.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const update = process.env.UPDATE_GOLDEN === '1';
const H = 3_600_000;

const NOW = new Date('2026-11-26T08:00:00.000Z'); // 09:00 in Berlin: yesterday is 25 Nov
const TZ = 'Europe/Berlin';
const THROUGH = '2026-11-25';
const FROM = addDays(THROUGH, -29); // 2026-10-27
const MISSING = new Set(['2026-10-31', '2026-11-07', '2026-11-08']);

const pod = (name: string, owner: string | null, usd: number, idleUsd = 0): PodDaySpend => ({
  name,
  owner,
  usd,
  idleUsd,
  runningMs: 24 * H,
});

/** A month of ledgers: seven owners (two fold into "others"), unattributed pods, spend not tied to a pod. */
function ledgers(): DayLedger[] {
  const out: DayLedger[] = [];
  // Outside the window on both sides: not drawn.
  out.push({ day: addDays(FROM, -3), totalUsd: 999, pods: { old: pod('old', 'U0ALICE', 999) } });
  for (let i = 0; i < 30; i++) {
    const day = addDays(FROM, i);
    if (MISSING.has(day)) continue;
    const pods: Record<string, PodDaySpend> = {
      a1: pod('alice-llama', 'U0ALICE', 20 + i * 1.13, 2.5),
      a2: pod('alice-embed', 'U0ALICE', i % 3 === 0 ? 4.2 : 0),
      b1: pod('bob-sdxl', 'U0BOB', 12 + (i % 4) * 3.31, i % 2 ? 1.2 : 0),
      c1: pod('carol-h100', 'U0CAROL', i >= 10 ? 47.84 : 0, i >= 20 ? 9.6 : 0),
      d1: pod('dan-debug', 'U0DAN', 3.45, 3.45),
      e1: pod('eve-test', 'U0EVE', i % 5 === 0 ? 6 : 1.01),
      f1: pod('fay-notebook', 'U0FAY', 0.99, 0.99),
      g1: pod('gus-tiny', 'U0GUS', 0.5),
      n1: pod('console-box', null, 8.88, 7),
      // Idle above spend is clamped to the spend, as the digest does.
      n2: pod('old-notebook', null, 1.5, 4),
    };
    const podsUsd = Object.values(pods).reduce((t, p) => t + p.usd, 0);
    // Some days the account spent more than the pods (volumes, serverless); day 12 a little less.
    const extra = i % 6 === 0 ? 14.37 : i === 12 ? -0.5 : 0;
    out.push({ day, totalUsd: Math.round((podsUsd + extra) * 100) / 100, pods });
  }
  out.push({ day: '2026-11-26', totalUsd: 50, pods: { t: pod('today', 'U0ALICE', 50) } }); // today: not drawn
  return out;
}

/** What the ledgers say, computed here without the chart module: cents per owner per day. */
function expected(days: DayLedger[]) {
  const window = Array.from({ length: 30 }, (_, i) => addDays(FROM, i));
  const byDay = new Map(days.map((d) => [d.day, d]));
  const perOwner = new Map<string, Array<number | null>>();
  const unattributed: Array<number | null> = [];
  const notPods: Array<number | null> = [];
  const idleShare: Array<number | null> = [];
  const windowTotal = new Map<string, number>();
  window.forEach((day, i) => {
    const l = byDay.get(day);
    const owners = new Map<string, number>();
    let pods = 0;
    let idle = 0;
    let none = 0;
    for (const p of Object.values(l?.pods ?? {})) {
      const c = Math.round(p.usd * 100);
      if (c <= 0) continue;
      pods += c;
      idle += Math.min(Math.round(p.idleUsd * 100), c);
      if (p.owner === null) none += c;
      else owners.set(p.owner, (owners.get(p.owner) ?? 0) + c);
    }
    for (const [o, c] of owners) windowTotal.set(o, (windowTotal.get(o) ?? 0) + c);
    for (const o of ['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAN', 'U0EVE', 'U0FAY', 'U0GUS']) {
      const row = perOwner.get(o) ?? [];
      row[i] = l ? (owners.get(o) ?? 0) / 100 : null;
      perOwner.set(o, row);
    }
    unattributed[i] = l ? none / 100 : null;
    notPods[i] = l ? Math.max(0, Math.round(l.totalUsd * 100) - pods) / 100 : null;
    idleShare[i] = l && pods > 0 ? Math.round((idle / pods) * 1000) / 10 : null;
  });
  return { window, perOwner, unattributed, notPods, idleShare, windowTotal };
}

const TOP5 = ['U0ALICE', 'U0CAROL', 'U0BOB', 'U0DAN', 'U0EVE'];

function bySeries(series: ChartSeries[], name: string): ChartSeries {
  const s = series.find((x) => x.name === name);
  if (!s) throw new Error(`no series ${name}: ${series.map((x) => x.name).join(', ')}`);
  return s;
}

const close = (actual: Array<number | null>, want: Array<number | null>) => {
  expect(actual.map((v) => (v === null ? null : Math.round(v * 100)))).toEqual(
    want.map((v) => (v === null ? null : Math.round(v * 100))),
  );
};

describe('renderSpendChart: the series are what the ledger says', () => {
  const stored = ledgers();
  const chart = renderSpendChart({ through: THROUGH, ledgers: stored, timeZone: TZ });
  const want = expected(stored);

  it('draws the 30 days ending yesterday, oldest first', () => {
    expect(chart.days).toEqual(want.window);
    expect(chart.days[0]).toBe('2026-10-27');
    expect(chart.days.at(-1)).toBe(THROUGH);
    for (const s of chart.series) expect(s.values).toHaveLength(30);
  });

  it('stacks the top five owners by their 30-day spend, then others, unattributed, not tied to a pod; the idle share last', () => {
    const ranked = [...want.windowTotal.entries()].sort((a, b) => b[1] - a[1]).map(([o]) => o);
    expect(ranked.slice(0, 5)).toEqual(TOP5);
    expect(chart.series.map((s) => s.name)).toEqual([
      ...TOP5,
      'others (2 owners)',
      'unattributed',
      'not tied to a pod',
      'idle share of pod spend',
    ]);
    expect(chart.series.map((s) => s.unit)).toEqual([...Array(8).fill('usd'), 'percent']);
  });

  it('each owner series is that owner’s pods summed per day', () => {
    for (const o of TOP5) close(bySeries(chart.series, o).values, want.perOwner.get(o) ?? []);
    const others = want.window.map((_, i) => {
      const f = want.perOwner.get('U0FAY')?.[i];
      const g = want.perOwner.get('U0GUS')?.[i];
      return f === null || g === null || f === undefined || g === undefined ? null : f + g;
    });
    close(bySeries(chart.series, 'others (2 owners)').values, others);
    close(bySeries(chart.series, 'unattributed').values, want.unattributed);
  });

  it('the stack adds up to the account total of each day (the rest is not tied to a pod)', () => {
    close(bySeries(chart.series, 'not tied to a pod').values, want.notPods);
    const byDay = new Map(stored.map((d) => [d.day, d]));
    chart.days.forEach((day, i) => {
      const l = byDay.get(day);
      const stack = chart.series
        .filter((s) => s.unit === 'usd')
        .reduce((t, s) => t + Math.round((s.values[i] ?? 0) * 100), 0);
      if (!l) return;
      const pods = Object.values(l.pods).reduce((t, p) => t + Math.round(p.usd * 100), 0);
      // Where the pods spent more than the account total, the bar is the pods' spend.
      expect(stack).toBe(Math.max(Math.round(l.totalUsd * 100), pods));
    });
  });

  it('the idle share is idle spend over pod spend, in percent', () => {
    expect(bySeries(chart.series, 'idle share of pod spend').values).toEqual(want.idleShare);
  });

  it('days without a ledger record are gaps (null) in every series, never zeros', () => {
    const gaps = chart.days.flatMap((d, i) => (MISSING.has(d) ? [i] : []));
    expect(gaps).toHaveLength(3);
    for (const s of chart.series) {
      for (const i of gaps) expect(s.values[i], `${s.name} on ${chart.days[i]}`).toBeNull();
      const recorded = s.values.filter((v, i) => !gaps.includes(i) && v !== null);
      expect(recorded.length, s.name).toBe(27);
    }
    // A recorded day on which an owner spent nothing is a zero, not a gap.
    expect(bySeries(chart.series, 'U0CAROL').values[0]).toBe(0);
  });

  it('the digest hands the chart the same days: its model draws the same series', () => {
    const model = buildDigest({ days: stored, running: [], now: NOW, timeZone: TZ });
    expect(model.chart).toMatchObject({ from: FROM, through: THROUGH, days: 30 });
    expect(model.chart.ledgers.map((l) => l.day)).toEqual(want.window.filter((d) => !MISSING.has(d)));
    const fromModel = renderSpendChart({
      through: model.chart.through,
      days: model.chart.days,
      ledgers: model.chart.ledgers,
      timeZone: model.timeZone,
    });
    expect(fromModel.series).toEqual(chart.series);
    expect(fromModel.alt).toBe(chart.alt);
  });
});

describe('renderSpendChart: alt text', () => {
  const stored = ledgers();
  const chart = renderSpendChart({ through: THROUGH, ledgers: stored, timeZone: TZ });

  it('states the period, the total, the highest day, the owners and the idle share', () => {
    const window = stored.filter((d) => d.day >= FROM && d.day <= THROUGH);
    const total = window.reduce((t, d) => {
      const pods = Object.values(d.pods).reduce((s, p) => s + Math.round(p.usd * 100), 0);
      return t + Math.max(Math.round(d.totalUsd * 100), pods);
    }, 0);
    const money = (cents: number) =>
      `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const alt = chart.alt;
    expect(alt).toContain('Tue 27 Oct 2026 to Wed 25 Nov 2026 (Europe/Berlin)');
    expect(alt).toContain(`Total ${money(total)} over 27 recorded days (3 of 30 not recorded`);

    const bars = window.map((d) => ({
      day: d.day,
      c: Math.max(
        Math.round(d.totalUsd * 100),
        Object.values(d.pods).reduce((s, p) => s + Math.round(p.usd * 100), 0),
      ),
    }));
    const hi = bars.reduce((a, b) => (b.c > a.c ? b : a));
    expect(alt).toContain(`Highest day: `);
    expect(alt).toContain(money(hi.c));

    const alice = window.reduce(
      (t, d) =>
        t +
        Object.values(d.pods)
          .filter((p) => p.owner === 'U0ALICE')
          .reduce((s, p) => s + Math.round(p.usd * 100), 0),
      0,
    );
    expect(alt).toContain(`By owner: U0ALICE ${money(alice)} (`);
    for (const o of TOP5) expect(alt).toContain(o);
    expect(alt).toMatch(/others \(2 owners\) \$[\d,]+\.\d\d/);
    expect(alt).toMatch(/unattributed \$[\d,]+\.\d\d/);

    let pods = 0;
    let idle = 0;
    for (const d of window)
      for (const p of Object.values(d.pods)) {
        const c = Math.round(p.usd * 100);
        if (c <= 0) continue;
        pods += c;
        idle += Math.min(Math.round(p.idleUsd * 100), c);
      }
    expect(alt).toContain(`Idle GPUs: ${money(idle)}, ${Math.round((idle / pods) * 100)}% of pod spend`);
    expect(alt.length).toBeLessThanOrEqual(2000);
  });

  it('a window with no record says so, and every value is a gap', () => {
    const empty = renderSpendChart({ through: THROUGH, ledgers: [], timeZone: TZ });
    expect(empty.alt).toContain('No day of these 30 was recorded.');
    expect(empty.series.map((s) => s.kind)).toEqual(['idle-share']);
    expect(empty.series[0]?.values.every((v) => v === null)).toBe(true);
    expect(decodePng(empty.png)).toMatchObject({
      width: CHART_WIDTH * CHART_SCALE,
      height: CHART_HEIGHT * CHART_SCALE,
    });
  });

  it('names owners by the labels given, and a single owner past the top five by name too', () => {
    const few = ledgers()
      .filter((d) => d.day >= FROM)
      .map((d) => ({
        ...d,
        pods: Object.fromEntries(Object.entries(d.pods).filter(([, p]) => p.owner !== 'U0GUS')),
      }));
    const c = renderSpendChart({ through: THROUGH, ledgers: few, labels: { U0ALICE: 'alice' } });
    const names = c.series.map((s) => s.name);
    expect(names).toContain('alice');
    expect(names).toContain('U0FAY');
    expect(names.some((n) => n.startsWith('others'))).toBe(false);
    expect(c.alt).toContain('By owner: alice $');
  });
});

describe('renderSpendChart: the picture', () => {
  const stored = ledgers();
  const chart = renderSpendChart({ through: THROUGH, ledgers: stored, timeZone: TZ });

  it('is a PNG of the stated size, drawn with the bundled font', () => {
    expect(isPng(chart.png)).toBe(true);
    const img = decodePng(chart.png);
    expect([img.width, img.height]).toEqual([CHART_WIDTH * CHART_SCALE, CHART_HEIGHT * CHART_SCALE]);
    expect([chart.width, chart.height]).toEqual([img.width, img.height]);
    expect(chart.font).toBe('Open Sans');
  });

  it('matches the golden PNG within a pixel tolerance; a chart of other numbers does not', () => {
    const file = join(GOLDEN, 'spend-chart.png');
    if (update) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, chart.png);
    }
    expect(existsSync(file), 'spend-chart.png is missing: run with UPDATE_GOLDEN=1 and look at it').toBe(
      true,
    );
    const golden = decodePng(readFileSync(file));
    const diff = pixelDiff(decodePng(chart.png), golden);
    expect(diff.share, `${diff.differing} of ${diff.total} pixels differ`).toBeLessThan(0.002);

    // One owner's spend doubled on one day: well past the tolerance.
    const changed = stored.map((d) =>
      d.day === '2026-11-20'
        ? { ...d, pods: { ...d.pods, a1: { ...(d.pods.a1 as PodDaySpend), usd: 80 } } }
        : d,
    );
    const other = renderSpendChart({ through: THROUGH, ledgers: changed, timeZone: TZ });
    expect(pixelDiff(decodePng(other.png), golden).share).toBeGreaterThan(0.002);
  });

  it('draws the same every time (no clock, no randomness)', () => {
    const again = renderSpendChart({ through: THROUGH, ledgers: stored, timeZone: TZ });
    expect(Buffer.from(again.png).equals(Buffer.from(chart.png))).toBe(true);
  });

  it('without fonts the chart still renders, shapes only, at the same size', () => {
    const bare = renderSpendChart({ through: THROUGH, ledgers: stored, timeZone: TZ, fonts: 'none' });
    expect(bare.font).toBe('none');
    const img = decodePng(bare.png);
    expect([img.width, img.height]).toEqual([chart.width, chart.height]);
    expect(bare.series).toEqual(chart.series);
    // The text is what differs: a little, not the whole picture.
    const diff = pixelDiff(img, decodePng(chart.png));
    expect(diff.share).toBeGreaterThan(0.002);
    expect(diff.share).toBeLessThan(0.2);
  });

  it('takes another size and scale', () => {
    const small = renderSpendChart({ through: THROUGH, ledgers: stored, width: 600, height: 300, scale: 1 });
    expect(decodePng(small.png)).toMatchObject({ width: 600, height: 300 });
    expect([small.width, small.height]).toEqual([600, 300]);
  });
});
