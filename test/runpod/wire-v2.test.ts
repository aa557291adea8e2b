// What the REST v2 adapter puts on the wire and how it reads RunPod's edges: the key only in the
// Authorization header, no explicit nulls, a timeout on every request, RFC 9457 problems as
// typed errors, Retry-After honoured, and pacing from RateLimit before a 429 comes.
import { afterEach, describe, expect, it } from 'vitest';
import { createRunpodApi } from '../../src/runpod/index.ts';
import { Pacer, parseStructuredList } from '../../src/runpod/v2/pacing.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { json, type Reply, startLoopback } from '../support/loopback-graphql.ts';
import { WIRE_API_KEY, WIRE_ENV_SECRET } from '../support/secrets.ts';
import { tapped } from '../support/tap.ts';
import { twinClient } from '../support/twin-client.ts';

const KEY = WIRE_API_KEY;
let closeServer: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeServer?.();
  closeServer = undefined;
});

async function setup(reply: Reply, timeoutMs = 2_000) {
  const server = await startLoopback(reply);
  closeServer = server.close;
  const log = captureLogger([KEY]);
  const sleeps: number[] = [];
  const api = createRunpodApi({
    url: server.url,
    restUrl: server.url.replace('/graphql', ''),
    api: 'v2',
    apiKey: KEY,
    timeoutMs,
    retryBudgetMs: 2_000,
    logger: log.logger,
    retry: {
      baseDelayMs: 5,
      maxDelayMs: 20,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    reconcileDelayMs: 5,
  });
  return { api, server, log, sleeps };
}

const pod = {
  id: 'p1',
  name: 'x',
  status: 'RUNNING',
  image: 'img',
  env: { SECRET_ENV: WIRE_ENV_SECRET },
  gpu: { id: 'NVIDIA RTX A6000', count: 1 },
  cost: 0.49,
  runtime: { uptime: 60, gpus: [{ util: 93, memoryUtil: 70 }], ports: [] },
};
const problem = (status: number, detail: string, errors?: string[]) => ({
  title: 'x',
  status,
  detail,
  ...(errors && { errors }),
});

describe('REST v2 on the wire', () => {
  it('sends the key only as a Bearer header, to /v2 paths, and keeps env values out of pods', async () => {
    const { api, server } = await setup((_r, res) => json(res, 200, { pods: [pod] }));
    const pods = await api.listPods();
    const req = server.requests[0];
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.url).toBe('/v2/pods');
    expect(req?.url).not.toContain(KEY);
    expect(pods[0]).toMatchObject({ envKeys: ['SECRET_ENV'], gpuCount: 1, costPerHr: 0.49 });
    expect(pods[0]?.runtime?.gpus[0]?.utilPercent).toBe(93);
    expect(JSON.stringify(pods)).not.toContain(WIRE_ENV_SECRET);
  });

  it('omits unset fields instead of sending null, and sends env as an object', async () => {
    const { api, server } = await setup((_r, res) => json(res, 201, pod));
    await api.createPod({
      kind: 'on-demand',
      name: 'x',
      imageName: 'img',
      gpuTypeIds: ['NVIDIA RTX A6000'],
      gpuCount: 1,
      env: [{ key: 'SECRET_ENV', value: WIRE_ENV_SECRET }],
    });
    const body = server.requests[0]?.body ?? '';
    expect(body).not.toContain('null');
    expect(JSON.parse(body)).toEqual({
      name: 'x',
      image: 'img',
      gpu: { id: 'NVIDIA RTX A6000', count: 1 },
      env: { SECRET_ENV: WIRE_ENV_SECRET },
    });
  });

  it('maps problems to typed errors with the cleaned detail only', async () => {
    const answers: [number, unknown, string][] = [
      [401, problem(401, 'invalid bearer token'), 'AUTH_FAILED'],
      [403, problem(403, 'access denied'), 'AUTH_FAILED'],
      [404, problem(404, 'pod not found'), 'NOT_FOUND'],
      [409, problem(409, 'Pod is already stopped.'), 'CONFLICT'],
      [422, problem(422, 'Request validation failed.', ['body.gpu.id: required']), 'INVALID_REQUEST'],
      [
        400,
        problem(
          400,
          'There are no longer any instances available with the requested specifications. Please refresh and try again.',
        ),
        'NO_CAPACITY',
      ],
    ];
    let i = 0;
    const { api, log } = await setup((_r, res) => {
      const [status, body] = answers[i++] ?? [500, {}];
      res.writeHead(status, { 'content-type': 'application/problem+json' });
      res.end(JSON.stringify(body));
    });
    for (const [, , code] of answers) {
      const err = await api.createVolume({ name: 'v', sizeGb: 10, dataCenterId: 'US-KS-2' }).catch(tapped);
      expect(err.code).toBe(code);
      expect(`${err.message} ${err.hint}`).not.toContain(KEY);
    }
    expect(log.text()).not.toContain(KEY);
  });

  it('a validation problem names the first field RunPod refused', async () => {
    const { api } = await setup((_r, res) =>
      json(res, 422, problem(422, 'Request validation failed.', ['body.size: must be >= 10'])),
    );
    const err = await api.updateVolume({ id: 'v', sizeGb: 5 }).catch(tapped);
    expect(err.userMessage).toBe(
      'RunPod rejected the request: Request validation failed. (body.size: must be >= 10)',
    );
  });

  it('a read waits as long as Retry-After says, then succeeds', async () => {
    let n = 0;
    const { api, server, sleeps } = await setup((_r, res) => {
      if (n++ === 0) return json(res, 429, problem(429, 'rate limit exceeded'), { 'retry-after': '1' });
      json(res, 200, { pods: [pod] });
    });
    expect((await api.listPods()).map((p) => p.id)).toEqual(['p1']);
    expect(server.requests).toHaveLength(2);
    // The retry waited at least the 1 s the server asked for (the pacer or the backoff, both honour it).
    expect(Math.max(...sleeps)).toBeGreaterThanOrEqual(1_000);
  });

  it('every request has a timeout: a silent server becomes TIMEOUT', async () => {
    const { api } = await setup(() => {
      /* never answers */
    }, 150);
    const err = await api.listPods().catch(tapped);
    expect(err.code).toBe('TIMEOUT');
  });

  it('the timeout also bounds the body: headers then silence becomes TIMEOUT', async () => {
    const { api } = await setup((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"pods": [');
    }, 150);
    const err = await api.listPods().catch(tapped);
    expect(err.code).toBe('TIMEOUT');
  });

  it('a body that is not JSON is BAD_RESPONSE; a 502 page is RUNPOD_UNAVAILABLE', async () => {
    let n = 0;
    const { api } = await setup((_r, res) => {
      if (n++ % 2 === 0) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"pods": [');
      }
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>502 Bad Gateway</html>');
    });
    const err = await api.listPods().catch(tapped);
    expect(['BAD_RESPONSE', 'RUNPOD_UNAVAILABLE']).toContain(err.code);
    expect(err.retryable).toBe(true);
  });

  it('a stop that conflicts with a pod already stopped counts as done', async () => {
    const { api, server } = await setup((r, res) => {
      if (r.method === 'POST') return json(res, 409, problem(409, 'Pod p1 is already stopped.'));
      json(res, 200, { ...pod, status: 'EXITED', runtime: null, cost: 0 });
    });
    await api.stopPod('p1');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v2/pods/p1/action',
      'GET /v2/pods/p1',
    ]);
  });
});

describe('pacing from RateLimit headers', () => {
  it('reads the structured-field lists', () => {
    expect(parseStructuredList('"minute";r=12;t=30, "hour";r=2999;t=3000')).toEqual([
      { name: 'minute', params: { r: 12, t: 30 } },
      { name: 'hour', params: { r: 2999, t: 3000 } },
    ]);
    expect(parseStructuredList(null)).toEqual([]);
  });

  it('waits for the reset when a window is spent, and spreads the last tenth of a window', async () => {
    let now = 0;
    const slept: number[] = [];
    const pacer = new Pacer({
      maxWaitMs: 60_000,
      nowMs: () => now,
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
    });
    const headers = (r: number, t: number) =>
      new Headers({ ratelimit: `"minute";r=${r};t=${t}`, 'ratelimit-policy': '"minute";q=60;w=60' });
    pacer.observe(headers(30, 30));
    await pacer.beforeRequest();
    expect(slept).toEqual([]); // plenty left
    pacer.observe(headers(3, 30));
    await pacer.beforeRequest();
    await pacer.beforeRequest();
    // 3 left for 30 s: one request every ~10 s.
    expect(slept[0]).toBeCloseTo(10_000, -2);
    pacer.observe(headers(0, 20));
    await pacer.beforeRequest();
    expect(slept.at(-1)).toBeGreaterThanOrEqual(20_000);
  });

  it('refuses to wait longer than a person would: RATE_LIMITED with when to retry', async () => {
    const pacer = new Pacer({ nowMs: () => 0, maxWaitMs: 5_000 });
    pacer.observe(new Headers({ ratelimit: '"hour";r=0;t=1200' }));
    const err = await pacer.beforeRequest().catch((e) => e);
    expect(err.code).toBe('RATE_LIMITED');
    expect(err.retryAfterSec).toBe(1200);
  });

  it('against the twin with a tight window: no 429, the adapter paced itself', async () => {
    const t = await twinClient({ rateWindows: [{ name: 'minute', quota: 5, seconds: 1 }] }, { api: 'v2' });
    try {
      for (let i = 0; i < 12; i++) await t.api.listVolumes();
      const answered = t.twin.v2.exchanges().filter((x) => x.operationId === 'listNetworkVolumes');
      expect(answered).toHaveLength(12);
      expect(answered.every((x) => x.status === 200)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
