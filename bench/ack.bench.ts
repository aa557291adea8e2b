// ack: signed slash commands over loopback, two comparisons in one run. One JSON line on stdout;
// progress on stderr.
//
// 1. The ack itself (kept from before): podbay in HTTP mode against a bare Bolt app that only acks,
//    concurrency 1 / 10 / 50, medians of the trials: req/s, p50, p99 (exact, from every response's
//    time), RSS. Commands: `/pod list` (acked first, answered through response_url) and `/gpu 70b awq`
//    (answered in the ack). autocannon drives it, each connection sending again as soon as its ack
//    arrives. podbay runs twice per trial, without a policy and with examples/policy.yml, so the
//    policy's cost on the ack is measured in the same run. Slack's side counts every Web API call;
//    during load podbay may make none but the response_url posts (no call before an ack).
//    podbay runs as `podbay start` does (serve.ts): HTTP mode acks on its own thread and the app
//    answers from a queue on another, so the run also checks that every acked command got its
//    answer at response_url, and says how long after the load the last one came.
// 2. End to end (bench/ack-e2e.ts): `/pod list` through podbay against a minimal acked-first Bolt app
//    that acks, sends the same GraphQL ListPods document to the twin and posts a fixed message with
//    respond(). c virtual users each send a command and wait for its answer at their own response_url
//    before sending the next; the sink (this process) timestamps arrivals. Throughput = answers/s;
//    latency = request → answer posted. podbay runs on SQLite, and on Postgres when
//    PODBAY_BENCH_DATABASE_URL is set and podbay takes DATABASE_URL (a fresh database per run).
//
// RunPod is the twin in its own process (RunPod is remote), shared by every run; podbay talks to it
// over GraphQL alone (RUNPOD_API=graphql) so its /pod list makes the same one read as the minimal
// app. The twin's request counter gives the RunPod reads per answer of each app: podbay shares
// identical reads for 1 s (its default, kept), so a second podbay run with sharing off (readCacheMs 0,
// concurrency 10 only) is reported beside the ratios, not in them. CPU per point (app, twin, this
// process) is reported too: all of it shares two cores.
//
// Knobs: ACK_BENCH_TRIALS (3), ACK_BENCH_WARMUP_SECONDS / ACK_BENCH_SECONDS (1 / 1, whole seconds:
// autocannon stops on its 1 s tick), ACK_BENCH_E2E_WARMUP_SECONDS / ACK_BENCH_E2E_SECONDS (0.5 / 1.5).
//
// Child roles (same file): `serve-bare`, `serve-podbay`, `serve-minimal`, `serve-slack`, `serve-twin`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  driveEndToEnd,
  type E2eFigures,
  MINIMAL_ANSWER,
  percentile,
  type Sink,
  serveMinimal,
  signedCommand,
  startSink,
} from './ack-e2e.ts';
import { type BenchDatabase, freshDatabase, postgresUnavailable } from './ack-postgres.ts';

const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-bench-0000-token';
const COMMANDS = [
  { key: 'podList', command: '/pod', text: 'list' },
  { key: 'gpu70bAwq', command: '/gpu', text: '70b awq' },
] as const;
const CONCURRENCY = [1, 10, 50];
const TRIALS = Number(process.env.ACK_BENCH_TRIALS ?? 3);
// autocannon runs whole seconds (it stops on its 1 s tick); the end-to-end driver takes fractions.
const WARMUP_SEC = Math.max(1, Math.round(Number(process.env.ACK_BENCH_WARMUP_SECONDS ?? 1)));
const DURATION_SEC = Math.max(1, Math.round(Number(process.env.ACK_BENCH_SECONDS ?? 1)));
const E2E_WARMUP_SEC = Number(process.env.ACK_BENCH_E2E_WARMUP_SECONDS ?? 0.5);
const E2E_SEC = Number(process.env.ACK_BENCH_E2E_SECONDS ?? 1.5);
const here = fileURLToPath(import.meta.url);
const log = (s: string) => process.stderr.write(`${s}\n`);

// ---- children --------------------------------------------------------------------------------------

async function serveSlack(): Promise<void> {
  // Slack's side, as cheap as possible: auth.test for podbay's start-up, ok for everything else.
  let responses = 0;
  const api: Record<string, number> = {};
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '';
      let body = '{"ok":true}';
      if (url.startsWith('/api/')) {
        const method = url.slice(5).split('?')[0] ?? '';
        api[method] = (api[method] ?? 0) + 1;
      }
      if (url.startsWith('/api/auth.test'))
        body = '{"ok":true,"user_id":"U0BENCH","bot_id":"B0BENCH","team_id":"T0BENCH"}';
      else if (url.startsWith('/api/usergroups.users.list')) body = '{"ok":true,"users":["U0LEAD"]}';
      else if (url.startsWith('/response/')) responses++;
      else if (url.startsWith('/stats')) body = JSON.stringify({ responses, api });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () =>
    process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`),
  );
}

async function serveTwin(): Promise<void> {
  // RunPod, remote: the twin with its demo pods, in a process of its own.
  const { startTwin } = await import('../src/sandbox/twin/server.ts');
  const twin = await startTwin({ port: 0, seed: true });
  process.stdout.write(`listening ${twin.port}\n`);
  process.on('SIGTERM', async () => {
    await twin.close();
    process.exit(0);
  });
}

async function serveBare(): Promise<void> {
  const { App, HTTPReceiver, LogLevel } = await import('@slack/bolt');
  const receiver = new HTTPReceiver({ signingSecret: SECRET });
  const app = new App({
    receiver,
    token: TOKEN,
    botId: 'B0BENCH',
    botUserId: 'U0BENCH',
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
  });
  app.command('/pod', async ({ ack }) => {
    await ack();
  });
  app.command('/gpu', async ({ ack }) => {
    await ack({ response_type: 'ephemeral', text: 'pong' });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as import('node:http').Server;
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', async () => {
    await app.stop();
    process.exit(0);
  });
}

async function servePodbay(slackUrl: string, twinUrl: string, policy: string | undefined): Promise<void> {
  const { serve } = await import('../src/serve.ts');
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const readCacheMs = process.env.BENCH_READ_CACHE_MS;
  const running = await serve({
    ...(readCacheMs !== undefined ? { readCacheMs: Number(readCacheMs) } : {}),
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slackUrl}/api/`,
      RUNPOD_GRAPHQL_URL: `${twinUrl}/graphql`,
      RUNPOD_API: 'graphql',
      PODBAY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'podbay-bench-')), 'podbay.db'),
      LOG_LEVEL: 'warn',
      ...(policy ? { PODBAY_POLICY: policy } : {}),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    host: '127.0.0.1',
    port: 0,
  });
  process.stdout.write(`listening ${running.port}\n`);
}

// ---- parent ----------------------------------------------------------------------------------------

function spawnChild(
  role: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here, role, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = /listening (\d+)/.exec(buf);
      if (m) {
        child.stdout?.off('data', onData);
        resolve({ child, port: Number(m[1]) });
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${role} exited early (${code})`)));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

function rssMb(pid: number | undefined): { rss: number; hwm: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rss: Math.round(kb('VmRSS') / 102.4) / 10, hwm: Math.round(kb('VmHWM') / 102.4) / 10 };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  rssMb: number;
  errors: number;
}

interface AutocannonResult {
  /** Seconds the run really took. */
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
type AutocannonInstance = Promise<AutocannonResult> & {
  on(
    event: 'response',
    fn: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void,
  ): void;
};
type Autocannon = (opts: Record<string, unknown>) => AutocannonInstance;
// autocannon ships no type declarations; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** One autocannon run; latencies are every 2xx response's own time (autocannon's histogram keeps whole ms). */
async function load(
  url: string,
  req: ReturnType<typeof signedCommand>,
  connections: number,
  seconds: number,
) {
  const times: number[] = [];
  const { 'content-length': _, ...headers } = req.headers;
  const run = autocannon({ url, method: 'POST', body: req.body, headers, connections, duration: seconds });
  run.on('response', (_c, status, _b, ms) => {
    if (status >= 200 && status < 300) times.push(ms);
  });
  const r = await run;
  times.sort((a, b) => a - b);
  return {
    n: times.length,
    rps: Math.round(times.length / Math.max(r.duration, seconds)),
    p50: r3(percentile(times, 50)),
    p99: r3(percentile(times, 99)),
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

const EXAMPLE_POLICY = join(here, '..', '..', 'examples', 'policy.yml');

async function getJson<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T;
}

async function slackStats(slackUrl: string): Promise<{ responses: number; api: Record<string, number> }> {
  return getJson(`${slackUrl}/stats`);
}

async function twinRequests(twinUrl: string): Promise<number> {
  return (await getJson<{ requests: number }>(`${twinUrl}/control/stats`)).requests;
}

/** A pod podbay's /pod list must show (a live one from the twin's demo data). */
async function podNameToExpect(twinUrl: string): Promise<string> {
  const res = await fetch(`${twinUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ myself { pods { name desiredStatus } } }' }),
  });
  const json = (await res.json()) as {
    data: { myself: { pods: { name: string; desiredStatus: string }[] } };
  };
  const pods = json.data.myself.pods.filter((p) => p.desiredStatus !== 'TERMINATED');
  const name = pods[0]?.name;
  if (!name) throw new Error('the twin has no live pod to list');
  return name;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};

// ---- 1. the ack ------------------------------------------------------------------------------------

async function ackComparison(slackUrl: string, twinUrl: string) {
  // trials[server][command][concurrency] = Figures[]
  const trials: Record<string, Record<string, Record<number, Figures[]>>> = {};
  // Web API calls podbay made while under load (after start-up), by method; response_url posts apart.
  const callsDuringLoad: Record<string, number> = {};
  // podbay acks ahead and answers from a queue: every acked command must still get its answer.
  const answered: Record<string, Array<{ acked: number; answered: number; drainSeconds: number }>> = {};
  for (let t = 0; t < TRIALS; t++) {
    for (const server of ['bare', 'podbay', 'podbayPolicy'] as const) {
      const s =
        server === 'bare'
          ? await spawnChild('serve-bare')
          : await spawnChild('serve-podbay', [
              slackUrl,
              twinUrl,
              ...(server === 'podbayPolicy' ? [EXAMPLE_POLICY] : []),
            ]);
      const url = `http://127.0.0.1:${s.port}/slack/events`;
      const before = await slackStats(slackUrl);
      let acked = 0;
      try {
        for (const c of COMMANDS) {
          const req = signedCommand(SECRET, c.command, c.text, `${slackUrl}/response/1`);
          acked += (await load(url, req, 10, WARMUP_SEC)).n;
          for (const conc of CONCURRENCY) {
            const f = await load(url, req, conc, DURATION_SEC);
            acked += f.n;
            const mem = rssMb(s.child.pid);
            const byServer = trials[server] ?? {};
            trials[server] = byServer;
            const byCmd = byServer[c.key] ?? {};
            byServer[c.key] = byCmd;
            const slot = byCmd[conc] ?? [];
            byCmd[conc] = slot;
            slot.push({ ...f, rssMb: mem.rss });
            log(
              `ack trial ${t + 1} ${server.padEnd(12)} ${c.command} ${c.text.padEnd(7)} c=${String(conc).padEnd(2)} ${f.rps} req/s p50 ${f.p50} ms p99 ${f.p99} ms rss ${mem.rss} MB${f.errors ? ` errors ${f.errors}` : ''}`,
            );
          }
        }
        if (server !== 'bare') {
          // Each /pod list and /gpu ack is followed by at least one answer at response_url.
          const t0 = performance.now();
          let got = 0;
          while (performance.now() - t0 < 120_000) {
            got = (await slackStats(slackUrl)).responses - before.responses;
            if (got >= acked) break;
            await new Promise((r) => setTimeout(r, 50));
          }
          const drainSeconds = Math.round((performance.now() - t0) / 100) / 10;
          const runs = answered[server] ?? [];
          answered[server] = runs;
          runs.push({ acked, answered: got, drainSeconds });
          log(
            `ack trial ${t + 1} ${server.padEnd(12)} acked ${acked}, answered ${got}, last answer ${drainSeconds} s after the load`,
          );
        }
      } finally {
        const after = await slackStats(slackUrl);
        if (server !== 'bare')
          for (const [m, n] of Object.entries(after.api)) {
            const d = n - (before.api[m] ?? 0);
            if (d > 0) callsDuringLoad[m] = (callsDuringLoad[m] ?? 0) + d;
          }
        await stopChild(s.child);
      }
    }
  }

  const raw: Record<string, Record<string, Record<string, Figures>>> = {};
  for (const [server, byCmd] of Object.entries(trials)) {
    const out: Record<string, Record<string, Figures>> = {};
    for (const [cmd, byConc] of Object.entries(byCmd)) {
      const o: Record<string, Figures> = {};
      for (const [conc, list] of Object.entries(byConc))
        o[`c${conc}`] = {
          rps: Math.round(median(list.map((x) => x.rps))),
          p50: r3(median(list.map((x) => x.p50))),
          p99: r3(median(list.map((x) => x.p99))),
          rssMb: median(list.map((x) => x.rssMb)),
          errors: list.reduce((n, x) => n + x.errors, 0),
        };
      out[cmd] = o;
    }
    raw[server] = out;
  }
  const at = (server: string, cmd: string, conc: number) => raw[server]?.[cmd]?.[`c${conc}`] as Figures;
  const ratios = COMMANDS.map((c) => {
    const b = at('bare', c.key, 10);
    const p = at('podbay', c.key, 10);
    return {
      cmd: c.key,
      p99Ratio: r3(p.p99 / Math.max(b.p99, 0.001)),
      throughputRatio: r3(p.rps / Math.max(b.rps, 1)),
    };
  });
  // The policy's cost: podbay with the example policy ÷ podbay without, same run, every point.
  const policyRatios = COMMANDS.flatMap((c) =>
    CONCURRENCY.map((conc) => {
      const off = at('podbay', c.key, conc);
      const on = at('podbayPolicy', c.key, conc);
      return {
        cmd: c.key,
        concurrency: conc,
        p99Ratio: r3(on.p99 / Math.max(off.p99, 0.001)),
        p99WithoutMs: off.p99,
        p99WithMs: on.p99,
      };
    }),
  );
  return { raw, ratios, policyRatios, callsDuringLoad, answered };
}

// ---- 2. end to end ---------------------------------------------------------------------------------

interface E2ePoint extends E2eFigures {
  rssMb: number;
  /** Requests the twin (RunPod) got per answer posted. */
  runpodReadsPerAnswer: number;
  /** CPU used during the point, % of one core: the app, the twin, this process (driver + sink). */
  cpu: { app: number; twin: number; driver: number };
}

/**
 * minimal: the acked-first baseline; podbaySqlite / podbayPostgres: podbay as it runs (reads shared
 * for 1 s, its default); podbaySqliteUnshared: podbay with read sharing off (readCacheMs 0), at
 * concurrency 10 only, to show how much of podbay's figure the sharing makes (not in the ratios).
 */
type E2eServer = 'minimal' | 'podbaySqlite' | 'podbayPostgres' | 'podbaySqliteUnshared';

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // fields 14 and 15, in USER_HZ (100 on Linux)
  } catch {
    return 0;
  }
}

async function endToEnd(
  slackUrl: string,
  twin: { url: string; pid: number | undefined },
  sink: Sink,
  postgresUrl: string | null,
): Promise<{ trials: Record<string, Record<number, E2ePoint[]>>; postgresProblem: string | null }> {
  const twinUrl = twin.url;
  const podName = await podNameToExpect(twinUrl);
  const trials: Record<string, Record<number, E2ePoint[]>> = {};
  let postgresProblem: string | null = null;
  const servers: E2eServer[] = [
    'minimal',
    'podbaySqlite',
    ...(postgresUrl ? (['podbayPostgres'] as const) : []),
    'podbaySqliteUnshared',
  ];
  const run = async (server: E2eServer, t: number) => {
    let db: BenchDatabase | undefined;
    if (server === 'podbayPostgres') db = await freshDatabase(postgresUrl as string);
    const env: Record<string, string> = {
      ...(db ? { BENCH_DATABASE_URL: db.url } : {}),
      ...(server === 'podbaySqliteUnshared' ? { BENCH_READ_CACHE_MS: '0' } : {}),
    };
    let s: Awaited<ReturnType<typeof spawnChild>> | undefined;
    try {
      s =
        server === 'minimal'
          ? await spawnChild('serve-minimal', [twinUrl])
          : await spawnChild('serve-podbay', [slackUrl, twinUrl], env);
      const pid = s.child.pid;
      if (db && (await db.tables()) === 0) {
        postgresProblem = 'podbay started with DATABASE_URL but created no tables in it (still on SQLite?)';
        return;
      }
      const url = `http://127.0.0.1:${s.port}/slack/events`;
      for (const conc of server === 'podbaySqliteUnshared' ? [10] : CONCURRENCY) {
        const reads0 = await twinRequests(twinUrl);
        const cpu0 = {
          app: cpuSeconds(pid),
          twin: cpuSeconds(twin.pid),
          driver: process.cpuUsage(),
        };
        const w0 = performance.now();
        const f = await driveEndToEnd({
          url,
          sink,
          secret: SECRET,
          command: '/pod',
          text: 'list',
          connections: conc,
          warmupSec: E2E_WARMUP_SEC,
          seconds: E2E_SEC,
          expect: server === 'minimal' ? MINIMAL_ANSWER : podName,
        });
        const wall = (performance.now() - w0) / 1000;
        const d = process.cpuUsage(cpu0.driver);
        const pct = (sec: number) => Math.round((sec / wall) * 100);
        const cpu = {
          app: pct(cpuSeconds(pid) - cpu0.app),
          twin: pct(cpuSeconds(twin.pid) - cpu0.twin),
          driver: pct((d.user + d.system) / 1e6),
        };
        const reads = (await twinRequests(twinUrl)) - reads0;
        const mem = rssMb(pid);
        const point: E2ePoint = {
          ...f,
          rssMb: mem.rss,
          runpodReadsPerAnswer: r3(reads / Math.max(1, f.answered)),
          cpu,
        };
        const byServer = trials[server] ?? {};
        trials[server] = byServer;
        const slot = byServer[conc] ?? [];
        byServer[conc] = slot;
        slot.push(point);
        log(
          `e2e trial ${t + 1} ${server.padEnd(20)} /pod list c=${String(conc).padEnd(2)} ${f.rps} answers/s p50 ${f.p50} ms p99 ${f.p99} ms (ack p99 ${f.ackP99} ms) reads/answer ${point.runpodReadsPerAnswer} cpu% app ${cpu.app} twin ${cpu.twin} driver ${cpu.driver} rss ${mem.rss} MB${f.errors ? ` errors ${f.errors}` : ''}`,
        );
        if (f.errors && !f.n) log(`  no answer matched; first answer seen: ${f.sample}`);
      }
    } finally {
      if (s) await stopChild(s.child);
      await db?.drop();
    }
  };
  for (let t = 0; t < TRIALS; t++) {
    for (const server of servers) {
      if (server !== 'podbayPostgres') {
        await run(server, t);
        continue;
      }
      if (postgresProblem) continue;
      // A failure on Postgres is reported, not fatal: the SQLite figures stand.
      await run(server, t).catch((e: unknown) => {
        postgresProblem = `podbay on Postgres failed: ${(e as Error).message}`;
        delete trials.podbayPostgres;
      });
    }
  }
  return { trials, postgresProblem };
}

async function main(): Promise<void> {
  const started = Date.now();
  const slack = await spawnChild('serve-slack');
  const twin = await spawnChild('serve-twin');
  const sink = await startSink();
  const slackUrl = `http://127.0.0.1:${slack.port}`;
  const twinUrl = `http://127.0.0.1:${twin.port}`;
  const pgBase = process.env.PODBAY_BENCH_DATABASE_URL?.trim() || undefined;
  const pgWhyNot = await postgresUnavailable(pgBase);
  if (pgWhyNot) log(`postgres: not run: ${pgWhyNot}`);
  let ack: Awaited<ReturnType<typeof ackComparison>>;
  let e2e: Awaited<ReturnType<typeof endToEnd>>;
  try {
    ack = await ackComparison(slackUrl, twinUrl);
    e2e = await endToEnd(
      slackUrl,
      { url: twinUrl, pid: twin.child.pid },
      sink,
      pgWhyNot ? null : (pgBase as string),
    );
  } finally {
    await sink.close();
    await stopChild(twin.child);
    await stopChild(slack.child);
  }

  // End-to-end figures: medians over trials per point; ratios podbay ÷ minimal at each concurrency.
  type E2eRaw = Omit<E2ePoint, 'sample' | 'answered'>;
  const e2eRaw: Record<string, Record<string, E2eRaw>> = {};
  for (const [server, byConc] of Object.entries(e2e.trials)) {
    const o: Record<string, E2eRaw> = {};
    for (const [conc, list] of Object.entries(byConc)) {
      const m = (k: keyof E2eFigures | 'rssMb' | 'runpodReadsPerAnswer') =>
        r3(median(list.map((x) => Number(x[k]))));
      o[`c${conc}`] = {
        rps: Math.round(m('rps')),
        p50: m('p50'),
        p99: m('p99'),
        ackP50: m('ackP50'),
        ackP99: m('ackP99'),
        n: list.reduce((n, x) => n + x.n, 0),
        errors: list.reduce((n, x) => n + x.errors, 0),
        rssMb: m('rssMb'),
        runpodReadsPerAnswer: m('runpodReadsPerAnswer'),
        cpu: {
          app: median(list.map((x) => x.cpu.app)),
          twin: median(list.map((x) => x.cpu.twin)),
          driver: median(list.map((x) => x.cpu.driver)),
        },
      };
    }
    e2eRaw[server] = o;
  }
  // ackP99Ratio: the ack's own p99 under this load (the ack as the fair comparison sees it).
  type E2eRatio = { throughputRatio: number; p99Ratio: number; p50Ratio: number; ackP99Ratio: number };
  const e2eRatio = (server: string, conc: number): E2eRatio => {
    const p = e2eRaw[server]?.[`c${conc}`];
    const b = e2eRaw.minimal?.[`c${conc}`];
    return {
      throughputRatio: r3((p?.rps ?? 0) / Math.max(b?.rps ?? 0, 1)),
      p99Ratio: r3((p?.p99 ?? 0) / Math.max(b?.p99 ?? 0, 0.001)),
      p50Ratio: r3((p?.p50 ?? 0) / Math.max(b?.p50 ?? 0, 0.001)),
      ackP99Ratio: r3((p?.ackP99 ?? 0) / Math.max(b?.ackP99 ?? 0, 0.001)),
    };
  };
  const stores = (['podbaySqlite', 'podbayPostgres'] as const).filter((s) => e2eRaw[s]);
  const e2eRatios = Object.fromEntries(
    stores.map((store) => [
      store === 'podbaySqlite' ? 'sqlite' : 'postgres',
      Object.fromEntries(CONCURRENCY.map((conc) => [`c${conc}`, e2eRatio(store, conc)])),
    ]),
  ) as Record<string, Record<string, E2eRatio>>;
  const atC10 = Object.values(e2eRatios).map((r) => r.c10 as { throughputRatio: number; p99Ratio: number });
  const e2eThroughputRatio = Math.min(...atC10.map((r) => r.throughputRatio));
  const e2eP99Ratio = Math.max(...atC10.map((r) => r.p99Ratio));
  const p99Ratio = Math.max(...ack.ratios.map((r) => r.p99Ratio));
  const throughputRatio = Math.min(...ack.ratios.map((r) => r.throughputRatio));
  const postgres =
    pgWhyNot !== null
      ? `not run: ${pgWhyNot}`
      : e2e.postgresProblem
        ? `not run: ${e2e.postgresProblem}`
        : {
            ran: true,
            database: 'a fresh database (or schema) per podbay run, dropped after it',
            atC10: e2eRatios.postgres?.c10,
          };

  const result = {
    bench: 'ack',
    p99Ratio,
    throughputRatio,
    e2eThroughputRatio,
    e2eP99Ratio,
    target: {
      p99Ratio: '<= 1.10',
      throughputRatio: '>= 0.9',
      e2eThroughputRatio: '>= 0.8',
      policyP99Ratio: 'within noise (~1.0)',
      webApiCallsDuringLoad: 'none',
    },
    met: {
      p99Ratio: p99Ratio <= 1.1,
      throughputRatio: throughputRatio >= 0.9,
      e2eThroughputRatio: e2eThroughputRatio >= 0.8,
    },
    postgres,
    perCommandAtC10: ack.ratios,
    policy: {
      file: 'examples/policy.yml',
      p99RatioMedian: r3(median(ack.policyRatios.map((r) => r.p99Ratio))),
      p99RatioMax: r3(Math.max(...ack.policyRatios.map((r) => r.p99Ratio))),
      points: ack.policyRatios,
      // Start-up (auth.test, the user-group probe) is over before the load begins; target: none.
      webApiCallsDuringLoad: ack.callsDuringLoad,
    },
    // HTTP mode acks on its own thread and answers from a queue: per podbay run, commands acked,
    // answers that reached response_url, and how long after the load the last one came.
    everyAckAnswered: {
      met: Object.values(ack.answered).every((runs) => runs.every((r) => r.answered >= r.acked)),
      runs: ack.answered,
    },
    e2e: {
      command: '/pod list',
      baseline:
        'minimal Bolt app: ack, the same GraphQL ListPods to the twin (own process), respond() with a fixed message',
      ratios: e2eRatios,
      // podbay shares identical RunPod reads for 1 s (its default): the same run with sharing off, at
      // c10, shows how much of podbay's figure that makes. Not part of the ratios above.
      readSharingOffAtC10: e2eRaw.podbaySqliteUnshared ? e2eRatio('podbaySqliteUnshared', 10) : null,
      raw: e2eRaw,
    },
    method:
      `ack: autocannon, ${WARMUP_SEC}s warm-up + ${DURATION_SEC}s per point; ` +
      `e2e: closed loop on the answer (each of c users waits for its response_url post), ${E2E_WARMUP_SEC}s warm-up + ${E2E_SEC}s per point; ` +
      `medians of ${TRIALS} trials, fresh server process per trial, loopback, twin in its own process, podbay RUNPOD_API=graphql`,
    raw: ack.raw,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const role = process.argv[2];
if (role === 'serve-slack') await serveSlack();
else if (role === 'serve-twin') await serveTwin();
else if (role === 'serve-bare') await serveBare();
else if (role === 'serve-minimal') await serveMinimal(SECRET, TOKEN, `${process.argv[3] ?? ''}/graphql`);
else if (role === 'serve-podbay')
  await servePodbay(process.argv[3] ?? '', process.argv[4] ?? '', process.argv[5]);
else await main();
