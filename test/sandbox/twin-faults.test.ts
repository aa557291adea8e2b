import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Twin, startTwin } from '../../src/sandbox/twin/server.ts';
import { CREATE_ON_DEMAND, firstError, gql } from './twin-helpers.ts';

let twin: Twin;
beforeEach(async () => {
  twin = await startTwin({ seed: false });
});
afterEach(async () => {
  await twin.close();
});

const ME = '{ myself { id } }';
const input = (name: string) => ({ name, imageName: 'img', gpuTypeId: 'NVIDIA RTX A6000' });

describe('faults, one at a time (failNext)', () => {
  it('http429 carries Retry-After and applies nothing; the next call succeeds', async () => {
    twin.control.failNext('podFindAndDeployOnDemand', 'http429', 1, { retryAfterSec: 7 });
    const a = await gql(twin, CREATE_ON_DEMAND, { input: input('rl') });
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('7');
    expect(twin.control.podByName('rl')).toBeNull();
    expect((await gql(twin, CREATE_ON_DEMAND, { input: input('rl') })).status).toBe(200);
    expect(twin.control.podByName('rl')).not.toBeNull();
  });

  it('http5xx answers a 502 HTML gateway page or a 503 JSON error', async () => {
    twin.control.failNext('myself', 'http5xx', 1, { status: 502 });
    twin.control.failNext('myself', 'http5xx', 1, { status: 503 });
    const bad = await gql(twin, ME);
    expect(bad.status).toBe(502);
    expect(bad.headers.get('content-type')).toContain('text/html');
    const unavailable = await gql(twin, ME);
    expect(unavailable.status).toBe(503);
    expect(firstError(unavailable)).toBe('Service Unavailable');
    expect((await gql(twin, ME)).status).toBe(200);
  });

  it('graphqlError answers 200 with RunPod’s generic errors[] and applies nothing', async () => {
    twin.control.failNext('podFindAndDeployOnDemand', 'graphqlError');
    const a = await gql(twin, CREATE_ON_DEMAND, { input: input('ge') });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ errors: [{ message: 'Something went wrong. Please try again later.' }] });
    expect(twin.control.podByName('ge')).toBeNull();
  });

  it('timeout never answers, but the mutation was applied (outcome unknown to the client)', async () => {
    twin.control.failNext('podFindAndDeployOnDemand', 'timeout');
    await expect(
      gql(twin, CREATE_ON_DEMAND, { input: input('slow') }, { signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(twin.control.podByName('slow')?.desiredStatus).toBe('RUNNING');
  });

  it('drop applies the mutation and then destroys the connection', async () => {
    twin.control.failNext('podFindAndDeployOnDemand', 'drop');
    await expect(gql(twin, CREATE_ON_DEMAND, { input: input('dropped') })).rejects.toThrow();
    expect(twin.control.podByName('dropped')).not.toBeNull();
  });

  it('malformed answers a truncated body or a body of the wrong shape', async () => {
    twin.control.failNext('myself', 'malformed', 1, { malformed: 'truncated' });
    twin.control.failNext('myself', 'malformed', 1, { malformed: 'shape' });
    const truncated = await gql(twin, ME);
    expect(truncated.status).toBe(200);
    expect(truncated.json).toBeNull(); // not parseable
    expect(truncated.text.startsWith('{"data"')).toBe(true);
    const shape = await gql(twin, ME);
    expect(shape.json).toEqual({ data: { myself: 'unexpected' } });
  });

  it("'*' matches every operation and counts down exactly N calls", async () => {
    twin.control.failNext('*', 'graphqlError', 2);
    expect(firstError(await gql(twin, ME))).toMatch(/Something went wrong/);
    expect(firstError(await gql(twin, '{ dataCenters { id } }'))).toMatch(/Something went wrong/);
    expect((await gql(twin, ME)).json.errors).toBeUndefined();
  });
});

describe('fault rates', () => {
  async function run(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = await gql(twin, ME);
      out.push(a.status === 200 && a.json?.errors ? 299 : a.status);
    }
    return out;
  }

  it('are deterministic for a given seed and scoped to their root field', async () => {
    const config = {
      seed: 42,
      rules: { myself: { http429: 0.3, http5xx: 0.1, graphqlError: 0.2, retryAfterSec: 0 } },
    };
    twin.control.setFaults(config);
    const first = await run(60);
    twin.control.setFaults(config);
    const second = await run(60);
    expect(second).toEqual(first);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(10);
    expect(first.filter((s) => s === 429).length).toBeGreaterThan(5);
    expect(first.filter((s) => s === 299).length).toBeGreaterThan(3);
    expect(first.some((s) => s === 502 || s === 503)).toBe(true);

    twin.control.setFaults({ seed: 43, rules: config.rules });
    expect(await run(60)).not.toEqual(first);

    // Other root fields are untouched.
    for (let i = 0; i < 10; i++) expect((await gql(twin, '{ dataCenters { id } }')).status).toBe(200);
    twin.control.clearFaults();
    expect(await run(5)).toEqual([200, 200, 200, 200, 200]);
  });

  it('rejects rates outside 0..1 or adding up to more than 1', () => {
    expect(() => twin.control.setFaults({ rules: { '*': { http429: 1.5 } } })).toThrow(/within 0..1/);
    expect(() => twin.control.setFaults({ rules: { '*': { http429: 0.6, drop: 0.6 } } })).toThrow(
      /more than 1/,
    );
  });

  it('latency delays but still answers', async () => {
    twin.control.setFaults({ rules: { myself: { latencyMs: 30 } } });
    expect((await gql(twin, ME)).status).toBe(200);
  });
});

describe('stats', () => {
  it('counts requests per root field, faults and refusals', async () => {
    twin.control.failNext('myself', 'http429');
    await gql(twin, ME);
    await gql(twin, ME);
    await gql(twin, '{ myself { id } dataCenters { id } }');
    await gql(twin, '{ nope }');
    const s = twin.control.stats();
    expect(s.requests).toBe(4);
    expect(s.operations).toEqual({ myself: 3, dataCenters: 1 });
    expect(s.faults).toEqual({ http429: 1 });
    expect(s.rejected).toBe(1);
    twin.control.resetStats();
    expect(twin.control.stats().requests).toBe(0);
  });
});

describe('faults from start options', () => {
  it('apply from the first request and come back after a reset', async () => {
    const faulty = await startTwin({ seed: false, faults: { seed: 5, rules: { '*': { graphqlError: 1 } } } });
    try {
      expect(firstError(await gql(faulty, ME))).toMatch(/Something went wrong/);
      faulty.control.clearFaults();
      expect((await gql(faulty, ME)).json.errors).toBeUndefined();
      faulty.control.reset();
      expect(firstError(await gql(faulty, ME))).toMatch(/Something went wrong/);
    } finally {
      await faulty.close();
    }
  });
});
