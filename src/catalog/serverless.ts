// Serverless endpoints: which RunPod serverless GPU pool fits a model, its per-second flex and active worker
// prices, and the monthly cost at a stated load (requests per day × seconds per request, idle timeout, min
// workers). Pure; live pool prices come in as input (REST v2 catalog `price.serverless`), else a dated table.
import { type Analysis, analyzeQuestion } from './analyze.ts';
import { GPU_BY_ID } from './data/gpus.ts';
import { describeLoad, type Estimate } from './estimate.ts';
import { FORMATS } from './formats.ts';
import { checkSetup } from './recommend.ts';
import { stepSeconds } from './throughput.ts';
import { gib, int, round, usd } from './units.ts';

export interface ServerlessPool {
  id: string;
  label: string;
  /** RunPod gpuTypeIds in the pool (the smallest memory and slowest bandwidth among them is sized). */
  gpuIds: string[];
  memoryGb: number;
  /** Flex (scale-from-zero) and active (always-on, min workers) $/s per GPU. */
  flexUsdPerSec: number;
  activeUsdPerSec: number;
}

/**
 * Offline pool prices. Pools and members: runpod/docs references/gpu-types.mdx "GPU pools" (table generated
 * 2026-02-12). Flex $/s: runpod/docs snippets/serverless-gpu-pricing-table.mdx as quoted in gpu-sizing.md §9.
 * Active $/s: the same pricing table's active-worker column as published in 2025, not re-read here — check
 * the live catalog before relying on it.
 */
export const SERVERLESS_POOLS: readonly ServerlessPool[] = [
  {
    id: 'AMPERE_16',
    label: '16 GB (A4000, A4500, RTX 4000 Ada, RTX 2000 Ada)',
    gpuIds: [
      'NVIDIA RTX A4000',
      'NVIDIA RTX A4500',
      'NVIDIA RTX 4000 Ada Generation',
      'NVIDIA RTX 2000 Ada Generation',
    ],
    memoryGb: 16,
    flexUsdPerSec: 0.00016,
    activeUsdPerSec: 0.00011,
  },
  {
    id: 'AMPERE_24',
    label: '24 GB (L4, A5000, RTX 3090)',
    gpuIds: ['NVIDIA L4', 'NVIDIA RTX A5000', 'NVIDIA GeForce RTX 3090'],
    memoryGb: 24,
    flexUsdPerSec: 0.00019,
    activeUsdPerSec: 0.00013,
  },
  {
    id: 'ADA_24',
    label: '24 GB PRO (RTX 4090)',
    gpuIds: ['NVIDIA GeForce RTX 4090'],
    memoryGb: 24,
    flexUsdPerSec: 0.00031,
    activeUsdPerSec: 0.00021,
  },
  {
    id: 'AMPERE_48',
    label: '48 GB (A6000, A40)',
    gpuIds: ['NVIDIA RTX A6000', 'NVIDIA A40'],
    memoryGb: 48,
    flexUsdPerSec: 0.00034,
    activeUsdPerSec: 0.00024,
  },
  {
    id: 'ADA_48_PRO',
    label: '48 GB PRO (L40, L40S, RTX 6000 Ada)',
    gpuIds: ['NVIDIA L40', 'NVIDIA L40S', 'NVIDIA RTX 6000 Ada Generation'],
    memoryGb: 48,
    flexUsdPerSec: 0.00053,
    activeUsdPerSec: 0.00037,
  },
  {
    id: 'AMPERE_80',
    label: '80 GB (A100)',
    gpuIds: ['NVIDIA A100 80GB PCIe', 'NVIDIA A100-SXM4-80GB'],
    memoryGb: 80,
    flexUsdPerSec: 0.00076,
    activeUsdPerSec: 0.0006,
  },
  {
    id: 'ADA_80_PRO',
    label: '80 GB PRO (H100)',
    gpuIds: ['NVIDIA H100 PCIe', 'NVIDIA H100 80GB HBM3'],
    memoryGb: 80,
    flexUsdPerSec: 0.00116,
    activeUsdPerSec: 0.00093,
  },
  {
    id: 'HOPPER_141',
    label: '141 GB (H200)',
    gpuIds: ['NVIDIA H200'],
    memoryGb: 141,
    flexUsdPerSec: 0.00155,
    activeUsdPerSec: 0.00124,
  },
];
export const SERVERLESS_PRICES_AS_OF =
  'runpod/docs serverless pricing table (flex: 2026 snapshot; active: 2025)';

/** Live flex prices by pool, $ per GPU per hour (REST v2 `GET /v2/catalog/gpus`: `pool`, `price.serverless`). */
export interface LiveServerlessPrice {
  poolId: string;
  usdPerGpuHr: number;
}
export interface LiveServerlessPrices {
  prices: readonly LiveServerlessPrice[];
  fetchedAt: string;
}

export interface ServerlessLoad {
  requestsPerDay: number;
  secondsPerRequest: number;
  idleTimeoutSec: number;
  minWorkers: number;
  /** Output tokens per request, when the question gave them (seconds per request then come from decode speed). */
  outputTokens: number | null;
  stated: { requests: boolean; seconds: boolean; idle: boolean; minWorkers: boolean };
}

export interface ServerlessOption {
  rank: number;
  poolId: string;
  label: string;
  gpusPerWorker: number;
  perGpuNeedGiB: number;
  budgetGiB: number;
  flexUsdPerSec: number;
  activeUsdPerSec: number;
  priceSource: 'live' | 'snapshot';
  secondsPerRequest: number;
  coldStartSec: number;
  /** Billed flex seconds per day: busy + idle tail + cold starts (and the active workers' whole day). */
  flexSecondsPerDay: number;
  coldStartsPerDay: number;
  activeUsdPerMonth: number;
  flexUsdPerMonth: number;
  usdPerMonth: number;
  /** Prefill for "Create endpoint": pool, GPUs per worker, workers and idle timeout. */
  endpoint: {
    gpuPoolIds: string[];
    gpuCount: number;
    workersMin: number;
    workersMax: number;
    idleTimeoutSec: number;
  };
}

export interface ServerlessAnswer {
  status: 'ok' | 'clarify' | 'refuse';
  question: string;
  headline: string;
  model: { id: string; name: string; repo: string | null } | null;
  format: string | null;
  load: ServerlessLoad;
  options: ServerlessOption[];
  assumptions: string[];
  /** The memory arithmetic (as in /gpu) and the cost arithmetic for option 1. */
  lines: string[];
  priceSource: string;
  /** What an always-on pod of the cheapest fitting type costs a month, for comparison; null if unknown. */
  podUsdPerMonth: number | null;
}

const DAYS_PER_MONTH = 30.4;
const DEFAULT_REQUESTS_PER_DAY = 1000;
const DEFAULT_SECONDS = 5;
const DEFAULT_IDLE = 5;
/** Worker start before the model loads, and how fast weights load (container disk or network volume). */
const WORKER_START_SEC = 10;
const LOAD_GIB_PER_SEC = 1.5;
/** Active workers take traffic up to this busy share before flex workers start. */
const ACTIVE_BUSY = 0.7;

const NUM = '(\\d+(?:[.,]\\d+)?k?)';
const PER = '(?:\\s*(?:/|per|a|an|each)\\s*)';
const RE_REQUESTS = new RegExp(
  `${NUM}\\s*(?:requests?|reqs?|calls?|jobs?|images?|generations?|queries|prompts?)?${PER}(day|d|hour|hr|h|month|mo|minute|min)\\b`,
);
const RE_RPD = new RegExp(`${NUM}\\s*(rpd|rph)\\b`);
const RE_SECONDS = new RegExp(
  `${NUM}\\s*(?:s|sec|secs|seconds?)\\s*(?:each|per\\s*(?:request|call|job|image|generation|req)|/\\s*req(?:uest)?|a\\s*request)` +
    // "@ 8s", "at 8 s", "takes 8 sec", "8 s latency".
    `|(?:@|\\bat|\\btakes?|\\btaking)\\s*${NUM}\\s*(?:s|sec|secs|seconds?)\\b|${NUM}\\s*(?:s|sec|secs|seconds?)\\s*latency`,
);
const RE_IDLE = new RegExp(`idle(?:\\s*timeout)?\\s*(?:=|of|:)?\\s*${NUM}\\s*(?:s|sec|secs|seconds?)?`);
const RE_MIN_WORKERS = new RegExp(
  `(?:${NUM}\\s*(?:min(?:imum)?|active|always[- ]on|warm)\\s*workers?)|(?:(?:min(?:imum)?|active)\\s*workers?\\s*(?:=|of|:)?\\s*${NUM})|(?:workers?[- ]min\\s*=?\\s*${NUM})`,
);
const RE_TOKENS = new RegExp(
  `${NUM}\\s*(?:output\\s*)?(?:tokens?|toks?)\\s*(?:out|each|per\\s*(?:request|call|reply|response)|generated)`,
);

function numberOf(s: string): number {
  const k = s.endsWith('k');
  const n = Number((k ? s.slice(0, -1) : s).replace(',', ''));
  return k ? n * 1000 : n;
}

/** Read the load and cut it out of the text, so the sizing parser sees only the model and its needs. */
export function readLoad(text: string): { load: ServerlessLoad; rest: string } {
  let rest = text.toLowerCase().replace(/[×]/g, 'x');
  const take = (re: RegExp): RegExpExecArray | null => {
    const m = re.exec(rest);
    if (m) rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
    return m;
  };
  const stated = { requests: false, seconds: false, idle: false, minWorkers: false };
  let requestsPerDay = DEFAULT_REQUESTS_PER_DAY;
  const r = take(RE_REQUESTS);
  if (r) {
    const unit = r[2]!;
    const perDay = unit.startsWith('h')
      ? 24
      : unit.startsWith('mo')
        ? 1 / DAYS_PER_MONTH
        : unit.startsWith('mi')
          ? 1440
          : 1;
    requestsPerDay = numberOf(r[1]!) * perDay;
    stated.requests = true;
  } else {
    const rp = take(RE_RPD);
    if (rp) {
      requestsPerDay = numberOf(rp[1]!) * (rp[2] === 'rph' ? 24 : 1);
      stated.requests = true;
    }
  }
  let secondsPerRequest = DEFAULT_SECONDS;
  const idle = take(RE_IDLE);
  const s = take(RE_SECONDS);
  if (s) {
    secondsPerRequest = numberOf((s[1] ?? s[2] ?? s[3])!);
    stated.seconds = true;
  }
  const w = take(RE_MIN_WORKERS);
  const tok = take(RE_TOKENS);
  const minWorkers = w ? numberOf((w[1] ?? w[2] ?? w[3])!) : 0;
  if (w) stated.minWorkers = true;
  if (idle) stated.idle = true;
  return {
    load: {
      requestsPerDay: Math.max(0, requestsPerDay),
      secondsPerRequest: Math.max(0.05, secondsPerRequest),
      idleTimeoutSec: idle ? Math.max(0, numberOf(idle[1]!)) : DEFAULT_IDLE,
      minWorkers: Math.max(0, Math.min(100, Math.round(minWorkers))),
      outputTokens: tok ? numberOf(tok[1]!) : null,
      stated,
    },
    rest: rest
      .replace(/\bserverless\b|\bendpoint\b/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  };
}

/** The pool's sizing card: the smallest usable memory and the slowest bandwidth among its GPUs. */
function poolCard(p: ServerlessPool): { usableGiB: number; gpuId: string } {
  let usable = Number.POSITIVE_INFINITY;
  let slow = p.gpuIds[0]!;
  let bw = Number.POSITIVE_INFINITY;
  for (const id of p.gpuIds) {
    const g = GPU_BY_ID.get(id);
    if (!g) continue;
    usable = Math.min(usable, g.usableGiB);
    if (g.bandwidthGBs < bw) {
      bw = g.bandwidthGBs;
      slow = id;
    }
  }
  return { usableGiB: usable, gpuId: slow };
}

/**
 * Billed seconds per day for a worker pool with Poisson arrivals at rate λ = requests/86400: each request is
 * busy S seconds; after it the worker idles until the next request or the idle timeout T, so the idle tail
 * per request is E[min(gap, T)] = (1 − e^(−λT))/λ; a request that arrives after the timeout (probability
 * e^(−λT)) wakes a cold worker. Active workers absorb traffic up to 70 % busy first.
 */
export function flexDay(
  load: ServerlessLoad,
  secondsPerRequest: number,
  coldStartSec: number,
): { flexSeconds: number; coldStarts: number } {
  const busy = load.requestsPerDay * secondsPerRequest;
  const absorbed = load.minWorkers * 86400 * ACTIVE_BUSY;
  const overflow = Math.max(0, busy - absorbed);
  if (overflow <= 0) return { flexSeconds: 0, coldStarts: 0 };
  const requests = overflow / secondsPerRequest;
  const lambda = requests / 86400;
  const T = load.idleTimeoutSec;
  const tail = lambda > 0 ? (1 - Math.exp(-lambda * T)) / lambda : 0;
  const coldStarts = requests * Math.exp(-lambda * T);
  return { flexSeconds: overflow + requests * tail + coldStarts * coldStartSec, coldStarts };
}

function poolPrice(
  p: ServerlessPool,
  live: LiveServerlessPrices | null,
): { flex: number; source: 'live' | 'snapshot' } {
  const hit = live?.prices.find((x) => x.poolId === p.id);
  return hit && hit.usdPerGpuHr > 0
    ? { flex: hit.usdPerGpuHr / 3600, source: 'live' }
    : { flex: p.flexUsdPerSec, source: 'snapshot' };
}

function refuse(
  question: string,
  a: Analysis | null,
  load: ServerlessLoad,
  message: string,
): ServerlessAnswer {
  return {
    // No model named is a question back; a closed or impossible model is a refusal.
    status:
      a &&
      (a.status === 'clarify' || (!a.intent.match.closed && a.intent.match.sizeB === null && !a.workload))
        ? 'clarify'
        : 'refuse',
    question,
    headline: message,
    model: null,
    format: null,
    load,
    options: [],
    assumptions: a?.assumptions ?? [],
    lines: [],
    priceSource: '',
    podUsdPerMonth: null,
  };
}

/** `/gpu serverless <model> [load]`: pools that fit, ranked by monthly cost at the stated load. */
export function serverlessAnswer(
  question: string,
  live: LiveServerlessPrices | null = null,
  podUsdPerHr: number | null = null,
): ServerlessAnswer {
  const { load, rest } = readLoad(question);
  const a = analyzeQuestion(rest);
  if (a.status !== 'ok' || !a.estimate) {
    return refuse(
      question,
      a,
      load,
      a.message ??
        'Which model should the endpoint serve? e.g. `/gpu serverless llama 3.1 8b 2000 requests/day 3 s each`.',
    );
  }
  const e = a.estimate;
  const w = e.workload;
  const notes = a.assumptions.slice();
  const options: ServerlessOption[] = [];
  for (const p of SERVERLESS_POOLS) {
    const card = poolCard(p);
    const gpu = GPU_BY_ID.get(card.gpuId)!;
    // A worker holds 1, 2 or 4 GPUs of its pool; take the fewest that fit.
    for (const n of [1, 2, 4]) {
      const c = checkSetup(e, card.usableGiB, n);
      if (!c.fits || c.tensorParallelProblem) continue;
      const option = price(p, n, c.perGpuNeedGiB, c.budgetGiB, e, gpu, load, live);
      options.push(option);
      break;
    }
  }
  options.sort((x, y) => x.usdPerMonth - y.usdPerMonth);
  options.forEach((o, i) => {
    o.rank = i + 1;
  });
  const src = options.some((o) => o.priceSource === 'live')
    ? `Serverless prices: live RunPod catalog (fetched ${live!.fetchedAt}) for flex; active workers from the offline table (${SERVERLESS_PRICES_AS_OF}).`
    : `Serverless prices: offline table (${SERVERLESS_PRICES_AS_OF}); live prices come from RunPod's catalog when available.`;
  if (!load.stated.requests)
    notes.push(`No load given: ${int(load.requestsPerDay)} requests a day (say e.g. “5000 requests/day”).`);
  if (!load.stated.seconds && load.outputTokens === null)
    notes.push(
      `No time per request given: ${load.secondsPerRequest} s each (say “3 s each” or “500 tokens per request”).`,
    );
  if (!load.stated.idle)
    notes.push(`Idle timeout ${load.idleTimeoutSec} s (RunPod's default in the console).`);
  notes.push(
    `Cost model: Poisson arrivals; each request is billed for its run time, the idle tail until the next request or the idle timeout, ` +
      `and a cold start (${WORKER_START_SEC} s worker start + weights ÷ ${LOAD_GIB_PER_SEC} GiB/s) when it finds no warm worker; ` +
      `${load.minWorkers} min (active) worker(s) billed all month at the active rate, taking traffic up to ${ACTIVE_BUSY * 100} % busy; ${DAYS_PER_MONTH} days a month.`,
  );
  const top = options[0];
  if (!top) {
    return refuse(
      question,
      null,
      load,
      `${w.model.name} (${FORMATS[w.format].label}, ${describeLoad(w)}) needs ${gib(e.totalGiB)} GiB: no serverless pool holds it with up to 4 GPUs per worker. Use a pod (/gpu ${rest}).`,
    );
  }
  const lines = e.lines.slice();
  lines.push(
    `${top.label}: ${top.gpusPerWorker} GPU(s) per worker, ${gib(top.perGpuNeedGiB)} of ${gib(top.budgetGiB)} GiB per GPU`,
    `flex: ${int(top.flexSecondsPerDay)} s/day × ${top.gpusPerWorker} × ${usd4(top.flexUsdPerSec)}/s × ${DAYS_PER_MONTH} = ${usd(top.flexUsdPerMonth)}/month ` +
      `(${int(load.requestsPerDay)} requests × ${round(top.secondsPerRequest, 2)} s + idle tails + ${round(top.coldStartsPerDay, 1)} cold starts × ${round(top.coldStartSec, 0)} s)`,
    `active: ${load.minWorkers} worker(s) × ${top.gpusPerWorker} × ${usd4(top.activeUsdPerSec)}/s × 730 h = ${usd(top.activeUsdPerMonth)}/month`,
  );
  const podMonth = podUsdPerHr === null ? null : round(podUsdPerHr * 730, 2);
  return {
    status: 'ok',
    question,
    headline:
      `${w.model.name} · ${FORMATS[w.format].label} serverless → ${top.label}, ${top.gpusPerWorker} GPU(s) per worker: ` +
      `about ${usd(top.usdPerMonth)}/month at ${int(load.requestsPerDay)} requests/day × ${round(top.secondsPerRequest, 2)} s` +
      (podMonth !== null ? ` (an always-on pod: ${usd(podMonth)}/month)` : ''),
    model: { id: w.model.id, name: w.model.name, repo: w.model.repo || null },
    format: w.format,
    load,
    options,
    assumptions: notes,
    lines,
    priceSource: src,
    podUsdPerMonth: podMonth,
  };
}

const usd4 = (n: number): string => `$${n.toFixed(5)}`;

function price(
  p: ServerlessPool,
  n: number,
  need: number,
  budget: number,
  e: Estimate,
  gpu: NonNullable<ReturnType<typeof GPU_BY_ID.get>>,
  load: ServerlessLoad,
  live: LiveServerlessPrices | null,
): ServerlessOption {
  const pp = poolPrice(p, live);
  const step = stepSeconds(e, gpu, n, n > 1 ? 'tensor' : 'single', 1);
  // With output tokens given, a request takes that many decode steps (one sequence per worker).
  const seconds = load.outputTokens !== null && step > 0 ? load.outputTokens * step : load.secondsPerRequest;
  const coldStartSec = WORKER_START_SEC + e.weightsGiB / LOAD_GIB_PER_SEC;
  const day = flexDay(load, seconds, coldStartSec);
  const flexMonth = day.flexSeconds * n * pp.flex * DAYS_PER_MONTH;
  const activeMonth = load.minWorkers * n * p.activeUsdPerSec * 730 * 3600;
  const peak = Math.max(1, Math.ceil((load.requestsPerDay * seconds) / 86400 / ACTIVE_BUSY));
  return {
    rank: 0,
    poolId: p.id,
    label: p.label,
    gpusPerWorker: n,
    perGpuNeedGiB: round(need, 2),
    budgetGiB: round(budget, 2),
    flexUsdPerSec: pp.flex,
    activeUsdPerSec: p.activeUsdPerSec,
    priceSource: pp.source,
    secondsPerRequest: round(seconds, 3),
    coldStartSec: round(coldStartSec, 1),
    flexSecondsPerDay: Math.round(day.flexSeconds),
    coldStartsPerDay: round(day.coldStarts, 2),
    activeUsdPerMonth: round(activeMonth, 2),
    flexUsdPerMonth: round(flexMonth, 2),
    usdPerMonth: round(flexMonth + activeMonth, 2),
    endpoint: {
      gpuPoolIds: [p.id],
      gpuCount: n,
      workersMin: load.minWorkers,
      workersMax: Math.max(load.minWorkers + 1, peak + 1, 3),
      idleTimeoutSec: load.idleTimeoutSec,
    },
  };
}

/** Plain text of a serverless answer (CLI and the Slack fallback). */
export function serverlessText(s: ServerlessAnswer): string {
  const out = [s.headline];
  if (s.status !== 'ok') {
    if (s.assumptions.length) out.push('', 'Assumptions:', ...s.assumptions.map((x) => `  • ${x}`));
    return out.join('\n');
  }
  out.push('', 'Pools (ranked by monthly cost):');
  for (const o of s.options.slice(0, 4)) {
    out.push(
      `  ${o.rank}. ${o.label} × ${o.gpusPerWorker} per worker — ${usd(o.usdPerMonth)}/month · flex ${usd4(o.flexUsdPerSec)}/s · active ${usd4(o.activeUsdPerSec)}/s per GPU (${o.priceSource})`,
    );
  }
  out.push(
    '',
    'Arithmetic:',
    ...s.lines.map((l) => `  ${l}`),
    '',
    'Assumptions:',
    ...s.assumptions.map((x) => `  • ${x}`),
    '',
    s.priceSource,
  );
  return out.join('\n');
}
