import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Twin, startTwin } from '../../src/sandbox/twin/server.ts';
import { control, firstError, GET_POD, gql } from './twin-helpers.ts';

let twin: Twin;
beforeEach(async () => {
  twin = await startTwin({ startTime: '2026-12-01T08:00:00Z' });
});
afterEach(async () => {
  await twin.close();
});

const podId = (name: string): string => {
  const p = twin.control.podByName(name);
  if (!p) throw new Error(`no seeded pod ${name}`);
  return p.id;
};

describe('control over HTTP', () => {
  it('GET /state summarises clock, account and pods', async () => {
    const s = await control(twin, '/state');
    expect(s.status).toBe(200);
    expect(s.json.now).toBe('2026-12-01T08:00:00.000Z');
    expect(s.json.podCount).toBe(s.json.pods.length);
    const pulling = s.json.pods.find((p: { name: string }) => p.name === 'dana-qwen-finetune');
    expect(pulling.pulling).toBe(true);
    expect(s.json.account.currentSpendPerHr).toBeGreaterThan(0);
  });

  it('POST /advance moves the simulated clock (image pulls finish, balance falls)', async () => {
    const before = (await control(twin, '/state')).json;
    const a = await control(twin, '/advance', { seconds: 3600 });
    expect(a.json.now).toBe('2026-12-01T09:00:00.000Z');
    const after = (await control(twin, '/state')).json;
    expect(after.pods.find((p: { name: string }) => p.name === 'dana-qwen-finetune').pulling).toBe(false);
    expect(after.account.clientBalance).toBeCloseTo(
      before.account.clientBalance - before.account.currentSpendPerHr,
      3,
    );
    expect((await control(twin, '/advance', { seconds: -1 })).status).toBe(400);
  });

  it('POST /interrupt reclaims a spot pod; on-demand pods refuse', async () => {
    const id = podId('ci-embeddings');
    expect((await control(twin, '/interrupt', { podId: id })).status).toBe(200);
    const pod = (await gql(twin, GET_POD, { podId: id })).json.data.pod;
    expect(pod).toMatchObject({
      desiredStatus: 'EXITED',
      runtime: null,
      lastStatusChange: 'Interrupted: spot instance reclaimed',
    });
    const refused = await control(twin, '/interrupt', { podId: podId('alice-llama70b-serve') });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatch(/not a spot pod/);
  });

  it('POST /stock empties a GPU type and creation fails with the capacity error', async () => {
    await control(twin, '/stock', { gpuTypeId: 'NVIDIA L40S', count: 0 });
    const a = await gql(
      twin,
      'mutation { podFindAndDeployOnDemand(input: {name: "x", imageName: "i", gpuTypeId: "NVIDIA L40S"}) { id } }',
    );
    expect(firstError(a)).toMatch(/no longer any instances available/);
    const one = await control(twin, '/stock', {
      gpuTypeId: 'NVIDIA L40S',
      count: 1,
      dataCenterId: 'EU-RO-1',
    });
    expect(one.json.free).toBe(1);
  });

  it('POST /scenario switches a pod between busy and idle', async () => {
    const id = podId('alice-llama70b-serve');
    const util = async () =>
      (await gql(twin, GET_POD, { podId: id })).json.data.pod.runtime.gpus.map(
        (g: { gpuUtilPercent: number }) => g.gpuUtilPercent,
      );
    expect(Math.min(...(await util()))).toBeGreaterThanOrEqual(85);
    await control(twin, '/scenario', { podId: id, scenario: 'idle' });
    expect(Math.max(...(await util()))).toBeLessThanOrEqual(3);
    expect((await control(twin, '/scenario', { podId: id, scenario: 'sleepy' })).status).toBe(400);
  });

  it('POST /faults and /fail-next inject faults; /stats counts them', async () => {
    await control(twin, '/fail-next', { operation: 'myself', kind: 'http429', retryAfterSec: 3 });
    const a = await gql(twin, '{ myself { id } }');
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    await control(twin, '/faults', { seed: 1, rules: { dataCenters: { graphqlError: 1 } } });
    expect(firstError(await gql(twin, '{ dataCenters { id } }'))).toMatch(/Something went wrong/);
    expect((await control(twin, '/faults', { rules: { '*': { typo: 1 } } })).status).toBe(400);
    await control(twin, '/faults/clear', {});
    expect((await gql(twin, '{ dataCenters { id } }')).json.errors).toBeUndefined();

    const stats = (await control(twin, '/stats')).json;
    expect(stats.operations).toEqual({ myself: 1, dataCenters: 2 });
    expect(stats.faults).toEqual({ http429: 1, graphqlError: 1 });
  });

  it('POST /seed-pods adds pods in bulk, /account sets the balance, /reset restores the seed world', async () => {
    const seeded = (await control(twin, '/state')).json.podCount;
    const r = await control(twin, '/seed-pods', { n: 250 });
    expect(r.json).toMatchObject({ added: 250, podCount: seeded + 250 });
    await control(twin, '/account', { clientBalance: 12.5 });
    expect((await gql(twin, '{ myself { clientBalance } }')).json.data.myself.clientBalance).toBe(12.5);

    await control(twin, '/advance', { seconds: 60 });
    const reset = await control(twin, '/reset', {});
    expect(reset.json.podCount).toBe(seeded);
    expect(reset.json.now).toBe('2026-12-01T08:00:00.000Z');
    expect(reset.json.account.clientBalance).toBe(1000);
    expect((await control(twin, '/stats')).json.requests).toBe(0);
  });

  it('answers 404 with the route list for unknown routes and 400 for bad JSON', async () => {
    const r = await control(twin, '/nope', {});
    expect(r.status).toBe(404);
    expect(r.json.routes).toContain('POST /advance');
    const res = await fetch(`${twin.controlUrl}/advance`, { method: 'POST', body: '{' });
    expect(res.status).toBe(400);
  });
});

describe('realtime clock', () => {
  it('advances simulated time with the wall clock when enabled, and stops when disabled', async () => {
    const start = twin.control.now().getTime();
    twin.control.setRealtime(true, 600, 10);
    await vi.waitFor(() => expect(twin.control.now().getTime()).toBeGreaterThan(start), { timeout: 2000 });
    twin.control.setRealtime(false);
    const frozen = twin.control.now().getTime();
    await new Promise((r) => setTimeout(r, 40));
    expect(twin.control.now().getTime()).toBe(frozen);
  });
});
