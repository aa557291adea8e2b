// `podbay gpu "<question>" [--json]`: one JSON document or readable text, through the real advisor.
import { describe, expect, it } from 'vitest';
import { gpuCommand, gpuExitCode, gpuPricesCommand, gpuStockCommand } from '../../src/cli/gpu.ts';
import { GpuAdvisor } from '../../src/services/gpu-advisor.ts';
import { GpuOffersFake, ManualClock } from '../fakes/gpu-offers-fake.ts';

function run() {
  const out: string[] = [];
  const print = (s: string) => void out.push(s);
  return { out, print };
}

describe('podbay gpu', () => {
  it('--json prints one document with the contract fields', async () => {
    const { out, print } = run();
    const advisor = new GpuAdvisor(null, new ManualClock());
    const a = await gpuCommand('70b awq at 32k context for 4 users', { json: true }, advisor, print);
    expect(out).toHaveLength(1);
    const doc = JSON.parse(out[0]!);
    expect(doc.status).toBe('ok');
    expect(doc.intent.model.id).toBe('llama-3.3-70b');
    expect(doc.intent.contextTokens).toBe(32768);
    expect(Array.isArray(doc.assumptions)).toBe(true);
    const o = doc.options[0];
    for (const k of [
      'gpuId',
      'gpuName',
      'count',
      'perGpuNeedGiB',
      'usableGiB',
      'onDemandUsdPerHr',
      'spotUsdPerHr',
      'priceSource',
    ]) {
      expect(o).toHaveProperty(k);
    }
    expect(o.gpuId).toBe('NVIDIA A40');
    expect(doc.message).toBeNull();
    expect(gpuExitCode(a)).toBe(0);
  });

  it('--json for a refusal carries the message and no options', async () => {
    const { out, print } = run();
    const a = await gpuCommand('gpt-4o', { json: true }, new GpuAdvisor(null, new ManualClock()), print);
    const doc = JSON.parse(out[0]!);
    expect(doc.status).toBe('refuse');
    expect(doc.message).toMatch(/closed model/);
    expect(doc.options).toEqual([]);
    expect(gpuExitCode(a)).toBe(3);
  });

  it('prints readable text by default, with live prices when RunPod answers', async () => {
    const { out, print } = run();
    const advisor = new GpuAdvisor(new GpuOffersFake(), new ManualClock());
    const a = await gpuCommand('which gpu for mixtral', { json: false }, advisor, print);
    expect(a.status).toBe('clarify');
    expect(gpuExitCode(a)).toBe(2);
    expect(out[0]).toMatch(/Mixtral comes in several sizes/);
    out.length = 0;
    await gpuCommand('70b awq', { json: false }, advisor, print);
    expect(out[0]).toMatch(/Options \(ranked by on-demand price\):/);
    expect(out[0]).toMatch(/live RunPod prices/);
  });

  it('prices and stock helpers print text or JSON', async () => {
    const { out, print } = run();
    const advisor = new GpuAdvisor(new GpuOffersFake(), new ManualClock());
    await gpuPricesCommand('a40', { json: true }, advisor, print);
    expect(JSON.parse(out[0]!).prices[0].gpuId).toBe('NVIDIA A40');
    await gpuStockCommand(undefined, { json: false }, advisor, print);
    expect(out[1]).toMatch(/A40: stock High/);
  });
});
