// `podbay start` in HTTP mode as it runs: the ack front on this thread, podbay on its app thread,
// the RunPod twin and the Slack fake on loopback. Commands are acked empty at once and answered
// through response_url (a usage line included); the endpoints and metrics come from both threads;
// stop ends both; a start-up problem is reported in the operator's words.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackSimulator } from '../../src/sandbox/console/simulator.ts';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import { type Served, serve } from '../../src/serve.ts';
import { fixturePayloads } from '../slack/fixtures.ts';
import { BOT_TOKEN, messageMatching, SIGNING_SECRET } from '../slack/harness.ts';
import { SignedHttpTransport } from '../slack/http-driver.ts';
import { parseExposition } from '../support/prometheus.ts';

let fake: SlackFake;
let twin: Twin;
let served: Served;
let sim: SlackSimulator;
let base: string;
let dir: string;

const envFor = (extra: Record<string, string> = {}) => ({
  SLACK_BOT_TOKEN: BOT_TOKEN,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_API_URL: fake.apiUrl,
  RUNPOD_GRAPHQL_URL: twin.url,
  RUNPOD_API: 'graphql',
  PODBAY_DB_PATH: join(dir, 'podbay.db'),
  LOG_LEVEL: 'warn',
  ...extra,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'podbay-serve-'));
  fake = await new SlackFake().start();
  twin = await startTwin({ seed: true, realtime: { speed: 30, tickMs: 50 } });
  served = await serve({
    env: envFor(),
    cwd: dir,
    host: '127.0.0.1',
    port: 0,
    signals: false,
    shutdownGraceMs: 3000,
  });
  base = `http://127.0.0.1:${served.port}`;
  sim = new SlackSimulator(
    fake,
    new SignedHttpTransport(`${base}/slack/events`, SIGNING_SECRET),
    {},
    fixturePayloads,
  );
}, 60_000);

afterAll(async () => {
  await served?.stop('test over');
  await twin?.close();
  await fake?.close();
});

describe('podbay start, HTTP mode (ack front + app thread)', () => {
  it('acks /pod list empty at once and answers with the pod list through response_url', async () => {
    const { ack } = await sim.command('/pod list');
    expect(ack).toEqual({ status: 200, body: null });
    const m = await messageMatching(fake, /running/);
    expect(m.via).toBe('response_url');
  });

  it('a usage mistake, which the app answers in its ack, reaches the person through response_url', async () => {
    const { ack } = await sim.command('/pod lsit');
    expect(ack).toEqual({ status: 200, body: null });
    const m = await messageMatching(fake, /lsit/);
    expect(m.via).toBe('response_url');
  });

  it('/gpu answers through response_url as well', async () => {
    const { ack } = await sim.command('/gpu 70b awq');
    expect(ack.status).toBe(200);
    const m = await messageMatching(fake, /AWQ|awq/);
    expect(m.via).toBe('response_url');
  });

  it('serves /healthz, /readyz and /metrics: the app thread and the front in one valid text', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { lease: { ok: true } } });
    const m = parseExposition(await (await fetch(`${base}/metrics`)).text());
    expect(m.get('podbay_ack_seconds_count{kind="command"}') ?? 0).toBeGreaterThanOrEqual(3);
    expect(m.get('podbay_slack_requests_total{kind="command",name="/pod",outcome="ok"}') ?? 0).toBe(2);
    expect(m.get('podbay_runpod_calls_total{op="listPods",status="ok"}') ?? 0).toBeGreaterThanOrEqual(1);
    expect(m.has('podbay_scheduler_leader')).toBe(true);
    // The queue empties once the last listener has returned (its answer may be posted just before).
    let backlog = m.get('podbay_app_thread_backlog');
    for (let i = 0; i < 50 && backlog !== 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      backlog = parseExposition(await (await fetch(`${base}/metrics`)).text()).get(
        'podbay_app_thread_backlog',
      );
    }
    expect(backlog).toBe(0);
  });

  it('a start-up problem (the policy file) is told in the operator’s words, and nothing keeps running', async () => {
    const bad = join(dir, 'bad-policy.yml');
    writeFileSync(bad, 'roles: [this is not a policy\n');
    const failed = serve({
      env: envFor({ PODBAY_POLICY: bad, PODBAY_DB_PATH: join(dir, 'other.db') }),
      cwd: dir,
      host: '127.0.0.1',
      port: 0,
      signals: false,
    });
    await expect(failed).rejects.toMatchObject({
      name: 'StartFailed',
      message: expect.stringMatching(/polic/i),
    });
  });

  it('stop ends both threads: the port is closed afterwards', async () => {
    const port = served.port;
    await served.stop('test');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    await expect(served.done).resolves.toBeUndefined();
  });
});
