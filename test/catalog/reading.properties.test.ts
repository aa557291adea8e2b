// Properties of how questions are read: named hardware leads, negated options never come back, and every
// count offered exists and splits the model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOUR_BIT } from '../../src/catalog/exclusions.ts';
import { FORMAT_WORDS, ON_DEMAND, SPOT } from '../../src/catalog/intent-words.ts';
import { analyzeQuestion, answerQuestion, type FormatId, GPUS, tensorParallelProblem } from './helpers.ts';

const MODELS = [
  'llama 3.1 8b',
  'mistral 7b',
  '70b awq',
  'qwen2.5 32b',
  'llama 3.3 70b fp8',
  'gemma 3 27b',
  'gpt-oss-120b',
  'deepseek r1',
  'qwen3 30b a3b',
  'mixtral 8x7b',
  'phi-3 medium',
  'llama 3.1 405b fp8',
  'lora llama 3.1 8b',
  'full fine-tune qwen2.5 7b',
];
const RENTABLE = GPUS.filter((g) => !g.legacy && g.maxCount > 1);
const CUES = [
  'no',
  'not',
  'without',
  'anything but',
  'except',
  'w/o',
  "don't want",
  'avoid',
  'excluding',
  'never',
];

/** What a negated word forbids in the answer's intent. */
type Rule = {
  word: string;
  format?: true;
  task?: true;
  bad: (a: ReturnType<typeof answerQuestion>) => boolean;
};
const RULES: Rule[] = [];
for (const [word, f] of FORMAT_WORDS) {
  if (f === 'unquantized') continue;
  if (f === 'bits4')
    RULES.push({ word, format: true, bad: (a) => FOUR_BIT.includes(a.intent.format as FormatId) });
  else if (f === 'quantized')
    RULES.push({
      word,
      format: true,
      // "Without quantization" is the published checkpoint: BF16, or FP8 for a model that ships in FP8.
      bad: (a) =>
        !['bf16', 'fp32', 'fp8'].includes(a.intent.format ?? 'bf16') ||
        (a.intent.format === 'fp8' && a.intent.model?.id !== 'deepseek-r1'),
    });
  else RULES.push({ word, format: true, bad: (a) => a.intent.format === f });
}
for (const word of ['gguf', 'ollama'])
  RULES.push({ word, format: true, bad: (a) => (a.intent.format ?? '').startsWith('gguf') });
for (const word of ['lora', 'peft', 'adapters'])
  RULES.push({ word, task: true, bad: (a) => a.intent.task === 'lora' });
RULES.push({ word: 'qlora', task: true, bad: (a) => a.intent.task === 'qlora' });
for (const word of SPOT) RULES.push({ word, bad: (a) => a.intent.pricing === 'spot' });
for (const word of ON_DEMAND)
  RULES.push({ word, bad: (a) => a.intent.pricing === 'on-demand' && a.intent.stated.pricing });
RULES.push({ word: 'community cloud', bad: (a) => a.intent.cloud === 'COMMUNITY' });
RULES.push({ word: 'secure cloud', bad: (a) => a.intent.cloud === 'SECURE' });
for (const [word, seg] of [
  ['consumer cards', 'consumer'],
  ['geforce', 'consumer'],
  ['workstation gpus', 'workstation'],
  ['datacenter gpus', 'datacenter'],
] as const)
  RULES.push({
    word,
    bad: (a) => a.options.some((o) => GPUS.find((g) => g.id === o.gpuId)!.segment === seg),
  });
RULES.push({ word: 'amd', bad: (a) => a.options.some((o) => o.gpuName === 'MI300X') });
for (const g of RENTABLE)
  RULES.push({
    word: g.displayName,
    bad: (a) => a.options.some((o) => o.gpuId === g.id) || a.intent.hardware?.gpuId === g.id,
  });

describe('reading properties', () => {
  it('a negated option never appears in the parsed intent or the options', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...CUES),
        fc.constantFrom(...RULES),
        fc.constantFrom(', ', ' ', ' — '),
        fc.boolean(),
        (model, cue, rule, sep, before) => {
          // A format stated outright ("70b awq, no quantization") is a contradiction, not a negation.
          if ((rule.format && /awq|fp8/.test(model)) || (rule.task && /lora|fine-tune/.test(model))) return;
          const q = before ? `${cue} ${rule.word}${sep}${model}` : `${model}${sep}${cue} ${rule.word}`;
          const a = answerQuestion(q);
          expect(rule.bad(a), `${q} → ${a.headline}`).toBe(false);
          expect(a.intent.negated.length, q).toBeGreaterThan(0);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('every negatable option is covered: formats, tasks, pricing, clouds, segments, vendors and every GPU', () => {
    expect(RULES.length).toBeGreaterThan(FORMAT_WORDS.size + RENTABLE.length);
  });

  it('naming hardware makes it the first option (rentable) or the verdict (owned or a bare size)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...RENTABLE),
        fc.constantFrom(null, 1, 2, 4, 8),
        fc.constantFrom('on', 'will it fit on', 'on spot', 'how many'),
        (model, gpu, count, how) => {
          // "L40s" reads as the L40S, as people mean it: ask for the L40 by "L40 cards".
          const plural = GPUS.some((g) => g.displayName.toLowerCase() === `${gpu.displayName.toLowerCase()}s`)
            ? `${gpu.displayName} cards`
            : `${gpu.displayName}s`;
          const q =
            how === 'how many'
              ? `how many ${plural} for ${model}`
              : `${model} ${how} ${count === null ? 'a' : `${count}x`} ${gpu.displayName}`;
          const a = answerQuestion(q);
          if (a.status !== 'ok') return;
          expect(a.fitCheck, q).not.toBeNull();
          const first = a.options[0]!;
          expect(first.role, q).toBe('named');
          expect(first.gpuId, q).toBe(gpu.id);
          if (how !== 'how many') expect(first.count, q).toBe(count ?? 1);
          expect(first.fits).toBe(a.fitCheck!.fits);
          for (const o of a.options.slice(1)) expect(o.role).toBe('alternative');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('"how many" answers the smallest valid count of that type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), fc.constantFrom(...RENTABLE), (model, gpu) => {
        const a = answerQuestion(`how many ${gpu.displayName} gpus for ${model}`);
        if (a.status !== 'ok' || !a.options[0]?.fits) return;
        const first = a.options[0];
        // No smaller pod count of the same type fits.
        const fewer = answerQuestion(`${model} on ${first.count / 2}x ${gpu.displayName}`);
        if (first.count > 1 && first.nodes === 1)
          expect(fewer.fitCheck?.fits, `${model} ${gpu.displayName}`).toBe(false);
      }),
      { numRuns: 150 },
    );
  });

  it('every count offered exists for its type and splits the model', () => {
    const extras = [
      '',
      ' at 32k',
      ' for 20 users',
      ' on 3 gpus',
      ' on 7 gpus',
      ' at 128k for 8 users',
      ' tp=6',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...MODELS), fc.constantFrom(...extras), (model, extra) => {
        const q = `${model}${extra}`;
        const an = analyzeQuestion(q);
        const a = answerQuestion(q);
        const w = an.workload;
        for (const o of a.options) {
          const g = GPUS.find((x) => x.id === o.gpuId)!;
          expect(o.gpusPerNode, q).toBeLessThanOrEqual(g.maxCount);
          if (o.nodes > 1) expect(o.gpusPerNode).toBe(8);
          else expect([1, 2, 4, 8], `${q}: ${o.count}`).toContain(o.count);
          if (o.parallelism === 'tensor' && w)
            expect(tensorParallelProblem(w.model, w.format, o.count), q).toBeNull();
          if (o.parallelism === 'multi-node' && w && w.task === 'serve')
            expect(tensorParallelProblem(w.model, w.format, 8), q).toBeNull();
        }
      }),
      { numRuns: 300 },
    );
  });
});
