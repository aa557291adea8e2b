// Properties of how questions are read: named hardware leads, negated options never come back, and every
// count offered exists and splits the model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOUR_BIT } from '../../src/catalog/exclusions.ts';
import { FORMAT_WORDS, ON_DEMAND, SPOT } from '../../src/catalog/intent-words.ts';
import { CLUSTER_GPU_IDS } from '../../src/catalog/recommend.ts';
import { analyzeQuestion, answerQuestion, type FormatId, GPUS, tensorParallelProblem } from './helpers.ts';

const MODELS = [
  'llama 3.1 8b',
  'qwen2.5 coder 7b',
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
/** Negations after their subject. */
const POSTFIX = ['is not ok', "isn't an option", 'is not acceptable', "won't work for us", 'is not allowed'];
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
RULES.push({ word: 'multi-gpu', bad: (a) => a.options.some((o) => o.count > 1) });
RULES.push({ word: 'the distilled one', bad: (a) => (a.intent.model?.id ?? '').includes('distill') });
RULES.push({ word: 'coder', bad: (a) => (a.intent.model?.id ?? '').includes('coder') });
for (const word of ['quantization', 'quantisation'])
  RULES.push({
    word,
    format: true,
    bad: (a) =>
      !['bf16', 'fp32', 'fp8'].includes(a.intent.format ?? 'bf16') ||
      (a.intent.format === 'fp8' && a.intent.model?.id !== 'deepseek-r1'),
  });
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
        fc.constantFrom('before', 'after', 'postfix'),
        (model, cue, rule, sep, where) => {
          // A format stated outright ("70b awq, no quantization") is a contradiction, not a negation.
          if ((rule.format && /awq|fp8/.test(model)) || (rule.task && /lora|fine-tune/.test(model))) return;
          if (model.includes(rule.word)) return;
          const q =
            where === 'before'
              ? `${cue} ${rule.word}${sep}${model}`
              : where === 'after'
                ? `${model}${sep}${cue} ${rule.word}`
                : // After its subject: "llama 3.1 8b, spot is not ok".
                  `${model}, ${rule.word} ${POSTFIX[rule.word.length % POSTFIX.length]}`;
          const a = answerQuestion(q);
          expect(rule.bad(a), `${q} → ${a.headline}`).toBe(false);
          expect(a.intent.negated.length, q).toBeGreaterThan(0);
        },
      ),
      { numRuns: 900 },
    );
  });

  it('a negated training method is never the task of a fine-tune', () => {
    const methods = [
      ['lora', (t: string | null) => t === 'lora'],
      ['qlora', (t: string | null) => t === 'qlora'],
      ['a full fine-tune', (t: string | null) => t === 'full-finetune'],
      ['peft', (t: string | null) => t === 'lora'],
    ] as const;
    fc.assert(
      fc.property(
        fc.constantFrom('fine-tune', 'finetune', 'fine tune', 'train'),
        fc.constantFrom('llama 3.1 8b', 'mistral 7b', 'qwen2.5 14b', 'llama 3.1 70b'),
        fc.subarray([...methods], { minLength: 1, maxLength: 2 }),
        fc.constantFrom('not', 'no', 'without', 'rather than'),
        (verb, model, negated, cue) => {
          const q = `${verb} ${model}, ${negated.map(([w]) => `${cue} ${w}`).join(', ')}`;
          const a = answerQuestion(q);
          for (const [w, bad] of negated) expect(bad(a.intent.task), `${q}: ${w}`).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('every negatable option is covered: formats, tasks, pricing, clouds, segments, vendors and every GPU', () => {
    expect(RULES.length).toBeGreaterThan(FORMAT_WORDS.size + RENTABLE.length);
  });

  it('naming hardware makes it the first option (rentable) or the verdict (owned or a bare size)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...RENTABLE),
        fc.constantFrom(null, 1, 2, 3, 4, 8, 12, 16),
        fc.constantFrom('on', 'will it fit on', 'on spot', 'how many', 'x-suffix', 'words', 'owned'),
        (model, gpu, count, how) => {
          // "L40s" reads as the L40S, as people mean it: ask for the L40 by "L40 cards".
          const plural = GPUS.some((g) => g.displayName.toLowerCase() === `${gpu.displayName.toLowerCase()}s`)
            ? `${gpu.displayName} cards`
            : `${gpu.displayName}s`;
          const n = count ?? 1;
          const words: Record<number, string> = {
            1: 'a single',
            2: 'two',
            3: 'three',
            4: 'four',
            8: 'eight',
            12: 'twelve',
            16: 'sixteen',
          };
          const q =
            how === 'how many'
              ? `how many ${plural} for ${model}`
              : how === 'x-suffix'
                ? `${model} on ${gpu.displayName} x${n}`
                : how === 'words'
                  ? `${model} on ${words[n]} ${n === 1 ? gpu.displayName : plural}`
                  : how === 'owned'
                    ? `I have ${n}x ${gpu.displayName}, can it run ${model}?`
                    : `${model} ${how} ${count === null ? 'a' : `${count}x`} ${gpu.displayName}`;
          const a = answerQuestion(q);
          if (a.status !== 'ok') return;
          checked++;
          expect(a.fitCheck, q).not.toBeNull();
          const first = a.options[0]!;
          if (how === 'owned') {
            // The verdict is about the user's own cards; nothing is rented in their name.
            expect(a.fitCheck!.owned, q).toBe(true);
            expect(a.fitCheck!.gpuId, q).toBe(gpu.id);
            expect(
              a.options.every((o) => o.role !== 'named'),
              q,
            ).toBe(true);
            return;
          }
          expect(first.role, q).toBe('named');
          expect(first.gpuId, q).toBe(gpu.id);
          expect(first.count, q).toBe(a.fitCheck!.count);
          if (how !== 'how many') {
            // The count named, or the one RunPod rents nearest to it: a pod up to maxCount, or Instant Cluster nodes.
            if (n <= gpu.maxCount) expect(first.count, q).toBe(n);
            else if (CLUSTER_GPU_IDS.has(gpu.id) && first.nodes > 1)
              expect(first.count, q).toBe(Math.ceil(n / 8) * 8);
            else expect(first.count, q).toBe(gpu.maxCount);
          }
          expect(first.fits).toBe(a.fitCheck!.fits);
          for (const o of a.options.slice(1)) expect(o.role).toBe('alternative');
        },
      ),
      { numRuns: 600 },
    );
    expect(checked).toBeGreaterThan(400);
  });

  it('a bare memory size is the verdict on a card of that size, and its first option when RunPod rents one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(16, 20, 24, 32, 48, 80, 96, 141),
        fc.constantFrom(null, 1, 2, 4),
        fc.constantFrom('will a', 'on', 'how many', 'my'),
        (model, gb, count, how) => {
          const q =
            how === 'how many'
              ? `how many ${gb}GB cards for ${model}`
              : how === 'my'
                ? `can my ${gb} GB gpu run ${model}?`
                : how === 'will a'
                  ? `will ${count === null ? 'a' : count} ${gb} GB card${(count ?? 1) > 1 ? 's' : ''} do for ${model}?`
                  : `${model} on ${count ?? 1}x ${gb}gb gpus`;
          const a = answerQuestion(q);
          if (a.status !== 'ok') return;
          const f = a.fitCheck;
          expect(f, q).not.toBeNull();
          const first = a.options[0];
          if (how === 'my' || !GPUS.some((g) => !g.legacy && g.memoryGb === gb)) {
            expect(first?.role ?? 'ranked', q).not.toBe('named');
            return;
          }
          // The card the verdict is about leads, with the verdict's own arithmetic.
          expect(first?.role, q).toBe('named');
          const g = GPUS.find((x) => x.id === first!.gpuId)!;
          expect(g.memoryGb, q).toBe(gb);
          expect(first!.fits, q).toBe(f!.fits);
          expect(first!.usableGiB, q).toBe(f!.usableGiB);
          expect(first!.count, q).toBe(f!.count);
          if (how !== 'how many' && count !== null) expect(f!.count, q).toBe(count);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('common English words are never read as a model or unit word', () => {
    const words = (
      'minimum maximum content contest convert instance instinct mistake mixture gamma lambda quite quiet ' +
      'queue quick minion distance uses ushers requested several simple sample single sorry thanks'
    ).split(' ');
    for (const w of words) {
      const i = analyzeQuestion(`llama 3.1 8b ${w}`).intent;
      expect(i.fuzzy, w).toEqual([]);
      expect(i.match.model?.id, w).toBe('llama-3.1-8b');
    }
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
      ' at most 2 gpus',
      ' up to 4 gpus',
      ', fewer than 8 gpus',
      ' on 12 gpus',
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
          if (o.nodes > 1) expect(CLUSTER_GPU_IDS.has(o.gpuId), q).toBe(true);
          const max = an.intent.maxGpuCount;
          if (max !== null) expect(o.count, q).toBeLessThanOrEqual(max);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a named count RunPod cannot rent moves to one it can, and says so', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MODELS),
        fc.constantFrom(...RENTABLE),
        fc.integer({ min: 9, max: 40 }),
        (model, gpu, n) => {
          const a = answerQuestion(`${model} on ${n}x ${gpu.displayName}`);
          if (a.status !== 'ok' || !a.fitCheck) return;
          const f = a.fitCheck;
          const first = a.options[0]!;
          if (f.count <= gpu.maxCount) expect(first.nodes).toBe(1);
          else {
            // Only Instant Cluster types go past one pod, in whole 8-GPU nodes.
            expect(CLUSTER_GPU_IDS.has(gpu.id), `${n}x ${gpu.displayName}`).toBe(true);
            expect(f.count % 8).toBe(0);
          }
          if (f.count !== n) expect(f.verdict).toMatch(/not one pod|not something RunPod rents/);
          // Every alternative is a pod count or whole cluster nodes.
          for (const o of a.options.slice(1))
            if (o.nodes === 1) expect([1, 2, 4, 8]).toContain(o.count);
            else expect(o.gpusPerNode).toBe(8);
        },
      ),
      { numRuns: 200 },
    );
  });
});
