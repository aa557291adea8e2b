// The daily spend digest posted by the scheduler: yesterday's spend (by owner, by pod, idle), today
// so far, month to date, the last seven days, and the pods running longest now. Pure: model → blocks.
import type { DigestModel, Others, PodSpend, RunningNow, YesterdaySpend } from '../../services/digest.ts';
import {
  type Block,
  clip,
  context,
  divider,
  esc,
  fieldsSection,
  header,
  type ImageBlock,
  type Message,
  section,
} from './blocks.ts';
import { duration, owner, perHour, plural, usd } from './format.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Wed 25 Nov" for a YYYY-MM-DD day (a calendar date: no time zone involved). */
export function dayLabel(day: string, withYear = false): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return `${WEEKDAYS[wd]} ${d} ${MONTHS[m - 1]}${withYear ? ` ${y}` : ''}`;
}

/** A pod name as shown: escaped and kept short. */
const podName = (name: string): string => `\`${esc(clip(name, 60))}\``;

/** An owner as shown: a mention for a Slack user id, anything else escaped, null as unattributed. */
function who(id: string | null): string {
  if (id !== null && !/^[UW][A-Z0-9]+$/.test(id)) return esc(clip(id, 40));
  return owner(id);
}

const othersLine = (o: Others | null, what: string): string[] =>
  o ? [`• …and ${plural(o.count, what)}: ${usd(o.usd)}`] : [];

const list = (title: string, lines: string[]): string => `*${title}*\n${clip(lines.join('\n'), 2900)}`;

const percent = (share: number): string => `${share > 0 && share < 0.01 ? '<1' : Math.round(share * 100)}%`;

function ranMs(ms: number): string {
  return ms > 0 ? ` · ran ${duration(ms / 1000)}` : '';
}

function weekBlock(m: DigestModel): Block {
  const known = m.series.filter((p): p is { day: string; usd: number } => p.usd !== null);
  const first = m.series[0]?.day ?? m.period.yesterday.day;
  const range = `${dayLabel(first)} – ${dayLabel(m.period.yesterday.day)}`;
  if (!known.length) return section(`*Last 7 days* (${range})\nNo day of this week was recorded.`);
  const high = known.reduce((a, b) => (b.usd > a.usd ? b : a));
  const missing = m.series.length - known.length;
  const facts = [
    `high ${usd(high.usd)} on ${dayLabel(high.day)}`,
    `total ${usd(known.reduce((t, p) => t + p.usd, 0))}`,
  ];
  if (missing) facts.push(`${plural(missing, 'day')} not recorded (·)`);
  const perDay = m.series.map((p) => `${dayLabel(p.day).slice(0, 3)} ${p.usd === null ? '·' : usd(p.usd)}`);
  return section(`*Last 7 days* (${range})\n\`${m.sparkline}\`  ${facts.join(' · ')}\n${perDay.join('  ')}`);
}

function podLine(p: PodSpend): string {
  const idle = p.idleUsd > 0 ? ` · ${usd(p.idleUsd)} idle` : '';
  return `• ${podName(p.name)} — ${usd(p.usd)} · ${who(p.owner)}${ranMs(p.runningMs)}${idle}`;
}

function yesterdayBlocks(y: YesterdaySpend): Block[] {
  const blocks: Block[] = [];
  if (y.byOwner.top.length) {
    const lines = y.byOwner.top.map(
      (o) =>
        `• ${who(o.owner)} — ${usd(o.usd)} (${plural(o.pods, 'pod')}${o.idleUsd > 0 ? `, ${usd(o.idleUsd)} idle` : ''})`,
    );
    blocks.push(
      section(list('Yesterday by owner', [...lines, ...othersLine(y.byOwner.others, 'other owner')])),
    );
  }
  if (y.byPod.top.length) {
    const lines = y.byPod.top.map(podLine);
    blocks.push(section(list('Yesterday by pod', [...lines, ...othersLine(y.byPod.others, 'other pod')])));
  } else {
    blocks.push(section('No pod spent anything yesterday.'));
  }
  if (y.idle.usd > 0) {
    const share = y.idle.share === null ? '' : ` (${percent(y.idle.share)} of pod spend)`;
    const lines = y.idle.top.map(
      (p) => `• ${podName(p.name)} — ${usd(p.idleUsd)} of ${usd(p.usd)} · ${who(p.owner)}`,
    );
    blocks.push(
      section(
        list(`:zzz: Spent idle: ${usd(y.idle.usd)}${share}`, [
          ...lines,
          ...othersLine(y.idle.others, 'other pod'),
        ]),
      ),
    );
  } else if (y.byPod.top.length) {
    blocks.push(section(':zzz: No money went to idle GPUs yesterday.'));
  }
  return blocks;
}

function runningBlock(r: RunningNow): Block {
  if (!r.count) return section('*Running now*\nNo pods are running.');
  const lines = r.longest.map(
    (p) =>
      `• ${podName(p.name)} — up ${duration(p.uptimeSeconds)} · ${perHour(p.costPerHr)} · ${usd(p.sinceStartUsd)} this run · ${who(p.owner)}`,
  );
  const more = r.count - r.longest.length;
  if (more > 0) lines.push(`• …and ${plural(more, 'other pod')}`);
  return section(list(`Running longest now (${plural(r.count, 'pod')}, ${perHour(r.perHrUsd)})`, lines));
}

/** The spend chart uploaded to Slack, shown in the digest. */
export interface DigestChart {
  /** The uploaded file's id (files.uploadV2). */
  fileId: string;
  /** The chart in words, with its numbers (≤ 2000 characters). */
  alt: string;
}

/** The chart as an image block referencing the uploaded file. */
export function chartBlock(m: DigestModel, chart: DigestChart): ImageBlock {
  return {
    type: 'image',
    slack_file: { id: chart.fileId },
    alt_text: clip(chart.alt, 2000),
    title: {
      type: 'plain_text',
      text: `Spend per day, ${dayLabel(m.chart.from)} – ${dayLabel(m.chart.through)}`,
      emoji: false,
    },
  };
}

export interface DigestExtras {
  /** The spend chart, shown as an image right after the headline numbers. */
  chart?: DigestChart;
  /** Where the chart was also written as a file (the console), shown as a line below it. */
  savedTo?: string;
}

export function digestMessage(m: DigestModel, extras: DigestExtras = {}): Message {
  const { chart, savedTo } = extras;
  const y = m.period.yesterday.day;
  const tz = esc(m.timeZone);
  const today = m.todaySoFarUsd === null ? 'not recorded yet' : usd(m.todaySoFarUsd);
  const mtd = m.monthToDate;
  const mtdText =
    mtd.usd === null
      ? 'not recorded'
      : `${usd(mtd.usd)}${mtd.daysRecorded < mtd.days ? ` (${mtd.daysRecorded} of ${mtd.days} days recorded)` : ''}`;
  const footer = context(
    `Days run midnight to midnight in ${tz}. Account totals come from RunPod's spend rate; per-pod amounts from each pod's price while it ran.`,
  );

  if (m.empty) {
    const blocks: Block[] = [
      header('Spend digest'),
      section(
        `:information_source: *No spend recorded yet.* podbay records spend per day in ${tz} from now on (${dayLabel(m.period.today.day, true)}); the digest after the first full recorded day has the numbers.`,
      ),
      runningBlock(m.running),
      footer,
    ];
    const text = `Spend digest: no spend recorded yet; ${plural(m.running.count, 'pod')} running now at ${perHour(m.running.perHrUsd)}.`;
    return { text, blocks };
  }

  const blocks: Block[] = [header(`Spend digest · ${dayLabel(y, true)}`)];
  const fields = [
    `*Yesterday*\n${m.yesterday ? usd(m.yesterday.totalUsd) : 'not recorded'}`,
    `*Today so far* (to ${m.period.today.asOfLocal})\n${today}`,
    `*Month to date*\n${mtdText}`,
    `*Running now*\n${plural(m.running.count, 'pod')} · ${perHour(m.running.perHrUsd)}`,
  ];
  blocks.push(fieldsSection(fields));
  if (chart) blocks.push(chartBlock(m, chart));
  if (savedTo)
    blocks.push(context(`:frame_with_picture: Spend chart saved to \`${esc(clip(savedTo, 500))}\``));
  if (m.yesterday) {
    blocks.push(...yesterdayBlocks(m.yesterday));
  } else {
    const since = m.firstDay && m.firstDay > y ? ` The ledger starts on ${dayLabel(m.firstDay)}.` : '';
    blocks.push(
      section(`:warning: No spend was recorded for ${dayLabel(y)}, so there is no breakdown for it.${since}`),
    );
  }
  blocks.push(divider(), weekBlock(m), runningBlock(m.running));
  const notes: string[] = [];
  if (m.yesterday && m.yesterday.notPodsUsd >= 0.01)
    notes.push(
      `${usd(m.yesterday.notPodsUsd)} of yesterday's total is not tied to a pod (network volumes, serverless).`,
    );
  if (notes.length) blocks.push(context(notes.join(' ')));
  blocks.push(footer);

  const top = m.yesterday?.byOwner.top
    .slice(0, 3)
    .map((o) => `${o.owner === null ? 'unattributed' : who(o.owner)} ${usd(o.usd)}`)
    .join(', ');
  const text = m.yesterday
    ? `Spend ${dayLabel(y)}: ${usd(m.yesterday.totalUsd)}${top ? ` (${top})` : ''}; idle ${usd(m.yesterday.idle.usd)}; month to date ${mtdText}.`
    : `Spend digest: nothing recorded for ${dayLabel(y)}; today so far ${today}; month to date ${mtdText}.`;
  return { text: clip(text, 3000), blocks };
}
