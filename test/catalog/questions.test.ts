// Questions as people type them (typos, Slack formatting, mixed units), one class each, with the first
// option an ML infrastructure engineer would sign, worked out by hand from gpu-sizing.md and the dated
// price snapshot (on-demand $/GPU/h: A5000 0.29, A4000 0.32, 4000 Ada 0.32, A4500 0.34, 3090 0.43, L40S 0.86,
// A40 0.44, L4 0.44, A6000 0.49, 4090 0.69, 6000 Ada 0.77, A100 PCIe 1.64, A100 SXM 1.89, H100 PCIe 2.39,
// MI300X 2.49, H100 NVL 2.79, H100 SXM 2.99, H200 3.99, B200 7.99). Ranking rules applied by hand: PCIe
// multi-GPU +10 % per extra GPU (+2 % on NVLink/Infinity Fabric, +15 % for FSDP over PCIe); a setup that fits
// only with tuned flags counts 15 % dearer than one that fits with vLLM defaults; under 1 GiB spare never leads.
import { describe, expect, it } from 'vitest';
import { type Answer, answerQuestion, GPU_BY_ID, tensorParallelProblem } from '../../src/catalog/index.ts';
import { analyzeQuestion } from '../../src/catalog/answer.ts';
import { gpuAnswerMessage } from '../../src/handlers/views/gpu.ts';
import { checkMessage } from '../../src/handlers/views/limits.ts';

type Cls = 'named' | 'negation' | 'approx' | 'frontier' | 'counts' | 'comfort' | 'throughput';

interface Extra {
  fits?: boolean;
  model?: string;
  format?: string;
  task?: string;
  pricing?: 'spot' | 'on-demand';
  cloud?: 'SECURE' | 'COMMUNITY';
  concurrency?: number;
  context?: number;
  /** No option may be of this segment / GPU. */
  noSegment?: 'consumer' | 'workstation' | 'datacenter';
  noGpu?: string;
  /** An assumption must mention this. */
  note?: RegExp;
  comfort?: 'defaults' | 'tuned';
  nodes?: number;
  replicas?: number;
  /** Budget read, $/h. */
  budget?: number;
  /** The hardware named is the user's own: the verdict answers, the options are the general ranking. */
  owned?: boolean;
  /** The fit verdict must say this. */
  verdict?: RegExp;
}

type Want = 'clarify' | 'refuse' | [gpu: string, count: number];
type Case = [Cls, string, Want, Extra?];

const CASES: Case[] = [
  // ── 1. Named hardware: the first option is what was named (verdict), or the fewest of that type. ──
  // 70B AWQ 8k: 37.0 + 2.5 + 2.5 = 42.0 GiB ≤ 0.95 × 45.0 = 42.7 on an L40S.
  ['named', 'llama 3.1 70b awq on one L40S?', ['L40S', 1], { fits: true }],
  ['named', '*llama 3.1 70b awq* on one `L40S`?', ['L40S', 1], { fits: true }],
  // Mistral 7B BF16 8k: 13.5 + 1.0 + 1.5 = 16.0 > 15.2; the cheapest 16 GB card is the A4000.
  ['named', 'will a 16 GB card do for mistral 7b?', ['RTX A4000', 1], { fits: false }],
  ['named', 'mistral 7b on a 16gb gpu??', ['RTX A4000', 1], { fits: false }],
  // 405B FP8: 380 GiB; 4 × (95 + 1 + 2.5) > 76, 8 × (47.5 + 0.5 + 2.5) = 50.5 ≤ 76.
  ['named', 'how many A100s for llama 3.1 405b fp8', ['A100 SXM', 8], { fits: true }],
  // Qwen2.5-32B BF16 on 2 GPUs: 30.5 + 1 + 2.5 = 34 > 22.8.
  ['named', 'qwen2.5 32b on 2x 3090s', ['RTX 3090', 2], { fits: false }],
  ['named', 'qwen 2.5 32b on 2×3090', ['RTX 3090', 2], { fits: false }],
  ['named', 'llama 70b awq on spot H100s', ['H100 SXM', 1], { fits: true, pricing: 'spot' }],
  ['named', 'can i run llama 3.1 8b on a 4090', ['RTX 4090', 1], { fits: true }],
  // Mixtral 8x7B BF16 87 GiB over TP=2: 43.5 + 0.5 + 2.5 = 46.5 ≤ 76.
  ['named', 'mixtral 8x7b on 2x A100', ['A100 SXM', 2], { fits: true }],
  // R1 FP8 626.6 GiB: 8 × H100 needs 81.4 > 75.7; 16 (2 nodes × 8) need 39.2 + 0.3 + 2.5 = 41.9.
  ['named', 'deepseek r1 how many h100s', ['H100 SXM', 16], { fits: true, nodes: 2 }],
  ['named', 'gpt-oss-120b on a single H100', ['H100 SXM', 1], { fits: true }],
  ['named', 'will qwen3 32b fit on one RTX 4090?', ['RTX 4090', 1], { fits: false }],
  ['named', 'llama 3.3 70b fp8 on 4x L40S', ['L40S', 4], { fits: true }],
  // 70B AWQ on 2 × 4090: 18.5 + 1.25 + 2.5 = 22.25 ≤ 22.79 (the fewest).
  ['named', 'how many 4090s for llama 3.1 70b awq', ['RTX 4090', 2], { fits: true }],
  // 405B BF16 756 GiB: 8 × H100 needs 97.5; 16 need 47.3 + 0.25 + 2.5 = 50.
  ['named', 'how many H100s do I need for llama 3.1 405b bf16', ['H100 SXM', 16], { fits: true, nodes: 2 }],
  ['named', 'gemma 3 27b on an A6000', ['RTX A6000', 1], { fits: false }],
  // LoRA 8B: 15.0 + 0.6 + 2.7 + 1.5 = 19.8 ≤ 22.8.
  ['named', 'llama 3.1 8b lora on a 3090', ['RTX 3090', 1], { fits: true }],
  // QLoRA 70B: 36.8 + 3.1 + 5.0 + 2.5 = 47.4 > 45.6.
  ['named', 'qlora llama 3 70b on one A6000', ['RTX A6000', 1], { fits: false }],
  ['named', 'mistral 7b on an L4', ['L4', 1], { fits: true }],
  ['named', 'llama 3.1 70b awq on 2x RTX A5000', ['RTX A5000', 2], { fits: true }],
  ['named', 'will deepseek r1 fit on 8x H200', ['H200 SXM', 8], { fits: true }],
  // AWQ 72B cannot split TP=2 (29568/2/128 is not whole): pipeline, (38.6 + 2.5)/2 + 2.5 = 23.1 ≤ 42.7.
  ['named', 'qwen2.5 72b awq on 2x A40', ['A40', 2], { fits: true }],
  ['named', 'llama 8b on a 24GB card', ['RTX A5000', 1], { fits: true }],
  ['named', 'is 1 B200 enough for llama 3.1 405b fp8', ['B200', 1], { fits: false }],
  ['named', 'deepseek r1 full 671b on H200s', ['H200 SXM', 8], { fits: true }],
  // A bare memory size with a count is that many cards of the size: 2 × 24 GB, TP=2 18.5 + 1.25 + 2.5 = 22.3 ≤ 22.8.
  ['named', 'llama 3.1 70b awq on two 24GB cards', ['RTX A5000', 2], { fits: true }],
  ['named', 'how many 24GB cards for 70b awq', ['RTX A5000', 2], { fits: true }],
  // 16k: 37.0 + 5.0 + 2.5 = 44.5 GiB; an A6000 gives 0.95 × 48 = 45.6 (fits), the cheaper A40 0.95 × 45.0 = 42.7 (not).
  [
    'named',
    'will a 48gb gpu handle llama 70b awq at 16k',
    ['RTX A6000', 1],
    { fits: true, verdict: /not on A40/ },
  ],
  ['named', 'qwen2.5 32b on a pair of 4090s', ['RTX 4090', 2], { fits: false }],
  // KV 320 KiB × 128k × 8 = 320 GiB: TP=4 32.9 + 80 + 2.5 = 115.4 > 76; TP=8 16.4 + 40 + 2.5 = 58.9.
  [
    'named',
    'how many A100 80GB do i need for llama 3.1 70b at 128k for 8 users',
    ['A100 SXM', 8],
    { fits: true, verdict: /the fewest that fit/ },
  ],
  // FP8 220.0 GiB: TP=4 55.0 + 0.4 + 2.5 = 57.9 > 45.6; TP=8 27.5 + 0.4 (4 KV heads, replicated) + 2.5 = 30.4.
  ['named', 'how many a6000 for qwen3 235b fp8', ['RTX A6000', 8], { fits: true }],
  // 8 × L40S: 626.6 / 8 + 0.5 + 2.5 = 81.4 > 42.7, and L40S is no Instant Cluster type: 8 is the most.
  ['named', "what's the minimum number of L40S for deepseek v3", ['L40S', 8], { fits: false }],
  ['named', ':rocket: _mistral 7b_ on an *L4*?', ['L4', 1], { fits: true }],
  [
    'named',
    '<@U0123ABCD> will <https://huggingface.co/Qwen/Qwen2.5-32B-Instruct|Qwen2.5-32B-Instruct> fit on 2x A6000?',
    ['RTX A6000', 2],
    { fits: true },
  ],
  // Owned hardware: the verdict answers (17.5 ≤ 22.8), the options stay the rental ranking.
  ['named', 'I have a 4090, can it run llama 3.1 8b?', ['RTX A5000', 1], { owned: true, fits: true }],
  ['named', 'we already own 2x 3090 — qwen2.5 32b?', ['A40', 2], { owned: true, fits: false }],

  // ── 2. Negation and exclusion change the intent; the negated thing never appears. ──
  // Full FT 8B: 15.0 + 104.7 + 2.7 + 1.5 = 124 GiB → 1 × MI300X ($2.49) beats 4 × A40 FSDP ($1.76 × 1.45).
  ['negation', 'fine tune llama 3.1 8b, no lora', ['MI300X', 1], { task: 'full-finetune' }],
  ['negation', 'finetune llama 3.1 8b but not with LoRA', ['MI300X', 1], { task: 'full-finetune' }],
  ['negation', 'llama 3.1 8b without quantization', ['RTX A5000', 1], { format: 'bf16' }],
  ['negation', 'deepseek r1, not the distilled one', ['MI300X', 4], { model: 'deepseek-r1', format: 'fp8' }],
  ['negation', 'deepseek r1 without quantization', ['MI300X', 4], { model: 'deepseek-r1', format: 'fp8' }],
  ['negation', '70b awq no spot', ['RTX A6000', 1], { pricing: 'on-demand' }],
  ['negation', '70b awq, not on community cloud', ['RTX A6000', 1], { cloud: 'SECURE' }],
  ['negation', '70b awq anything but consumer cards', ['RTX A6000', 1], { noSegment: 'consumer' }],
  // 30 × 8k: 13.5 + 30 + 1.5 = 45 GiB; A6000 would have 0.6 spare → TP=2 6.8 + 15 + 1.5 = 23.3 on 2 × A40.
  ['negation', 'mistral 7b ~30 users, no consumer gpus', ['A40', 2], { noSegment: 'consumer' }],
  ['negation', 'lora fine-tune llama 8b, not qlora', ['RTX A5000', 1], { task: 'lora' }],
  ['negation', 'qlora llama 3.1 8b, no full fine-tune', ['RTX A5000', 1], { task: 'qlora' }],
  // 70B BF16: 4 × A40 (32.9 + 0.6 + 2.5 = 36.0, defaults 39.5 ≤ 40.5) at $1.76 × 1.3 < 1 × MI300X $2.49.
  ['negation', 'llama 3.1 70b not awq', ['A40', 4], { format: 'bf16' }],
  ['negation', 'llama 3.3 70b, no gguf', ['A40', 4], { format: 'bf16' }],
  ['negation', 'mistral 7b no fp8', ['RTX A5000', 1], { format: 'bf16' }],
  // R1 in BF16 (FP8 ruled out): 1250 GiB / 8 + 0.5 + 2.5 = 159 ≤ 182 on 8 × MI300X.
  ['negation', 'deepseek r1 not fp8', ['MI300X', 8], { format: 'bf16' }],
  // gpt-oss-20b BF16: 38.9 + 0.4 + 1.5 = 40.8; A40 tuned only ($0.44 × 1.15) > A6000 with defaults ($0.49).
  ['negation', 'gpt-oss-20b without mxfp4', ['RTX A6000', 1], { format: 'bf16' }],
  ['negation', 'llama 3.1 8b, no spot instances please', ['RTX A5000', 1], { pricing: 'on-demand' }],
  ['negation', 'llama 70b awq on anything except H100', ['RTX A6000', 1], { noGpu: 'H100 SXM' }],
  ['negation', 'qwen2.5 14b, not on a 4090', ['A40', 1], { noGpu: 'RTX 4090' }],
  // Mixtral 8x7B BF16 serving: 4 × A40 (21.8 + 0.3 + 2.5 = 24.5) $1.76 × 1.3 < MI300X $2.49.
  ['negation', 'mixtral 8x7b without lora', ['A40', 4], { task: 'serve' }],
  ['negation', "llama 3.1 8b, don't want spot", ['RTX A5000', 1], { pricing: 'on-demand' }],
  ['negation', '70b awq w/o spot', ['RTX A6000', 1], { pricing: 'on-demand' }],
  ['negation', 'qwen 2.5 7b not quantized', ['RTX A5000', 1], { format: 'bf16' }],
  // One GPU: 67.7 + 2.5 + 2.5 = 72.7 ≤ 76 on an A100 (tuned, $1.64 × 1.15 < H100 NVL $2.79).
  ['negation', 'no multi-gpu, llama 3.3 70b fp8', ['A100 PCIe', 1], { format: 'fp8' }],
  ['negation', 'llama 3.1 70b awq, not on an A40', ['RTX A6000', 1], { noGpu: 'A40' }],
  [
    'negation',
    'llama 3.1 8b, rather than lora do a full fine-tune',
    ['MI300X', 1],
    { task: 'full-finetune' },
  ],
  // Without MI300X: 4 × A40 FSDP (29.9 + 2.7 + 1.5 = 34.1) at $1.76 × 1.45 beats H200 $3.99.
  ['negation', 'full fine-tune llama 3.1 8b, no amd gpus', ['A40', 4], { noGpu: 'MI300X' }],
  ['negation', 'llama 3.1 8b, nothing on secure cloud', ['RTX A5000', 1], { cloud: 'COMMUNITY' }],
  // "Not QLoRA" leaves LoRA: 15.0 + 0.6 + 2.7 + 1.5 = 19.8 ≤ 22.8.
  ['negation', 'fine-tune llama 3.1 8b, not qlora', ['RTX A5000', 1], { task: 'lora' }],
  ['negation', 'fine-tune mistral 7b, not full, not qlora', ['RTX A5000', 1], { task: 'lora' }],
  // Negations after their subject ("X is not ok").
  ['negation', 'community cloud is not ok, llama 3.1 8b', ['RTX A5000', 1], { cloud: 'SECURE' }],
  ['negation', 'llama 3.1 8b, spot is not ok', ['RTX A5000', 1], { pricing: 'on-demand' }],
  ['negation', "llama 3.1 8b, spot isn't an option", ['RTX A5000', 1], { pricing: 'on-demand' }],
  ['negation', "llama 3.1 8b, consumer cards won't work for us", ['RTX A5000', 1], { noSegment: 'consumer' }],
  ['negation', 'llama 3.1 8b, the rtx 4090 is not an option', ['RTX A5000', 1], { noGpu: 'RTX 4090' }],
  // "Nothing over $1/h" is a budget, not an exclusion.
  ['negation', 'llama 70b awq, nothing over $1/h', ['RTX A6000', 1], { budget: 1 }],
  // The negated FP8 is the KV cache's: FP8 weights, BF16 KV; TP=2 33.8 + 5.0 + 2.5 = 41.3 ≤ 42.7 on 2 × A40.
  ['negation', 'no fp8 kv cache, llama 3.1 70b fp8 at 32k', ['A40', 2], { format: 'fp8' }],

  // ── 3. Approximate and per-unit numbers set concurrency and context; unread numbers are named. ──
  // 8B, 8 × 8k: 15.0 + 8 + 1.5 = 24.5 → A40 $0.44 (2 × A5000 $0.64).
  ['approx', 'llama 3.1 8b for ~8 users', ['A40', 1], { concurrency: 8, context: 8192 }],
  ['approx', 'llama 3.1 8b for about 8 users', ['A40', 1], { concurrency: 8 }],
  // Qwen2.5-14B 20 × 8k: KV 30 GiB → TP=2: 13.8 + 15 + 1.5 = 30.3 on 2 × A40.
  ['approx', 'about 20 concurrent chats on qwen 2.5 14b', ['A40', 2], { concurrency: 20 }],
  ['approx', 'roughly 16k context llama 3.1 8b', ['RTX A5000', 1], { context: 16384 }],
  // 10 × 4k: 15.0 + 5 + 1.5 = 21.5 ≤ 22.8 (tuned, $0.29 × 1.15 < A40 $0.44).
  ['approx', 'llama 3.1 8b 10 users 4k tokens each', ['RTX A5000', 1], { concurrency: 10, context: 4096 }],
  // 16 × 2k: 13.5 + 4 + 1.5 = 19.0 > 19.0 on 20 GB; 24 GB fits with defaults.
  [
    'approx',
    'mistral 7b, 2k tokens per request, 16 requests at once',
    ['RTX A5000', 1],
    { concurrency: 16, context: 2048 },
  ],
  ['approx', 'llama 3.1 8b at 32k, around 4 users', ['A40', 1], { concurrency: 4, context: 32768 }],
  // Qwen2.5-7B 50 × 2k: 14.2 + 5.5 + 1.5 = 21.2 ≤ 22.8.
  ['approx', 'qwen2.5 7b ~50 users, 2k context', ['RTX A5000', 1], { concurrency: 50, context: 2048 }],
  // 70B AWQ 2 × 8k: 37 + 5 + 2.5 = 44.5 ≤ 45.6 (1.1 GiB spare).
  ['approx', '70b awq, 8k ctx, roughly 2 users', ['RTX A6000', 1], { concurrency: 2 }],
  ['approx', 'qwen2.5 7b, we have 3 teams', ['RTX A5000', 1], { note: /Ignored: “3”/ }],
  ['approx', 'llama 3.1 8b for 500 documents', ['RTX A5000', 1], { note: /Ignored: “500”/ }],
  ['approx', 'mistral 7b at 8192 ctx for ~12 users', ['A40', 1], { concurrency: 12, context: 8192 }],
  [
    'approx',
    'llama 3.1 8b, 1k token prompts, batch of 32',
    ['RTX A5000', 1],
    { concurrency: 32, context: 1024 },
  ],
  ['approx', '8b ~2k ctx x 64 seqs', ['A40', 1], { concurrency: 64, context: 2048 }],
  // 6 × 16k: KV 18 → TP=2: 13.8 + 9 + 1.5 = 24.3 on 2 × A40.
  ['approx', 'qwen2.5 14b, approx 6 concurrent, 16k each', ['A40', 2], { concurrency: 6, context: 16384 }],
  // 10 × 4k: KV 12.5; 2 × A40 has 0.2 GiB spare (tight) → 2 × A6000 (3.0 spare).
  ['approx', 'llama 3.3 70b fp8 for ~10 users at 4k', ['RTX A6000', 2], { concurrency: 10, context: 4096 }],
  // Gemma 3 12B 4 × 8k: 22.7 + 12 + 1.5 = 36.2 on an A40.
  ['approx', 'gemma 3 12b ~4 users @ 8k', ['A40', 1], { concurrency: 4, context: 8192 }],
  // 3 × 128k: KV 48 → TP=2: 7.5 + 24 + 1.5 = 33 on 2 × A40.
  ['approx', 'llama 3.1 8b, 3 users, 128k context each', ['A40', 2], { concurrency: 3, context: 131072 }],
  // 100 × 2k: 15.0 + 25 + 1.5 = 41.5; A40 tuned ($0.506) vs A6000 defaults ($0.49).
  [
    'approx',
    'roughly 100 concurrent requests on llama 3.1 8b at 2k',
    ['RTX A6000', 1],
    { concurrency: 100, context: 2048 },
  ],
  ['approx', 'mistral 7b, ~4k prompt, 8ish users', ['RTX A5000', 1], { concurrency: 8, context: 4096 }],
  ['approx', 'llama 3.1 8b, 16,384 token context', ['RTX A5000', 1], { context: 16384 }],
  ['approx', 'llama 3.1 8b ≈ 8 users', ['A40', 1], { concurrency: 8 }],
  // Labels as people write them in Slack: 15.0 + 128 KiB × 32k × 4 = 16.0 + 1.5 = 32.5 on an A40.
  ['approx', 'llama 3.1 8b, context: 32k, users: 4', ['A40', 1], { concurrency: 4, context: 32768 }],
  [
    'approx',
    '• model: llama 3.1 8b\n• users: ~10\n• context: 8k',
    ['A40', 1],
    { concurrency: 10, context: 8192 },
  ],
  ['approx', 'llama3.1:8b for ~10 ppl', ['A40', 1], { concurrency: 10 }],
  // A dozen × 32k: KV 48 GiB → TP=2 7.5 + 24 + 1.5 = 33.0 on 2 × A40.
  [
    'approx',
    'llama 3.1 8b with 32K context window and about a dozen users',
    ['A40', 2],
    { concurrency: 12, context: 32768 },
  ],
  // Typos in the unit words: 15.0 + 8 × 1.0 + 1.5 = 24.5 on an A40; 13.5 + 16 × 0.25 + 1.5 = 19.0 on 24 GB.
  ['approx', 'llama 3.1 8b for ~8 usres', ['A40', 1], { concurrency: 8 }],
  [
    'approx',
    'mistrl 7b, 2k tokns each, 16 reqeusts at once',
    ['RTX A5000', 1],
    { concurrency: 16, context: 2048 },
  ],
  // Prompt + reply: 2,048 + 512 = 2,560 tokens per sequence.
  ['approx', 'mistral 7b, 2k prompt + 512 output tokens, 16 users', ['RTX A5000', 1], { context: 2560 }],

  // ── 4. Frontier and MoE models at full size, from their configs. ──
  // R1/V3 FP8 626.6 GiB: 4 × MI300X (156.6 + 0.5 + 2.5 = 159.7 ≤ 182.4) $9.96 × 1.06.
  ['frontier', 'deepseek r1', ['MI300X', 4], { model: 'deepseek-r1', format: 'fp8' }],
  ['frontier', 'R1, the full model', ['MI300X', 4], { model: 'deepseek-r1' }],
  ['frontier', 'deepseek v3', ['MI300X', 4], { model: 'deepseek-v3', format: 'fp8' }],
  ['frontier', 'deepseek-r1 671b', ['MI300X', 4], { model: 'deepseek-r1' }],
  ['frontier', 'deepsek r1 full', ['MI300X', 4], { model: 'deepseek-r1' }],
  // Kimi K2 FP8 957.7 GiB / 8 + 0.5 + 2.5 = 122.8 ≤ 182.4.
  ['frontier', 'kimi k2', ['MI300X', 8], { model: 'kimi-k2', format: 'fp8' }],
  // gpt-oss-120b MXFP4 60.7 GiB: TP=2 30.3 + 0.3 + 2.5 = 33.1 on 2 × A40 ($0.97, defaults) < A100 $1.64.
  ['frontier', 'gpt-oss-120b', ['A40', 2], { model: 'gpt-oss-120b', format: 'mxfp4' }],
  ['frontier', 'gpt-oss 120b on one gpu', ['A100 PCIe', 1], { model: 'gpt-oss-120b' }],
  // gpt-oss-20b MXFP4 12.8 + 0.4 + 1.5 = 14.7 → 24 GB with defaults.
  ['frontier', 'gpt-oss 20b', ['RTX A5000', 1], { model: 'gpt-oss-20b', format: 'mxfp4' }],
  // Qwen3-235B BF16 437.7 GiB: 8 × 80 GB need 54.7 + 0.2 + 2.5 = 57.4 ($12.96 × 1.7); 4 × MI300X 112.3 ($9.96 × 1.06).
  ['frontier', 'qwen3 235b a22b', ['MI300X', 4], { model: 'qwen3-235b-a22b' }],
  // FP8 220 GiB: 2 × MI300X (110 + 0.7 + 2.5 = 113.3) $4.98 × 1.02 < 8 × A40 $5.98.
  ['frontier', 'qwen3-235b-a22b fp8', ['MI300X', 2], { model: 'qwen3-235b-a22b', format: 'fp8' }],
  // Qwen3-30B-A3B BF16 56.8: TP=2 28.4 + 0.4 + 2.5 = 31.3 on 2 × A40 with defaults.
  ['frontier', 'qwen3 30b a3b', ['A40', 2], { model: 'qwen3-30b-a3b' }],
  ['frontier', 'Qwen/Qwen3-30B-A3B', ['A40', 2], { model: 'qwen3-30b-a3b' }],
  // Scout BF16 203 GiB: 2 × MI300X (101.5 + 0.8 + 2.5) $5.08 < 8 × A40 $5.98.
  ['frontier', 'llama 4 scout', ['MI300X', 2], { model: 'llama-4-scout' }],
  // Maverick FP8 374.5 GiB: 4 × MI300X (93.6 + 0.4 + 2.5 = 96.5).
  ['frontier', 'llama 4 maverick fp8', ['MI300X', 4], { model: 'llama-4-maverick', format: 'fp8' }],
  // Mixtral 8x22B BF16 262 GiB: 2 × MI300X (131 + 0.9 + 2.5).
  ['frontier', 'mixtral 8x22b', ['MI300X', 2], { model: 'mixtral-8x22b' }],
  // AWQ 68.6 GiB: TP=2 34.3 + 0.9 + 2.5 = 37.7; 2 × A6000 fits with defaults (41.2 ≤ 43.2), 2 × A40 only tuned.
  ['frontier', 'mixtral 8x22b awq', ['RTX A6000', 2], { model: 'mixtral-8x22b', format: 'awq' }],
  // Gemma 3 27B BF16 51.0: TP=2 25.5 + 1.9 + 2.5 = 30.0 on 2 × A40 with defaults.
  ['frontier', 'gemma 3 27b', ['A40', 2], { model: 'gemma-3-27b' }],
  ['frontier', 'gemma3:27b', ['A40', 2], { model: 'gemma-3-27b' }],
  // Mistral Small 3.1 24B BF16 44.7: TP=2 22.4 + 0.6 + 2.5 = 25.5 on 2 × A40.
  ['frontier', 'mistral small 3.1', ['A40', 2], { model: 'mistral-small-3.1-24b' }],
  ['frontier', 'mistral small 3', ['A40', 2], { model: 'mistral-small-24b' }],
  // Gemma 3 4B: 8.0 + 1.1 + 1.0 = 10.1 → the cheapest card.
  ['frontier', 'gemma 3 4b', ['RTX A5000', 1], { model: 'gemma-3-4b' }],
  // V3 AWQ 327 GiB: 2 × MI300X 163.6 + 0.5 + 2.5 = 166.6 ≤ 182.4.
  ['frontier', 'deepseek v3 awq', ['MI300X', 2], { model: 'deepseek-v3', format: 'awq' }],
  // Qwen3-32B BF16 61.0: TP=2 30.5 + 1 + 2.5 = 34 on 2 × A40 with defaults.
  ['frontier', 'qwen3 32b', ['A40', 2], { model: 'qwen3-32b' }],
  [
    'frontier',
    'deepseek r1 distill llama 70b awq',
    ['RTX A6000', 1],
    { model: 'deepseek-r1-distill-llama-70b' },
  ],

  // ── 5. Only counts that exist: 1, 2, 4, 8 per pod, TP dividing the heads; beyond a node, a cluster. ──
  [
    'counts',
    'llama 70b fp16 on 3 gpus',
    ['A40', 4],
    { note: /3 GPUs: 64 attention heads do not divide by 3; sized at 4/ },
  ],
  ['counts', 'llama 3.1 8b on 7 gpus', ['RTX A5000', 8], { note: /sized at 8/ }],
  // Phi-3-medium: 10 KV heads, so TP ∈ {1, 2}; 2 × (13 + 0.8 + 1.5) = 15.3 > 15.2 on 16 GB → 24 GB.
  ['counts', 'phi 3 medium on 4 gpus', ['RTX A5000', 2], { note: /sized at 2/ }],
  // AWQ 7.2 GiB over TP=2: 3.6 + 0.8 + 1.5 = 5.9 → the cheapest pair.
  ['counts', 'phi 3 medium awq on 4 gpus', ['RTX A5000', 2], { note: /sized at 2/ }],
  // 32k × 4: KV 25 → TP=2 13 + 12.5 + 1.5 = 27 on 2 × A40; never 4.
  ['counts', 'phi-3 medium at 32k for 4 users', ['A40', 2]],
  // 70B full FT 1051 GiB + 5 + 2.5: 8 × MI300X (131.4 + 5 + 2.5 = 138.9).
  ['counts', 'full fine-tune llama 3.1 70b', ['MI300X', 8], { task: 'full-finetune' }],
  ['counts', 'full fine-tune llama 3.1 70b, no amd', ['B200', 8], { noGpu: 'MI300X' }],
  // On H100s: 8 need 138.9 > 75.7; 16 (2 nodes) need 65.7 + 5 + 2.5 = 73.2.
  ['counts', 'full fine-tune llama 3.1 70b on h100s', ['H100 SXM', 16], { nodes: 2 }],
  // 405B BF16: 8 × MI300X 94.5 + 0.5 + 2.5 = 97.5.
  ['counts', 'llama 3.1 405b bf16', ['MI300X', 8]],
  ['counts', 'llama 3.1 405b bf16, no amd', ['H200 SXM', 8]],
  // AWQ 72B splits at no count: one 48 GB card.
  ['counts', 'qwen2.5 72b awq on 2 gpus', ['RTX A6000', 1], { note: /sized at 1/ }],
  ['counts', 'mixtral 8x7b on 3 gpus', ['A40', 4]],
  // 70B AWQ TP=8: 4.6 + 0.3 + 2.5 = 7.4 → the cheapest 8 cards.
  ['counts', 'llama 3.3 70b awq on 6 gpus', ['RTX A5000', 8]],
  ['counts', 'deepseek r1 on 5 gpus', ['MI300X', 8]],
  // Gemma 3 27B TP=4: 12.8 + 1.0 + 2.5 = 16.2 → 4 × A5000 with defaults.
  ['counts', 'gemma 3 27b tp=3', ['RTX A5000', 4]],
  ['counts', 'llama 3.1 8b --tensor-parallel-size 2', ['RTX A5000', 2]],
  // K2 on H100s: 16 (2 nodes) need 59.9 + 0.3 + 2.5 = 62.6.
  ['counts', 'kimi k2 how many h100s', ['H100 SXM', 16], { nodes: 2 }],
  // Full FT Qwen2.5-7B: 113.5 + 2.9 + 1.5 = 117.9 → 1 × MI300X.
  ['counts', 'full fine-tune qwen2.5 7b', ['MI300X', 1]],
  ['counts', 'llama 3.1 70b awq on 5 gpus', ['RTX A5000', 8]],
  // LoRA 70B: 131.4 + 3.1 + 5.0 + 2.5 = 142 → 1 × MI300X ($2.49) < 4 × A40 FSDP ($2.55).
  ['counts', 'lora llama 3.1 70b', ['MI300X', 1]],
  ['counts', 'llama 3.1 405b fp8 how many gpus', ['MI300X', 4]],
  ['counts', 'qwen3 235b a22b on 3 gpus', ['MI300X', 4]],
  ['counts', 'full fine-tune kimi k2', 'refuse'],
  // A count no pod has: 12 H100s become 2 Instant Cluster nodes × 8 (70B BF16: 131.4/16 + 0.2 + 2.5 = 10.9).
  ['counts', 'llama 3.1 70b on 12 H100s', ['H100 SXM', 16], { fits: true, nodes: 2, verdict: /not one pod/ }],
  // 16 A40s are neither a pod nor a cluster: sized at 8; 405B BF16 756 GiB / 8 + 0.5 + 2.5 = 97.5 > 42.7.
  ['counts', 'llama 3.1 405b on 16x A40', ['A40', 8], { fits: false, verdict: /not something RunPod rents/ }],
  // An upper bound, not an exact count: 1 × MI300X (136.4 ≤ 182.4, $2.49) beats 2 × A100 PCIe ($3.24 × 1.1 × 1.15).
  ['counts', 'llama 3.1 70b max 2 gpus', ['MI300X', 1], { note: /At most 2 GPUs/ }],
  ['counts', 'llama 3.1 8b no more than 2 gpus', ['RTX A5000', 1], { note: /At most 2 GPUs/ }],
  ['counts', 'llama 3.1 70b, fewer than 4 gpus', ['MI300X', 1], { note: /At most 3 GPUs/ }],
  ['counts', 'llama 3.1 70b, up to 4 gpus', ['A40', 4], { note: /At most 4 GPUs/ }],

  // ── 6. Comfort: default flags beat tuned-only within 15 %; under 1 GiB spare never leads. ──
  ['comfort', '70b awq', ['RTX A6000', 1], { comfort: 'tuned' }],
  ['comfort', 'which gpu for 70b AWQ?', ['RTX A6000', 1]],
  // 2 × A6000 with defaults ($0.98 × 1.1) ahead of 2 × A40 tuned ($0.88 × 1.1 × 1.15).
  ['comfort', 'llama 3.3 70b fp8', ['RTX A6000', 2], { comfort: 'defaults' }],
  ['comfort', 'mixtral 8x22b awq', ['RTX A6000', 2], { comfort: 'defaults' }],
  // 16k: 18.5 GiB leaves 0.5 on 20 GB; the 24 GB card fits with defaults.
  ['comfort', 'llama 3.1 8b at 16k', ['RTX A5000', 1], { comfort: 'defaults' }],
  ['comfort', 'llama 3.1 8b at 2k for ~100 users', ['RTX A6000', 1], { comfort: 'defaults' }],
  ['comfort', 'llama 3.3 70b fp8, 10 users, 4k', ['RTX A6000', 2], { comfort: 'tuned' }],
  ['comfort', 'qwen2.5 72b awq', ['RTX A6000', 1], { comfort: 'tuned' }],
  ['comfort', 'gpt-oss-20b bf16', ['RTX A6000', 1], { comfort: 'defaults' }],
  ['comfort', 'llama 3.1 8b 10 users at 4k', ['RTX A5000', 1], { comfort: 'tuned' }],
  ['comfort', '70b awq on spot', ['RTX A6000', 1], { pricing: 'spot' }],
  // 32k × 4: KV 40 → 2 × A40 (41.0 of 42.7, tuned) $1.11 < 2 × A6000 tuned $1.24.
  ['comfort', '70b awq at 32k for 4 users', ['A40', 2], { comfort: 'tuned' }],
  ['comfort', 'qwen2.5 32b', ['A40', 2], { comfort: 'defaults' }],
  ['comfort', 'gemma 3 27b bf16', ['A40', 2], { comfort: 'defaults' }],
  ['comfort', 'mistral 7b', ['RTX A5000', 1], { comfort: 'defaults' }],
  // 16k: 37 + 5 + 2.5 = 44.5 → A6000 (1.1 spare); the A40 does not fit.
  ['comfort', 'llama 3.1 70b awq at 16k', ['RTX A6000', 1]],
  // 24k: 47 > 45.6 on one card; TP=2 18.5 + 3.8 + 2.5 = 24.8 on 2 × A40 with defaults.
  ['comfort', 'llama 3.1 70b awq at 24k', ['A40', 2], { comfort: 'defaults' }],
  ['comfort', 'qwen2.5 14b at 32k', ['A40', 1], { comfort: 'defaults' }],
  ['comfort', 'mistral-small-24b', ['A40', 2], { comfort: 'defaults' }],
  // FP8 8B 8.5 + 1 + 1.5 = 11.0 → cheapest 16–24 GB card.
  ['comfort', 'llama 3.1 8b fp8', ['RTX A5000', 1], { comfort: 'defaults' }],
  ['comfort', 'qwen2.5 7b ~50 users at 2k', ['RTX A5000', 1], { comfort: 'tuned' }],

  // ── 7. Throughput: a roofline estimate per option, $ per 1M output tokens, replicas for a stated speed. ──
  ['throughput', 'llama 3.1 8b', ['RTX A5000', 1]],
  ['throughput', 'llama 3.1 8b for 4 users', ['RTX A5000', 1], { concurrency: 4 }],
  // 2 × 3090 at batch 20: (16.1 + 21.5 GB)/2 / 655 GB/s = 27 ms → 36 tok/s ≥ 30.
  ['throughput', 'mistral 7b ≈30 tok/s per user for 20 users', ['RTX 3090', 2], { replicas: 1 }],
  ['throughput', 'mistral 7b, 20 users, 30 tokens/s each', ['RTX 3090', 2], { replicas: 1 }],
  // 2 × A5000 reach 40 tok/s only at batch 10: 2 replicas ($1.16) still lead.
  ['throughput', 'llama 3.1 8b, 20 users each needing 40 tok/s', ['RTX A5000', 2], { replicas: 2 }],
  ['throughput', '70b awq, how many tokens per second', ['RTX A6000', 1]],
  ['throughput', 'llama 3.3 70b fp8 throughput and cost per million tokens', ['RTX A6000', 2]],
  ['throughput', 'gpt-oss-120b $/1M tokens', ['A40', 2]],
  ['throughput', 'qwen3 30b a3b tok/s', ['A40', 2]],
  ['throughput', 'deepseek r1 cost per million output tokens', ['MI300X', 4]],
  ['throughput', 'mixtral 8x7b, 10 users', ['A40', 4], { concurrency: 10 }],
  ['throughput', 'llama 3.1 8b at 5 tok/s per user for 8 users', ['A40', 1], { replicas: 1 }],
  ['throughput', 'qwen2.5 14b for 20 users', ['A40', 2], { concurrency: 20 }],
  ['throughput', 'gemma 3 12b, 4 users, 8k', ['A40', 1]],
  ['throughput', 'mistral 7b on an L4, how fast?', ['L4', 1], { fits: true }],
  ['throughput', 'llama 3.1 8b on a 4090 tokens/s', ['RTX 4090', 1], { fits: true }],
  ['throughput', 'kimi k2 tok/s', ['MI300X', 8]],
  ['throughput', 'gpt-oss 20b for 16 users', ['RTX A5000', 1], { concurrency: 16 }],
  // 8 × 4k: TP=2 30.5 + 4 + 2.5 = 37; with defaults 40.5 > 40.49 on an A40, ≤ 43.2 on an A6000.
  ['throughput', 'qwen2.5 32b at 4k for 8 users', ['RTX A6000', 2], { comfort: 'defaults' }],
  // 2000 tok/s in all: an A5000 holds 6 sequences (≈143 tok/s, 14 replicas); one MI300X holds 166 (≈3,200 tok/s).
  ['throughput', 'llama 3.1 8b, 2000 tokens/s total', ['MI300X', 1], { replicas: 1 }],
  ['throughput', 'llama 4 scout $ per million tokens', ['MI300X', 2]],
  ['throughput', 'llama 3.1 8b 30tok/s for 10 users', ['RTX A5000', 2], { replicas: 1 }],
  // 1000 tok/s in all: an A100 PCIe holds 59 sequences, (16.06 + 59 × 1.07) GB / 1354.5 GB/s = 58.6 ms → 1006 tok/s.
  ['throughput', 'llama 3.1 8b 1000 tok/s aggregate', ['A100 PCIe', 1], { replicas: 1 }],
  // 5 req/s × 300 tokens = 1500 tok/s: 5 × A6000 (330 tok/s each, $2.45) < 1 × MI300X ($2.49) < 6 × A40 ($2.64).
  [
    'throughput',
    'llama 3.1 8b, 5 requests per second, 300 output tokens each',
    ['RTX A6000', 1],
    { replicas: 5 },
  ],
  // 20 req/s × 512 = 10,240 tok/s at 2,560 tokens per sequence: an A6000 holds 93 (1,057 tok/s) → 10 × $0.49.
  [
    'throughput',
    'llama 3.1 8b 2k in / 512 out tokens per request, 20 rps',
    ['RTX A6000', 1],
    { replicas: 10, context: 2560 },
  ],
];

const byName = new Map([...GPU_BY_ID.values()].map((g) => [g.displayName, g]));
const nameOf = (a: Answer): string => {
  const o = a.options[0];
  return o ? `${o.count}× ${o.gpuName}` : a.status;
};

function checkCounts(q: string, a: Answer): void {
  const w = analyzeQuestion(q).workload;
  for (const o of a.options) {
    const g = GPU_BY_ID.get(o.gpuId)!;
    expect(o.gpusPerNode, q).toBeLessThanOrEqual(g.maxCount);
    if (o.role === 'named') continue;
    if (o.nodes > 1) expect(o.gpusPerNode).toBe(8);
    else expect([1, 2, 4, 8], `${q}: ${o.count}× ${o.gpuName}`).toContain(o.count);
    if (o.parallelism === 'tensor' && w) expect(tensorParallelProblem(w.model, w.format, o.count)).toBeNull();
  }
}

describe('questions as people type them', () => {
  it('has at least 20 cases per class and 150 in all', () => {
    const per = new Map<Cls, number>();
    for (const [cls] of CASES) per.set(cls, (per.get(cls) ?? 0) + 1);
    for (const [cls, n] of per) expect(n, cls).toBeGreaterThanOrEqual(20);
    expect(CASES.length).toBeGreaterThanOrEqual(150);
  });

  for (const [cls, q, want, extra = {}] of CASES) {
    it(`[${cls}] ${q}`, () => {
      const a = answerQuestion(q);
      // The /gpu message for it stays within Block Kit's limits.
      expect(checkMessage(gpuAnswerMessage(a)), q).toEqual([]);
      if (want === 'clarify' || want === 'refuse') {
        expect(a.status, nameOf(a)).toBe(want);
        return;
      }
      expect(a.status, a.message ?? '').toBe('ok');
      const [gpu, count] = want;
      expect(byName.has(gpu), gpu).toBe(true);
      expect(nameOf(a)).toBe(`${count}× ${gpu}`);
      const first = a.options[0]!;
      checkCounts(q, a);
      if (extra.owned) {
        expect(a.fitCheck?.owned).toBe(true);
        expect(a.fitCheck?.fits).toBe(extra.fits);
        expect(first.role).toBe('ranked');
      } else if (extra.fits !== undefined) {
        expect(first.role).toBe('named');
        expect(first.fits).toBe(extra.fits);
        expect(a.fitCheck?.fits).toBe(extra.fits);
        if (!extra.fits) expect(a.options[1]?.role ?? 'alternative').toBe('alternative');
      } else {
        expect(first.fits).toBe(true);
      }
      const i = a.intent;
      if (extra.model) expect(i.model?.id).toBe(extra.model);
      if (extra.format) expect(i.format).toBe(extra.format);
      if (extra.task) expect(i.task).toBe(extra.task);
      if (extra.pricing) expect(i.pricing).toBe(extra.pricing);
      if (extra.cloud) expect(i.cloud).toBe(extra.cloud);
      if (extra.concurrency) expect(i.concurrency).toBe(extra.concurrency);
      if (extra.context) expect(i.contextTokens).toBe(extra.context);
      if (extra.noSegment)
        for (const o of a.options) expect(GPU_BY_ID.get(o.gpuId)!.segment).not.toBe(extra.noSegment);
      if (extra.noGpu) expect(a.options.map((o) => o.gpuName)).not.toContain(extra.noGpu);
      if (extra.note) expect(a.assumptions.join(' ')).toMatch(extra.note);
      if (extra.comfort) expect(first.comfort).toBe(extra.comfort);
      if (extra.nodes) expect(first.nodes).toBe(extra.nodes);
      if (extra.replicas) expect(first.decode?.replicas).toBe(extra.replicas);
      if (extra.budget !== undefined) expect(i.budget?.usdPerHr).toBe(extra.budget);
      if (extra.verdict) expect(a.fitCheck?.verdict).toMatch(extra.verdict);
      // A stated speed is met: replicas × the aggregate rate cover it.
      const target = analyzeQuestion(q).rate.target;
      if (target && first.decode?.meetsTarget)
        expect(first.decode.replicas * first.decode.aggregateTokPerSec).toBeGreaterThanOrEqual(
          target.total * 0.999,
        );
      if (cls === 'throughput' && a.intent.task === 'serve') {
        expect(first.decode).not.toBeNull();
        const price = first.onDemandUsdPerHr!;
        expect(first.usdPerMillionTokens).toBeCloseTo(
          (price / (first.decode!.aggregateTokPerSec * 3600)) * 1e6,
          1,
        );
      }
    });
  }
});

// Hand calculations (gpu-sizing.md §0–§6), GiB: weights, KV for the stated load, per-GPU need of option 1.
const HAND: [q: string, weights: number, kv: number, perGpu: number, how: string][] = [
  ['70b awq', 37.0, 2.5, 42.0, '68.45B × 4.156/8 + 2.10B × 2 = 39.8 GB; 320 KiB × 8k; + 2.5'],
  ['llama 3.1 8b', 14.96, 1.0, 17.46, '8.03B × 2; 128 KiB × 8k; + 1.5'],
  ['mistral 7b', 13.5, 1.0, 16.0, '7.25B × 2; 128 KiB × 8k; + 1.5'],
  [
    'llama 3.1 405b fp8',
    381.9,
    3.94,
    98.97,
    '401.7 GB + 4.2B × 2 = 8.4 GB; 504 KiB × 8k; TP=4: 95.5 + 0.98 + 2.5',
  ],
  ['deepseek r1', 626.6, 0.54, 159.7, '669.1 GB + 3.7 GB; MLA 61 × 576 × 2 B × 8k (replicated); TP=4'],
  ['kimi k2', 957.7, 0.54, 122.8, '1023.7 GB + 4.7 GB; MLA latent; TP=8: 119.7 + 0.54 + 2.5'],
  ['gpt-oss-120b', 60.66, 0.56, 33.1, '114.7B × 4.25/8 + 2.1B × 2; 72 KiB × 8k; TP=2'],
  ['gpt-oss 20b', 12.8, 0.38, 14.68, '19.1B × 4.25/8 + 1.8B × 2; 48 KiB × 8k; + 1.5'],
  ['qwen2.5 32b', 61.0, 2.0, 34.0, '32.76B × 2; 256 KiB × 8k; TP=2: 30.5 + 1 + 2.5'],
  ['qwen3 30b a3b', 56.8, 0.75, 31.28, '30.5B × 2; 96 KiB × 8k; TP=2'],
  ['mixtral 8x22b awq', 68.58, 1.75, 37.67, '140.2B × 4.156/8 + 0.4B × 2; 224 KiB × 8k; TP=2'],
  ['gemma 3 27b', 51.04, 3.88, 29.96, '27.4B × 2; 496 KiB × 8k; TP=2'],
  ['llama 3.3 70b fp8', 67.66, 2.5, 37.58, '68.45 GB + 4.2 GB; TP=2: 33.83 + 1.25 + 2.5'],
  ['70b awq at 32k for 4 users', 37.0, 40.0, 41.0, '320 KiB × 32k × 4; TP=2: 18.5 + 20 + 2.5'],
  ['llama 3.1 8b for ~8 users', 14.96, 8.0, 24.46, '128 KiB × 8k × 8'],
  ['qwen2.5 72b awq', 38.6, 2.5, 43.6, 'gpu-sizing.md §2.1: 38.6 GiB; 320 KiB × 8k; + 2.5'],
  ['llama 4 scout', 203.0, 1.5, 104.75, '109B × 2; 192 KiB × 8k; TP=2'],
  ['llama 3.1 8b 10 users 4k tokens each', 14.96, 5.0, 21.46, '128 KiB × 4k × 10'],
  ['deepseek r1 how many h100s', 626.6, 0.54, 41.93, '16 GPUs: 626.6/16 + 0.54/2 nodes + 2.5'],
  ['full fine-tune llama 3.1 8b', 14.96, 0, 123.9, '+ 8.03B × 14 B states 104.7 + activations 2.7 + 1.5'],
  ['will a 48gb gpu handle llama 70b awq at 16k', 37.0, 5.0, 44.5, '320 KiB × 16k; on the A6000 (48 GiB)'],
  [
    'llama 3.1 8b with 32K context window and about a dozen users',
    14.96,
    48.0,
    32.98,
    '128 KiB × 32k × 12; TP=2: 7.48 + 24 + 1.5',
  ],
];

describe('the arithmetic, checked against hand calculations', () => {
  for (const [q, weights, kv, perGpu, how] of HAND) {
    it(`${q}: ${how}`, () => {
      const a = answerQuestion(q);
      const e = a.estimate!;
      expect(Math.abs(e.weightsGiB - weights)).toBeLessThanOrEqual(Math.max(0.1, weights * 0.005));
      expect(Math.abs(e.kvGiB - kv)).toBeLessThanOrEqual(0.02);
      expect(Math.abs(a.options[0]!.perGpuNeedGiB - perGpu)).toBeLessThanOrEqual(0.1);
    });
  }

  it('an aggregate target is met at the batch memory allows: 1000 tok/s on one A100 PCIe', () => {
    const o = answerQuestion('llama 3.1 8b 1000 tok/s aggregate').options[0]!;
    // (76.0 − 16.46) / 1 GiB per 8k sequence = 59 sequences; step = (16.06 + 59 × 1.074) GB / 1354.5 GB/s = 58.6 ms.
    expect(o.decode!.batch).toBe(59);
    expect(o.decode!.aggregateTokPerSec).toBeGreaterThanOrEqual(1000);
    expect(o.decode!.aggregateTokPerSec).toBeLessThanOrEqual(1010);
    expect(o.decode!.replicas).toBe(1);
  });

  it('decode roofline for 8B on an RTX A5000: 6 sequences fit; 22.5 GB per step at 0.7 × 768 GB/s', () => {
    const o = answerQuestion('llama 3.1 8b').options[0]!;
    // Room (22.8 − 16.46) / 1 GiB per 8k sequence = 6; step = (16.06 + 6 × 1.074) GB / 537.6 GB/s = 41.9 ms.
    expect(o.decode!.batch).toBe(6);
    expect(o.decode!.perSeqTokPerSec).toBeCloseTo(23.9, 0);
    expect(o.decode!.aggregateTokPerSec).toBeGreaterThanOrEqual(142);
    expect(o.decode!.aggregateTokPerSec).toBeLessThanOrEqual(144);
    // $0.29/h ÷ (143 tok/s × 3600) × 1e6 = $0.56 per 1M output tokens.
    expect(o.usdPerMillionTokens).toBeCloseTo(0.56, 2);
  });
});
