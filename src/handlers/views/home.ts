// The Home tab (pure: model in, view out): what is mine, what waits for me, what it costs. Lists are
// cut to stay far under the Home tab's 100 blocks, with "and N more" pointing at the command that
// shows them all. Times are Slack date tokens (each reader sees their own time zone), so the view
// depends on the data only and an unchanged Home renders byte for byte the same.
import type { HomeModel, HomePod, HomeRequest } from '../../services/home.ts';
import type { Alert } from '../../services/alert-model.ts';
import { slackLink } from '../../services/approvals.ts';
import { formatDuration } from '../../services/policy-units.ts';
import { ACTIONS, HOME, VIEWS } from '../ids.ts';
import { alertLine } from './alerts.ts';
import { decisionButtons, withdrawButton } from './approvals.ts';
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  clip,
  context,
  divider,
  esc,
  escSentence,
  fieldsSection,
  header,
  type ModalView,
  plain,
  section,
} from './blocks.ts';
import { gpuLabel, perHour, plural, STATUS_ICON, slackDate, usd } from './format.ts';
import { resumeButton, stopButton, terminateButton } from './pods.ts';

export interface HomeView {
  type: 'home';
  blocks: Block[];
  /** Set by the publisher (a digest of the blocks), never by the view. */
  private_metadata?: string;
}

/** How many of each list the Home shows (2 blocks per pod and per request: at most 65 blocks in all). */
export const HOME_MAX = { pods: 10, toDecide: 8, mine: 5, alerts: 8 } as const;

const when = slackDate;

const pct = (n: number | null) => (n === null ? '—' : `${Math.round(n)}%`);

function activityLine(p: HomePod, m: HomeModel): string | null {
  const a = p.activity;
  const rule = m.idleRule;
  switch (a.state) {
    case 'off':
      return null;
    case 'unknown':
      return ':grey_question: GPU use not known yet (podbay samples running pods every scan)';
    case 'sampled':
      return `GPU use ${pct(a.utilPercent)}${a.sampleAtMs !== null ? ` at ${when(a.sampleAtMs)}` : ''}`;
    case 'busy':
      return `:zap: busy now: GPU use ${pct(a.utilPercent)}`;
    case 'quiet':
      return `:hourglass_flowing_sand: quiet since ${when(a.idleSinceMs ?? 0)}: GPU use ${pct(a.utilPercent)}${
        rule ? `, idle after ${formatDuration(rule.forMs)} under ${pct(rule.utilBelowPercent)}` : ''
      }`;
    case 'idle':
      return `:zzz: *idle* since ${when(a.idleSinceMs ?? 0)}: GPU use ${pct(a.utilPercent)}${
        rule ? ` (under ${pct(rule.utilBelowPercent)} counts as idle)` : ''
      }`;
  }
}

/** The person's own request to terminate this pod, while it waits. */
const terminateAsked = (p: HomePod, m: HomeModel): HomeRequest | undefined =>
  m.mine.find((r) => r.kind === 'pod.terminate' && r.target === p.id);

function podLine(p: HomePod, m: HomeModel): string {
  const kind = p.kind === 'other' ? '' : ` · ${p.kind}`;
  const cost = p.status === 'RUNNING' ? perHour(p.costPerHr) : `${perHour(p.costPerHr)} when running`;
  const lines = [
    `${STATUS_ICON[p.status]} *${esc(clip(p.name, 120))}* · ${p.status.toLowerCase()} · ${esc(gpuLabel(p.gpuCount, p.gpuName))}${kind} · ${cost}`,
  ];
  const act = activityLine(p, m);
  if (act) lines.push(act);
  if (terminateAsked(p, m)) lines.push(':raised_hand: you asked to terminate it; waiting for approval');
  return lines.join('\n');
}

/** The buttons a pod row has (views/pods.ts), without Status: its answer needs a message to reply to. */
function podRowButtons(p: HomePod, m: HomeModel): ButtonElement[] {
  const out: ButtonElement[] = [];
  if (p.status === 'RUNNING' || p.status === 'CREATED' || p.status === 'RESTARTING') out.push(stopButton(p));
  if (p.status === 'EXITED' || p.status === 'PAUSED') out.push(resumeButton(p));
  if (p.status !== 'TERMINATED' && !terminateAsked(p, m)) out.push(terminateButton(p));
  return out;
}

function requestLine(r: HomeRequest, mine: boolean): string {
  const who = mine ? 'You ask' : `<@${r.requesterId}> asks`;
  const price = r.perHourUsd !== null ? ` · ${perHour(r.perHourUsd)}` : '';
  const why = r.justification ? `\n_“${esc(clip(r.justification, 300))}”_` : '';
  return (
    `:raised_hand: ${who} to *${esc(clip(r.summary, 400))}*${why}\n` +
    `${escSentence(clip(r.rule, 600))}${price} · expires ${when(Date.parse(r.expiresAt))}`
  );
}

const ALERT_ICON: Record<Alert['kind'], string> = {
  idle: ':zzz:',
  stopped: ':package:',
  spot: ':zap:',
  lifetime: ':alarm_clock:',
  budget: ':chart_with_upwards_trend:',
  runway: ':battery:',
};

function alertText(a: Alert, tz: string): string {
  const line = alertLine(a, tz).replace(/^\[[a-z]+\] /, '');
  const where = a.messages.channel ?? a.messages.dm;
  const link = where ? ` <${slackLink(where)}|Open the alert>` : '';
  return `${ALERT_ICON[a.kind]} ${escSentence(clip(line, 2500))}${link}`;
}

function more(n: number, where: string): Block | null {
  return n > 0 ? context(`and ${n} more — ${where}`) : null;
}

function spendBlocks(m: HomeModel): Block[] {
  const s = m.spend;
  const today = s.today
    ? `*Today*\nYou ${usd(s.today.yoursUsd)} · team ${usd(s.today.teamUsd)}`
    : '*Today*\nnothing recorded yet';
  const month = s.month
    ? `*This month*\nYou ${usd(s.month.yoursUsd)} · team ${usd(s.month.teamUsd)}`
    : '*This month*\nnothing recorded yet';
  const asOf = s.asOfMs !== null ? `, last at ${when(s.asOfMs)}` : '';
  return [
    fieldsSection([today, month]),
    context(
      `Recorded by podbay’s scans${asOf}; days in ${esc(s.timeZone)}. Team is the whole RunPod account. \`/spend\` has the live numbers.`,
    ),
  ];
}

export function homeView(m: HomeModel): HomeView {
  const blocks: Block[] = [header('podbay')];
  if (m.roles.length === 0) {
    const ask = m.helpers.length
      ? ` Ask ${m.helpers.map((h) => (h.startsWith('S') ? `<!subteam^${h}>` : `<@${h}>`)).join(', ')} for one.`
      : '';
    blocks.push(section(`You have no role in podbay yet, so there is nothing to show here.${ask}`));
    return { type: 'home', blocks };
  }

  const running = m.pods.filter((p) => p.status === 'RUNNING').length;
  blocks.push(
    context(
      `You are ${m.roles.map((r) => `*${r}*`).join(', ')} · ${plural(m.pods.length, 'pod')}, ${running} running, ${perHour(m.perHourUsd)}`,
    ),
  );
  const entries: ButtonElement[] = [];
  if (m.may.createPods) entries.push(button(ACTIONS.podCreateOpen, 'Create pod', '{}', { style: 'primary' }));
  entries.push(button(ACTIONS.homeAskGpu, 'Ask which GPU', 'ask'));
  blocks.push(actions('home-entries', entries));

  blocks.push(divider(), ...spendBlocks(m));
  // The latest digest's chart (already uploaded to Slack): the team's spend over 30 days.
  if (m.chart)
    blocks.push({
      type: 'image',
      slack_file: { id: m.chart.fileId },
      alt_text: clip(m.chart.alt, 2000),
      title: { type: 'plain_text', text: clip(m.chart.title, 2000) },
    });

  // Your pods.
  blocks.push(divider(), section(`*Your pods* · ${plural(m.pods.length, 'pod')} · ${perHour(m.perHourUsd)}`));
  if (m.pods.length === 0)
    blocks.push(
      context(
        m.may.createPods
          ? 'You have no pods. *Create pod* makes one; *Ask which GPU* says what fits a model.'
          : 'You have no pods.',
      ),
    );
  for (const p of m.pods.slice(0, HOME_MAX.pods)) {
    blocks.push(section(podLine(p, m)));
    const b = m.may.actOnPods ? podRowButtons(p, m) : [];
    if (b.length) blocks.push(actions(`home-pod:${clip(p.id, 200)}`, b));
  }
  const morePods = more(m.pods.length - HOME_MAX.pods, '`/pod list mine`');
  if (morePods) blocks.push(morePods);

  // Requests waiting for this person's decision.
  if (m.may.decide) {
    blocks.push(divider(), section(`*Waiting for your decision* · ${plural(m.toDecide.length, 'request')}`));
    if (m.toDecide.length === 0) blocks.push(context('Nothing waits for your decision.'));
    for (const r of m.toDecide.slice(0, HOME_MAX.toDecide)) {
      blocks.push(
        section(requestLine(r, false)),
        actions(`home-approval:${r.id}`, decisionButtons(r.id, r.summary)),
      );
    }
    const moreReq = more(
      m.toDecide.length - HOME_MAX.toDecide,
      m.approvalsChannel ? `in <#${m.approvalsChannel}>` : 'in the approvals channel',
    );
    if (moreReq) blocks.push(moreReq);
  }

  // The person's own requests.
  if (m.may.createPods || m.mine.length) {
    blocks.push(divider(), section(`*Your requests* · ${plural(m.mine.length, 'request')} waiting`));
    if (m.mine.length === 0) blocks.push(context('None of your requests is waiting for approval.'));
    for (const r of m.mine.slice(0, HOME_MAX.mine))
      blocks.push(section(requestLine(r, true), withdrawButton(r.id)));
    const moreMine = more(
      m.mine.length - HOME_MAX.mine,
      m.approvalsChannel ? `in <#${m.approvalsChannel}>` : 'in the approvals channel',
    );
    if (moreMine) blocks.push(moreMine);
  }

  // Open alerts about the person's pods (for people who have pods, or alerts).
  if (m.pods.length || m.alerts.length) {
    blocks.push(divider(), section(`*Open alerts about your pods* · ${m.alerts.length}`));
    if (m.alerts.length === 0) blocks.push(context('None.'));
    for (const a of m.alerts.slice(0, HOME_MAX.alerts)) blocks.push(section(alertText(a, m.timeZone)));
    const moreAlerts = more(m.alerts.length - HOME_MAX.alerts, 'in the alerts channel and your DMs');
    if (moreAlerts) blocks.push(moreAlerts);
  }

  blocks.push(
    divider(),
    context(
      'This tab updates itself when your pods, requests or alerts change. More: `/pod list` · `/spend` · `/podbay whoami`',
    ),
  );
  return { type: 'home', blocks };
}

/** "Ask which GPU" from the Home tab: one question; the answer comes by DM (as /gpu answers it). */
export function askGpuModal(): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.homeAskGpu,
    title: plain('Which GPU?'),
    submit: plain('Ask'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: HOME.question.block,
        label: plain('What do you want to run?'),
        hint: plain(
          'A model and what it needs, as you would type it after /gpu: size, quantization, context, users.',
        ),
        element: {
          type: 'plain_text_input',
          action_id: HOME.question.action,
          max_length: 500,
          placeholder: plain('e.g. llama 3.1 70b awq, 8k context, 4 users'),
        },
      },
    ],
  };
}
