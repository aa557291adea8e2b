// The price of a pod before it is made: $/h, $/day, and how long the balance lasts with it.
import { describeRunway, type PodQuote } from '../../services/quote.ts';
import { esc } from './blocks.ts';
import { usd } from './format.ts';

const BASIS: Record<PodQuote['priceBasis'], string> = {
  'on-demand-lowest': 'on-demand, lowest price now',
  'on-demand-list': 'on-demand, list price',
  'spot-bid': 'spot, your bid',
  'spot-minimum-bid': 'spot, minimum bid now',
  unknown: 'price unknown',
};

/** mrkdwn lines for a quote (used in the create modal and the progress message). */
export function quoteLines(q: PodQuote): string[] {
  const gpu = q.gpuDisplayName ?? q.gpuTypeId;
  const lines = [
    q.perHourUsd === null
      ? `*Cost unknown* for ${q.gpuCount}× ${esc(gpu)}`
      : `*${usd(q.perHourUsd)}/h* · ${usd(q.perDayUsd)}/day — ${q.gpuCount}× ${esc(gpu)} at ${usd(q.pricePerGpuHr, 3)}/GPU/h (${BASIS[q.priceBasis]})`,
    `Balance ${usd(q.balanceUsd)} · runway ${describeRunway(q.runwayNow)} now → *${describeRunway(q.runwayAfter)}* with this pod`,
  ];
  if (q.stockStatus !== 'Unknown') lines.push(`Stock: ${q.stockStatus.toLowerCase()}`);
  for (const n of q.notes) lines.push(`_${esc(n)}_`);
  return lines;
}

export function quoteText(q: PodQuote): string {
  const cost = q.perHourUsd === null ? 'cost unknown' : `${usd(q.perHourUsd)}/h, ${usd(q.perDayUsd)}/day`;
  return `${cost}; runway ${describeRunway(q.runwayNow)} now, ${describeRunway(q.runwayAfter)} with this pod`;
}
