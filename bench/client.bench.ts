// Listing 10,000 pods from the twin: one API call; parse time per 1,000 pods against a
// JSON.parse-only baseline on the same body, in the same run; peak RSS.
import { createRunpodApi } from '../src/runpod/index.ts';
import { DOCUMENTS } from '../src/runpod/documents.ts';
import { PodSchema, parseList, toPod } from '../src/runpod/parse.ts';
import { silentLogger } from '../src/logger.ts';
import { startTwin } from '../src/sandbox/twin/server.ts';

const PODS = 10_000;
const RUNS = 9;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const progress = (s: string) => process.stderr.write(`${s}\n`);

const twin = await startTwin({ seed: false });
twin.control.seedPods(PODS);
twin.control.advance(120); // every pod past image pull, so each carries a runtime block
const api = createRunpodApi({
  url: twin.url,
  apiKey: undefined,
  timeoutMs: 30_000,
  retryBudgetMs: 0,
  logger: silentLogger,
});

twin.control.resetStats();
const t0 = performance.now();
const listed = await api.listPods();
const endToEndMs = performance.now() - t0;
const apiCalls = twin.control.stats().requests;
if (listed.length < PODS) throw new Error(`expected ${PODS} pods, got ${listed.length}`);
progress(`listed ${listed.length} pods in ${apiCalls} call(s), ${endToEndMs.toFixed(0)} ms end to end`);

// The raw body, fetched once, so parsing is timed without the network.
const res = await fetch(twin.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: DOCUMENTS.listPods }),
});
const body = await res.text();
await twin.close();

const baseline: number[] = [];
const ours: number[] = [];
for (let i = 0; i < RUNS; i++) {
  let s = performance.now();
  JSON.parse(body);
  baseline.push(performance.now() - s);
  s = performance.now();
  const data = JSON.parse(body) as { data: { myself: { pods: unknown } } };
  const r = parseList(PodSchema, data.data.myself.pods, 'pods', toPod);
  ours.push(performance.now() - s);
  if (r.items.length !== listed.length) throw new Error('parse mismatch');
}
const parseMs = median(ours);
const baseMs = median(baseline);
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({
    bench: 'client',
    pods: listed.length,
    apiCalls,
    parseMsPer1000: +((parseMs / listed.length) * 1000).toFixed(3),
    parseMs10000: +parseMs.toFixed(2),
    jsonParseBaselineMs: +baseMs.toFixed(2),
    parseToBaselineRatio: +(parseMs / baseMs).toFixed(2),
    endToEndMs: +endToEndMs.toFixed(1),
    bodyMb: +(body.length / 1e6).toFixed(2),
    peakRssMb: +peakRssMb.toFixed(1),
    targetParseMs10000: 100,
    meetsTarget: parseMs <= 100,
    runs: RUNS,
  })}\n`,
);
