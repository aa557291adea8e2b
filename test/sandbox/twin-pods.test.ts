import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Twin, startTwin } from '../../src/sandbox/twin/server.ts';
import { CREATE_ON_DEMAND, CREATE_SPOT, firstError, GET_POD, gql, POD_FIELDS } from './twin-helpers.ts';

const CAPACITY =
  'There are no longer any instances available with the requested specifications. Please refresh and try again.';
const A6000 = 'NVIDIA RTX A6000';
const baseInput = { name: 'test-pod', imageName: 'runpod/base:0.6.2', gpuTypeId: A6000, cloudType: 'SECURE' };

let twin: Twin;
beforeEach(async () => {
  twin = await startTwin({ seed: false, createToRunningDelaySec: 30 });
});
afterEach(async () => {
  await twin.close();
});

async function create(input: Record<string, unknown>) {
  const a = await gql(twin, CREATE_ON_DEMAND, { input });
  expect(a.status).toBe(200);
  return a;
}

describe('on-demand pod lifecycle', () => {
  it('creates a RUNNING pod whose runtime appears only after the image pull delay', async () => {
    const a = await create({
      ...baseInput,
      gpuCount: 2,
      ports: '8888/http,22/tcp',
      env: [{ key: 'HF_TOKEN', value: 'hf_x' }],
    });
    const pod = a.json.data.podFindAndDeployOnDemand;
    expect(pod.id).toMatch(/^[a-z0-9]{14}$/);
    expect(pod.desiredStatus).toBe('RUNNING');
    expect(pod.podType).toBe('RESERVED');
    expect(pod.costPerHr).toBeCloseTo(0.49 * 2, 5);
    expect(pod.env).toEqual(['HF_TOKEN=hf_x']);
    expect(pod.machine.gpuDisplayName).toBe('RTX A6000');
    expect(pod.machine.podHostId.startsWith(`${pod.id}-`)).toBe(true);
    expect(pod.lastStatusChange).toMatch(/^Rented by User: /);
    expect(pod.runtime).toBeNull();

    twin.control.advance(29);
    expect((await gql(twin, GET_POD, { podId: pod.id })).json.data.pod.runtime).toBeNull();

    twin.control.advance(1);
    const running = (await gql(twin, GET_POD, { podId: pod.id })).json.data.pod;
    expect(running.runtime.uptimeInSeconds).toBe(0);
    expect(running.uptimeSeconds).toBe(30);
    expect(running.runtime.gpus).toHaveLength(2);
    expect(running.runtime.gpus[0].id).toMatch(
      /^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(
      running.runtime.ports.map((p: { privatePort: number; type: string }) => `${p.privatePort}/${p.type}`),
    ).toEqual(['8888/http', '22/tcp']);
    const tcp = running.runtime.ports[1];
    expect(tcp.isIpPublic).toBe(true);
    expect(tcp.publicPort).toBeGreaterThanOrEqual(10_000);
  });

  it('stops (runtime null, EXITED), resumes (pulls again) and terminates (gone)', async () => {
    const { id } = (await create(baseInput)).json.data.podFindAndDeployOnDemand;
    twin.control.advance(60);

    const stopped = await gql(
      twin,
      `mutation { podStop(input: {podId: "${id}"}) { id desiredStatus lastStatusChange runtime { uptimeInSeconds } } }`,
    );
    expect(stopped.json.data.podStop).toMatchObject({ desiredStatus: 'EXITED', runtime: null });
    expect(stopped.json.data.podStop.lastStatusChange).toMatch(/^Exited by user: /);

    const resumed = await gql(
      twin,
      `mutation { podResume(input: {podId: "${id}", gpuCount: 1}) { desiredStatus costPerHr runtime { uptimeInSeconds } } }`,
    );
    expect(resumed.json.data.podResume).toMatchObject({
      desiredStatus: 'RUNNING',
      costPerHr: 0.49,
      runtime: null,
    });
    twin.control.advance(30);
    expect((await gql(twin, GET_POD, { podId: id })).json.data.pod.runtime).not.toBeNull();

    const term = await gql(twin, `mutation { podTerminate(input: {podId: "${id}"}) }`);
    expect(term.json).toEqual({ data: { podTerminate: null } });
    expect((await gql(twin, GET_POD, { podId: id })).json.data.pod).toBeNull();
    const list = await gql(twin, '{ myself { pods { id } } }');
    expect(list.json.data.myself.pods).toEqual([]);
  });

  it('answers errors[] (HTTP 200) for an unknown pod', async () => {
    const a = await gql(twin, 'mutation { podStop(input: {podId: "nope"}) { id } }');
    expect(a.status).toBe(200);
    expect(firstError(a)).toMatch(/not found/i);
    expect(a.json.data).toEqual({ podStop: null });
  });

  it('fails with RunPod capacity text when stock runs out, and stop/terminate give stock back', async () => {
    twin.control.setStock(A6000, 0);
    twin.control.setStock(A6000, 2, 'US-TX-3');
    const first = await create({ ...baseInput, gpuCount: 2 });
    expect(first.json.data.podFindAndDeployOnDemand.machine.location).toBe('US-TX-3');
    expect(twin.control.stock(A6000, 'US-TX-3')).toBe(0);

    const second = await create({ ...baseInput, gpuCount: 1 });
    expect(firstError(second)).toBe(CAPACITY);
    expect(second.json.data.podFindAndDeployOnDemand).toBeNull();

    const id = first.json.data.podFindAndDeployOnDemand.id;
    await gql(twin, `mutation { podStop(input: {podId: "${id}"}) { id } }`);
    expect(twin.control.stock(A6000, 'US-TX-3')).toBe(2);
    expect((await create({ ...baseInput, gpuCount: 2 })).json.data.podFindAndDeployOnDemand).not.toBeNull();

    const resume = await gql(twin, `mutation { podResume(input: {podId: "${id}"}) { id } }`);
    expect(firstError(resume)).toBe(CAPACITY);
  });

  it('falls back along gpuTypeIdList and prices community vs secure', async () => {
    twin.control.setStock(A6000, 0);
    const a = await create({
      name: 'fallback',
      imageName: 'img',
      gpuTypeIdList: [A6000, 'NVIDIA A40'],
      cloudType: 'COMMUNITY',
    });
    const pod = a.json.data.podFindAndDeployOnDemand;
    expect(pod.machine.gpuDisplayName).toBe('A40');
    expect(pod.costPerHr).toBe(0.35);
  });

  it('builds a pod from a template (image, env, ports) and rejects serverless templates', async () => {
    const pod = (await create({ name: 't', templateId: 'runpod-torch-v240', gpuTypeId: A6000 })).json.data
      .podFindAndDeployOnDemand;
    const stored = twin.control.pod(pod.id);
    expect(stored?.imageName).toContain('runpod/pytorch');
    expect(stored?.ports).toBe('8888/http,22/tcp');
    const missing = await create({ name: 'x', gpuTypeId: A6000 });
    expect(firstError(missing)).toMatch(/imageName or a templateId/);
  });

  it('honours stopAfter and terminateAfter on the simulated clock', async () => {
    const now = twin.control.now().getTime();
    const a = await create({ ...baseInput, stopAfter: new Date(now + 600_000).toISOString() });
    const b = await create({
      ...baseInput,
      name: 'b',
      terminateAfter: new Date(now + 900_000).toISOString(),
    });
    twin.control.advance(601);
    expect(twin.control.pod(a.json.data.podFindAndDeployOnDemand.id)?.desiredStatus).toBe('EXITED');
    expect(twin.control.pod(b.json.data.podFindAndDeployOnDemand.id)?.desiredStatus).toBe('RUNNING');
    twin.control.advance(300);
    expect(twin.control.pod(b.json.data.podFindAndDeployOnDemand.id)).toBeNull();
  });
});

describe('spot pods', () => {
  const spot = { ...baseInput, name: 'spot', gpuTypeId: 'NVIDIA GeForce RTX 4090', bidPerGpu: 0.4 };

  it('rents at the bid, rejects a bid below the floor, and cannot be resumed on demand', async () => {
    const low = await gql(twin, CREATE_SPOT, { input: { ...spot, bidPerGpu: 0.1 } });
    expect(firstError(low)).toMatch(/below the minimum bid/);

    const a = await gql(twin, CREATE_SPOT, { input: { ...spot, gpuCount: 2 } });
    const pod = a.json.data.podRentInterruptable;
    expect(pod).toMatchObject({ podType: 'INTERRUPTABLE', desiredStatus: 'RUNNING', costPerHr: 0.8 });

    await gql(twin, `mutation { podStop(input: {podId: "${pod.id}"}) { id } }`);
    const wrong = await gql(twin, `mutation { podResume(input: {podId: "${pod.id}"}) { id } }`);
    expect(firstError(wrong)).toBe('Cannot resume a spot pod as an on demand pod.');
  });

  it('is interrupted by control: EXITED, runtime null, status text; bid-resume brings it back', async () => {
    const id = (await gql(twin, CREATE_SPOT, { input: spot })).json.data.podRentInterruptable.id;
    twin.control.advance(60);
    expect((await gql(twin, GET_POD, { podId: id })).json.data.pod.runtime).not.toBeNull();

    twin.control.interruptSpot(id);
    const after = (await gql(twin, GET_POD, { podId: id })).json.data.pod;
    expect(after).toMatchObject({
      desiredStatus: 'EXITED',
      runtime: null,
      lastStatusChange: 'Interrupted: spot instance reclaimed',
    });

    const tooLow = await gql(
      twin,
      `mutation { podBidResume(input: {podId: "${id}", bidPerGpu: 0.05, gpuCount: 1}) { id } }`,
    );
    expect(firstError(tooLow)).toMatch(/below the minimum bid/);
    const back = await gql(
      twin,
      `mutation { podBidResume(input: {podId: "${id}", bidPerGpu: 0.5, gpuCount: 1}) { desiredStatus costPerHr } }`,
    );
    expect(back.json.data.podBidResume).toEqual({ desiredStatus: 'RUNNING', costPerHr: 0.5 });
  });
});

describe('GPU utilisation scenarios', () => {
  it('busy, idle and bursty pods report matching utilisation, reproducibly', async () => {
    const ids: string[] = [];
    for (const name of ['busy', 'idle', 'bursty']) {
      ids.push((await create({ ...baseInput, name })).json.data.podFindAndDeployOnDemand.id);
    }
    const [busy, idle, bursty] = ids as [string, string, string];
    twin.control.setScenario(idle, 'idle');
    twin.control.setScenario(bursty, 'bursty');
    twin.control.advance(60);

    const samples: Record<string, number[]> = { busy: [], idle: [], bursty: [] };
    for (let minute = 0; minute < 60; minute++) {
      const a = await gql(twin, `{ myself { pods { name runtime { gpus { gpuUtilPercent } } } } }`);
      for (const p of a.json.data.myself.pods) samples[p.name]?.push(p.runtime.gpus[0].gpuUtilPercent);
      twin.control.advance(60);
    }
    expect(Math.min(...(samples.busy ?? []))).toBeGreaterThanOrEqual(85);
    expect(Math.max(...(samples.idle ?? []))).toBeLessThanOrEqual(3);
    const b = samples.bursty ?? [];
    expect(b.some((u) => u >= 85)).toBe(true);
    expect(b.some((u) => u <= 3)).toBe(true);

    // Same seed, same history → the same numbers.
    const again = await startTwin({ seed: false });
    try {
      const ids2: string[] = [];
      for (const name of ['busy', 'idle']) {
        const r = await gql(again, CREATE_ON_DEMAND, { input: { ...baseInput, name } });
        ids2.push(r.json.data.podFindAndDeployOnDemand.id);
      }
      expect(ids2).toEqual([busy, idle]);
      again.control.advance(60);
      const first = await gql(
        again,
        `{ pod(input: {podId: "${busy}"}) { runtime { gpus { gpuUtilPercent } } } }`,
      );
      expect(first.json.data.pod.runtime.gpus[0].gpuUtilPercent).toBe(samples.busy?.[0]);
    } finally {
      await again.close();
    }
  });
});

describe('lists', () => {
  it('lists 10,000 bulk-seeded pods in one call', async () => {
    twin.control.seedPods(10_000);
    const a = await gql(twin, `{ myself { pods { ${POD_FIELDS} } } }`);
    expect(a.status).toBe(200);
    expect(a.json.data.myself.pods).toHaveLength(10_000);
    const running = a.json.data.myself.pods.filter((p: { runtime: unknown }) => p.runtime !== null);
    expect(running.length).toBe(8_000);
  });
});
