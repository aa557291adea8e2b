// Plain-text rendering of an Answer (CLI output and the Slack fallback text).
import type { Answer, GpuInfoView, Option } from './answer.ts';
import { gib, int, tokens, usd } from './units.ts';

const SHOWN = 3;

function price(perHr: number | null, perDay: number | null): string {
  if (perHr === null) return 'n/a';
  return `${usd(perHr)}/h (${usd(perDay)}/day)`;
}

const ROLE: Record<Option['role'], string> = { named: 'named', alternative: 'alternative', ranked: '' };

function optionLine(o: Option): string {
  const src = o.priceSource === 'none' ? 'price unknown' : o.priceSource;
  const stock = o.stock !== 'Unknown' ? ` · stock ${o.stock}` : '';
  const role =
    o.role === 'ranked'
      ? ''
      : `(${ROLE[o.role]}${o.role === 'named' ? (o.fits ? ', fits' : ', does not fit') : ''}) `;
  const machine = o.nodes > 1 ? ` (Instant Cluster: ${o.nodes} nodes × ${o.gpusPerNode})` : '';
  const perM = o.usdPerMillionTokens === null ? '' : ` · ${usd(o.usdPerMillionTokens)}/1M output tokens`;
  return (
    `${o.rank}. ${role}${o.count}× ${o.gpuName}${machine} — ${gib(o.perGpuNeedGiB)} of ${gib(o.budgetGiB)} GiB per GPU · ` +
    `on-demand ${price(o.onDemandUsdPerHr, o.onDemandUsdPerDay)} · spot ${price(o.spotUsdPerHr, o.spotUsdPerDay)}${perM} · ${src}${stock}`
  );
}

const perHr = (v: number | null): string => (v === null ? 'unknown' : `${usd(v)}/h`);

function gpuLine(g: GpuInfoView): string {
  const tf = g.fp16TensorTflops === null ? 'TFLOPS not verified' : `${g.fp16TensorTflops} TFLOPS BF16`;
  return (
    `• ${g.gpuName}: ${g.memoryGb} GB (${gib(g.usableGiB)} GiB usable), ${int(g.bandwidthGBs)} GB/s, ${tf}` +
    `${g.fp8 ? ', FP8' : ''}, ${g.interconnect} — on-demand ${perHr(g.onDemandUsdPerGpuHr)}, spot ` +
    `${perHr(g.spotUsdPerGpuHr)} (${g.priceSource === 'none' ? 'no price known' : g.priceSource}). ${g.bestFor}`
  );
}

/** The answer as plain text: headline, options with why, arithmetic, assumptions, guidance, price source. */
export function answerText(a: Answer): string {
  const out: string[] = [a.headline];
  if (a.status !== 'ok') {
    if (a.message && a.message !== a.headline) out.push('', a.message);
    if (a.estimate) out.push('', 'Arithmetic:', ...a.estimate.lines.map((l) => `  ${l}`));
    if (a.examples.length) out.push('', 'Try for example:', ...a.examples.map((e) => `  • ${e}`));
    if (a.assumptions.length) out.push('', 'Assumptions:', ...a.assumptions.map((s) => `  • ${s}`));
    return out.join('\n');
  }
  if (a.gpus.length) {
    out.push('', ...a.gpus.slice(0, 12).map(gpuLine));
    if (a.gpus.length > 12) out.push(`  (+${a.gpus.length - 12} more)`);
  }
  if (a.options.length) {
    const by = a.intent.pricing === 'spot' ? 'spot' : 'on-demand';
    out.push('', `Options (ranked by ${by} price):`);
    for (const o of a.options.slice(0, SHOWN)) {
      out.push(`  ${optionLine(o)}`);
      if (o.why) out.push(`     ${o.why}`);
    }
    if (a.options.length > SHOWN)
      out.push(`  (+${a.options.length - SHOWN} more setups fit; --json lists them all)`);
  }
  if (a.estimate) {
    const e = a.estimate;
    const ctx = e.contextTokens > 0 && a.intent.model ? ` (${e.load})` : '';
    out.push('', `Arithmetic${ctx}:`, ...e.lines.map((l) => `  ${l}`));
    if (a.options[0]?.maxContextTokens) {
      out.push(
        `  largest context that fits on option 1: ${tokens(a.options[0].maxContextTokens)} tokens per sequence`,
      );
    }
  }
  if (a.assumptions.length) out.push('', 'Assumptions:', ...a.assumptions.map((s) => `  • ${s}`));
  if (a.guidance.length) out.push('', 'Guidance:', ...a.guidance.map((s) => `  • ${s}`));
  out.push('', a.priceSource.text);
  return out.join('\n');
}
