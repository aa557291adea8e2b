// Question → Answer: the pure pipeline behind `podbay gpu "<question>"` and the Slack /gpu command.
// analyzeQuestion() needs no prices (parse, resolve, estimate, find fitting setups); buildAnswer() prices
// and ranks them. The Answer is the --json document and what the Slack view renders.
import { type Analysis, analyzeQuestion } from './analyze.ts';
import { estimateView, gpuOf, makeAnswer, priceSourceView, taskLabel } from './answer-parts.ts';
import type { Answer, FitCheckView } from './answer-types.ts';
import { GPUS } from './data/gpus.ts';
import { describeLoad, type Estimate, estimate, TRAINING_TASKS } from './estimate.ts';
import { fitCheckView, lighterChoices, type ResolvedFit, resolveFit } from './fit-check.ts';
import { FORMATS, splitsLayers } from './formats.ts';
import { infoAnswer } from './gpu-info.ts';
import { TIGHT_FIT_NOTE } from './guides.ts';
import { tensorParallelProblem } from './parallel.ts';
import { type PriceBook, type PriceSource, SNAPSHOT_BOOK } from './prices.ts';
import { fittingSetups, type Option, type RateContext, rank, type Setup, toOption } from './recommend.ts';
import { fixed, gib, int, round, tokens, usd, UTILISATION } from './units.ts';

export { type Analysis, analyzeQuestion, neededGpuCounts } from './analyze.ts';
export { taskLabel } from './answer-parts.ts';
export type {
  Answer,
  AnswerKind,
  AnswerStatus,
  EstimateView,
  FitCheckView,
  GpuInfoView,
  IntentView,
  Option,
  PriceSourceView,
} from './answer-types.ts';

/** Over budget: the cheapest setup of a lighter format (or training method) that is within it, as a sentence. */
function lighterWithinBudget(a: Analysis, e: Estimate, book: PriceBook, budgetPerHr: number): string | null {
  for (const t of lighterChoices(e.workload, null)) {
    const alt = estimate({ ...e.workload, task: t.task, format: t.format });
    const ranked = rank(
      optionsFor(fittingSetups(alt, a.rankRequest), alt, book, budgetPerHr),
      a.pricing,
      gpuOf,
    );
    const best = ranked[0];
    const price = best ? rankPrice(best, a.pricing) : null;
    if (best && price !== null && best.withinBudget !== false && best.stock !== 'None') {
      return `With ${t.label}, ${best.count}× ${best.gpuName} at ${usd(price)}/h fits the budget (${gib(best.perGpuNeedGiB)} GiB per GPU).`;
    }
  }
  return null;
}

function optionsFor(
  setups: readonly Setup[],
  e: Estimate,
  book: PriceBook,
  budgetPerHr: number | null,
  rate?: RateContext,
): Option[] {
  const out: Option[] = [];
  for (const s of setups) out.push(toOption(e, s, book, budgetPerHr, rate));
  return out;
}

/** The price an option is ranked by: per replica × the replicas a stated speed needs. */
const rankPrice = (x: Option, pricing: 'on-demand' | 'spot'): number | null => {
  const p = pricing === 'spot' ? (x.spotUsdPerHr ?? x.onDemandUsdPerHr) : x.onDemandUsdPerHr;
  return p === null || x.decode === null || x.decode.replicas === 1 ? p : p * x.decode.replicas;
};

function why(
  o: Option,
  first: Option | null,
  e: Estimate,
  pricing: 'on-demand' | 'spot',
  cheaperBelow = false,
): string {
  // One string built in place (this runs for the first three options of every answer).
  let s: string;
  const p = rankPrice(o, pricing);
  if (!first)
    s =
      p === null
        ? 'Fits; price unknown'
        : cheaperBelow
          ? 'Best price with room to spare (cheaper setups below are tight or fit only with tuned flags)'
          : 'Cheapest setup that fits';
  else {
    const p0 = rankPrice(first, pricing);
    const d = p !== null && p0 !== null ? round(p - p0, 2) : null;
    s =
      d === null
        ? 'Fits; price unknown'
        : d >= 0
          ? `${usd(d)}/h more than #${first.rank}`
          : `${usd(-d)}/h less than #${first.rank}`;
    if (o.headroomGiB > first.headroomGiB + 2) s += '; more headroom';
    if (o.bandwidthGBs > first.bandwidthGBs * 1.3) s += `; faster decode (${int(o.bandwidthGBs)} GB/s)`;
    if (o.count < first.count) s += '; fewer GPUs';
  }
  s += `; ${gib(o.perGpuNeedGiB)} of ${gib(o.budgetGiB)} GiB per GPU (${gib(o.headroomGiB)} GiB headroom)`;
  if (o.count > 1) s += `; ${o.interconnect}`;
  if (o.maxContextTokens !== null && e.workload.model.kind === 'llm') {
    s += `; context up to ${tokens(o.maxContextTokens)} at ${e.workload.concurrency} sequence(s)`;
  }
  if (e.workload.format === 'fp8' && !gpuOf(o.gpuId).fp8) s += '; no FP8 tensor cores: FP8 runs weight-only';
  if (o.comfort !== 'n/a') s += `; ${comfortNote(o)}`;
  const speed = speedNote(o);
  if (speed) s += `; ${speed}`;
  return `${s}.`;
}

function namedWhy(o: Option, e: Estimate): string {
  const verdict = o.fits
    ? `The setup you named: fits, ${gib(o.perGpuNeedGiB)} of ${gib(o.budgetGiB)} GiB per GPU (${gib(o.headroomGiB)} GiB spare)`
    : `The setup you named: does not fit, ${gib(o.perGpuNeedGiB)} GiB needed per GPU of ${gib(o.budgetGiB)} GiB (${gib(-o.headroomGiB)} GiB short)`;
  const parts = [verdict];
  if (o.fits) parts.push(comfortNote(o));
  if (o.count > 1) parts.push(o.interconnect);
  if (o.fits && o.maxContextTokens !== null && e.workload.model.kind === 'llm')
    parts.push(`context up to ${tokens(o.maxContextTokens)} at ${e.workload.concurrency} sequence(s)`);
  const speed = o.fits ? speedNote(o) : null;
  if (speed) parts.push(speed);
  return `${parts.join('; ')}.`;
}

/** Whether a fitting option ranked after `o` costs less (it was passed over for comfort). */
function cheaperAfter(o: Option, options: readonly Option[], pricing: 'on-demand' | 'spot'): boolean {
  const p = rankPrice(o, pricing);
  if (p === null) return false;
  for (const x of options) {
    if (x.rank <= o.rank || !x.fits || x.withinBudget === false || x.decode?.meetsTarget === false) continue;
    const q = rankPrice(x, pricing);
    if (q !== null && q < p - 0.005) return true;
  }
  return false;
}

/** "≈38 tok/s per sequence at batch 8 (300 tok/s total), $0.41 per 1M output tokens". */
export function speedNote(o: Option): string | null {
  const d = o.decode;
  if (!d) return null;
  // perSeqTokPerSec is rounded to tenths: fixed() prints it as String() would, faster.
  const per = Number.isInteger(d.perSeqTokPerSec) ? String(d.perSeqTokPerSec) : fixed(d.perSeqTokPerSec, 1);
  let s = `est. ≈${per} tok/s per sequence, ${d.aggregateTokPerSec} total at batch ${d.batch}`;
  if (d.meetsTarget === false) s += '; too slow for the speed asked even one sequence at a time';
  else if (d.replicas > 1) {
    const p = o.onDemandUsdPerHr;
    s += `; ${d.replicas} replicas for the speed asked${p !== null ? ` (${usd(round(p * d.replicas, 2))}/h)` : ''}`;
  }
  return s;
}

function comfortNote(o: Option): string {
  switch (o.comfort) {
    case 'defaults':
      return 'fits with vLLM default flags';
    case 'tuned':
      return 'fits only with tuned vLLM flags (--gpu-memory-utilization 0.95, --max-num-batched-tokens 2048)';
    case 'tight':
      return 'tight: under 1 GiB spare';
    default:
      return 'fits';
  }
}

interface LaunchSetup {
  count: number;
  maxContextTokens: number | null;
  /** Fits with vLLM defaults (null: unknown, assume not). */
  defaultsOk: boolean | null;
  pipeline: boolean;
}

function launchHint(e: Estimate, o: LaunchSetup): string | null {
  const w = e.workload;
  if (w.model.kind !== 'llm' || TRAINING_TASKS.has(w.task) || splitsLayers(w.format) || !w.model.repo)
    return null;
  const native = w.format === w.model.nativeFormat;
  const repo = native ? w.model.repo : `<${FORMATS[w.format].label} checkpoint of ${w.model.repo}>`;
  const flags = [`--max-model-len ${Math.min(w.contextTokens, o.maxContextTokens ?? w.contextTokens)}`];
  if (o.count > 1) flags.push(`--${o.pipeline ? 'pipeline' : 'tensor'}-parallel-size ${o.count}`);
  flags.push(`--gpu-memory-utilization ${o.defaultsOk ? '0.90' : '0.95'}`);
  if (!o.defaultsOk) flags.push('--max-num-batched-tokens 2048');
  if (w.kvBytes === 1) flags.push('--kv-cache-dtype fp8');
  if (w.concurrency > 1) flags.push(`--max-num-seqs ${w.concurrency}`);
  return `Launch: vllm serve ${repo} ${flags.join(' ')}`;
}

const RANKING_RULE =
  '; multi-GPU setups without NVLink count 10 % dearer per extra GPU (15 % for FSDP training) because ' +
  'PCIe slows tensor parallel and sharded training.';
const RANKED_BY_SPOT = `Ranked by spot price (options without a known spot price follow, by on-demand price)${RANKING_RULE}`;
const RANKED_BY_ON_DEMAND = `Ranked by on-demand price (spot shown where known)${RANKING_RULE}`;

export function buildAnswer(a: Analysis, book: PriceBook = SNAPSHOT_BOOK): Answer {
  if (a.status !== 'ok') {
    return makeAnswer(a, {
      status: a.status,
      kind: a.kind,
      headline: a.message ?? '',
      message: a.message,
      examples: a.examples,
      assumptions: a.assumptions,
      estimate: null,
      fitCheck: null,
      options: [],
      guidance: a.guidance,
      gpus: [],
      priceSource: priceSourceView(book, []),
    });
  }
  if (a.kind === 'gpu-info' || a.kind === 'spot-advice') return infoAnswer(a, book);

  const e = a.estimate!;
  const budgetPerHr = a.rankRequest.budgetUsdPerHr;
  const ranked = rank(optionsFor(a.setups, e, book, budgetPerHr, a.rate), a.pricing, gpuOf, a.setups);
  let fitCheck: FitCheckView | null = null;
  const fit = a.fit ? resolveFit(a.fit, e, book) : null;
  if (fit) fitCheck = fitCheckView(a, fit, e, book, ranked);
  const named = fit && fitCheck ? namedOption(a, fit, e, book, fitCheck) : null;
  const options = named ? namedFirst(named, ranked) : ranked;
  const guidance = a.guidance.slice();
  const lead = named && !named.fits ? (options[1] ?? null) : (options[0] ?? null);
  for (let i = 0; i < Math.min(3, options.length); i++) {
    const o = options[i]!;
    o.why =
      o.role === 'named'
        ? namedWhy(o, e)
        : o === lead
          ? why(o, null, e, a.pricing, cheaperAfter(o, options, a.pricing))
          : why(o, lead, e, a.pricing);
  }
  const top = named?.fits ? named : (ranked[0] ?? null);
  const assumptions = a.assumptions.slice();
  assumptions.push(a.pricing === 'spot' ? RANKED_BY_SPOT : RANKED_BY_ON_DEMAND);
  if (fitCheck) {
    if (fitCheck.fits) {
      const hint = launchHint(e, {
        count: fitCheck.count,
        maxContextTokens: fitCheck.maxContextTokens,
        defaultsOk: null,
        pipeline: fitCheck.parallelism === 'pipeline',
      });
      if (hint) guidance.push(hint);
    }
  } else if (top) {
    if (top.headroomGiB < Math.max(1, top.usableGiB * 0.03)) guidance.push(TIGHT_FIT_NOTE);
    const hint = launchHint(e, {
      count: top.count,
      maxContextTokens: top.maxContextTokens,
      defaultsOk: top.fitsWithVllmDefaults,
      pipeline: false,
    });
    if (hint) guidance.push(hint);
  }
  const hours = a.intent.durationHours;
  if (hours !== null && top && top.onDemandUsdPerHr !== null) {
    const spot = top.spotUsdPerHr !== null ? `, ${usd(round(top.spotUsdPerHr * hours, 2))} on spot` : '';
    guidance.unshift(
      `Running ${top.count}× ${top.gpuName} for ${int(hours)} h${hours === 730 ? ' (a month)' : ''} costs about ` +
        `${usd(round(top.onDemandUsdPerHr * hours, 2))} on-demand${spot} (${top.priceSource} prices).`,
    );
  }
  if (budgetPerHr !== null && top && top.withinBudget === false) {
    const lighter = lighterWithinBudget(a, e, book, budgetPerHr);
    assumptions.push(
      `Nothing that fits is within ${usd(budgetPerHr)}/h; the cheapest is ${usd(top.onDemandUsdPerHr)}/h.` +
        (lighter ? ` ${lighter}` : ''),
    );
  }

  const topFor = fitCheck && !fitCheck.fits ? null : top;
  const ev = estimateView(
    e,
    fitCheck
      ? {
          count: fitCheck.count,
          need: fitCheck.perGpuNeedGiB,
          usable: fitCheck.usableGiB,
          mode: fitCheck.parallelism,
        }
      : topFor
        ? {
            count: topFor.count,
            need: topFor.perGpuNeedGiB,
            usable: topFor.usableGiB,
            mode: topFor.parallelism,
          }
        : null,
  );
  const shown: PriceSource[] = [];
  for (let i = 0; i < options.length && i < 3; i++) shown.push(options[i]!.priceSource);
  const ps = priceSourceView(book, fitCheck ? [...shown, fitCheck.priceSource] : shown);
  if (!options.length && !fitCheck) {
    const msg = nothingFits(a, e, book);
    return makeAnswer(a, {
      status: 'refuse',
      kind: a.kind,
      headline: msg,
      message: msg,
      examples: [],
      assumptions,
      estimate: ev,
      fitCheck: null,
      options: [],
      guidance,
      gpus: [],
      priceSource: ps,
    });
  }
  return makeAnswer(a, {
    status: 'ok',
    kind: a.kind,
    headline: fitCheck ? fitCheck.verdict : headline(e, top!, a.pricing),
    message: null,
    examples: [],
    assumptions,
    estimate: ev,
    fitCheck,
    options,
    guidance,
    gpus: [],
    priceSource: ps,
  });
}

/** The hardware the question named, as an option (fitting or not), or null when it cannot be rented. */
function namedOption(
  a: Analysis,
  fit: ResolvedFit,
  e: Estimate,
  book: PriceBook,
  f: FitCheckView,
): Option | null {
  if (fit.owned || fit.gpu?.kind !== 'runpod') return null;
  const gpu = fit.gpu.gpu;
  const o = toOption(
    e,
    { gpu, count: f.count, mode: f.parallelism, need: f.perGpuNeedGiB },
    book,
    a.rankRequest.budgetUsdPerHr,
    a.rate,
  );
  o.role = 'named';
  return o;
}

/** Put the named setup first and label the rest as alternatives. */
function namedFirst(named: Option, ranked: Option[]): Option[] {
  const out = [named];
  for (const o of ranked) {
    if (o.gpuId === named.gpuId && o.count === named.count) continue;
    o.role = 'alternative';
    out.push(o);
  }
  for (let i = 0; i < out.length; i++) out[i]!.rank = i + 1;
  return out;
}

function headline(e: Estimate, o: Option, pricing: 'on-demand' | 'spot'): string {
  const w = e.workload;
  const price =
    pricing === 'spot' && o.spotUsdPerHr !== null
      ? `${usd(o.spotUsdPerHr)}/h spot`
      : o.onDemandUsdPerHr !== null
        ? `${usd(o.onDemandUsdPerHr)}/h on-demand`
        : 'price unknown';
  const what = `${w.model.name} · ${FORMATS[w.format].label} · ${taskLabel(w.task)} · ${describeLoad(w)}`;
  const replicas = o.decode && o.decode.replicas > 1 ? `${o.decode.replicas} replicas of ` : '';
  const machine = o.nodes > 1 ? ` (Instant Cluster, ${o.nodes} nodes × ${o.gpusPerNode})` : '';
  return `${what} → ${replicas}${o.count}× ${o.gpuName}${machine} (${gib(o.perGpuNeedGiB)} of ${gib(o.budgetGiB)} GiB per GPU), ${price}`;
}

function nothingFits(a: Analysis, e: Estimate, book: PriceBook): string {
  const w = e.workload;
  const what = `${w.model.name} (${FORMATS[w.format].label}, ${describeLoad(w)})`;
  const counts = a.rankRequest.counts;
  if (counts || a.rankRequest.minUsableGiB !== undefined) {
    const reasons: string[] = [];
    for (const n of counts ?? []) {
      const p =
        n > 1 && !TRAINING_TASKS.has(w.task) && !splitsLayers(w.format)
          ? tensorParallelProblem(w.model, w.format, n)
          : null;
      if (p) reasons.push(`tensor parallel cannot use ${n} GPUs (${p})`);
    }
    const free = rank(
      fittingSetups(e, {}).map((s) => toOption(e, s, book, null)),
      a.pricing,
      gpuOf,
    )[0];
    const restriction = counts
      ? `on ${counts.join(' or ')} GPU${counts.length === 1 && counts[0] === 1 ? '' : 's'}`
      : 'with that much memory';
    return (
      `${what} does not fit any RunPod setup ${restriction}${reasons.length ? `: ${reasons.join('; ')}` : ''}.` +
      (free
        ? ` Without that limit the cheapest fit is ${free.count}× ${free.gpuName} (${gib(free.perGpuNeedGiB)} GiB per GPU${
            free.onDemandUsdPerHr !== null ? `, ${usd(free.onDemandUsdPerHr)}/h` : ''
          }).`
        : '')
    );
  }
  const biggest = Math.max(...GPUS.map((g) => g.usableGiB * g.maxCount * UTILISATION));
  const hints: string[] = [];
  if (w.format === 'bf16' || w.format === 'fp32') hints.push('FP8 or 4-bit AWQ weights');
  if (e.kvGiB > e.weightsGiB * 0.3)
    hints.push('a shorter context, fewer concurrent users or an FP8 KV cache');
  if (w.task === 'full-finetune') hints.push('LoRA/QLoRA instead of a full fine-tune');
  hints.push('a multi-node RunPod Instant Cluster');
  return (
    `${what} needs about ${gib(e.totalGiB)} GiB in total, and no single RunPod node holds it (at most ` +
    `${gib(biggest)} GiB usable on 8 GPUs). Options: ${hints.join('; ')}.`
  );
}

/** The whole pipeline: question → Answer, priced with `book` (the offline snapshot by default). */
export function answerQuestion(question: string, book: PriceBook = SNAPSHOT_BOOK): Answer {
  return buildAnswer(analyzeQuestion(question), book);
}
