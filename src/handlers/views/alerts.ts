// Alert messages, rendered from the stored episode each time it changes (the same message is
// updated: snoozed by whom, stopped by whom, busy again). Buttons carry the alert key only, and
// appear only while the episode is open.
import type { Alert } from '../../services/alert-model.ts';
import { formatDuration } from '../../services/policy-units.ts';
import { formatLocal } from '../../services/zoned-time.ts';
import { ACTIONS } from '../ids.ts';
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  clip,
  confirmDialog,
  context,
  esc,
  escSentence,
  type Message,
  section,
} from './blocks.ts';
import { owner, usd } from './format.ts';

const mins = (ms: number) => formatDuration(Math.max(60_000, Math.round(ms / 60_000) * 60_000));

function podLine(a: Alert): string {
  const p = a.pod;
  if (!p) return '';
  return `*${esc(clip(p.name, 120))}* · ${esc(p.gpus)} · ${usd(p.costPerHr)}/h · owner ${owner(p.owner)}`;
}

function headline(a: Alert, tz: string): string {
  switch (a.kind) {
    case 'idle': {
      const f = a.facts;
      const idleFor = mins(a.updatedAtMs - f.idleSinceMs);
      return `:zzz: *Idle pod*: every GPU under ${f.utilBelowPercent}% for ${idleFor}; ${usd(f.idleUsd)} spent idle so far.`;
    }
    case 'stopped': {
      const f = a.facts;
      return `:package: *Stopped for ${mins(a.updatedAtMs - f.stoppedSinceMs)}*: its volume disk still costs about ${usd(f.volumeUsdPerMonth)}/month. Terminate it?`;
    }
    case 'spot': {
      const f = a.facts;
      const bid =
        f.minBidPerGpu !== null
          ? `resume at the current minimum bid of ${usd(f.minBidPerGpu)}/GPU/h`
          : 'resume at the current minimum bid';
      const od =
        f.onDemandPerHr !== null
          ? `, or recreate it on-demand for ${usd(f.onDemandPerHr)}/h`
          : ', or recreate it on-demand';
      return `:zap: *Spot pod interrupted* at ${formatLocal(f.interruptedAtMs, tz)}: ${bid}${od}.`;
    }
    case 'lifetime':
      return `:alarm_clock: *Lifetime*: podbay stops this pod at ${formatLocal(a.facts.stopAtMs, tz)}.`;
    case 'budget': {
      const f = a.facts;
      const what = f.period === 'daily' ? `Today (${f.periodKey})` : `This month (${f.periodKey})`;
      const reach =
        f.reachedAtMs !== null ? ` The budget is used up at about ${formatLocal(f.reachedAtMs, tz)}.` : '';
      return `:chart_with_upwards_trend: *Spend is ahead of budget*. ${what}: ${usd(f.spentUsd)} spent, ${usd(f.burnPerHr)}/h now, projected ${usd(f.projectedUsd)} against a budget of ${usd(f.budgetUsd)}.${reach}`;
    }
    case 'runway': {
      const f = a.facts;
      const left =
        f.hours === null
          ? 'nothing is being spent'
          : `${mins(f.hours * 3_600_000)} left at ${usd(f.burnPerHr)}/h`;
      const out =
        f.runsOutAtMs !== null ? `; the balance runs out at about ${formatLocal(f.runsOutAtMs, tz)}` : '';
      return `:battery: *Balance running low*: ${usd(f.balanceUsd)}, ${left}${out}. At $0 RunPod stops every pod and terminates those without a network volume.`;
    }
  }
}

function riskLines(a: Alert): string | null {
  if (a.kind !== 'runway' || !a.facts.atRisk.length) return null;
  const shown = a.facts.atRisk.slice(0, 15).map((p) => `• ${esc(clip(p.name, 80))} (${owner(p.owner)})`);
  const more = a.facts.atRisk.length > 15 ? `\n…and ${a.facts.atRisk.length - 15} more` : '';
  return `*Would lose their data* (no network volume):\n${shown.join('\n')}${more}`;
}

function buttonsFor(a: Alert): ButtonElement[] {
  const k = a.key;
  const name = a.pod ? esc(clip(a.pod.name, 80)) : '';
  const terminate = button(ACTIONS.alertTerminate, 'Terminate', k, {
    style: 'danger',
    confirm: confirmDialog(
      `Terminate ${clip(a.pod?.name ?? 'the pod', 60)}?`,
      `${name} and its volume disk are deleted for good (network volumes are kept). The policy may ask for an approval first.`,
      'Terminate',
      'danger',
    ),
  });
  switch (a.kind) {
    case 'idle':
      return [
        button(ACTIONS.alertStop, 'Stop now', k, { style: 'primary' }),
        button(ACTIONS.alertSnooze1h, 'Snooze 1h', k),
        button(ACTIONS.alertSnooze4h, 'Snooze 4h', k),
        button(ACTIONS.alertKeep, 'Keep running', k),
        terminate,
      ];
    case 'stopped':
      return [terminate, button(ACTIONS.alertDismiss, 'Keep it', k)];
    case 'spot':
      return [
        button(ACTIONS.alertResume, 'Resume (spot)', k, { style: 'primary' }),
        button(ACTIONS.alertRecreate, 'Recreate on-demand', k),
        button(ACTIONS.alertDismiss, 'Dismiss', k),
      ];
    case 'lifetime':
      return [
        button(ACTIONS.alertExtend2h, 'Extend 2h', k, { style: 'primary' }),
        button(ACTIONS.alertExtend8h, 'Extend 8h', k),
        button(ACTIONS.alertStop, 'Stop now', k),
      ];
    case 'budget':
    case 'runway':
      return [button(ACTIONS.alertDismiss, 'Acknowledge', k)];
  }
}

/** The alert as it stands; `tz` is PODBAY_TZ (times are written in it). */
export function alertMessage(a: Alert, tz: string): Message {
  const blocks: Block[] = [section(headline(a, tz))];
  const pod = podLine(a);
  if (pod) blocks.push(section(pod));
  const risk = riskLines(a);
  if (risk) blocks.push(section(clip(risk, 2900)));
  if (a.open && a.autoStopAtMs !== null && a.kind === 'idle')
    blocks.push(
      section(
        `:warning: podbay stops this pod at *${formatLocal(a.autoStopAtMs, tz)}* unless someone acts (policy: auto_stop_after).`,
      ),
    );
  if (a.open && a.snoozedUntilMs !== null)
    blocks.push(context(`Snoozed until ${formatLocal(a.snoozedUntilMs, tz)}.`));
  if (a.notes.length)
    blocks.push(
      context(
        clip(a.notes.map((n) => `${formatLocal(n.atMs, tz)}: ${escSentence(n.text)}`).join('\n'), 2900),
      ),
    );
  if (a.open) blocks.push(actions(`alert:${clip(a.kind, 20)}`, buttonsFor(a)));
  const last = a.notes[a.notes.length - 1];
  const text = `${a.open ? '' : '[closed] '}${plainHeadline(a, tz)}${last ? ` ${last.text}` : ''}`;
  return { text: clip(text, 2900), blocks };
}

function plainHeadline(a: Alert, tz: string): string {
  const h = headline(a, tz)
    .replace(/^:[a-z_]+: /, '')
    .replace(/\*/g, '');
  return a.pod ? `${a.pod.name}: ${h}` : h;
}

/** One line per alert for the CLI's dry run and logs. */
export function alertLine(a: Alert, tz: string): string {
  return `[${a.kind}] ${plainHeadline(a, tz)}${a.notes.length ? ` (${a.notes[a.notes.length - 1]?.text})` : ''}`;
}
