// The operator's endpoints through real HTTP: /healthz, /readyz (store, RunPod, lease) and
// /metrics in Prometheus text format, whose counters move with traffic. HTTP mode serves them on
// its port; Socket Mode and the console on PODBAY_METRICS_PORT.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startConsole } from '../console/start-console.ts';
import { type Harness, messageMatching, startPodbay } from '../slack/harness.ts';
import { parseExposition } from '../support/prometheus.ts';

let h: (Harness & { transport: unknown }) | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('health, readiness and metrics', () => {
  it('HTTP mode: /healthz, /readyz and /metrics; the counters move with traffic', async () => {
    h = await startPodbay();
    const base = `http://127.0.0.1:${h.running.port}`;
    expect((await get(`${base}/healthz`)).status).toBe(200);
    const ready = await get(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({
      ready: true,
      checks: { store: { ok: true }, runpod: { ok: true }, lease: { ok: true } },
    });
    const before = parseExposition((await get(`${base}/metrics`)).text);
    await h.sim.command('/pod list');
    await messageMatching(h.fake, /pod|Pod/);
    const res = await get(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/text\/plain/);
    const after = parseExposition(res.text);
    const key = 'podbay_slack_requests_total{kind="command",name="/pod",outcome="ok"}';
    expect(after.get(key)).toBe((before.get(key) ?? 0) + 1);
    expect(after.get('podbay_ack_seconds_count{kind="command"}')).toBeGreaterThanOrEqual(1);
    // The readiness probe and the command read the pod list (shared within a second, so ≥ 1).
    expect(after.get('podbay_runpod_calls_total{op="listPods",status="ok"}') ?? 0).toBeGreaterThanOrEqual(1);
    expect(after.get('podbay_runpod_call_seconds_count{op="listPods"}') ?? 0).toBeGreaterThanOrEqual(1);
    expect(after.has('podbay_scheduler_leader')).toBe(true);
    expect(after.get('podbay_process_resident_memory_bytes') ?? 0).toBeGreaterThan(0);
  });

  it('without an HTTP receiver (console, Socket Mode): the same endpoints on PODBAY_METRICS_PORT', async () => {
    const port = await freePort();
    const run = await startConsole({ env: { PODBAY_METRICS_PORT: String(port) } });
    try {
      const base = `http://127.0.0.1:${port}`;
      expect((await get(`${base}/healthz`)).status).toBe(200);
      const ready = await get(`${base}/readyz`);
      expect(ready.status, ready.text).toBe(200);
      const m = await get(`${base}/metrics`);
      expect(parseExposition(m.text).has('podbay_scheduler_leader')).toBe(true);
      expect((await get(`${base}/nope`)).status).toBe(404);
    } finally {
      await run.close();
    }
  });
});
