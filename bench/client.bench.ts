// Listing 10,000 pods from the twin over GraphQL and over REST v2, in the same run: API calls
// (v2's pod list has no pages), parse time per 1,000 pods against a JSON.parse-only baseline on
// the same body, the RSS peak while each list is fetched and parsed, and the process's peak RSS.
import { silentLogger } from '../src/logger.ts';
import { DOCUMENTS } from '../src/runpod/documents.ts';
import { type ApiMode, createRunpodApi } from '../src/runpod/index.ts';
import { PodSchema, parseList, toPod } from '../src/runpod/parse.ts';
import {
  envelope,
  PodSchema as V2PodSchema,
  PodsEnvelope,
  toPod as v2ToPod,
} from '../src/runpod/v2/parse.ts';
import { startTwin } from '../src/sandbox/twin/server.ts';

const PODS = 10_000;
const RUNS = 9;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const progress = (s: string) => process.stderr.write(`${s}\n`);
const mb = (bytes: number) => +(bytes / 1024 / 1024).toFixed(1);

const twin = await startTwin({ seed: false });
twin.control.seedPods(PODS);
twin.control.advance(120); // every pod past image pull, so each carries a runtime block

/** Highest RSS seen while `fn` runs (sampled), so each path gets its own figure in one process. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  try {
    const value = await fn();
    return { value, peakMb: mb(Math.max(peak, process.memoryUsage.rss())) };
  } finally {
    clearInterval(timer);
  }
}

interface PathFigures {
  pods: number;
  apiCalls: number;
  parseMsPer1000: number;
  parseMs10000: number;
  jsonParseBaselineMs: number;
  parseToBaselineRatio: number;
  endToEndMs: number;
  bodyMb: number;
  rssPeakDuringListMb: number;
}

async function measure(
  mode: Exclude<ApiMode, 'auto'>,
  rawBody: () => Promise<string>,
  parse: (body: string) => number,
): Promise<PathFigures> {
  const api = createRunpodApi({
    url: twin.url,
    restUrl: twin.restUrl,
    api: mode,
    apiKey: undefined,
    timeoutMs: 30_000,
    retryBudgetMs: 0,
    logger: silentLogger,
  });
  globalThis.gc?.();
  twin.control.resetStats();
  const t0 = performance.now();
  const { value: listed, peakMb } = await peakRss(() => api.listPods());
  const endToEndMs = performance.now() - t0;
  const apiCalls = twin.control.stats().requests;
  if (listed.length < PODS) throw new Error(`${mode}: expected ${PODS} pods, got ${listed.length}`);
  progress(
    `${mode}: listed ${listed.length} pods in ${apiCalls} call(s), ${endToEndMs.toFixed(0)} ms end to end`,
  );
  // The raw body, fetched once, so parsing is timed without the network.
  const body = await rawBody();
  const baseline: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let s = performance.now();
    JSON.parse(body);
    baseline.push(performance.now() - s);
    s = performance.now();
    const n = parse(body);
    ours.push(performance.now() - s);
    if (n !== listed.length) throw new Error(`${mode}: parse mismatch`);
  }
  const parseMs = median(ours);
  const baseMs = median(baseline);
  return {
    pods: listed.length,
    apiCalls,
    parseMsPer1000: +((parseMs / listed.length) * 1000).toFixed(3),
    parseMs10000: +parseMs.toFixed(2),
    jsonParseBaselineMs: +baseMs.toFixed(2),
    parseToBaselineRatio: +(parseMs / baseMs).toFixed(2),
    endToEndMs: +endToEndMs.toFixed(1),
    bodyMb: +(body.length / 1e6).toFixed(2),
    rssPeakDuringListMb: peakMb,
  };
}

const graphql = await measure(
  'graphql',
  async () =>
    (
      await fetch(twin.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: DOCUMENTS.listPods }),
      })
    ).text(),
  (body) => {
    const data = JSON.parse(body) as { data: { myself: { pods: unknown } } };
    return parseList(PodSchema, data.data.myself.pods, 'pods', toPod).items.length;
  },
);
const v2 = await measure(
  'v2',
  async () => (await fetch(`${twin.restUrl}/v2/pods`)).text(),
  (body) =>
    parseList(V2PodSchema, envelope(PodsEnvelope, JSON.parse(body), 'pods').pods, 'pods', v2ToPod).items
      .length,
);
await twin.close();

const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({
    bench: 'client',
    // GraphQL first, as before; v2 beside it, measured in the same run against the same twin.
    ...graphql,
    v2,
    v2ToGraphqlParseRatio: +(v2.parseMs10000 / graphql.parseMs10000).toFixed(2),
    peakRssMb: +peakRssMb.toFixed(1),
    targetParseMs10000: 100,
    meetsTarget: graphql.parseMs10000 <= 100 && v2.parseMs10000 <= 100,
    runs: RUNS,
  })}\n`,
);
