// What goes over the wire: the key only in the Authorization header, no explicit nulls,
// a timeout on every request, and 401/429 handled as RunPod answers them.
import { afterEach, describe, expect, it } from 'vitest';
import { createRunpodApi } from '../../src/runpod/index.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { json, type Reply, startLoopback } from '../support/loopback-graphql.ts';
import { WIRE_API_KEY, WIRE_ENV_SECRET } from '../support/secrets.ts';
import { tapped } from '../support/tap.ts';

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
  const api = createRunpodApi({
    url: server.url,
    apiKey: KEY,
    timeoutMs,
    retryBudgetMs: 2_000,
    logger: log.logger,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    reconcileDelayMs: 5,
  });
  return { api, server, log };
}

const podAnswer = {
  id: 'p1',
  name: 'x',
  desiredStatus: 'RUNNING',
  podType: 'RESERVED',
  costPerHr: 0.5,
  gpuCount: 1,
  vcpuCount: 8,
  memoryInGb: 30,
  machineId: 'm',
  env: [`SECRET_ENV=${WIRE_ENV_SECRET}`],
};

describe('on the wire', () => {
  it('sends the API key only as a Bearer header, never in the URL or body', async () => {
    const { api, server } = await setup((_r, res) =>
      json(res, 200, {
        data: { myself: { id: 'u', email: 'e', clientBalance: 10, currentSpendPerHr: 1, spendLimit: 5 } },
      }),
    );
    await api.account();
    const req = server.requests[0];
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.url).toBe('/graphql');
    expect(req?.url).not.toContain(KEY);
    expect(req?.body).not.toContain(KEY);
    expect(req?.method).toBe('POST');
  });

  it('omits unset fields instead of sending null', async () => {
    const { api, server } = await setup((_r, res) =>
      json(res, 200, { data: { podFindAndDeployOnDemand: podAnswer } }),
    );
    await api.createPod({
      kind: 'on-demand',
      name: 'x',
      imageName: 'img',
      gpuTypeIds: ['NVIDIA RTX A6000'],
      gpuCount: 1,
      env: [{ key: 'SECRET_ENV', value: WIRE_ENV_SECRET }],
    });
    const body = JSON.parse(server.requests[0]?.body ?? '{}');
    expect(JSON.stringify(body.variables)).not.toContain('null');
    expect(body.variables.input).toEqual({
      name: 'x',
      imageName: 'img',
      gpuCount: 1,
      gpuTypeId: 'NVIDIA RTX A6000',
      env: [{ key: 'SECRET_ENV', value: WIRE_ENV_SECRET }],
    });
  });

  it('401 is AUTH_FAILED, with no key in the error or the logs', async () => {
    const { api, log } = await setup((_r, res) => json(res, 401, { errors: [{ message: 'Unauthorized' }] }));
    const err = await api.listPods().catch(tapped);
    expect(err.code).toBe('AUTH_FAILED');
    expect(`${err.message} ${err.userMessage} ${err.hint}`).not.toContain(KEY);
    expect(log.text()).not.toContain(KEY);
  });

  it('a read retries after 429, waiting as Retry-After says', async () => {
    let n = 0;
    const { api, server } = await setup((_r, res) => {
      if (n++ === 0)
        return json(res, 429, { errors: [{ message: 'Too Many Requests' }] }, { 'retry-after': '0' });
      json(res, 200, { data: { myself: { pods: [podAnswer] } } });
    });
    const pods = await api.listPods();
    expect(pods.map((p) => p.id)).toEqual(['p1']);
    expect(server.requests).toHaveLength(2);
  });

  it('every request has a timeout: a silent server becomes TIMEOUT', async () => {
    const { api } = await setup(() => {
      /* never answers */
    }, 150);
    const err = await api.account().catch(tapped);
    expect(err.code).toBe('TIMEOUT');
  });

  it('a 200 with a body that is not JSON is BAD_RESPONSE', async () => {
    const { api } = await setup((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data": {"myself": ');
    });
    const err = await api.account().catch(tapped);
    expect(err.code).toBe('BAD_RESPONSE');
  });

  it('a 200 with errors[] keeps only the cleaned RunPod sentence', async () => {
    const { api } = await setup((_r, res) =>
      json(res, 200, { errors: [{ message: 'Volume size can only grow.' }] }),
    );
    const err = await api.updateVolume({ id: 'v', sizeGb: 1 }).catch(tapped);
    expect(err.code).toBe('INVALID_REQUEST');
    expect(err.userMessage).toBe('RunPod rejected the request: Volume size can only grow.');
  });

  it('a mutation is not retried after a 5xx: the state is read back instead', async () => {
    const { api, server } = await setup((r, res) => {
      if (r.body.includes('StopPod')) return json(res, 503, { errors: [{ message: 'Service Unavailable' }] });
      json(res, 200, { data: { pod: { ...podAnswer, desiredStatus: 'EXITED' } } });
    });
    await api.stopPod('p1');
    const ops = server.requests.map((r) => JSON.parse(r.body).query.match(/(query|mutation) (\w+)/)[2]);
    expect(ops).toEqual(['StopPod', 'GetPod']);
  });
});
