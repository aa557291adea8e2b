// The reference data: every RunPod GPU id is in the table with consistent specs; the snapshot covers
// only what its source covers and says so; model configs add up to their published parameter counts.
import { describe, expect, it } from 'vitest';
import {
  GPUS,
  MODELS,
  PRICE_SNAPSHOT,
  PRICE_SNAPSHOT_META,
  priceFor,
  SNAPSHOT_BOOK,
} from '../../src/catalog/index.ts';

/** runpod/docs references/gpu-types.mdx (table generated 2026-02-12), as in shared/reference/runpod-gpu-types.md. */
const RUNPOD_GPU_IDS = [
  'AMD Instinct MI300X OAM',
  'NVIDIA A100 80GB PCIe',
  'NVIDIA A100-SXM4-80GB',
  'NVIDIA A30',
  'NVIDIA A40',
  'NVIDIA B200',
  'NVIDIA B300 SXM6 AC',
  'NVIDIA GeForce RTX 3070',
  'NVIDIA GeForce RTX 3080',
  'NVIDIA GeForce RTX 3080 Ti',
  'NVIDIA GeForce RTX 3090',
  'NVIDIA GeForce RTX 3090 Ti',
  'NVIDIA GeForce RTX 4070 Ti',
  'NVIDIA GeForce RTX 4080',
  'NVIDIA GeForce RTX 4080 SUPER',
  'NVIDIA GeForce RTX 4090',
  'NVIDIA GeForce RTX 5080',
  'NVIDIA GeForce RTX 5090',
  'NVIDIA H100 80GB HBM3',
  'NVIDIA H100 NVL',
  'NVIDIA H100 PCIe',
  'NVIDIA H200',
  'NVIDIA H200 NVL',
  'NVIDIA L4',
  'NVIDIA L40',
  'NVIDIA L40S',
  'NVIDIA RTX 2000 Ada Generation',
  'NVIDIA RTX 4000 Ada Generation',
  'NVIDIA RTX 4000 SFF Ada Generation',
  'NVIDIA RTX 5000 Ada Generation',
  'NVIDIA RTX 6000 Ada Generation',
  'NVIDIA RTX A2000',
  'NVIDIA RTX A4000',
  'NVIDIA RTX A4500',
  'NVIDIA RTX A5000',
  'NVIDIA RTX A6000',
  'NVIDIA RTX PRO 4500 Blackwell',
  'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition',
  'NVIDIA RTX PRO 6000 Blackwell Server Edition MIG 1g.24gb',
  'NVIDIA RTX PRO 6000 Blackwell Server Edition MIG 2g.48gb',
  'NVIDIA RTX PRO 6000 Blackwell Server Edition',
  'NVIDIA RTX PRO 6000 Blackwell Workstation Edition',
  'Tesla V100-PCIE-16GB',
  'Tesla V100-SXM2-16GB',
  'Tesla V100-SXM2-32GB',
];

const byId = new Map(GPUS.map((g) => [g.id, g]));

describe('GPU table', () => {
  it('has exactly the GPU ids RunPod lists', () => {
    expect(GPUS.map((g) => g.id).sort()).toEqual([...RUNPOD_GPU_IDS].sort());
  });

  it('every row has usable memory, bandwidth, a best-for note and a source', () => {
    for (const g of GPUS) {
      expect(g.usableGiB, g.id).toBeGreaterThan(0);
      expect(g.usableGiB, g.id).toBeLessThanOrEqual(g.memoryGb + 0.01);
      expect(g.bandwidthGBs, g.id).toBeGreaterThan(100);
      expect(g.bestFor.length, g.id).toBeGreaterThan(10);
      expect(g.source, g.id).toMatch(/runpod|RunPod/);
      if (g.fp16TensorTflops === null) expect(g.tflopsBasis).toBe('unknown');
    }
  });

  it('shows what the driver shows: 45.0 GiB on L40S/L40/A40 (ECC), 48 on A6000/6000 Ada, 79.6 on H100', () => {
    for (const id of ['NVIDIA L40S', 'NVIDIA L40', 'NVIDIA A40'])
      expect(byId.get(id)!.usableGiB).toBeCloseTo(45.0, 1);
    expect(byId.get('NVIDIA RTX A6000')!.usableGiB).toBeCloseTo(48, 0);
    expect(byId.get('NVIDIA RTX 6000 Ada Generation')!.usableGiB).toBeCloseTo(48, 0);
    expect(byId.get('NVIDIA H100 80GB HBM3')!.usableGiB).toBeCloseTo(79.65, 2);
    expect(byId.get('NVIDIA L4')!.usableGiB).toBeCloseTo(22.49, 2);
  });

  it('uses one TFLOPS definition: dense tensor BF16/FP16 with FP32 accumulate', () => {
    // The seed mixed the RTX 4090's non-tensor 82.6 with tensor figures for datacenter parts.
    expect(byId.get('NVIDIA GeForce RTX 4090')!.fp16TensorTflops).toBe(165.2);
    expect(byId.get('NVIDIA A100-SXM4-80GB')!.fp16TensorTflops).toBe(312);
    expect(byId.get('NVIDIA H100 80GB HBM3')!.fp16TensorTflops).toBe(989);
    expect(byId.get('NVIDIA H100 PCIe')!.fp16TensorTflops).toBe(756);
    expect(byId.get('NVIDIA L40S')!.fp16TensorTflops).toBe(362);
  });

  it('FP8 tensor cores only on Ada, Hopper, Blackwell and CDNA 3', () => {
    for (const g of GPUS) {
      const expected = g.architecture !== 'Ampere' && g.architecture !== 'Volta';
      expect(g.fp8, g.id).toBe(expected);
    }
  });

  it('NVLink/NVSwitch is always there on SXM boards and never on GeForce 40/50 or L-series', () => {
    expect(byId.get('NVIDIA H100 80GB HBM3')!.interconnect).toBe('nvswitch');
    expect(byId.get('NVIDIA A100-SXM4-80GB')!.interconnect).toBe('nvswitch');
    for (const id of ['NVIDIA GeForce RTX 4090', 'NVIDIA GeForce RTX 5090', 'NVIDIA L40S', 'NVIDIA L4']) {
      expect(byId.get(id)!.interconnect).toBe('pcie');
    }
  });
});

describe('price snapshot', () => {
  it('records its source, "as of" date and SECURE-only scope', () => {
    expect(PRICE_SNAPSHOT_META.asOf).toBe('2025-09');
    expect(PRICE_SNAPSHOT_META.source).toContain('skypilot-catalog');
    expect(PRICE_SNAPSHOT_META.source).toContain('0727c2bd9e77f91cb1377127c5f793a28cf01384');
    expect(PRICE_SNAPSHOT_META.clouds).toEqual(['SECURE']);
    expect(PRICE_SNAPSHOT_META.thirdParty).toBe(true);
  });

  it('covers the 20 GPU types of the source, each a RunPod id in the table', () => {
    expect(PRICE_SNAPSHOT).toHaveLength(20);
    for (const p of PRICE_SNAPSHOT) {
      expect(byId.has(p.gpuId), p.gpuId).toBe(true);
      expect(p.cloud).toBe('SECURE');
    }
  });

  it('keeps the source numbers (A40 0.44, 4090 0.69/0.34, H100 SXM 2.99/2.69, A100 PCIe 1.62 from 2 GPUs)', () => {
    expect(priceFor(SNAPSHOT_BOOK, 'NVIDIA A40', 1).onDemandPerGpu).toBe(0.44);
    const r4090 = priceFor(SNAPSHOT_BOOK, 'NVIDIA GeForce RTX 4090', 1);
    expect([r4090.onDemandPerGpu, r4090.spotPerGpu]).toEqual([0.69, 0.34]);
    const h100 = priceFor(SNAPSHOT_BOOK, 'NVIDIA H100 80GB HBM3', 8);
    expect([h100.onDemandPerGpu, h100.spotPerGpu]).toEqual([2.99, 2.69]);
    expect(priceFor(SNAPSHOT_BOOK, 'NVIDIA A100 80GB PCIe', 1).onDemandPerGpu).toBe(1.64);
    expect(priceFor(SNAPSHOT_BOOK, 'NVIDIA A100 80GB PCIe', 4).onDemandPerGpu).toBe(1.62);
  });

  it('flags the L40S columns that look swapped in the source', () => {
    const l40s = priceFor(SNAPSHOT_BOOK, 'NVIDIA L40S', 1);
    expect(l40s.caveat).toMatch(/swapped/);
    expect(l40s.onDemandPerGpu!).toBeGreaterThan(l40s.spotPerGpu!);
  });

  it('never invents a price: GPUs the source does not cover have none', () => {
    const covered = new Set(PRICE_SNAPSHOT.map((p) => p.gpuId));
    const uncovered = GPUS.filter((g) => !covered.has(g.id));
    expect(uncovered.length).toBe(GPUS.length - 20);
    for (const g of uncovered) {
      const p = priceFor(SNAPSHOT_BOOK, g.id, 1);
      expect(p.onDemandPerGpu, g.id).toBeNull();
      expect(p.spotPerGpu, g.id).toBeNull();
      expect(p.source, g.id).toBe('none');
    }
  });
});

describe('model registry', () => {
  const llms = MODELS.filter((m) => m.kind === 'llm');

  it('has the families the catalog promises', () => {
    const ids = new Set(MODELS.map((m) => m.id));
    for (const id of [
      'llama-3.2-1b',
      'llama-3.2-3b',
      'llama-3.1-8b',
      'llama-3.1-70b',
      'llama-3.3-70b',
      'llama-3.1-405b',
      'mistral-7b',
      'mixtral-8x7b',
      'mixtral-8x22b',
      'qwen2.5-7b',
      'qwen2.5-14b',
      'qwen2.5-32b',
      'qwen2.5-72b',
      'gemma-2-9b',
      'gemma-2-27b',
      'phi-3-mini',
      'phi-3-medium',
      'deepseek-v3',
      'deepseek-r1',
      'deepseek-r1-distill-llama-70b',
      'deepseek-r1-distill-qwen-32b',
      'bge-large-en-v1.5',
      'whisper-large-v3',
      'sdxl-base-1.0',
    ]) {
      expect(ids.has(id), id).toBe(true);
    }
  });

  it('has unique ids and what the estimate needs for every LLM', () => {
    expect(new Set(MODELS.map((m) => m.id)).size).toBe(MODELS.length);
    for (const m of llms) {
      for (const k of [
        'layers',
        'hidden',
        'heads',
        'kvHeads',
        'headDim',
        'intermediate',
        'vocab',
        'maxContext',
      ] as const) {
        expect(m[k], `${m.id}.${k}`).toBeGreaterThan(0);
      }
      if (m.attention === 'gqa') expect(m.heads % m.kvHeads, m.id).toBe(0);
      if (m.moe) expect(m.activeParamsB, m.id).toBeLessThan(m.paramsB);
    }
  });

  it('dense configs add up to the published parameter counts (gpu-sizing.md §2.2 formula, ±1.5 %)', () => {
    // Not covered by the plain formula: vision towers, MLA, alternating MoE layers, Phi-3-small's MLP.
    const skip = new Set([
      'llama-3.2-11b-vision',
      'llama-3.2-90b-vision',
      'llama-4-scout',
      'llama-4-maverick',
      'gemma-3-4b',
      'gemma-3-12b',
      'gemma-3-27b',
      'phi-3-small',
      'deepseek-v3',
      'deepseek-r1',
      'kimi-k2',
      'mistral-small-3.1-24b',
    ]);
    for (const m of llms) {
      if (skip.has(m.id)) continue;
      const h = m.hidden;
      const q = m.heads * m.headDim;
      const kv = m.kvHeads * m.headDim;
      const perLayer = h * q + 2 * h * kv + q * h + 3 * h * m.intermediate * (m.moe?.experts ?? 1);
      const total = (m.layers * perLayer + m.vocab * h * (m.tiedEmbeddings ? 1 : 2)) / 1e9;
      expect(Math.abs(total - m.paramsB) / m.paramsB, m.id).toBeLessThan(0.015);
    }
  });

  it('every model cites a source', () => {
    for (const m of MODELS) expect(m.source.length, m.id).toBeGreaterThan(5);
  });
});
