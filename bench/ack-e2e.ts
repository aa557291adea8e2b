// The end-to-end half of bench/ack: a closed-loop driver of signed slash commands, the response_url
// sink that timestamps each arrival, and the minimal acked-first Bolt app podbay is compared with.
//
// Each of `c` virtual users sends one signed `/pod list`, waits for the 200 ack and then for the
// answer to arrive at its own response_url (`<sink>/r/<id>`), then sends the next: `c` commands are
// in flight end to end at any time, as `c` people each waiting for their answer. End-to-end time is
// from just before the request is written to the moment the sink has read the whole posted answer
// (both clocks are this process's performance.now()); throughput is answers arriving per second.
import { createHmac } from 'node:crypto';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sink {
  url: string;
  /** Resolves with the arrival time (performance.now()) and the posted body of answer `id`. */
  expect(id: number, timeoutMs: number): Promise<{ at: number; body: string } | null>;
  /** Answers that arrived for no waiting request (late after a timeout, or a second post). */
  strays(): number;
  close(): Promise<void>;
}

/** The response_url receiver: answers 200 `ok` as Slack does and timestamps each arrival. */
export async function startSink(): Promise<Sink> {
  const waiting = new Map<number, (v: { at: number; body: string }) => void>();
  let strays = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const at = performance.now();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
      res.end('ok');
      const m = /^\/r\/(\d+)$/.exec(req.url ?? '');
      const done = m ? waiting.get(Number(m[1])) : undefined;
      if (!done) {
        strays++;
        return;
      }
      waiting.delete(Number(m?.[1]));
      done({ at, body: Buffer.concat(chunks).toString() });
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    expect(id, timeoutMs) {
      return new Promise((resolve) => {
        const t = setTimeout(() => {
          waiting.delete(id);
          resolve(null);
        }, timeoutMs);
        t.unref();
        waiting.set(id, (v) => {
          clearTimeout(t);
          resolve(v);
        });
      });
    },
    strays: () => strays,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

export function signedCommand(
  secret: string,
  command: string,
  text: string,
  responseUrl: string,
  ts = String(Math.floor(Date.now() / 1000)),
): { body: string; headers: Record<string, string> } {
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
    response_url: responseUrl,
    trigger_id: '1.2.3',
  }).toString();
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      'x-slack-request-timestamp': ts,
      'x-slack-signature': sig,
    },
  };
}

export interface E2eFigures {
  /** Answers arriving per second in the measured window. */
  rps: number;
  /** Request → answer posted (ms). */
  p50: number;
  p99: number;
  /** Request → ack (ms), in the same run. */
  ackP50: number;
  ackP99: number;
  /** Commands measured (started in the window). */
  n: number;
  /** Non-200 acks, socket errors, answers that never came (10 s), answers without `expect`. */
  errors: number;
  /** Answers received in the whole run, warm-up included. */
  answered: number;
  /** One answer's body, to show what was posted. */
  sample: string;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

const r3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Runs `connections` virtual users against `url` for `warmupSec + seconds`; figures cover the last
 * `seconds` only. `expect` must appear in every posted answer (a pod's name, or the fixed text).
 */
export async function driveEndToEnd(opts: {
  url: string;
  sink: Sink;
  secret: string;
  command: string;
  text: string;
  connections: number;
  warmupSec: number;
  seconds: number;
  expect: string;
}): Promise<E2eFigures> {
  const target = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections });
  const ts = String(Math.floor(Date.now() / 1000));
  const start = performance.now();
  const measureFrom = start + opts.warmupSec * 1000;
  const end = measureFrom + opts.seconds * 1000;
  const e2e: number[] = [];
  const acks: number[] = [];
  let arrivedInWindow = 0;
  let answered = 0;
  let errors = 0;
  let sample = '';
  let next = 0;

  const post = (req: ReturnType<typeof signedCommand>) =>
    new Promise<number>((resolve) => {
      const r = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: req.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      r.on('error', () => resolve(0));
      r.end(req.body);
    });

  const user = async () => {
    while (performance.now() < end) {
      const id = next++;
      const req = signedCommand(opts.secret, opts.command, opts.text, `${opts.sink.url}/r/${id}`, ts);
      const answer = opts.sink.expect(id, 10_000);
      const t0 = performance.now();
      const status = await post(req);
      const tAck = performance.now();
      const got = status === 200 ? await answer : null;
      const measured = t0 >= measureFrom;
      if (!got?.body.includes(opts.expect)) {
        if (measured) errors++;
        if (!got && status !== 200) await new Promise((r) => setTimeout(r, 10)); // no hot loop on errors
        continue;
      }
      answered++;
      if (got.at >= measureFrom && got.at <= end) arrivedInWindow++;
      if (measured) {
        e2e.push(got.at - t0);
        acks.push(tAck - t0);
        if (!sample) sample = got.body;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, user));
  agent.destroy();
  e2e.sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  return {
    rps: Math.round(arrivedInWindow / opts.seconds),
    p50: r3(percentile(e2e, 50)),
    p99: r3(percentile(e2e, 99)),
    ackP50: r3(percentile(acks, 50)),
    ackP99: r3(percentile(acks, 99)),
    n: e2e.length,
    errors,
    answered,
    sample: sample.slice(0, 160),
  };
}

/** The fixed answer the minimal app posts. */
export const MINIMAL_ANSWER = 'Here are your pods.';

/**
 * The minimal acked-first app (child role `serve-minimal`): Bolt over HTTP with signature checks, as
 * podbay; on `/pod` it acks, sends the same GraphQL ListPods document podbay sends (src/runpod/documents.ts)
 * to the twin with fetch, checks the answer is a pod list, and posts a fixed message with `respond()`.
 */
export async function serveMinimal(secret: string, token: string, graphqlUrl: string): Promise<void> {
  const { App, HTTPReceiver, LogLevel } = await import('@slack/bolt');
  const { DOCUMENTS } = await import('../src/runpod/documents.ts');
  const query = JSON.stringify({ query: DOCUMENTS.listPods });
  const receiver = new HTTPReceiver({ signingSecret: secret });
  const app = new App({
    receiver,
    token,
    botId: 'B0BENCH',
    botUserId: 'U0BENCH',
    tokenVerificationEnabled: false,
    logLevel: LogLevel.ERROR,
  });
  app.command('/pod', async ({ ack, respond }) => {
    await ack();
    const res = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: query,
    });
    const json = (await res.json()) as { data?: { myself?: { pods?: unknown } }; errors?: unknown };
    if (!res.ok || json.errors || !Array.isArray(json.data?.myself?.pods))
      throw new Error(`ListPods failed (${res.status})`);
    await respond({ response_type: 'ephemeral', text: MINIMAL_ANSWER });
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as import('node:http').Server;
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
  process.on('SIGTERM', async () => {
    await app.stop();
    process.exit(0);
  });
}
