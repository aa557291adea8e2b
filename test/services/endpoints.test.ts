import { describe, expect, it } from 'vitest';
import type { EndpointConfig } from '../../src/services/domain.ts';
import { EndpointService } from '../../src/services/endpoints.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { InMemoryRunpod } from '../fakes/runpod-memory.ts';
import { ana } from './helpers.ts';

function setup() {
  const runpod = new InMemoryRunpod();
  const store = new MemoryStore();
  const endpoints = new EndpointService({ runpod, clock: runpod.clock, store });
  return { runpod, store, endpoints };
}

const existing: EndpointConfig = {
  name: 'llm-prod',
  templateId: 'tpl-vllm',
  gpuPoolIds: ['AMPERE_48', 'ADA_48_PRO'],
  gpuCount: 1,
  workersMin: 1,
  workersMax: 4,
  idleTimeoutSec: 30,
  scalerType: 'QUEUE_DELAY',
  scalerValue: 4,
  networkVolumeId: 'vol1',
  locations: 'US',
  executionTimeoutMs: 600_000,
  flashBoot: true,
};

describe('EndpointService', () => {
  it('creates with sensible defaults', async () => {
    const { endpoints, store } = setup();
    const r = await endpoints.create(
      { name: 'embed', templateId: 'tpl-vllm', gpuPoolIds: ['AMPERE_24'] },
      ana,
    );
    expect(r.outcome).toBe('done');
    expect(r.endpoint).toMatchObject({
      name: 'embed',
      gpuPoolIds: ['AMPERE_24'],
      gpuCount: 1,
      workersMin: 0,
      workersMax: 3,
      idleTimeoutSec: 5,
      scalerType: 'QUEUE_DELAY',
      flashBoot: true,
    });
    expect(r.message).toBe('Created endpoint embed on AMPERE_24 with 0–3 workers.');
    expect((await store.listAudit())[0]).toMatchObject({ action: 'endpoint.create', outcome: 'done' });
  });

  it('validates: min ≤ max, pools, template exists and is serverless, unique name', async () => {
    const { endpoints, runpod } = setup();
    const base = { name: 'x', templateId: 'tpl-vllm', gpuPoolIds: ['AMPERE_24'] };
    await expect(endpoints.create({ ...base, workersMin: 5, workersMax: 2 }, ana)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      userMessage: expect.stringMatching(/minimum workers cannot be more than maximum workers/),
    });
    await expect(endpoints.create({ ...base, gpuPoolIds: [] }, ana)).rejects.toMatchObject({
      userMessage: expect.stringMatching(/pick at least one GPU pool/),
    });
    await expect(endpoints.create({ ...base, gpuPoolIds: ['ampere 48'] }, ana)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(endpoints.create({ ...base, idleTimeoutSec: 0 }, ana)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    await expect(endpoints.create({ ...base, templateId: 'tpl-nope' }, ana)).rejects.toMatchObject({
      userMessage: 'There is no template "tpl-nope".',
    });
    await expect(endpoints.create({ ...base, templateId: 'tpl-pytorch' }, ana)).rejects.toMatchObject({
      userMessage: 'Template PyTorch 2.4 is a pod template; an endpoint needs a serverless one.',
    });
    runpod.seedEndpoint({ ...existing });
    await expect(endpoints.create({ ...base, name: 'LLM-prod' }, ana)).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(runpod.calls.filter((c) => c.method === 'createEndpoint')).toEqual([]);
  });

  it('a partial update keeps every other setting (RunPod replaces the whole configuration)', async () => {
    const { endpoints, runpod } = setup();
    const e = runpod.seedEndpoint({ ...existing });
    const r = await endpoints.update('llm-prod', { workersMax: 8, idleTimeoutSec: 60 }, ana);
    expect(r.outcome).toBe('done');
    expect(r.message).toBe('Updated llm-prod: max workers 4 → 8; idle timeout 30 s → 60 s.');
    expect(runpod.calls.find((c) => c.method === 'updateEndpoint')?.arg).toEqual({
      endpointId: e.id,
      change: { workersMax: 8, idleTimeoutSec: 60 },
    });
    const stored = runpod.endpointRaw(e.id);
    expect(stored).toMatchObject({ ...existing, workersMax: 8, idleTimeoutSec: 60 });
  });

  it('validates the merged result, and a change to the same values is a noop', async () => {
    const { endpoints, runpod } = setup();
    runpod.seedEndpoint({ ...existing });
    await expect(endpoints.update('llm-prod', { workersMax: 0 }, ana)).rejects.toMatchObject({
      userMessage: expect.stringMatching(/minimum workers cannot be more than maximum workers/),
    });
    expect(await endpoints.update('llm-prod', { workersMax: 4, flashBoot: true }, ana)).toMatchObject({
      outcome: 'noop',
      message: 'llm-prod already has those settings.',
    });
    await expect(endpoints.update('llm-prod', { templateId: 'tpl-pytorch' }, ana)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(runpod.calls.filter((c) => c.method === 'updateEndpoint')).toEqual([]);
  });

  it('delete scales workers to 0 first and says so', async () => {
    const { endpoints, runpod, store } = setup();
    const e = runpod.seedEndpoint({ ...existing });
    const r = await endpoints.delete('llm-prod', ana);
    expect(r).toMatchObject({
      outcome: 'done',
      message: 'Scaled llm-prod to 0 workers first (was min 1, max 4), then deleted it.',
    });
    expect(runpod.calls.filter((c) => c.method.endsWith('Endpoint')).map((c) => c.method)).toEqual([
      'updateEndpoint',
      'deleteEndpoint',
    ]);
    expect(runpod.endpointRaw(e.id)).toBeUndefined();
    expect((await store.listAudit())[0]).toMatchObject({ action: 'endpoint.delete', detail: r.message });
  });

  it('delete of an endpoint already at 0 workers just deletes', async () => {
    const { endpoints, runpod } = setup();
    runpod.seedEndpoint({ ...existing, workersMin: 0, workersMax: 0 });
    expect(await endpoints.delete('llm-prod', ana)).toMatchObject({ message: 'Deleted endpoint llm-prod.' });
    expect(runpod.calls.filter((c) => c.method === 'updateEndpoint')).toEqual([]);
  });

  it('lists templates, serverless only when asked', async () => {
    const { endpoints } = setup();
    expect((await endpoints.templates()).map((t) => t.id)).toEqual(['tpl-pytorch', 'tpl-vllm']);
    expect((await endpoints.templates({ serverlessOnly: true })).map((t) => t.id)).toEqual(['tpl-vllm']);
  });
});
