// /spend: balance, spend per hour, runway, and today's spend by owner.
import { describeRunway } from '../../services/quote.ts';
import type { SpendSummary } from '../../services/spend.ts';
import { type Block, clip, context, esc, fieldsSection, header, type Message, section } from './blocks.ts';
import { owner, perHour, usd } from './format.ts';

/** Owners listed before the rest is summed up (keeps the message far below Slack's limits). */
export const MAX_OWNERS = 20;

/** What the balance and runway show when the API in use has no balance. */
const NEEDS_GRAPHQL = 'needs GraphQL';

export function spendMessage(s: SpendSummary): Message {
  const runway = s.balanceUsd === null ? NEEDS_GRAPHQL : describeRunway(s.runway);
  const balance = s.balanceUsd === null ? NEEDS_GRAPHQL : usd(s.balanceUsd);
  const blocks: Block[] = [
    header('Spend'),
    fieldsSection([
      `*Balance*\n${balance}`,
      `*Spending now*\n${perHour(s.spendPerHrUsd)}`,
      `*Runway*\n${runway}`,
      `*Spend limit*\n${s.spendLimitUsd === null ? 'none set' : usd(s.spendLimitUsd)}`,
      `*Today so far*\n${usd(s.todayTotalUsd)}${s.source === 'estimate' ? ' (estimate)' : ''}`,
    ]),
  ];
  const shown = s.byOwner.slice(0, MAX_OWNERS);
  if (shown.length) {
    const lines = shown.map((o) => {
      const pods = o.pods.map((p) => esc(p.name)).join(', ');
      return `• ${owner(o.userId)} — ${usd(o.todayUsd)} today · ${perHour(o.costPerHrUsd)} now · ${clip(pods, 200)}`;
    });
    const rest = s.byOwner.slice(MAX_OWNERS);
    if (rest.length)
      lines.push(`• …and ${rest.length} more owners: ${usd(rest.reduce((t, o) => t + o.todayUsd, 0))} today`);
    blocks.push(section(`*Today by owner*\n${clip(lines.join('\n'), 2900)}`));
  } else {
    blocks.push(section('Nothing has run today.'));
  }
  const days = s.daily ?? [];
  if (days.length > 1) {
    const line = days.map((d) => `${d.day.slice(5, 10)} ${usd(d.totalUsd)}`).join(' · ');
    blocks.push(section(`*Billed per day (UTC)*\n${line}`));
  }
  if (s.notes.length) blocks.push(context(clip(s.notes.map(esc).join(' '), 3000)));
  const top = shown
    .slice(0, 5)
    .map((o) => `${o.userId ?? 'unattributed'} ${usd(o.todayUsd)}`)
    .join(', ');
  const text = `Balance ${balance}, spending ${perHour(s.spendPerHrUsd)}, runway ${runway}, today ${usd(s.todayTotalUsd)}${top ? ` (${top})` : ''}.`;
  return { text, blocks };
}
