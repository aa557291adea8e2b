// ack: signed slash commands over loopback against (a) a bare Bolt app and (b) podbay in HTTP mode,
// same run, concurrency 1 / 10 / 50, medians of 3 trials: req/s, p50, p99, RSS. Commands: `/pod list`
// (acked first, answered through response_url) and `/gpu 70b awq` (answered in the ack).
// Servers run in child processes (fresh per trial); a third child is Slack's side (Web API stub and
// response_url sink). autocannon is the load generator. One JSON line on stdout; progress on stderr.
//
// podbay runs twice per trial: without a policy and with the example policy (examples/policy.yml),
// so the policy's cost on the ack is measured in the same run. Slack's side counts every Web API
// call; during load podbay may make none but the response_url posts (no call before an ack).
//
// Child roles (same file): `serve-bare`, `serve-podbay`, `serve-slack`.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SECRET = 'bench-signing-secret-0123456789';
const TOKEN = 'xoxb-bench-0000-token';
const COMMANDS = [
  { key: 'podList', command: '/pod', text: 'list' },
  { key: 'gpu70bAwq', command: '/gpu', text: '70b awq' },
] as const;
const CONCURRENCY = [1, 10, 50];
const TRIALS = Number(process.env.ACK_BENCH_TRIALS ?? 3);
const WARMUP_SEC = 1;
const DURATION_SEC = Number(process.env.ACK_BENCH_SECONDS ?? 3);
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

async function servePodbay(slackUrl: string, policy: string | undefined): Promise<void> {
  const { start } = await import('../src/main.ts');
  const running = await start({
    env: {
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: `${slackUrl}/api/`,
      PODBAY_DB_PATH: join(mkdtempSync(join(tmpdir(), 'podbay-bench-')), 'podbay.db'),
      LOG_LEVEL: 'warn',
      ...(policy ? { PODBAY_POLICY: policy } : {}),
    },
    host: '127.0.0.1',
    port: 0,
  });
  process.stdout.write(`listening ${running.port}\n`);
}

// ---- parent ----------------------------------------------------------------------------------------

function spawnChild(role: string, ...args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', here, role, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
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

function signedRequest(command: string, text: string, slackUrl: string) {
  const ts = String(Math.floor(Date.now() / 1000));
  const body = new URLSearchParams({
    token: 'x',
    team_id: 'T0BENCH',
    team_domain: 'bench',
    channel_id: 'C0BENCH',
    channel_name: 'gpu',
    user_id: 'U0USER',
    user_name: 'user',
    command,
    text,
    api_app_id: 'A0BENCH',
    is_enterprise_install: 'false',
    response_url: `${slackUrl}/response/1`,
    trigger_id: '1.2.3',
  }).toString();
  const sig = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': sig,
    },
  };
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  rssMb: number;
  errors: number;
}

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// autocannon ships no type declarations; this is the part of its API used here.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function load(
  url: string,
  req: ReturnType<typeof signedRequest>,
  connections: number,
  seconds: number,
) {
  const r = await autocannon({
    url,
    method: 'POST',
    body: req.body,
    headers: req.headers,
    connections,
    duration: seconds,
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.timeouts + r.non2xx,
  };
}

const EXAMPLE_POLICY = join(here, '..', '..', 'examples', 'policy.yml');

async function slackStats(slackUrl: string): Promise<{ responses: number; api: Record<string, number> }> {
  return (await (await fetch(`${slackUrl}/stats`)).json()) as {
    responses: number;
    api: Record<string, number>;
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const started = Date.now();
  const slack = await spawnChild('serve-slack');
  const slackUrl = `http://127.0.0.1:${slack.port}`;
  // trials[server][command][concurrency] = Figures[]
  const trials: Record<string, Record<string, Record<number, Figures[]>>> = {};
  // Web API calls podbay made while under load (after start-up), by method; response_url posts apart.
  const callsDuringLoad: Record<string, number> = {};
  try {
    for (let t = 0; t < TRIALS; t++) {
      for (const server of ['bare', 'podbay', 'podbayPolicy'] as const) {
        const s =
          server === 'bare'
            ? await spawnChild('serve-bare')
            : server === 'podbay'
              ? await spawnChild('serve-podbay', slackUrl)
              : await spawnChild('serve-podbay', slackUrl, EXAMPLE_POLICY);
        const url = `http://127.0.0.1:${s.port}/slack/events`;
        const before = await slackStats(slackUrl);
        try {
          for (const c of COMMANDS) {
            for (const conc of CONCURRENCY) {
              const req = signedRequest(c.command, c.text, slackUrl);
              await load(url, req, conc, WARMUP_SEC);
              const f = await load(url, req, conc, DURATION_SEC);
              const mem = rssMb(s.child.pid);
              const byServer = trials[server] ?? {};
              trials[server] = byServer;
              const byCmd = byServer[c.key] ?? {};
              byServer[c.key] = byCmd;
              const slot = byCmd[conc] ?? [];
              byCmd[conc] = slot;
              slot.push({ ...f, rssMb: mem.rss });
              log(
                `trial ${t + 1} ${server.padEnd(6)} ${c.command} ${c.text.padEnd(7)} c=${String(conc).padEnd(2)} ${Math.round(f.rps)} req/s p50 ${f.p50} ms p99 ${f.p99} ms rss ${mem.rss} MB${f.errors ? ` errors ${f.errors}` : ''}`,
              );
            }
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
  } finally {
    await stopChild(slack.child);
  }

  const raw: Record<string, unknown> = {};
  for (const [server, byCmd] of Object.entries(trials)) {
    const out: Record<string, unknown> = {};
    for (const [cmd, byConc] of Object.entries(byCmd)) {
      const o: Record<string, Figures> = {};
      for (const [conc, list] of Object.entries(byConc))
        o[`c${conc}`] = {
          rps: Math.round(median(list.map((x) => x.rps))),
          p50: median(list.map((x) => x.p50)),
          p99: median(list.map((x) => x.p99)),
          rssMb: median(list.map((x) => x.rssMb)),
          errors: list.reduce((n, x) => n + x.errors, 0),
        };
      out[cmd] = o;
    }
    raw[server] = out;
  }
  const at10 = (server: string, cmd: string) =>
    (raw[server] as Record<string, Record<string, Figures>>)[cmd]?.c10 as Figures;
  const ratios = COMMANDS.map((c) => {
    const b = at10('bare', c.key);
    const p = at10('podbay', c.key);
    return {
      cmd: c.key,
      p99Ratio: p.p99 / Math.max(b.p99, 0.001),
      throughputRatio: p.rps / Math.max(b.rps, 1),
    };
  });
  const round = (n: number) => Math.round(n * 1000) / 1000;
  // The policy's cost: podbay with the example policy ÷ podbay without, same run, every point.
  const policyRatios = COMMANDS.flatMap((c) =>
    CONCURRENCY.map((conc) => {
      const get = (server: string) =>
        (raw[server] as Record<string, Record<string, Figures>>)[c.key]?.[`c${conc}`] as Figures;
      const off = get('podbay');
      const on = get('podbayPolicy');
      return {
        cmd: c.key,
        concurrency: conc,
        p99Ratio: round(on.p99 / Math.max(off.p99, 0.001)),
        p99WithoutMs: off.p99,
        p99WithMs: on.p99,
      };
    }),
  );
  const result = {
    bench: 'ack',
    p99Ratio: round(Math.max(...ratios.map((r) => r.p99Ratio))),
    throughputRatio: round(Math.min(...ratios.map((r) => r.throughputRatio))),
    target: {
      p99Ratio: '<= 1.10',
      throughputRatio: '>= 0.9',
      policyP99Ratio: 'within noise (~1.0)',
      webApiCallsDuringLoad: 'none',
    },
    perCommandAtC10: ratios.map((r) => ({
      ...r,
      p99Ratio: round(r.p99Ratio),
      throughputRatio: round(r.throughputRatio),
    })),
    policy: {
      file: 'examples/policy.yml',
      p99RatioMedian: round(median(policyRatios.map((r) => r.p99Ratio))),
      p99RatioMax: round(Math.max(...policyRatios.map((r) => r.p99Ratio))),
      points: policyRatios,
      // Start-up (auth.test, the user-group probe) is over before the load begins; target: none.
      webApiCallsDuringLoad: callsDuringLoad,
    },
    method: `autocannon, ${WARMUP_SEC}s warm-up + ${DURATION_SEC}s per point, medians of ${TRIALS} trials, fresh server process per trial, loopback`,
    raw,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const role = process.argv[2];
if (role === 'serve-slack') await serveSlack();
else if (role === 'serve-bare') await serveBare();
else if (role === 'serve-podbay') await servePodbay(process.argv[3] ?? '', process.argv[4]);
else await main();
