// The worked examples of gpu-sizing.md (§0, §2, §3, §6, §10) reproduce within 5 %, and the arithmetic
// the answer shows is the arithmetic that was done.
import { describe, expect, it } from 'vitest';
import {
  answerQuestion,
  estimate,
  kvBytesPerToken,
  MODEL_BY_ID,
  type ModelSpec,
  perGpuNeed,
  tensorParallelProblem,
  weightBytes,
  type Workload,
} from '../../src/catalog/index.ts';
import { loraParamsB } from '../../src/catalog/estimate.ts';

const GIB = 1024 ** 3;
const model = (id: string): ModelSpec => {
  const m = MODEL_BY_ID.get(id);
  if (!m) throw new Error(`no model ${id}`);
  return m;
};
const within = (actual: number, expected: number, pct = 5) =>
  expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(pct / 100);

const serve = (id: string, format: Workload['format'], ctx: number, users = 1): Workload => ({
  model: model(id),
  format,
  task: 'serve',
  contextTokens: ctx,
  concurrency: users,
  kvBytes: 2,
  loraRank: 16,
  optimizer: 'adamw',
});

describe('worked example: 70B AWQ (gpu-sizing.md §0, §10)', () => {
  const e = estimate(serve('llama-3.3-70b', 'awq', 8192));

  it('weights 37.0 GiB, KV 320 KiB/token and 2.5 GiB at 8k, runtime 2.5 GiB, total ≈42 GiB', () => {
    within(e.weightsGiB, 37.0);
    expect(e.kvBytesPerToken).toBe(320 * 1024);
    within(e.kvGiB, 2.5);
    expect(e.runtimeGiB).toBe(2.5);
    within(e.totalGiB, 42.0);
  });

  it('recommends one 48 GB card, never 2× A100 80GB', () => {
    const a = answerQuestion('70B AWQ');
    const top = a.options[0]!;
    expect(top.count).toBe(1);
    expect(top.usableGiB).toBeGreaterThanOrEqual(44.9);
    expect(top.usableGiB).toBeLessThan(49);
    expect(a.options.some((o) => o.gpuId === 'NVIDIA A100-SXM4-80GB' && o.count === 2)).toBe(false);
    expect(a.estimate!.lines.join('\n')).toContain('320 KiB/token');
  });

  it('with vLLM defaults (R = 6 GiB, u = 0.9) it needs ≈50 GiB, which is why it "only fits short contexts"', () => {
    within((e.weightsGiB + e.kvGiB + e.runtimeDefaultGiB) / 0.9, 50.6);
    const a = answerQuestion('70B AWQ');
    expect(a.options[0]!.fitsWithVllmDefaults).toBe(false);
  });
});

describe('worked example: 70B AWQ at 32k × 4 users', () => {
  it('KV alone is 40 GiB; two 48 GB cards (TP=2) or one card of ≥ 94 GB', () => {
    const e = estimate(serve('llama-3.3-70b', 'awq', 32768, 4));
    within(e.kvGiB, 40);
    const a = answerQuestion('70b awq at 32k context for 4 users');
    const top = a.options[0]!;
    expect(top.count).toBe(2);
    expect(top.usableGiB).toBeGreaterThanOrEqual(44.9);
    expect(top.parallelism).toBe('tensor');
    within(top.perGpuNeedGiB, 37.0 / 2 + 40 / 2 + 2.5);
    const singles = a.options.filter((o) => o.count === 1);
    expect(singles.length).toBeGreaterThan(0);
    for (const o of singles) expect(o.usableGiB).toBeGreaterThanOrEqual(93);
    expect(singles.map((o) => o.gpuName)).toContain('H100 NVL');
  });
});

describe('worked example: 8B BF16 at 128k', () => {
  it('shows the KV arithmetic: 128 KiB/token × 131,072 tokens = 16 GiB', () => {
    const a = answerQuestion('llama 3.1 8b bf16 128k context');
    const kv = a.estimate!.lines.find((l) => l.startsWith('KV'))!;
    expect(kv).toContain('2 × 32 layers × 8 KV heads × 128 head_dim × 2 B');
    expect(kv).toContain('128 KiB/token');
    expect(kv).toContain('131,072 tokens');
    expect(a.estimate!.kvGiB).toBeCloseTo(16, 5);
    within(a.estimate!.weightsGiB, 15.0);
    expect(a.estimate!.lines.at(-1)).toMatch(/total per GPU .* ≤ 0\.95 × .* ✓/);
  });
});

describe('weights by format (gpu-sizing.md §2.1)', () => {
  it.each([
    ['llama-3.1-70b', 'fp8', 67.7],
    ['llama-3.1-8b', 'fp8', 8.5],
    ['llama-3.1-8b', 'awq', 5.3],
    ['qwen2.5-72b', 'awq', 38.6],
    ['llama-3.1-70b', 'nf4', 36.8],
    ['mixtral-8x7b', 'bf16', 87.0],
    ['llama-3.1-405b', 'bf16', 756],
    ['llama-3.1-70b', 'bf16', 131.4],
    ['gemma-2-27b', 'bf16', 50.7],
    ['phi-3-mini', 'bf16', 7.1],
    ['bge-large-en-v1.5', 'bf16', 0.62],
    ['whisper-large-v3', 'bf16', 2.9],
    ['sdxl-base-1.0', 'bf16', 6.5],
  ] as const)('%s in %s ≈ %s GiB', (id, format, gib) => {
    within(weightBytes(model(id), format) / GIB, gib);
  });

  it('GGUF Q4_K_M of a 70B is the 43.1 GB file llama.cpp reports', () => {
    within(weightBytes(model('llama-3.1-70b'), 'gguf-q4_k_m') / 1e9, 43.1, 1);
  });

  it('DeepSeek-V3 in its native FP8 is ≈625–642 GiB', () => {
    const g = weightBytes(model('deepseek-v3'), 'fp8') / GIB;
    expect(g).toBeGreaterThan(620);
    expect(g).toBeLessThan(645);
  });

  it('gpt-oss-120b keeps attention and embeddings in BF16 and fits one 80 GB GPU', () => {
    const g = weightBytes(model('gpt-oss-120b'), 'mxfp4') / GIB;
    expect(g).toBeGreaterThan(55);
    expect(g).toBeLessThan(65);
  });
});

describe('KV cache per token (gpu-sizing.md §3, §8)', () => {
  it.each([
    ['llama-3.1-8b', 128],
    ['llama-3.1-70b', 320],
    ['llama-3.1-405b', 504],
    ['llama-3.2-1b', 32],
    ['llama-3.2-3b', 112],
    ['qwen2.5-7b', 56],
    ['qwen2.5-14b', 192],
    ['qwen2.5-32b', 256],
    ['gemma-2-9b', 336],
    ['gemma-2-27b', 368],
    ['phi-3-mini', 384],
    ['phi-3-medium', 200],
    ['mixtral-8x22b', 224],
  ] as const)('%s: %s KiB/token in BF16', (id, kib) => {
    expect(kvBytesPerToken(model(id), 2)).toBe(kib * 1024);
  });

  it('DeepSeek-V3 MLA latent: 61 × 576 × 2 B = 68.6 KiB/token, replicated on every TP rank', () => {
    within(kvBytesPerToken(model('deepseek-v3'), 2) / 1024, 68.6, 0.5);
    const e = estimate(serve('deepseek-v3', 'fp8', 65536));
    expect(e.kvSplit).toBe('replicated');
    const tp8 = perGpuNeed(e, 8, 'tensor');
    expect(tp8 - e.weightsGiB / 8 - e.runtimeGiB).toBeCloseTo(e.kvGiB, 6);
  });

  it('an FP8 KV cache halves it', () => {
    expect(kvBytesPerToken(model('llama-3.1-70b'), 1)).toBe(160 * 1024);
  });

  it('GQA splits KV by head under TP, replicated past the KV head count', () => {
    const e = estimate(serve('qwen2.5-7b', 'bf16', 32768));
    const kvAt = (n: number) => perGpuNeed(e, n, 'tensor') - e.weightsGiB / n - e.runtimeGiB;
    expect(kvAt(2)).toBeCloseTo(e.kvGiB / 2, 6);
    expect(kvAt(4)).toBeCloseTo(e.kvGiB / 4, 6);
    // 4 KV heads: at TP=7 (if it were valid) each GPU would still hold a whole head.
    expect(e.workload.model.kvHeads).toBe(4);
  });
});

describe('training memory (gpu-sizing.md §6)', () => {
  const train = (id: string, task: Workload['task'], format: Workload['format'], seq = 2048): Workload => ({
    model: model(id),
    format,
    task,
    contextTokens: seq,
    concurrency: 1,
    kvBytes: 2,
    loraRank: 16,
    optimizer: 'adamw',
  });

  it('full fine-tune of Llama-3.1-8B: 16 B/param = 119.7 GiB plus activations ≈ 124 GiB', () => {
    const e = estimate(train('llama-3.1-8b', 'full-finetune', 'bf16'));
    within(e.weightsGiB + e.trainStatesGiB, 119.7);
    within(e.activationsGiB, 2.7);
    within(e.totalGiB, 124);
  });

  it('LoRA r=16 adapters: 42M params for Llama-3.1-8B, 207M for Llama-3-70B', () => {
    within(loraParamsB(model('llama-3.1-8b'), 16) * 1000, 42);
    within(loraParamsB(model('llama-3-70b'), 16) * 1000, 207);
  });

  it('LoRA of Llama-3.1-8B ≈ 19.3 GiB → a 24 GB card', () => {
    const e = estimate(train('llama-3.1-8b', 'lora', 'bf16'));
    within(e.totalGiB, 19.3);
    const a = answerQuestion('lora llama 3.1 8b');
    expect(a.options[0]!.count).toBe(1);
    expect(a.options[0]!.usableGiB).toBeGreaterThanOrEqual(22);
  });

  it('LoRA of Llama-2-13B ≈ 27.7 GiB', () => {
    within(estimate(train('llama-2-13b', 'lora', 'bf16')).totalGiB, 27.7);
  });

  it('QLoRA of Llama-3-70B at 2k sequences lands between the 43 and 53 GiB of the notes', () => {
    const t = estimate(train('llama-3-70b', 'qlora', 'nf4')).totalGiB;
    expect(t).toBeGreaterThan(43);
    expect(t).toBeLessThan(53);
  });

  it('QLoRA of Llama-3-8B fits a 12–16 GB card (8–12 GiB)', () => {
    const t = estimate(train('llama-3-8b', 'qlora', 'nf4')).totalGiB;
    expect(t).toBeGreaterThan(8);
    expect(t).toBeLessThan(12);
  });

  it('FSDP shards weights and optimizer states, not activations', () => {
    const e = estimate(train('llama-3.1-8b', 'full-finetune', 'bf16'));
    expect(perGpuNeed(e, 4, 'fsdp')).toBeCloseTo(e.shardableGiB / 4 + e.activationsGiB + e.runtimeGiB, 6);
  });
});

describe('tensor-parallel validity (gpu-sizing.md §5)', () => {
  it('Qwen2.5-72B AWQ: 29568/128 = 231 groups, so TP = 2/4/8 fail; BF16 is fine', () => {
    for (const n of [2, 4, 8]) expect(tensorParallelProblem(model('qwen2.5-72b'), 'awq', n)).not.toBeNull();
    for (const n of [2, 4, 8]) expect(tensorParallelProblem(model('qwen2.5-72b'), 'bf16', n)).toBeNull();
  });

  it('Phi-3-medium (40 heads, 10 KV heads): TP ∈ {1, 2, 5}, not 4 or 8', () => {
    const m = model('phi-3-medium');
    expect([1, 2, 3, 4, 5, 6, 7, 8].filter((n) => tensorParallelProblem(m, 'bf16', n) === null)).toEqual([
      1, 2, 5,
    ]);
  });

  it('TP = 3, 5, 6, 7 are invalid for Llama-3 70B', () => {
    for (const n of [3, 5, 6, 7])
      expect(tensorParallelProblem(model('llama-3.3-70b'), 'bf16', n)).not.toBeNull();
  });

  it('a recommended Qwen2.5-72B AWQ setup is never TP = 2/4/8', () => {
    const a = answerQuestion('qwen2.5 72b awq at 32k context with 8 users');
    expect(a.options.length).toBeGreaterThan(0);
    for (const o of a.options) expect(o.count).toBe(1);
  });
});

describe('non-LLM workloads (gpu-sizing.md §7)', () => {
  it('embeddings: bge-large ≈ 2–4 GiB', () => {
    const a = answerQuestion('bge-large embeddings');
    expect(a.estimate!.totalGiB).toBeGreaterThan(2);
    expect(a.estimate!.totalGiB).toBeLessThan(4);
  });

  it('Whisper large-v3: 234 MiB cross-attention cache per stream; 4–8 GiB with batching', () => {
    const e = estimate({ ...serve('whisper-large-v3', 'bf16', 448, 8), task: 'transcription' });
    within(e.kvFixedPerSeqGiB * 1024, 234, 1);
    expect(e.totalGiB).toBeGreaterThan(4);
    expect(e.totalGiB).toBeLessThan(8);
  });

  it('SDXL at 1024²: 9–12 GiB peak → 16 GB works', () => {
    const a = answerQuestion('sdxl');
    expect(a.estimate!.totalGiB).toBeGreaterThanOrEqual(9);
    expect(a.estimate!.totalGiB).toBeLessThanOrEqual(12);
  });
});
