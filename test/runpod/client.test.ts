// The adapter suite: every operation of the port, against the RunPod twin over real HTTP, once
// per adapter (GraphQL, REST v2, auto). Where an API lacks something, the test says what then.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PodSpec } from '../../src/services/domain.ts';
import { PodbayError } from '../../src/services/errors.ts';
import { POD_ENV_SECRET } from '../support/secrets.ts';
import { type TwinClient, twinClient } from '../support/twin-client.ts';
import { ADAPTERS } from './adapters.ts';

/** What an adapter answers when the API it runs on does not have a feature. */
const needsGraphql = (err: unknown) => {
  expect(err).toBeInstanceOf(PodbayError);
  expect((err as PodbayError).userMessage).toMatch(/needs? RunPod’s GraphQL API/);
};

describe.each(ADAPTERS)('$mode adapter', (c) => {
  let t: TwinClient;
  beforeAll(async () => {
    t = await twinClient({}, { api: c.mode });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.twin.control.reset();
  });

  const spec = (over: Partial<PodSpec> = {}): PodSpec =>
    ({
      kind: 'on-demand',
      name: `test-pod-${Math.random().toString(36).slice(2, 8)}`,
      imageName: 'vllm/vllm-openai:latest',
      gpuTypeIds: ['NVIDIA RTX A6000'],
      gpuCount: 1,
      containerDiskInGb: 20,
      volumeInGb: 50,
      ports: '8000/http,22/tcp',
      env: [{ key: 'HF_TOKEN', value: POD_ENV_SECRET }],
      ...over,
    }) as PodSpec;

  describe('account and pods', () => {
    it.runIf(!c.balance)('says the balance needs GraphQL', async () => {
      needsGraphql(await t.api.account().catch((e) => e));
    });

    it.runIf(c.balance)('reads balance, spend per hour and spend limit', async () => {
      const a = await t.api.account();
      expect(a.balanceUsd).toBeGreaterThan(0);
      expect(a.spendPerHrUsd).toBeGreaterThan(0);
      expect(a.spendLimitUsd).not.toBeNull();
    });

    it('lists pods with runtime, per-GPU utilisation, cost, type and volumes', async () => {
      const pods = await t.api.listPods();
      expect(pods.length).toBeGreaterThanOrEqual(4);
      const running = pods.find((p) => p.runtime !== null);
      expect(running?.runtime?.gpus.length).toBe(running?.gpuCount);
      expect(running?.runtime?.gpus[0]?.utilPercent).toEqual(expect.any(Number));
      // Only GraphQL tells spot pods apart (auto asks it); v2 alone lists every pod as on-demand.
      expect(pods.some((p) => p.kind === 'spot')).toBe(c.spot);
      expect(pods.some((p) => p.status === 'EXITED')).toBe(true);
      expect(pods.every((p) => p.costPerHr >= 0 && p.gpuCount >= 1)).toBe(true);
      expect(JSON.stringify(pods)).not.toMatch(/hf_demo|=/);
    });

    it('gets one pod, and null for an unknown id', async () => {
      const [first] = await t.api.listPods();
      expect((await t.api.getPod(first!.id))?.name).toBe(first!.name);
      expect(await t.api.getPod('nosuchpod00000')).toBeNull();
    });
  });

  describe('pod lifecycle', () => {
    it('creates an on-demand pod that runs after the image pulls, then stop, resume, terminate', async () => {
      const pod = await t.api.createPod(spec());
      expect(pod.status).toBe('RUNNING');
      expect(pod.runtime).toBeNull(); // still pulling
      expect(pod.kind).toBe('on-demand');
      expect(pod.envKeys).toEqual(['HF_TOKEN']);
      t.twin.control.advance(60);
      const running = await t.api.getPod(pod.id);
      expect(running?.runtime?.ports.length).toBeGreaterThan(0);

      await t.api.stopPod(pod.id);
      expect((await t.api.getPod(pod.id))?.status).toBe('EXITED');
      await t.api.resumePod(pod.id, { kind: 'on-demand', gpuCount: 1 });
      expect((await t.api.getPod(pod.id))?.status).toBe('RUNNING');
      await t.api.terminatePod(pod.id);
      expect(await t.api.getPod(pod.id)).toBeNull();
    });

    it('creates on a fallback GPU list and with template, volume mount, network volume, ssh, docker args', async () => {
      const [vol] = await t.api.listVolumes();
      const pod = await t.api.createPod(
        spec({
          gpuTypeIds: ['NVIDIA RTX A6000', 'NVIDIA A40'],
          gpuCount: 2,
          cloudType: 'SECURE',
          volumeMountPath: '/workspace',
          networkVolumeId: vol!.id,
          dataCenterId: vol!.dataCenterId,
          startSsh: true,
          dockerArgs: '--max-model-len 8192',
        }),
      );
      expect(pod.gpuCount).toBe(2);
      expect(pod.networkVolumeId).toBe(vol!.id);
      expect(pod.volumeMountPath).toBe('/workspace');
    });

    it.runIf(!c.spot)('says spot pods need GraphQL', async () => {
      const s = spec({ kind: 'spot', bidPerGpu: 0.5, gpuTypeIds: ['NVIDIA GeForce RTX 4090'] });
      needsGraphql(await t.api.createPod(s).catch((e) => e));
    });

    it.runIf(c.spot)(
      'creates a spot pod with a bid per GPU and resumes it with a new bid after interruption',
      async () => {
        const pod = await t.api.createPod(
          spec({ kind: 'spot', bidPerGpu: 0.5, gpuTypeIds: ['NVIDIA GeForce RTX 4090'] }),
        );
        expect(pod.kind).toBe('spot');
        t.twin.control.advance(60);
        t.twin.control.interruptSpot(pod.id);
        const after = await t.api.getPod(pod.id);
        expect(after?.status).toBe('EXITED');
        // GraphQL says why a pod stopped; v2 (which reads pods in auto) only that it did.
        if (c.mode === 'graphql') expect(after?.lastStatusChange).toMatch(/interrupt/i);
        await t.api.resumePod(pod.id, { kind: 'spot', bidPerGpu: 0.6, gpuCount: 1 });
        expect((await t.api.getPod(pod.id))?.status).toBe('RUNNING');
      },
    );

    it.runIf(c.spot)('a bid under the minimum is an INVALID_REQUEST with RunPod sentence', async () => {
      const err = await t.api
        .createPod(spec({ kind: 'spot', bidPerGpu: 0.01, gpuTypeIds: ['NVIDIA GeForce RTX 4090'] }))
        .catch((e) => e);
      expect(err).toBeInstanceOf(PodbayError);
      expect(err.code).toBe('INVALID_REQUEST');
    });

    it('no stock gives NO_CAPACITY with a next step', async () => {
      t.twin.control.setStock('NVIDIA H100 80GB HBM3', 0);
      const err = await t.api.createPod(spec({ gpuTypeIds: ['NVIDIA H100 80GB HBM3'] })).catch((e) => e);
      expect(err.code).toBe('NO_CAPACITY');
      expect(err.toUserText()).toMatch(/another GPU type or data center/);
    });

    it('a spec without image or template is refused before any call', async () => {
      const before = t.twin.control.stats().requests;
      const { imageName: _none, ...noImage } = spec();
      const err = await t.api.createPod(noImage as PodSpec).catch((e) => e);
      expect(err.code).toBe('INVALID_REQUEST');
      expect(t.twin.control.stats().requests).toBe(before);
    });
  });

  describe('catalog', () => {
    it('GPU types with lowest on-demand price, minimum bid and stock for a count', async () => {
      const offers = await t.api.gpuOffers({ gpuCount: 2 });
      const a6000 = offers.find((o) => o.id === 'NVIDIA RTX A6000');
      expect(a6000?.lowest?.gpuCount).toBe(2);
      expect(a6000?.lowest?.onDemandPrice).toBeGreaterThan(0);
      if (c.spot) expect(a6000?.lowest?.minimumBidPrice).toBeGreaterThan(0);
      else expect(a6000?.lowest?.minimumBidPrice).toBeNull();
      expect(['High', 'Medium', 'Low', 'None']).toContain(a6000?.lowest?.stockStatus);
      const only = await t.api.gpuOffers({ gpuCount: 1, ids: ['NVIDIA A40'] });
      expect(only.map((o) => o.id)).toEqual(['NVIDIA A40']);
    });

    it('stock status follows what is left', async () => {
      t.twin.control.setStock('NVIDIA A40', 0);
      const [a40] = await t.api.gpuOffers({ gpuCount: 1, ids: ['NVIDIA A40'] });
      expect(a40?.lowest?.stockStatus).toBe('None');
    });

    it('data centers with per-GPU availability and storage support', async () => {
      const dcs = await t.api.dataCenters({ gpuCount: 1 });
      expect(dcs.length).toBeGreaterThan(3);
      expect(dcs.some((d) => d.storageSupport)).toBe(true);
      expect(dcs.flatMap((d) => d.gpus).some((g) => g.available)).toBe(true);
    });
  });

  describe('network volumes', () => {
    it('create, rename, grow, refuse to shrink, delete', async () => {
      const v = await t.api.createVolume({ name: 'models', sizeGb: 100, dataCenterId: 'US-KS-2' });
      expect(v).toMatchObject({ name: 'models', sizeGb: 100, dataCenterId: 'US-KS-2' });
      expect((await t.api.updateVolume({ id: v.id, name: 'models-2' })).name).toBe('models-2');
      expect((await t.api.updateVolume({ id: v.id, sizeGb: 200 })).sizeGb).toBe(200);
      const shrink = await t.api.updateVolume({ id: v.id, sizeGb: 50 }).catch((e) => e);
      expect(shrink.code).toBe('INVALID_REQUEST');
      await t.api.deleteVolume(v.id);
      expect((await t.api.listVolumes()).some((x) => x.id === v.id)).toBe(false);
    });
  });

  describe('serverless endpoints and templates', () => {
    const config = {
      name: 'llm-api',
      templateId: '',
      gpuPoolIds: ['AMPERE_48', 'ADA_48_PRO'],
      gpuCount: 1,
      workersMin: 1,
      workersMax: 4,
      idleTimeoutSec: 30,
      scalerType: 'QUEUE_DELAY' as const,
      scalerValue: 4,
      networkVolumeId: null,
      locations: null,
      executionTimeoutMs: 600_000,
      flashBoot: true,
    };

    it('lists templates', async () => {
      const templates = await t.api.listTemplates();
      expect(templates.length).toBeGreaterThan(0);
      expect(templates.some((x) => x.isServerless)).toBe(true);
    });

    it('create, partial update keeps every other setting, delete after scaling to zero', async () => {
      const tpl = (await t.api.listTemplates()).find((x) => x.isServerless)!;
      const ep = await t.api.createEndpoint({ ...config, templateId: tpl.id });
      expect(ep).toMatchObject({ name: 'llm-api', workersMin: 1, workersMax: 4, idleTimeoutSec: 30 });

      const updated = await t.api.updateEndpoint(ep.id, { workersMax: 8 });
      expect(updated).toMatchObject({
        workersMax: 8,
        workersMin: 1,
        idleTimeoutSec: 30,
        gpuPoolIds: ['AMPERE_48', 'ADA_48_PRO'],
        flashBoot: true,
      });
      if (c.endpointTemplateLink) expect(updated.templateId).toBe(tpl.id);

      const refused = await t.api.deleteEndpoint(ep.id).catch((e) => e);
      expect(refused).toBeInstanceOf(PodbayError);
      await t.api.updateEndpoint(ep.id, { workersMin: 0, workersMax: 0 });
      await t.api.deleteEndpoint(ep.id);
      expect((await t.api.listEndpoints()).some((e) => e.id === ep.id)).toBe(false);
    });

    it('an update keeps endpoint env values without ever returning them', async () => {
      const [seeded] = await t.api.listEndpoints();
      const after = await t.api.updateEndpoint(seeded!.id, { idleTimeoutSec: 99 });
      expect(after.envKeys).toEqual(seeded!.envKeys);
      expect(JSON.stringify(after)).not.toMatch(/"value"/);
    });

    it('updating an unknown endpoint is NOT_FOUND', async () => {
      const err = await t.api.updateEndpoint('nope', { workersMax: 2 }).catch((e) => e);
      expect(err.code).toBe('NOT_FOUND');
    });
  });
});
