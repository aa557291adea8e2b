// scan: one alert scan (AlertScan) over 10,000 twin pods with 30 minutes of utilisation samples, with
// the example alerts policy. Per trial: the RunPod calls the scan sent (by GraphQL operation name,
// checked against the twin's request count), the CPU time of the evaluation step alone
// (AlertScan.evaluate on the state the scan reads) against the CPU time of the adapter's zod parse
// of the same 10,000-pod GraphQL answer (parseList, JSON.parse apart), and the whole scan's wall time.
// Each trial times both steps REPS times, interleaved, and keeps the median; the result is the median
// over trials. The store file size (+ WAL) and the process's peak RSS are taken at the end.
//
// Samples: the 30 minutes before the first scan are written straight through the store (kvPutMany,
// the twin's own utilisation model at each past minute, as 30 scans one minute apart would have
// recorded them); then two warm-up scans (the first opens the idle alerts, the second fills the spend
// ledger), then the trials, each a real scan one simulated minute after the last, so every trial sees
// the open alerts and windows a live podbay has. The policy's `stop` calls runpod.stopPod (none is due
// within the run: auto_stop_after is 2 h; the calls are counted and reported).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/logger.ts';
import { DOCUMENTS } from '../src/runpod/documents.ts';
import { createRunpodApi } from '../src/runpod/index.ts';
import { PodSchema, parseList, toPod } from '../src/runpod/parse.ts';
import { gpuSample } from '../src/sandbox/twin/scenarios.ts';
import { startTwin } from '../src/sandbox/twin/server.ts';
import { AlertScan, SAMPLES_NS } from '../src/services/alert-scan.ts';
import type { Sample } from '../src/services/idle.ts';
import { parsePolicy } from '../src/services/policy-file.ts';
import { SqliteStore } from '../src/store/sqlite.ts';

const PODS = 10_000;
const SAMPLE_MINUTES = 30;
const TRIALS = Number(process.env.SCAN_BENCH_TRIALS ?? 5);
const POLICY = `alerts:
  channel: C0ALERTS
  idle: { gpu_util_below: 5, for: 30m, auto_stop_after: 2h }
  stopped_longer_than: 7d
  budgets: { daily: 300, monthly: 6000 }
  runway_below: 48h
`;

/** Untimed runs of each measured step before the trials; timed runs of each per trial (interleaved). */
const WARM_RUNS = 3;
const REPS = 3;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};
const progress = (s: string) => process.stderr.write(`${s}\n`);
const r2 = (n: number) => +n.toFixed(2);
/** CPU time (user + system, ms) of a synchronous call. */
function cpuMs<T>(fn: () => T): { value: T; ms: number } {
  const c0 = process.cpuUsage();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, ms: (c.user + c.system) / 1000 };
}

/** The GraphQL answer the adapter's listPods reads, as text. */
async function listPodsBody(): Promise<string> {
  const res = await fetch(twin.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: DOCUMENTS.listPods }),
  });
  return res.text();
}
/** What the adapter does with it: JSON, then the zod parse of every pod (CPU time of each). */
function parseListBody(body: string): { pods: number; jsonMs: number; parseMs: number } {
  const json = cpuMs(() => JSON.parse(body) as { data: { myself: { pods: unknown } } });
  const parsed = cpuMs(() => parseList(PodSchema, json.value.data.myself.pods, 'the pod list', toPod));
  return { pods: parsed.value.items.length, jsonMs: json.ms, parseMs: parsed.ms };
}

const loaded = parsePolicy(POLICY, 'bench-policy.yml');
if (!loaded.ok) throw new Error(`bench policy: ${JSON.stringify(loaded.problems)}`);

// A large balance, so 8,000 running pods do not drain the twin's account (and stop) mid-run.
const twin = await startTwin({ seed: false, clientBalance: 10_000_000 });
twin.control.seedPods(PODS); // busy / idle / bursty in turn, a fifth stopped, a tenth spot
const dir = mkdtempSync(join(tmpdir(), 'podbay-bench-scan-'));
const dbPath = join(dir, 'podbay.db');
const store = new SqliteStore({ path: dbPath });
const runpod = createRunpodApi({
  url: twin.url,
  api: 'graphql',
  apiKey: undefined,
  timeoutMs: 30_000,
  retryBudgetMs: 0,
  logger: silentLogger,
});
let stopCalls = 0;
const scan = new AlertScan({
  runpod,
  store,
  policy: loaded.policy,
  timeZone: 'UTC',
  logger: silentLogger,
  stop: async (podId) => {
    stopCalls++;
    await runpod.stopPod(podId);
    return 'podbay stopped the pod.';
  },
});

// 30 minutes of samples, one per simulated minute, written as the scan writes them.
const t0 = twin.state.nowMs;
twin.control.advance(SAMPLE_MINUTES * 60);
const windows: Array<{ key: string; value: Sample[] }> = [];
for (const p of twin.state.pods.values()) {
  if (p.desiredStatus !== 'RUNNING') continue;
  const samples: Sample[] = [];
  for (let m = 0; m < SAMPLE_MINUTES; m++) {
    const at = t0 + m * 60_000;
    if (at < p.readyAtMs) continue;
    let max = 0;
    for (let g = 0; g < p.gpuUuids.length; g++)
      max = Math.max(max, gpuSample(p.scenario, p.seed, g, at / 1000).gpuUtilPercent);
    samples.push([at, max]);
  }
  windows.push({ key: p.id, value: samples });
}
await store.kvPutMany(SAMPLES_NS, windows);
progress(`samples: ${windows.length} running pods × ${SAMPLE_MINUTES} minutes written`);

// Warm-up: two scans (the first opens the idle alerts, the second fills today's spend ledger), then
// each measured step untimed a few times, so the trials time optimised code, both steps alike.
const warm = await scan.scan(new Date(twin.state.nowMs));
progress(
  `warm-up scan: ${warm.pods} pods, ${warm.running} running, ${warm.idle} idle, ${warm.opened.length} opened`,
);
twin.control.advance(60);
await scan.scan(new Date(twin.state.nowMs));
{
  const body = await listPodsBody();
  const state = await scan.read(twin.state.nowMs);
  for (let k = 0; k < WARM_RUNS; k++) {
    parseListBody(body);
    scan.evaluate(state);
  }
}

/** GraphQL operations sent to the twin while `counting` (by operation name; the twin counts root fields). */
const sent: Record<string, number> = {};
let counting = false;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  if (counting && String(input instanceof Request ? input.url : input).startsWith(twin.url)) {
    const body = typeof init?.body === 'string' ? init.body : '';
    const query = body ? ((JSON.parse(body) as { query?: string }).query ?? '') : '';
    const op = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'unnamed';
    sent[op] = (sent[op] ?? 0) + 1;
  }
  return realFetch(input, init);
};

interface Trial {
  apiCalls: Record<string, number>;
  requests: number;
  twinOperations: Record<string, number>;
  evalCpuMs: number;
  parseCpuMs: number;
  jsonParseCpuMs: number;
  scanWallMs: number;
  opened: number;
  changed: number;
  idle: number;
}
const trials: Trial[] = [];
for (let i = 0; i < TRIALS; i++) {
  twin.control.advance(60);
  const now = twin.state.nowMs;
  // The adapter's parse of the GraphQL answer the scan is about to read (same simulated instant),
  // and the evaluation alone on what the scan reads at this instant (evaluate changes nothing).
  const body = await listPodsBody();
  const state = await scan.read(now);
  const evalMs: number[] = [];
  const parseMs: number[] = [];
  const jsonMs: number[] = [];
  let evaluated: ReturnType<AlertScan['evaluate']> | undefined;
  for (let r = 0; r < REPS; r++) {
    const p = parseListBody(body);
    if (p.pods !== PODS) throw new Error(`parsed ${p.pods} pods`);
    parseMs.push(p.parseMs);
    jsonMs.push(p.jsonMs);
    const e = cpuMs(() => scan.evaluate(state));
    evalMs.push(e.ms);
    evaluated = e.value;
  }
  // The scan itself, with the twin's counters from zero.
  twin.control.resetStats();
  for (const k of Object.keys(sent)) delete sent[k];
  counting = true;
  const w0 = performance.now();
  const report = await scan.scan(new Date(now));
  const scanWallMs = performance.now() - w0;
  counting = false;
  const stats = twin.control.stats();
  const total = Object.values(sent).reduce((a, b) => a + b, 0);
  if (total !== stats.requests) throw new Error(`counted ${total} calls, the twin saw ${stats.requests}`);
  if (report.opened.length !== evaluated?.report.opened.length) throw new Error('evaluate ≠ scan');
  trials.push({
    apiCalls: { ...sent },
    requests: stats.requests,
    twinOperations: stats.operations,
    evalCpuMs: median(evalMs),
    parseCpuMs: median(parseMs),
    jsonParseCpuMs: median(jsonMs),
    scanWallMs,
    opened: report.opened.length,
    changed: report.changed.length,
    idle: report.idle,
  });
  progress(
    `trial ${i + 1}: eval ${evalMs.map((x) => x.toFixed(1)).join('/')} ms CPU, parse ${parseMs.map((x) => x.toFixed(1)).join('/')} ms CPU, scan ${scanWallMs.toFixed(0)} ms wall, ${report.idle} idle, ${report.changed.length} changed, calls ${JSON.stringify(sent)}`,
  );
}

const size = (p: string) => {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
};
const storeMb = (size(dbPath) + size(`${dbPath}-wal`)) / 1024 / 1024;
await store.close();
await twin.close();
rmSync(dir, { recursive: true, force: true });

const last = trials[trials.length - 1];
const evalCpuMs = median(trials.map((t) => t.evalCpuMs));
const parseCpuMs = median(trials.map((t) => t.parseCpuMs));
process.stdout.write(
  `${JSON.stringify({
    name: 'scan',
    apiCalls: last?.apiCalls ?? {},
    evalCpuMs: r2(evalCpuMs),
    parseCpuMs: r2(parseCpuMs),
    evalToParseRatio: r2(evalCpuMs / parseCpuMs),
    storeMb: +storeMb.toFixed(1),
    peakRssMb: +(process.resourceUsage().maxRSS / 1024).toFixed(1),
    pods: PODS,
    running: warm.running,
    idle: last?.idle ?? 0,
    samples: `${SAMPLE_MINUTES} min written through the store (kvPutMany), then 2 warm-up scans`,
    stop: `runpod.stopPod (${stopCalls} calls)`,
    trials: TRIALS,
    repsPerTrial: REPS,
    requestsPerScan: trials.map((t) => t.requests),
    twinRootFields: last?.twinOperations ?? {},
    evalCpuMsTrials: trials.map((t) => r2(t.evalCpuMs)),
    parseCpuMsTrials: trials.map((t) => r2(t.parseCpuMs)),
    jsonParseCpuMs: r2(median(trials.map((t) => t.jsonParseCpuMs))),
    scanWallMs: r2(median(trials.map((t) => t.scanWallMs))),
    alertsChangedPerScan: median(trials.map((t) => t.changed)),
    targetRatio: 1,
    meetsTarget: evalCpuMs <= parseCpuMs,
  })}\n`,
);
