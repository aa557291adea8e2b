// Properties that must hold for any workload and any question (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeQuestion,
  answerQuestion,
  buildAnswer,
  estimate,
  type FormatId,
  GPU_BY_ID,
  MODELS,
  perGpuNeed,
  tensorParallelProblem,
  UTILISATION_FOR_TESTS,
  type Workload,
} from './helpers.ts';

const LLMS = MODELS.filter((m) => m.kind === 'llm');

/** Format chains ordered from widest to narrowest: moving right never needs more memory. */
const CHAINS: FormatId[][] = [
  ['fp32', 'bf16', 'fp8', 'awq'],
  ['fp32', 'bf16', 'int8', 'nf4'],
  ['bf16', 'gguf-q8_0', 'gguf-q6_k', 'gguf-q5_k_m', 'gguf-q4_k_m', 'gguf-q4_0', 'gguf-q3_k_m'],
  ['bf16', 'fp8', 'gptq'],
];

const workload = fc.record({
  model: fc.constantFrom(...LLMS),
  format: fc.constantFrom<FormatId>(
    'fp32',
    'bf16',
    'fp8',
    'int8',
    'awq',
    'gptq',
    'nf4',
    'gguf-q4_k_m',
    'gguf-q8_0',
  ),
  contextTokens: fc.integer({ min: 128, max: 262144 }),
  concurrency: fc.integer({ min: 1, max: 256 }),
  kvBytes: fc.constantFrom<1 | 2>(1, 2),
  task: fc.constantFrom<Workload['task']>('serve', 'serve', 'lora', 'qlora', 'full-finetune'),
});

const toWorkload = (w: {
  model: Workload['model'];
  format: FormatId;
  contextTokens: number;
  concurrency: number;
  kvBytes: 1 | 2;
  task: Workload['task'];
}): Workload => ({ ...w, loraRank: 16, optimizer: 'adamw' });

const counts = fc.constantFrom(1, 2, 4, 8);

describe('monotonic needs', () => {
  it('more context never lowers the need (total and per GPU)', () => {
    fc.assert(
      fc.property(workload, fc.integer({ min: 1, max: 131072 }), counts, (w, extra, n) => {
        const a = estimate(toWorkload(w));
        const b = estimate(toWorkload({ ...w, contextTokens: w.contextTokens + extra }));
        expect(b.totalGiB).toBeGreaterThanOrEqual(a.totalGiB - 1e-9);
        for (const mode of ['tensor', 'pipeline', 'fsdp'] as const) {
          expect(perGpuNeed(b, n, mode)).toBeGreaterThanOrEqual(perGpuNeed(a, n, mode) - 1e-9);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('more users never lowers the need', () => {
    fc.assert(
      fc.property(workload, fc.integer({ min: 1, max: 64 }), counts, (w, extra, n) => {
        const a = estimate(toWorkload(w));
        const b = estimate(toWorkload({ ...w, concurrency: w.concurrency + extra }));
        expect(b.totalGiB).toBeGreaterThanOrEqual(a.totalGiB - 1e-9);
        expect(perGpuNeed(b, n, 'tensor')).toBeGreaterThanOrEqual(perGpuNeed(a, n, 'tensor') - 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('a wider precision never lowers the need', () => {
    fc.assert(
      fc.property(workload, fc.constantFrom(...CHAINS), fc.nat(), fc.nat(), counts, (w, chain, i, j, n) => {
        const [lo, hi] = [i % chain.length, j % chain.length].sort((x, y) => x - y) as [number, number];
        const serve = { ...w, task: 'serve' as const };
        const wide = estimate(toWorkload({ ...serve, format: chain[lo]! }));
        const narrow = estimate(toWorkload({ ...serve, format: chain[hi]! }));
        expect(wide.weightsGiB).toBeGreaterThanOrEqual(narrow.weightsGiB - 1e-9);
        expect(wide.totalGiB).toBeGreaterThanOrEqual(narrow.totalGiB - 1e-9);
        expect(perGpuNeed(wide, n, 'tensor')).toBeGreaterThanOrEqual(perGpuNeed(narrow, n, 'tensor') - 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});

// Questions assembled from the pieces people use, so the properties run through the parser too.
const question = fc
  .tuple(
    fc.constantFrom(
      'llama 3.1 8b',
      '70b',
      'llama 3.3 70b',
      'qwen2.5 72b',
      'qwen2.5 32b',
      'mixtral 8x7b',
      'mixtral 8x22b',
      'deepseek r1',
      'gemma 2 27b',
      'phi-3 medium',
      'mistral 7b',
      'llama 3.1 405b',
      'gpt-oss-120b',
      'qwen3 30b a3b',
      'whisper',
      'sdxl',
      'bge-large',
      '13b',
      'falcon 40b',
    ),
    fc.constantFrom('', ' awq', ' bf16', ' fp8', ' int4', ' q4_k_m', ' gptq', ' fp32'),
    fc.constantFrom('', ' lora', ' qlora', ' full fine-tune'),
    fc.constantFrom('', ' 4k context', ' 32k context', ' 128k context'),
    fc.constantFrom('', ' for 4 users', ' for 32 concurrent users', ' batch 8'),
    fc.constantFrom('', ' spot', ' on-demand', ' under $2/hr', ' on a single gpu', ' on 2 gpus'),
  )
  .map((parts) => parts.join(''));

describe('recommendations', () => {
  it('a recommended setup always fits, and its arithmetic agrees', () => {
    fc.assert(
      fc.property(question, (q) => {
        const a = answerQuestion(q);
        for (const o of a.options) {
          expect(Math.abs(o.budgetGiB - o.usableGiB * UTILISATION_FOR_TESTS)).toBeLessThanOrEqual(0.006);
          const gpu = GPU_BY_ID.get(o.gpuId)!;
          expect(o.gpusPerNode).toBeLessThanOrEqual(gpu.maxCount);
          expect(o.count).toBe(o.nodes * o.gpusPerNode);
          // Only the setup the question named may be shown without fitting.
          if (o.role === 'named') continue;
          expect(o.fits).toBe(true);
          expect(o.perGpuNeedGiB).toBeLessThanOrEqual(o.budgetGiB + 1e-9);
          expect(o.headroomGiB).toBeGreaterThanOrEqual(0);
          expect(gpu.legacy).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('an invalid tensor-parallel count is never recommended', () => {
    fc.assert(
      fc.property(question, (q) => {
        const analysis = analyzeQuestion(q);
        const a = buildAnswer(analysis);
        const w = analysis.workload;
        for (const o of a.options) {
          expect(w).not.toBeNull();
          if (o.parallelism === 'tensor')
            expect(tensorParallelProblem(w!.model, w!.format, o.count)).toBeNull();
          if (o.count > 1 && w!.model.kind !== 'llm') throw new Error('non-LLM split across GPUs');
          expect(o.parallelism).not.toBe('pipeline');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('every price in every answer comes with its source', () => {
    fc.assert(
      fc.property(question, (q) => {
        const a = answerQuestion(q);
        for (const o of a.options) {
          const priced = o.onDemandUsdPerHr !== null || o.spotUsdPerHr !== null;
          expect(priced ? o.priceSource !== 'none' : o.priceSource === 'none').toBe(true);
          if (priced) expect(o.priceAsOf).not.toBeNull();
        }
        if (a.fitCheck && a.fitCheck.onDemandUsdPerHr !== null)
          expect(a.fitCheck.priceSource).not.toBe('none');
        for (const g of a.gpus) {
          if (g.onDemandUsdPerGpuHr !== null) expect(g.priceSource).not.toBe('none');
        }
        expect(a.priceSource.text.length).toBeGreaterThan(5);
        if (a.options.slice(0, 3).some((o) => o.priceSource === 'snapshot')) {
          expect(a.priceSource.text).toMatch(/snapshot as of/);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('robustness', () => {
  it('survives words that are also object keys', () => {
    for (const q of [
      '__proto__',
      'constructor 70b',
      'toString hasOwnProperty',
      'llama __proto__ 8b',
      'valueOf',
    ]) {
      const a = answerQuestion(q);
      expect(['ok', 'clarify', 'refuse'], q).toContain(a.status);
    }
    expect(answerQuestion('llama __proto__ 8b').intent.model?.id).toBe('llama-3.1-8b');
  });

  it('never throws and always answers ok, clarify or refuse, whatever the text', () => {
    // Word soup from the parser's own triggers: glued units, counts, labels, cues, rates.
    const soup = fc
      .array(
        fc.constantFrom(
          '30tok',
          '40tps',
          's',
          '/',
          'tok',
          '2k',
          '8k',
          '24gb',
          '24',
          'gb',
          'x',
          '2x',
          'x2',
          'users:',
          'users',
          'context:',
          '~10',
          'rps',
          '512',
          'out',
          'output',
          'tokens',
          'per',
          'second',
          'not',
          'is',
          'ok',
          "isn't",
          'no',
          'more',
          'than',
          'at',
          'most',
          'up',
          'to',
          'gpus',
          'how',
          'many',
          'a',
          'pair',
          'of',
          'h100s',
          'a6000',
          '12',
          'llama',
          '70b',
          'awq',
          'spot',
          'community',
          'cloud',
          'lora',
          'fine-tune',
          '_',
          '*',
          '•',
          '\n',
          'nothing',
          'over',
          '$1/h',
          'fewer',
          '<=',
          'dozen',
          'fp8',
          'kv',
          'cache',
        ),
        { maxLength: 14 },
      )
      .map((w) => w.join(' '));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 120 }),
          question,
          soup,
        ),
        (q) => {
          const a = answerQuestion(q);
          expect(['ok', 'clarify', 'refuse']).toContain(a.status);
          if (a.status !== 'ok') expect(a.message).toBeTruthy();
          expect(a.headline.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
