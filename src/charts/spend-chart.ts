// Spend per day as a picture: the last 30 days ending yesterday, stacked by owner (the top owners,
// the rest as "others", unattributed pods and spend not tied to a pod each as their own series),
// with the idle share of pod spend as a line. Pure: numbers in, PNG bytes out, no Slack, no I/O of
// its own (resvg reads the bundled font file it is given). ECharts draws SVG server-side, resvg
// turns it into PNG. The result also carries the series exactly as drawn and an alt text that
// states the numbers, so a test can check the chart against the ledger and a reader needs no image.
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { BarChart, LineChart } from 'echarts/charts';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TitleComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  TitleComponent,
  GraphicComponent,
  SVGRenderer,
]);

/** One pod's spend on a day, as the scheduler's ledger records it (services/digest.ts PodDaySpend fits). */
export interface ChartPodSpend {
  owner: string | null;
  usd: number;
  idleUsd: number;
}

/** One day of the spend ledger (services/digest.ts DayLedger fits). */
export interface ChartLedger {
  /** YYYY-MM-DD in the ledger's time zone. */
  day: string;
  /** The whole account's spend that day, USD. */
  totalUsd: number;
  pods: Record<string, ChartPodSpend>;
}

export interface SpendChartInput {
  /** The last day drawn (yesterday in the time zone), YYYY-MM-DD. */
  through: string;
  /** Ledger records; a day without one is a gap (not recorded), never a zero. */
  ledgers: readonly ChartLedger[];
  /** How many days end at `through` (default 30). */
  days?: number;
  /** Owners drawn by name (default 5); the rest are summed as "others". */
  topOwners?: number;
  /** Display names by owner id; an owner without one is shown by id. */
  labels?: Readonly<Record<string, string>>;
  /** The zone the days run in, for the caption and the alt text. */
  timeZone?: string;
  /** The chart's size in CSS pixels (default 800 × 400). */
  width?: number;
  height?: number;
  /** Pixels per CSS pixel in the PNG (default 2, sharp on high-density screens). */
  scale?: number;
  /**
   * Text: 'bundled' (default) draws with the Open Sans file shipped in the open-sans-fonts package,
   * the same on every machine; 'none' draws no text (shapes only). When the bundled file cannot be
   * found, the machine's fonts are used if it has any, and text is left out if it has none.
   */
  fonts?: 'bundled' | 'none';
}

export type SeriesKind = 'owner' | 'others' | 'unattributed' | 'not-pods' | 'idle-share';

export interface ChartSeries {
  name: string;
  kind: SeriesKind;
  /** The owner's id for kind 'owner'. */
  owner?: string;
  /** 'usd' for the stacked bars, 'percent' for the idle share line (right axis). */
  unit: 'usd' | 'percent';
  /** One value per day of `days`: null where the day has no ledger record (or, for the idle share, no pod spend). */
  values: Array<number | null>;
}

export interface SpendChart {
  png: Uint8Array;
  /** The PNG's size in pixels. */
  width: number;
  height: number;
  /** The days drawn, oldest first. */
  days: string[];
  /** Exactly what was drawn, bottom of the stack first; the idle share last. */
  series: ChartSeries[];
  /** A plain-text description with the numbers (≤ 2000 characters, Slack's alt_text limit). */
  alt: string;
  /** Which font drew the text. */
  font: 'Open Sans' | 'system' | 'none';
}

export const CHART_DAYS = 30;
export const CHART_TOP_OWNERS = 5;
export const CHART_WIDTH = 800;
export const CHART_HEIGHT = 400;
export const CHART_SCALE = 2;
export const ALT_MAX = 2000;

const FONT_FAMILY = 'Open Sans';
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Bottom of the stack upwards: the named owners, then the grey buckets. */
const OWNER_COLORS = ['#4e79a7', '#59a14f', '#b07aa1', '#f28e2b', '#76b7b2', '#edc948', '#9c755f', '#ff9da7'];
const BUCKET_COLORS: Record<Exclude<SeriesKind, 'owner' | 'idle-share'>, string> = {
  others: '#a0a6ad',
  unattributed: '#c9b79c',
  'not-pods': '#c6d3e3',
};
const IDLE_COLOR = '#e15759';

const cents = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? Math.round(n * 100) : 0);

function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** "Tue 24 Nov" (a calendar date: no time zone involved). */
function dayLabel(day: string, withYear = false): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[wd]} ${d} ${MONTHS[m - 1]}${withYear ? ` ${y}` : ''}`;
}

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const usd = (n: number): string => USD.format(n);
const pct = (share: number): string => (share > 0 && share < 0.005 ? '<1%' : `${Math.round(share * 100)}%`);

// ---- the numbers ----------------------------------------------------------------------------

export interface SpendChartData {
  days: string[];
  series: ChartSeries[];
  /** Per day: what the stacked bar adds up to, USD; null when not recorded. */
  bars: Array<number | null>;
  /** Over the recorded days, USD. */
  totals: { usd: number; podsUsd: number; idleUsd: number; recordedDays: number };
  /** Window totals of the stacked series, USD, in series order (the idle share excluded). */
  seriesUsd: number[];
  /** Owners folded into "others". */
  otherOwners: number;
}

/**
 * The series the chart draws, from ledger records: the same rules as the digest (a later record
 * for a day wins; a pod's idle spend is at most its spend; pods that spent nothing are skipped),
 * summed in cents so the stack adds up to the account total of each day.
 */
export function spendChartData(input: SpendChartInput): SpendChartData {
  const n = Math.max(1, Math.floor(input.days ?? CHART_DAYS));
  const top = Math.max(0, Math.floor(input.topOwners ?? CHART_TOP_OWNERS));
  const days = Array.from({ length: n }, (_, i) => addDays(input.through, i - (n - 1)));
  const ledgers = new Map<string, ChartLedger>();
  for (const l of input.ledgers) if (DAY_RE.test(l.day)) ledgers.set(l.day, l);

  // Per recorded day: cents by owner (null = unattributed), pods' idle cents, account cents.
  type Day = { owners: Map<string | null, number>; podsC: number; idleC: number; totalC: number } | null;
  const perDay: Day[] = days.map((day) => {
    const l = ledgers.get(day);
    if (!l) return null;
    const owners = new Map<string | null, number>();
    let podsC = 0;
    let idleC = 0;
    for (const p of Object.values(l.pods ?? {})) {
      const c = cents(p.usd);
      if (c <= 0) continue;
      const owner = p.owner || null;
      owners.set(owner, (owners.get(owner) ?? 0) + c);
      podsC += c;
      idleC += Math.min(Math.max(0, cents(p.idleUsd)), c);
    }
    return { owners, podsC, idleC, totalC: cents(l.totalUsd) };
  });

  const windowC = new Map<string, number>();
  for (const d of perDay)
    for (const [o, c] of d?.owners ?? []) if (o !== null) windowC.set(o, (windowC.get(o) ?? 0) + c);
  const ranked = [...windowC.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  // "others" stands for two or more owners: a single one left over is drawn by name.
  const named = ranked.slice(0, ranked.length === top + 1 ? top + 1 : top).map(([o]) => o);
  const namedSet = new Set(named);
  const otherOwners = ranked.length - named.length;

  const label = (o: string) => input.labels?.[o] ?? o;
  const stacked: Array<{ s: Omit<ChartSeries, 'values'>; c: (d: NonNullable<Day>) => number }> = [
    ...named.map((o) => ({
      s: { name: label(o), kind: 'owner' as const, owner: o, unit: 'usd' as const },
      c: (d: NonNullable<Day>) => d.owners.get(o) ?? 0,
    })),
    {
      s: {
        name: `others (${otherOwners} owner${otherOwners === 1 ? '' : 's'})`,
        kind: 'others',
        unit: 'usd',
      },
      c: (d) => [...d.owners].reduce((t, [o, c]) => (o !== null && !namedSet.has(o) ? t + c : t), 0),
    },
    { s: { name: 'unattributed', kind: 'unattributed', unit: 'usd' }, c: (d) => d.owners.get(null) ?? 0 },
    {
      s: { name: 'not tied to a pod', kind: 'not-pods', unit: 'usd' },
      c: (d) => Math.max(0, d.totalC - d.podsC),
    },
  ];

  const series: ChartSeries[] = [];
  const seriesUsd: number[] = [];
  for (const { s, c } of stacked) {
    const valuesC = perDay.map((d) => (d ? c(d) : null));
    const sumC = valuesC.reduce<number>((t, v) => t + (v ?? 0), 0);
    // A bucket with nothing in it over the whole window is not drawn (a named owner always spent something).
    if (s.kind !== 'owner' && sumC <= 0) continue;
    series.push({ ...s, values: valuesC.map((v) => (v === null ? null : v / 100)) });
    seriesUsd.push(sumC / 100);
  }
  series.push({
    name: 'idle share of pod spend',
    kind: 'idle-share',
    unit: 'percent',
    values: perDay.map((d) => (d && d.podsC > 0 ? Math.round((d.idleC / d.podsC) * 1000) / 10 : null)),
  });

  const bars = perDay.map((d) => (d ? Math.max(d.totalC, d.podsC) / 100 : null));
  const recorded = perDay.filter((d): d is NonNullable<Day> => d !== null);
  return {
    days,
    series,
    bars,
    totals: {
      usd: recorded.reduce((t, d) => t + Math.max(d.totalC, d.podsC), 0) / 100,
      podsUsd: recorded.reduce((t, d) => t + d.podsC, 0) / 100,
      idleUsd: recorded.reduce((t, d) => t + d.idleC, 0) / 100,
      recordedDays: recorded.length,
    },
    seriesUsd,
    otherOwners,
  };
}

// ---- the words ------------------------------------------------------------------------------

/** The chart in words: period, total, highest day, each stacked series' share, the idle share. */
export function spendChartAlt(data: SpendChartData, timeZone?: string): string {
  const first = data.days[0] as string;
  const last = data.days.at(-1) as string;
  const zone = timeZone ? ` (${timeZone})` : '';
  const head = `Bar chart of spend per day, ${dayLabel(first, true)} to ${dayLabel(last, true)}${zone}, stacked by owner, with the idle share of pod spend as a line.`;
  const { totals } = data;
  if (!totals.recordedDays) return `${head} No day of these ${data.days.length} was recorded.`;

  const parts: string[] = [head];
  const missing = data.days.length - totals.recordedDays;
  parts.push(
    `Total ${usd(totals.usd)} over ${totals.recordedDays} recorded day${totals.recordedDays === 1 ? '' : 's'}` +
      (missing ? ` (${missing} of ${data.days.length} not recorded, shown as grey gaps).` : '.'),
  );
  let hi = -1;
  data.bars.forEach((b, i) => {
    if (b !== null && (hi < 0 || b > (data.bars[hi] as number))) hi = i;
  });
  if (hi >= 0)
    parts.push(`Highest day: ${dayLabel(data.days[hi] as string)}, ${usd(data.bars[hi] as number)}.`);

  const stacked = data.series.filter((s) => s.unit === 'usd');
  const shares = stacked.map((s, i) => {
    const v = data.seriesUsd[i] ?? 0;
    return `${s.name} ${usd(v)}${totals.usd > 0 ? ` (${pct(v / totals.usd)})` : ''}`;
  });
  if (shares.length) parts.push(`By owner: ${shares.join(', ')}.`);

  if (totals.podsUsd > 0) {
    const idle = data.series.find((s) => s.kind === 'idle-share');
    let peak = -1;
    idle?.values.forEach((v, i) => {
      if (v !== null && (peak < 0 || v > (idle.values[peak] as number))) peak = i;
    });
    const peakText =
      idle && peak >= 0 && (idle.values[peak] as number) > 0
        ? `; highest ${idle.values[peak]}% on ${dayLabel(data.days[peak] as string)}`
        : '';
    parts.push(
      `Idle GPUs: ${usd(totals.idleUsd)}, ${pct(totals.idleUsd / totals.podsUsd)} of pod spend${peakText}.`,
    );
  }
  const text = parts.join(' ');
  return text.length <= ALT_MAX ? text : `${text.slice(0, ALT_MAX - 1)}…`;
}

// ---- the picture ----------------------------------------------------------------------------

let bundledFont: string | null | undefined;

/** The Open Sans file shipped in the open-sans-fonts package, or null when it is not installed. */
function bundledFontFile(): string | null {
  if (bundledFont === undefined) {
    try {
      const require = createRequire(import.meta.url);
      bundledFont = require.resolve('open-sans-fonts/open-sans/Regular/OpenSans-Regular.ttf');
    } catch {
      bundledFont = null;
    }
  }
  return bundledFont;
}

/** The ECharts option for the data: everything drawn comes from `data.series`. */
function chartOption(data: SpendChartData, input: SpendChartInput): echarts.EChartsCoreOption {
  const { days, series } = data;
  const monthStart = (d: string, i: number) => i === 0 || d.endsWith('-01');
  const xLabels = days.map((d, i) => {
    const [, m, day] = d.split('-').map(Number) as [number, number, number];
    return monthStart(d, i) ? `${day}\n${MONTHS[m - 1]}` : String(day);
  });
  const missing = days.flatMap((_, i) => (data.bars[i] === null ? [i] : []));
  let ownerColor = 0;
  const drawn = series.map((s) => {
    if (s.kind === 'idle-share')
      return {
        name: s.name,
        type: 'line',
        yAxisIndex: 1,
        data: s.values,
        connectNulls: false,
        symbol: 'circle',
        symbolSize: 5,
        lineStyle: { width: 2, color: IDLE_COLOR },
        itemStyle: { color: IDLE_COLOR },
        z: 5,
      };
    const color =
      s.kind === 'owner' ? OWNER_COLORS[ownerColor++ % OWNER_COLORS.length] : BUCKET_COLORS[s.kind];
    return {
      name: s.name,
      type: 'bar',
      stack: 'spend',
      barCategoryGap: '25%',
      data: s.values,
      itemStyle: { color },
    };
  });
  // The legend wraps onto more rows when the names are long: leave it room below the axis labels.
  const width = input.width ?? CHART_WIDTH;
  const itemWidths = series.map((s) => 14 + 5 + s.name.length * 6 + 10);
  let rows = 1;
  let used = 0;
  for (const w of itemWidths) {
    if (used > 0 && used + w > width - 32) {
      rows++;
      used = 0;
    }
    used += w;
  }
  const height = input.height ?? CHART_HEIGHT;
  const grid = { left: 64, right: 56, top: 72, bottom: 52 + rows * 20 };
  // Days without a ledger record: a grey band across the plot, so a gap never reads as $0.
  const step = (width - grid.left - grid.right) / days.length;
  const bands = missing.map((i) => ({
    type: 'rect',
    silent: true,
    z: 1,
    shape: { x: grid.left + i * step, y: grid.top, width: step, height: height - grid.top - grid.bottom },
    style: { fill: '#f1f2f4', stroke: '#b4b9bf', lineWidth: 1, lineDash: [3, 3] },
  }));
  const empty = data.totals.recordedDays
    ? []
    : [
        {
          type: 'text',
          left: 'center',
          top: 'middle',
          z: 10,
          style: {
            text: 'No day of this period was recorded.',
            fontSize: 14,
            fill: '#666',
            fontFamily: FONT_FAMILY,
          },
        },
      ];
  const period = `${dayLabel(days[0] as string)} – ${dayLabel(days.at(-1) as string, true)}`;
  const textStyle = { fontFamily: FONT_FAMILY, color: '#333' };
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle,
    color: OWNER_COLORS,
    title: {
      text: 'Spend per day',
      subtext: `${period}${input.timeZone ? ` · days in ${input.timeZone}` : ''} · bars: USD by owner · line: idle share · dashed grey: not recorded`,
      left: 16,
      top: 10,
      textStyle: { ...textStyle, fontSize: 16, fontWeight: 'normal' },
      subtextStyle: { ...textStyle, fontSize: 11, color: '#666' },
    },
    legend: {
      bottom: 6,
      left: 16,
      right: 16,
      itemWidth: 14,
      itemHeight: 10,
      textStyle: { ...textStyle, fontSize: 11 },
      data: series.map((s) => s.name),
    },
    grid,
    xAxis: {
      type: 'category',
      data: xLabels,
      axisTick: { alignWithLabel: true },
      axisLabel: { ...textStyle, fontSize: 10, interval: 0, hideOverlap: true },
    },
    yAxis: [
      {
        type: 'value',
        min: 0,
        axisLabel: { ...textStyle, fontSize: 10, formatter: (v: number) => `$${v.toLocaleString('en-US')}` },
        splitLine: { lineStyle: { color: '#eceef0' } },
      },
      {
        type: 'value',
        min: 0,
        max: 100,
        interval: 25,
        axisLabel: { ...textStyle, fontSize: 10, formatter: '{value}%' },
        splitLine: { show: false },
      },
    ],
    series: drawn,
    graphic: [...bands, ...empty],
  };
}

/** The SVG ECharts draws for the data (server-side, no DOM). */
export function spendChartSvg(data: SpendChartData, input: SpendChartInput): string {
  const width = input.width ?? CHART_WIDTH;
  const height = input.height ?? CHART_HEIGHT;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(chartOption(data, input));
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as PNG bytes, with the series it drew and its alt text. */
export function renderSpendChart(input: SpendChartInput): SpendChart {
  const data = spendChartData(input);
  const svg = spendChartSvg(data, input);
  const fontFile = input.fonts === 'none' ? null : bundledFontFile();
  const font: SpendChart['font'] = input.fonts === 'none' ? 'none' : fontFile ? FONT_FAMILY : 'system';
  const scale = input.scale ?? CHART_SCALE;
  const resvg = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: scale },
    logLevel: 'off',
    font: fontFile
      ? {
          loadSystemFonts: false,
          fontFiles: [fontFile],
          defaultFontFamily: FONT_FAMILY,
          sansSerifFamily: FONT_FAMILY,
        }
      : { loadSystemFonts: font === 'system' },
  });
  const image = resvg.render();
  const png = new Uint8Array(image.asPng());
  return {
    png,
    width: image.width,
    height: image.height,
    days: data.days,
    series: data.series,
    alt: spendChartAlt(data, input.timeZone),
    font,
  };
}
