import { describe, expect, it } from 'vitest';
import { PodbayError } from '../../src/services/errors.ts';
import { NoCapacityError } from '../../src/services/pod-capacity.ts';
import type { CreatePodRequest } from '../../src/services/pod-request.ts';
import { AmbiguousPodError, PodService } from '../../src/services/pods.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { type FakeGpuType, InMemoryRunpod } from '../fakes/runpod-memory.ts';
import { ana, bob, RecordingGate, setup } from './helpers.ts';
import { SERVICES_ENV_SECRET } from '../support/secrets.ts';
import { captureLogger } from '../support/capture-logger.ts';

const SECRET = SERVICES_ENV_SECRET;

const llama: CreatePodRequest = {
  label: 'Llama eval',
  imageName: 'vllm/vllm-openai:v0.6.3',
  gpuTypeIds: ['NVIDIA RTX A6000'],
  gpuCount: 1,
  kind: 'on-demand',
  ports: '8000/http,22/tcp',
  env: [{ key: 'HF_TOKEN', value: SECRET }],
};

describe('PodService.create', () => {
  it('names the pod, records the owner before returning, and lists it as mine', async () => {
    const { pods, store, runpod } = setup();
    const r = await pods.create(llama, ana);
    expect(r.outcome).toBe('created');
    if (r.outcome !== 'created') return;
    expect(r.pod.name).toBe('ana-llama-eval-000001');
    expect(r.pod.owner).toEqual({ userId: 'U_ANA', teamId: 'T1' });
    expect(await store.podOwnershipById(r.pod.id)).toMatchObject({
      userId: 'U_ANA',
      teamId: 'T1',
      podName: r.pod.name,
    });
    expect(r.message).toMatch(/Created ana-llama-eval-000001 \(RTX A6000, on-demand\) at about \$0\.49\/h/);
    expect(runpod.envOf(r.pod.id)).toEqual([{ key: 'HF_TOKEN', value: SECRET }]);

    const mine = await pods.list({ scope: 'mine', userId: 'U_ANA' });
    expect(mine.map((p) => p.id)).toEqual([r.pod.id]);
    expect(await pods.list({ scope: 'mine', userId: 'U_BOB' })).toEqual([]);
  });

  it('asks the policy gate with the price and env names only, then follows its decision', async () => {
    const gate = new RecordingGate({
      decision: 'needs-approval',
      reason: 'Pods over $0.40/h need an approver.',
    });
    const { pods, runpod, store } = setup({ gate });
    const r = await pods.create(llama, ana);
    expect(r).toMatchObject({
      outcome: 'needs-approval',
      name: 'ana-llama-eval-000001',
      reason: 'Pods over $0.40/h need an approver.',
    });
    expect(gate.seen).toHaveLength(1);
    expect(gate.seen[0]).toMatchObject({
      action: 'pod.create',
      requester: ana,
      subject: { name: 'ana-llama-eval-000001', gpuCount: 1, envKeys: ['HF_TOKEN'], kind: 'on-demand' },
      quote: { perHourUsd: 0.49 },
    });
    expect(JSON.stringify(gate.seen)).not.toContain(SECRET);
    expect(runpod.calls.some((c) => c.method === 'createPod')).toBe(false);
    expect((await store.listAudit())[0]).toMatchObject({ action: 'pod.create', outcome: 'needs-approval' });

    gate.answer = { decision: 'deny', reason: 'No H100s on Fridays.' };
    expect(await pods.create(llama, ana)).toMatchObject({
      outcome: 'denied',
      reason: 'No H100s on Fridays.',
    });
    expect(runpod.calls.some((c) => c.method === 'createPod')).toBe(false);

    // An approved request skips the gate, keeps its name, and says who approved.
    const approved = await pods.create(llama, ana, { approvedBy: bob, name: 'ana-llama-eval-000001' });
    expect(approved).toMatchObject({ outcome: 'created', pod: { name: 'ana-llama-eval-000001' } });
    expect(approved.message).toMatch(/approved by <@U_BOB>/);
    expect(gate.seen).toHaveLength(2);
  });

  it('defaults to allowAll when no gate is given', async () => {
    const runpod = new InMemoryRunpod();
    const pods = new PodService({ runpod, store: new MemoryStore(), clock: runpod.clock });
    expect((await pods.create(llama, ana)).outcome).toBe('created');
  });

  it('never puts env values in messages, audit, errors or the policy request', async () => {
    const gate = new RecordingGate();
    const { pods, store, runpod } = setup({ gate });
    const ok = await pods.create(llama, ana);
    runpod.failNext('createPod', new PodbayError('NO_CAPACITY', 'none'));
    const err = await pods.create(llama, ana).catch((e: unknown) => e);
    const bad = await pods
      .create({ ...llama, env: [{ key: '1BAD', value: SECRET }] }, ana)
      .catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'INVALID_REQUEST' });
    const everything = JSON.stringify([
      ok,
      (err as PodbayError).toUserText(),
      (bad as PodbayError).toUserText(),
      await store.listAudit(),
      gate.seen,
      await pods.list({ scope: 'all', userId: '' }),
    ]);
    expect(everything).not.toContain(SECRET);
    expect(everything).toContain('HF_TOKEN');
  });

  it('validates the request and says what is wrong', async () => {
    const { pods, runpod } = setup();
    const { imageName: _image, ...noImage } = llama;
    const bad = {
      ...noImage,
      gpuCount: 0,
      ports: '8000',
      kind: 'on-demand',
      bidPerGpu: 0.3,
    } as CreatePodRequest;
    const e = (await pods.create(bad, ana).catch((x: unknown) => x)) as PodbayError;
    expect(e).toBeInstanceOf(PodbayError);
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.userMessage).toMatch(/GPU count is a whole number from 1 to 8/);
    expect(e.userMessage).toMatch(/Write ports like 8888\/http,22\/tcp/);
    expect(e.userMessage).toMatch(/Give a container image or a template id/);
    expect(e.userMessage).toMatch(/A bid only applies to spot pods/);
    expect(runpod.calls.filter((c) => c.method === 'createPod')).toEqual([]);
  });

  it('creates a spot pod at the minimum bid + $0.01 when no bid is given', async () => {
    const { pods, runpod } = setup();
    const r = await pods.create({ ...llama, kind: 'spot', gpuCount: 2 }, ana);
    expect(r.outcome).toBe('created');
    expect(runpod.calls.find((c) => c.method === 'createPod')?.arg).toMatchObject({ kind: 'spot' });
    if (r.outcome === 'created') expect(r.pod.costPerHr).toBeCloseTo(0.52, 6);
    expect(r.message).toMatch(/bid \$0\.26\/GPU\/h/);
  });

  it('on NO_CAPACITY suggests up to 3 stocked GPU types with as much memory, and data centers', async () => {
    const gpuTypes: FakeGpuType[] = [
      {
        id: 'A6000',
        displayName: 'RTX A6000',
        memoryInGb: 48,
        price: 0.49,
        minBid: 0.25,
        stock: { 'US-KS-2': 0, 'EU-RO-1': 0 },
      },
      { id: 'A40', displayName: 'A40', memoryInGb: 48, price: 0.44, minBid: 0.2, stock: { 'US-KS-2': 3 } },
      { id: 'L40S', displayName: 'L40S', memoryInGb: 48, price: 0.86, minBid: 0.4, stock: { 'EU-RO-1': 8 } },
      {
        id: '6000ADA',
        displayName: 'RTX 6000 Ada',
        memoryInGb: 48,
        price: 0.77,
        minBid: 0.35,
        stock: { 'US-TX-1': 2 },
      },
      {
        id: 'A100',
        displayName: 'A100 PCIe',
        memoryInGb: 80,
        price: 1.64,
        minBid: 1.19,
        stock: { 'US-KS-2': 2 },
      },
      {
        id: '4090',
        displayName: 'RTX 4090',
        memoryInGb: 24,
        price: 0.34,
        minBid: 0.2,
        stock: { 'US-KS-2': 16 },
      },
      { id: 'H100', displayName: 'H100 SXM', memoryInGb: 80, price: 2.69, minBid: null, stock: {} },
    ];
    const { pods, store } = setup({ gpuTypes });
    const e = await pods.create({ ...llama, gpuTypeIds: ['A6000'] }, ana).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NoCapacityError);
    const err = e as NoCapacityError;
    expect(err.code).toBe('NO_CAPACITY');
    expect(err.userMessage).toBe('RunPod has no machine free with RTX A6000 right now.');
    // Cheapest first; the 24 GB 4090 is left out although it is cheaper.
    expect(err.alternatives.map((a) => a.displayName)).toEqual(['A40', 'RTX 6000 Ada', 'L40S']);
    expect(err.hint).toMatch(/A40 \(48 GB, \$0\.44\/GPU\/h, stock Medium\)/);
    expect((await store.listAudit())[0]).toMatchObject({ action: 'pod.create', outcome: 'failed' });

    // Same type, another data center.
    const dc = await pods
      .create({ ...llama, gpuTypeIds: ['A40'], dataCenterId: 'EU-RO-1' }, ana)
      .catch((x: unknown) => x);
    expect(dc).toBeInstanceOf(NoCapacityError);
    expect((dc as NoCapacityError).dataCenterIds).toEqual(['US-KS-2']);
    expect((dc as NoCapacityError).hint).toMatch(/A40 is available in US-KS-2/);

    // Nothing with as much memory in stock: any stocked type is offered.
    const big = await pods
      .create({ ...llama, gpuTypeIds: ['H100'], gpuCount: 4 }, ana)
      .catch((x: unknown) => x);
    expect((big as NoCapacityError).alternatives.map((a) => a.displayName)).toEqual(['RTX 4090', 'L40S']);
  });

  it('a store failure after RunPod created the pod does not report a failed create', async () => {
    const { pods, store, runpod } = setup();
    const save = store.savePodOwnership.bind(store);
    let calls = 0;
    store.savePodOwnership = async (r) => {
      calls++;
      if (calls === 2) throw new Error('disk full');
      return save(r);
    };
    const r = await pods.create(llama, ana);
    expect(r.outcome).toBe('created');
    expect(runpod.calls.filter((c) => c.method === 'createPod')).toHaveLength(1);
    const mine = await pods.list({ scope: 'mine', userId: 'U_ANA' });
    expect(mine).toHaveLength(1);
  });

  it('keeps the claim when the create outcome is unknown and attributes the pod once it shows up', async () => {
    const { pods, runpod, store } = setup();
    runpod.failNext(
      'createPod',
      new PodbayError('OUTCOME_UNKNOWN', 'RunPod did not answer; the pod may exist.'),
    );
    await expect(pods.create(llama, ana)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    expect(await store.podOwnershipByName('ana-llama-eval-000001')).toMatchObject({
      podId: null,
      userId: 'U_ANA',
    });
    const late = runpod.seedPod({ name: 'ana-llama-eval-000001' });
    const listed = await pods.list({ scope: 'mine', userId: 'U_ANA' });
    expect(listed.map((p) => p.id)).toEqual([late.id]);
    expect(await store.podOwnershipById(late.id)).toMatchObject({ userId: 'U_ANA' });
  });
});

describe('PodService.list and resolve', () => {
  function fleet() {
    const ctx = setup();
    const a = ctx.runpod.seedPod({ id: 'p-train', name: 'ana-train-aaaaaa' });
    const b = ctx.runpod.seedPod({ id: 'p-eval', name: 'ana-eval-bbbbbb', running: false });
    const c = ctx.runpod.seedPod({ id: 'p-bob', name: 'bob-train-cccccc' });
    const d = ctx.runpod.seedPod({ id: 'p-manual', name: 'Manual Box' });
    return { ...ctx, a, b, c, d };
  }

  it('lists running pods first, then by name, with owners or unattributed', async () => {
    const { pods, store } = fleet();
    await store.savePodOwnership({
      podName: 'ana-train-aaaaaa',
      podId: 'p-train',
      userId: 'U_ANA',
      teamId: 'T1',
      createdAt: '2026-11-26T00:00:00Z',
    });
    await store.savePodOwnership({
      podName: 'ana-eval-bbbbbb',
      podId: 'p-eval',
      userId: 'U_ANA',
      teamId: 'T1',
      createdAt: '2026-11-26T00:00:00Z',
    });
    await store.savePodOwnership({
      podName: 'bob-train-cccccc',
      podId: 'p-bob',
      userId: 'U_BOB',
      teamId: 'T1',
      createdAt: '2026-11-26T00:00:00Z',
    });
    const all = await pods.list({ scope: 'all', userId: 'U_ANA' });
    expect(all.map((p) => [p.name, p.owner?.userId ?? null])).toEqual([
      ['ana-train-aaaaaa', 'U_ANA'],
      ['bob-train-cccccc', 'U_BOB'],
      ['Manual Box', null],
      ['ana-eval-bbbbbb', 'U_ANA'],
    ]);
    const mine = await pods.list({ scope: 'mine', userId: 'U_ANA' });
    expect(mine.map((p) => p.id)).toEqual(['p-train', 'p-eval']);
  });

  it('resolves by id, exact name, case-insensitive prefix or substring; ambiguity and none', async () => {
    const { pods } = fleet();
    expect(await pods.resolve('p-bob')).toMatchObject({ kind: 'found', pod: { id: 'p-bob' } });
    expect(await pods.resolve('Manual Box')).toMatchObject({ kind: 'found', pod: { id: 'p-manual' } });
    expect(await pods.resolve('manual')).toMatchObject({ kind: 'found', pod: { id: 'p-manual' } });
    expect(await pods.resolve('BOB-')).toMatchObject({ kind: 'found', pod: { id: 'p-bob' } });
    expect(await pods.resolve('eval')).toMatchObject({ kind: 'found', pod: { id: 'p-eval' } });
    const amb = await pods.resolve('ana');
    expect(amb.kind).toBe('ambiguous');
    if (amb.kind === 'ambiguous')
      expect(amb.candidates.map((c) => c.id).sort()).toEqual(['p-eval', 'p-train']);
    const amb2 = await pods.resolve('train');
    expect(amb2.kind === 'ambiguous' && amb2.candidates.length).toBe(2);
    expect(await pods.resolve('nothing-like-it')).toEqual({ kind: 'none', ref: 'nothing-like-it' });
    expect(await pods.resolve('   ')).toMatchObject({ kind: 'none' });
  });

  it('an exact name wins over a longer name it is a prefix of', async () => {
    const ctx = setup();
    ctx.runpod.seedPod({ id: 'p1', name: 'train' });
    ctx.runpod.seedPod({ id: 'p2', name: 'train-2' });
    expect(await ctx.pods.resolve('train')).toMatchObject({ kind: 'found', pod: { id: 'p1' } });
  });

  it('status gives phase and connection details for a running pod', async () => {
    const { pods } = fleet();
    const s = await pods.status('ana-train');
    expect(s.kind).toBe('found');
    if (s.kind !== 'found') return;
    expect(s.pod.phase).toBe('running');
    expect(s.pod.connections).toEqual([
      { privatePort: 22, type: 'tcp', publicAddress: '203.0.113.10:40022', proxyUrl: null },
      {
        privatePort: 8888,
        type: 'http',
        publicAddress: null,
        proxyUrl: 'https://p-train-8888.proxy.runpod.net',
      },
    ]);
    const stopped = await pods.status('ana-eval');
    expect(stopped.kind === 'found' && stopped.pod.phase).toBe('stopped');
    expect(stopped.kind === 'found' && stopped.pod.connections).toEqual([]);
  });
});

describe('PodService stop / resume / terminate', () => {
  it('a second stop answers "already stopped"', async () => {
    const { pods, runpod, store } = setup();
    runpod.seedPod({ id: 'p1', name: 'ana-train-aaaaaa' });
    const first = await pods.stop('ana-train-aaaaaa', ana);
    expect(first).toMatchObject({ outcome: 'done', pod: { status: 'EXITED' } });
    expect(first.message).toMatch(/^Stopped ana-train-aaaaaa\./);
    const second = await pods.stop('p1', ana);
    expect(second).toMatchObject({ outcome: 'noop', message: 'ana-train-aaaaaa is already stopped.' });
    expect(runpod.calls.filter((c) => c.method === 'stopPod')).toHaveLength(1);
    expect((await store.listAudit()).map((e) => e.outcome)).toEqual(['noop', 'done']);
  });

  it('re-reads the pod: a pod stopped elsewhere a moment ago is not stopped again', async () => {
    const { pods, runpod } = setup();
    runpod.seedPod({ id: 'p1', name: 'box' });
    const listed = await pods.list({ scope: 'all', userId: '' });
    expect(listed[0]?.status).toBe('RUNNING');
    runpod.setStatus('p1', 'EXITED');
    expect(await pods.stop('p1', ana)).toMatchObject({ outcome: 'noop' });
    expect(runpod.calls.filter((c) => c.method === 'stopPod')).toHaveLength(0);
  });

  it('resume of a running pod says it is running; of a pulling one that it is starting', async () => {
    const { pods, runpod, clock } = setup();
    runpod.seedPod({ id: 'p1', name: 'box' });
    expect(await pods.resume('box', ana)).toMatchObject({
      outcome: 'noop',
      message: 'box is already running.',
    });
    await pods.stop('box', ana);
    expect(await pods.resume('box', ana)).toMatchObject({ outcome: 'done' });
    expect(await pods.resume('box', ana)).toMatchObject({
      outcome: 'noop',
      message: 'box is already starting.',
    });
    clock.advance(120_000);
    expect(await pods.resume('box', ana)).toMatchObject({
      outcome: 'noop',
      message: 'box is already running.',
    });
    expect(runpod.calls.filter((c) => c.method === 'resumePod')).toHaveLength(1);
  });

  it('resumes an on-demand pod with its GPU count', async () => {
    const { pods, runpod } = setup();
    runpod.seedPod({ id: 'p1', name: 'box', gpuCount: 2, running: false });
    await pods.resume('p1', ana);
    expect(runpod.calls.find((c) => c.method === 'resumePod')?.arg).toEqual({
      podId: 'p1',
      kind: 'on-demand',
      gpuCount: 2,
    });
  });

  it('resumes a spot pod with the current minimum bid + $0.01, or the bid given', async () => {
    const { pods, runpod } = setup();
    runpod.seedPod({ id: 's1', name: 'spotty', kind: 'spot', running: false, gpuTypeId: 'NVIDIA RTX A6000' });
    const r = await pods.resume('spotty', ana);
    expect(r.outcome).toBe('done');
    expect(r.message).toMatch(/bid of \$0\.26\/GPU\/h/);
    expect(runpod.calls.find((c) => c.method === 'resumePod')?.arg).toEqual({
      podId: 's1',
      kind: 'spot',
      gpuCount: 1,
      bidPerGpu: 0.26,
    });
    await pods.stop('spotty', ana);
    await pods.resume('spotty', ana, { bidPerGpu: 0.4 });
    expect(runpod.calls.filter((c) => c.method === 'resumePod')[1]?.arg).toMatchObject({ bidPerGpu: 0.4 });
  });

  it('resume without free GPUs on the machine is a clear NO_CAPACITY', async () => {
    const { pods, runpod } = setup({
      gpuTypes: [
        { id: 'G', displayName: 'G', memoryInGb: 24, price: 0.3, minBid: 0.1, stock: { 'US-KS-2': 0 } },
      ],
    });
    runpod.seedPod({ id: 'p1', name: 'box', gpuTypeId: 'G', running: false });
    await expect(pods.resume('box', ana)).rejects.toMatchObject({
      code: 'NO_CAPACITY',
      userMessage: 'The machine box lives on has no free GPU right now.',
    });
  });

  it('terminate of a gone pod says it is already gone', async () => {
    const { pods, runpod } = setup();
    runpod.seedPod({ id: 'p1', name: 'box' });
    expect(await pods.terminate('box', ana)).toMatchObject({
      outcome: 'done',
      pod: { status: 'TERMINATED' },
    });
    const again = await pods.terminate('p1', ana);
    expect(again.outcome).toBe('noop');
    expect(again.message).toMatch(/already gone/);
    expect(runpod.calls.filter((c) => c.method === 'terminatePod')).toHaveLength(1);
  });

  it('acts only on an exact id or name: part of a name is refused, two pods with one name are ambiguous', async () => {
    const { pods, runpod } = setup();
    runpod.seedPod({ id: 'p1', name: 'ana-a' });
    runpod.seedPod({ id: 'p2', name: 'ana-b' });
    await expect(pods.stop('zzz', ana)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(pods.resume('zzz', ana)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(pods.stop('ana', ana)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const partial = await pods.resolve('ana-');
    expect(partial.kind).toBe('ambiguous');
    expect(await pods.resolve('ana-a')).toMatchObject({ kind: 'found', match: 'exact' });
    runpod.seedPod({ id: 'p3', name: 'bob-only' });
    expect(await pods.resolve('bob')).toMatchObject({ kind: 'found', match: 'partial', pod: { id: 'p3' } });
    runpod.seedPod({ id: 'p4', name: 'twin' });
    runpod.seedPod({ id: 'p5', name: 'twin' });
    const e = await pods.stop('twin', ana).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AmbiguousPodError);
    expect((e as AmbiguousPodError).candidates.map((c) => c.id).sort()).toEqual(['p4', 'p5']);
    expect((e as AmbiguousPodError).hint).toMatch(/twin \(p4\)/);
    expect(runpod.calls.filter((c) => c.method === 'stopPod')).toEqual([]);
  });
});

describe('PodService.follow', () => {
  it('uses the service clock and RunPod port', async () => {
    const { pods, clock } = setup();
    const r = await pods.create(llama, ana);
    if (r.outcome !== 'created') throw new Error('expected a pod');
    const done = await pods.follow(r.pod.id, { sleep: clock.sleep, intervalSec: 15 });
    expect(done.outcome).toBe('running');
    expect(done.waitedSec).toBe(60);
  });
});

describe('PodService.create without a price', () => {
  it('goes on without a quote and says why in the log', async () => {
    const logs = captureLogger([], 'info');
    const { runpod, store, clock } = setup();
    const pods = new PodService({ runpod, store, clock, logger: logs.logger });
    runpod.failNext(
      'gpuOffers',
      new PodbayError('RUNPOD_UNAVAILABLE', 'RunPod is down.', { retryable: true }),
    );
    const r = await pods.create(
      {
        label: 'no price',
        gpuTypeIds: ['NVIDIA RTX A6000'],
        gpuCount: 1,
        kind: 'on-demand',
        imageName: 'img:1',
      },
      ana,
    );
    expect(r.outcome).toBe('created');
    expect(logs.text()).toMatch(/no quote for a create; going on without a price/);
    expect(logs.text()).toMatch(/RUNPOD_UNAVAILABLE/);
  });
});
