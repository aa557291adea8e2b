// The Answer document (what --json prints and the Slack view renders) and its plain-text rendering.
import { describe, expect, it } from 'vitest';
import { answerQuestion, answerText } from '../../src/catalog/index.ts';

describe('Answer document', () => {
  it('has the fields the JSON contract promises', () => {
    const a = answerQuestion('qwen2.5 32b awq, 16k context, 4 users');
    expect(a.status).toBe('ok');
    expect(a.intent.model?.id).toBe('qwen2.5-32b');
    expect(a.assumptions.length).toBeGreaterThan(0);
    expect(a.options.length).toBeGreaterThan(3);
    for (const o of a.options) {
      expect(typeof o.gpuId).toBe('string');
      expect(typeof o.gpuName).toBe('string');
      expect(Number.isInteger(o.count)).toBe(true);
      expect(o.perGpuNeedGiB).toBeGreaterThan(0);
      expect(o.usableGiB).toBeGreaterThan(0);
      expect(['live', 'cache', 'snapshot', 'none']).toContain(o.priceSource);
      expect('onDemandUsdPerHr' in o && 'spotUsdPerHr' in o).toBe(true);
    }
    expect(a.message).toBeNull();
    // A plain JSON document: no Maps, functions, NaN or Infinity; round-trips without loss.
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it('ranks by price and explains the top three', () => {
    const a = answerQuestion('mistral 7b');
    const priced = a.options.filter((o) => o.onDemandUsdPerHr !== null);
    for (let i = 1; i < priced.length; i++) {
      // Multi-GPU PCIe setups carry a documented penalty; single-GPU options are strictly by price.
      if (priced[i]!.count === 1 && priced[i - 1]!.count === 1) {
        expect(priced[i]!.onDemandUsdPerHr!).toBeGreaterThanOrEqual(priced[i - 1]!.onDemandUsdPerHr!);
      }
    }
    expect(a.options.slice(0, 3).every((o) => typeof o.why === 'string' && o.why.length > 20)).toBe(true);
    expect(a.options.slice(3).every((o) => o.why === undefined)).toBe(true);
    expect(a.options.map((o) => o.rank)).toEqual(a.options.map((_, i) => i + 1));
  });

  it('lists one option per GPU type (its smallest count) and no legacy V100s', () => {
    const a = answerQuestion('llama 3.1 70b bf16');
    const ids = a.options.map((o) => o.gpuId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.some((id) => id.startsWith('Tesla V100'))).toBe(false);
  });

  it('gives $/h and $/day for on-demand and spot, per setup', () => {
    const a = answerQuestion('mixtral 8x7b awq');
    const withSpot = a.options.find((o) => o.spotUsdPerHr !== null)!;
    expect(withSpot.spotUsdPerDay).toBeCloseTo(withSpot.spotUsdPerHr! * 24, 2);
    const o = a.options[0]!;
    expect(o.onDemandUsdPerHr).toBeCloseTo(o.onDemandUsdPerGpuHr! * o.count, 4);
    expect(o.onDemandUsdPerDay).toBeCloseTo(o.onDemandUsdPerHr! * 24, 2);
  });

  it('ranks by spot when asked for spot', () => {
    const a = answerQuestion('llama 3.1 8b on spot');
    expect(a.intent.pricing).toBe('spot');
    expect(a.options[0]!.spotUsdPerHr).not.toBeNull();
    const spot = a.options.filter((o) => o.spotUsdPerHr !== null && o.count === 1);
    for (let i = 1; i < spot.length; i++)
      expect(spot[i]!.spotUsdPerHr!).toBeGreaterThanOrEqual(spot[i - 1]!.spotUsdPerHr!);
    expect(a.guidance.join(' ')).toMatch(/stopped/);
  });

  it('shows the largest context that fits and NVLink status for multi-GPU setups', () => {
    const a = answerQuestion('70b awq at 32k context for 4 users');
    expect(a.options[0]!.maxContextTokens).toBeGreaterThanOrEqual(32768);
    expect(a.options[0]!.interconnect).toMatch(/PCIe/);
    const sxm = a.options.find((o) => o.gpuName === 'H100 SXM');
    if (sxm && sxm.count > 1) expect(sxm.interconnect).toMatch(/NVSwitch/);
  });

  it('respects a budget: over-budget setups rank after the ones within it', () => {
    const a = answerQuestion('llama 3.1 70b bf16, budget $2/h');
    const flags = a.options.filter((o) => o.withinBudget !== null).map((o) => o.withinBudget);
    const firstOver = flags.indexOf(false);
    if (firstOver >= 0) expect(flags.slice(firstOver).every((f) => f === false)).toBe(true);
    expect(a.options[0]!.withinBudget).toBe(true);
  });

  it('says when nothing fits the budget', () => {
    const a = answerQuestion('llama 3.1 405b bf16 under $5/hr');
    expect(a.assumptions.join(' ')).toMatch(/Nothing that fits is within \$5\.00\/h/);
  });

  it('over budget, names a lighter format whose cheapest setup is within it', () => {
    const a = answerQuestion('budget $1/hr for llama 3.3 70b');
    const note = a.assumptions.find((x) => x.startsWith('Nothing that fits is within $1.00/h'));
    const m = /With (.+?), (\d+)× (.+?) at \$(\d+\.\d+)\/h fits the budget/.exec(note ?? '');
    expect(m).not.toBeNull();
    expect(Number(m![4])).toBeLessThanOrEqual(1);
    // The suggestion is a real answer: asking for that format gives that setup at that price.
    const again = answerQuestion(`llama 3.3 70b ${m![1] === 'AWQ 4-bit' ? 'awq' : m![1]}, budget $1/h`);
    expect(again.options[0]).toMatchObject({ count: Number(m![2]), gpuName: m![3] });
  });

  it('over budget with nothing lighter within it, says only that', () => {
    const a = answerQuestion('llama 3.1 8b awq under $0.05 per hour');
    const note = a.assumptions.find((x) => x.startsWith('Nothing that fits'));
    expect(note).toBeDefined();
    expect(note).not.toMatch(/fits the budget/);
  });

  it('restricts to one GPU when asked for a single GPU', () => {
    const a = answerQuestion('llama 3.3 70b fp8 on a single gpu');
    expect(a.options.length).toBeGreaterThan(0);
    expect(a.options.every((o) => o.count === 1)).toBe(true);
  });

  it('beyond one machine, sizes a multi-node Instant Cluster with nodes × GPUs per node', () => {
    const a = answerQuestion('llama 3.1 405b bf16 at 128k context for 64 users');
    expect(a.status).toBe('ok');
    const o = a.options[0]!;
    expect(o.parallelism).toBe('multi-node');
    expect(o.nodes).toBeGreaterThan(1);
    expect(o.gpusPerNode).toBe(8);
    expect(o.count).toBe(o.nodes * 8);
    expect(a.assumptions.join(' ')).toMatch(/Instant Cluster/);
  });

  it('refuses with the arithmetic when not even an 8-node cluster can hold it', () => {
    const a = answerQuestion('full fine-tune kimi k2');
    expect(a.status).toBe('refuse');
    expect(a.message).toMatch(/Instant Cluster/);
    expect(a.estimate!.lines.length).toBeGreaterThan(2);
    expect(a.options).toEqual([]);
  });
});

describe('fit checks', () => {
  it('yes, with the margin per GPU', () => {
    const a = answerQuestion('will llama 3.1 70b awq fit on 2x 4090?');
    const f = a.fitCheck!;
    expect(f.fits).toBe(true);
    expect(f.count).toBe(2);
    expect(f.marginGiB).toBeGreaterThan(0);
    expect(f.marginGiB).toBeLessThan(1);
    expect(f.verdict).toMatch(
      /^Yes: .* fits on 2× RTX 4090: 22\.3 GiB per GPU of 22\.8 GiB usable, 0\.5 GiB to spare/,
    );
    expect(f.verdict).toMatch(/Tight/);
    expect(a.headline).toBe(f.verdict);
    expect(f.onDemandUsdPerHr).toBeCloseTo(1.38, 2);
    expect(f.priceSource).toBe('snapshot');
  });

  it('no, with the shortfall, the context that would fit, a lighter format and the nearest setup', () => {
    const a = answerQuestion('will llama 3.1 70b fit on 2x 4090?');
    const f = a.fitCheck!;
    expect(f.fits).toBe(false);
    expect(f.marginGiB).toBeLessThan(0);
    expect(f.verdict).toMatch(/^No: .* needs 69\.5 GiB per GPU; 2× RTX 4090 gives 22\.8 GiB .* short/);
    expect(f.verdict).toMatch(/With AWQ 4-bit it needs/);
    expect(f.nearest).not.toBeNull();
    expect(f.nearest!.perGpuNeedGiB).toBeLessThanOrEqual(f.nearest!.budgetGiB);
  });

  it('an owned setup with a count tensor parallel cannot use runs with pipeline parallelism', () => {
    const a = answerQuestion('I already have 3x A6000: llama 3.3 70b fp8?');
    const f = a.fitCheck!;
    expect(f.owned).toBe(true);
    expect(f.parallelism).toBe('pipeline');
    expect(f.tensorParallelProblem).toMatch(/64 attention heads/);
    expect(f.onDemandUsdPerHr).toBeNull();
    expect(f.priceSource).toBe('none');
    expect(a.assumptions.join(' ')).toMatch(/no FP8 tensor cores/);
    expect(a.guidance.join(' ')).toMatch(/--pipeline-parallel-size 3/);
  });

  it('"on 4090s" finds the fewest that fit', () => {
    const a = answerQuestion('llama 3.1 70b awq on 4090s');
    expect(a.fitCheck!.count).toBe(2);
    expect(a.fitCheck!.verdict).toMatch(/the fewest that fit/);
  });

  it('a card people own but cannot rent: memory from the known card, no price', () => {
    const a = answerQuestion('can I run mistral 7b on my 3060?');
    expect(a.fitCheck!.rentable).toBe(false);
    expect(a.fitCheck!.gpuName).toMatch(/3060/);
    expect(a.fitCheck!.fits).toBe(false);
    expect(a.fitCheck!.verdict).toMatch(/With (FP8|INT8)/);
  });

  it('a bare memory size ("my 24GB GPU")', () => {
    const a = answerQuestion('qwen2.5 14b awq on my 24gb gpu');
    expect(a.fitCheck!.usableGiB).toBe(24);
    expect(a.fitCheck!.fits).toBe(true);
  });
});

describe('clarify and refuse', () => {
  it('clarifies with examples', () => {
    const a = answerQuestion('which gpu do i need');
    expect(a.status).toBe('clarify');
    expect(a.examples.length).toBeGreaterThan(2);
    expect(a.options).toEqual([]);
  });

  it('refuses closed models kindly and offers open alternatives', () => {
    const a = answerQuestion('what gpu do I need to run gpt-4?');
    expect(a.status).toBe('refuse');
    expect(a.message).toMatch(/closed model/);
    expect(a.message).toMatch(/open model/);
  });

  it('refuses impossible sizes with the arithmetic', () => {
    const a = answerQuestion('5000b model');
    expect(a.status).toBe('refuse');
    expect(a.message).toMatch(/9\.1 TiB/);
  });

  it('refuses nonsense without inventing a recommendation', () => {
    for (const q of ['', '   ', '????', 'banana bread recipe', 'lorem ipsum dolor sit amet']) {
      const a = answerQuestion(q);
      expect(a.status, q).toBe('refuse');
      expect(a.options, q).toEqual([]);
      expect(a.estimate, q).toBeNull();
    }
  });
});

describe('GPU info and guidance', () => {
  it('"h100" covers the SXM, PCIe and NVL variants with prices', () => {
    const a = answerQuestion('how much is an h100?');
    expect(a.kind).toBe('gpu-info');
    expect(a.gpus.map((g) => g.gpuName).sort()).toEqual(['H100 NVL', 'H100 PCIe', 'H100 SXM']);
    expect(a.gpus.every((g) => g.priceSource === 'snapshot')).toBe(true);
  });

  it('filters by memory', () => {
    const a = answerQuestion('cheapest gpu with at least 80gb');
    expect(a.gpus.length).toBeGreaterThan(3);
    expect(a.gpus.every((g) => g.usableGiB >= 79)).toBe(true);
    expect(a.gpus[0]!.onDemandUsdPerGpuHr).toBe(1.64);
  });

  it('spot for production: a direct no, the reasons, and spot savings where known', () => {
    const a = answerQuestion('is spot ok for a production API?');
    expect(a.kind).toBe('spot-advice');
    expect(a.headline).toMatch(/^Not on its own/);
    expect(a.guidance.join(' ')).toMatch(/on-demand/);
    expect(
      a.gpus.every((g) => g.spotUsdPerGpuHr !== null && g.spotUsdPerGpuHr < g.onDemandUsdPerGpuHr!),
    ).toBe(true);
  });

  it('embeddings without a model: a small encoder on a cheap card, with guidance', () => {
    const a = answerQuestion('what gpu for an embeddings model?');
    expect(a.intent.model?.id).toBe('bge-large-en-v1.5');
    expect(a.options[0]!.usableGiB).toBeLessThanOrEqual(24);
    expect(a.guidance.join(' ')).toMatch(/throughput per dollar/);
  });

  it('a launch line for vLLM with the flags the fit needs', () => {
    const a = answerQuestion('70b awq');
    expect(a.guidance.join('\n')).toMatch(
      /vllm serve .* --max-model-len 8192 --gpu-memory-utilization 0\.95/,
    );
  });
});

describe('answerText', () => {
  it('shows headline, options with why, arithmetic, assumptions and the price source', () => {
    const t = answerText(answerQuestion('70b awq'));
    // The A40 is cheaper but has 0.7 GiB spare: a tight fit never leads while another card has room.
    expect(t.split('\n')[0]).toMatch(/Llama 3\.3 70B .* 1× RTX A6000/);
    expect(t).toMatch(/1\. 1× RTX A6000 — 42\.0 of 45\.6 GiB per GPU/);
    expect(t).toMatch(/2\. 1× A40 — 42\.0 of 42\.7 GiB per GPU/);
    expect(t).toMatch(/Best price with room to spare/);
    expect(t).toMatch(/tight: under 1 GiB spare/);
    expect(t).toMatch(/weights = 68\.45B linear × 4\.156 bit/);
    expect(t).toMatch(/total per GPU \(1 GPU\) = 42\.0 GiB ≤ 0\.95 × 48\.0 GiB usable = 45\.6 GiB ✓/);
    expect(t).toMatch(/Assumptions:/);
    expect(t).toMatch(/snapshot as of about September 2025/);
  });

  it('renders clarify and refuse answers with their examples', () => {
    const t = answerText(answerQuestion('llama'));
    expect(t).toMatch(/Which one\?/);
    expect(t).toMatch(/Try for example:/);
  });

  it('renders GPU info rows', () => {
    const t = answerText(answerQuestion('rtx 4090 price'));
    expect(t).toMatch(/RTX 4090: 24 GB \(24\.0 GiB usable\), 1,008 GB\/s, 165\.2 TFLOPS BF16/);
  });
});
