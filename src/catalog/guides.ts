// Short guidance for common use cases and for spot vs on-demand. Kept factual and sourced.

/** Spot (interruptible) vs on-demand. Sources: runpod-api.md §0.3, §3.4; gpu-sizing.md §9 "Prices". */
export const SPOT_GUIDANCE: readonly string[] = [
  'Spot (interruptible) pods can be stopped whenever someone outbids you or RunPod needs the capacity; ' +
    'your container stops and anything not on a volume is lost.',
  'Good fits for spot: batch jobs, evaluation runs, dev boxes, and training that checkpoints often to a ' +
    'network volume and can resume.',
  'Not a fit on its own: a production API or anything with an SLA. If you use spot there, run replicas ' +
    'behind a load balancer with on-demand capacity to fall back on, or use serverless endpoints.',
  'Spot exists only in RunPod’s GraphQL API: REST v2 has no spot pods and RunPod removed spot from its docs ' +
    'on 2026-05-06, so treat spot availability as at risk.',
];

export const PRODUCTION_GUIDANCE =
  'For a production API use on-demand pods (or serverless endpoints); spot pods can be interrupted.';

export const EMBEDDINGS_GUIDANCE: readonly string[] = [
  'Embedding models are small (bge-large, e5-large: 335M params, 0.6 GiB in FP16) and keep no KV cache: ' +
    'any 8–16 GB card runs them; pick on throughput per dollar, not memory.',
  'Batch requests (32–64 texts × 512 tokens) for throughput; run more replicas on cheap cards rather than ' +
    'one big GPU.',
];

export const TRANSCRIPTION_GUIDANCE: readonly string[] = [
  'Whisper large-v3 (1.55B) needs ~3 GiB in FP16 plus ~0.3 GiB per parallel stream: the cheapest 16–24 GB ' +
    'card is enough; large-v3-turbo (4 decoder layers) is several times faster at similar quality.',
];

export const IMAGE_GUIDANCE: readonly string[] = [
  'SDXL needs ~6.5 GiB of weights and peaks at ~9–12 GiB at 1024×1024 (VAE decode): 16 GB works, 24 GB is ' +
    'comfortable. FLUX.1 [dev] needs ~32 GiB in BF16 or ~17 GiB in FP8.',
];

export const FINETUNE_GUIDANCE: readonly string[] = [
  'LoRA trains small adapters on a frozen 16-bit base; QLoRA keeps the base in 4-bit NF4 (≈4× less weight ' +
    'memory, somewhat slower); a full fine-tune needs ~16 bytes per parameter for weights, gradients and Adam.',
];

export const TIGHT_FIT_NOTE =
  'Tight fit: start vLLM with --gpu-memory-utilization 0.95, --max-model-len set to your context and a small ' +
  '--max-num-batched-tokens (e.g. 2048); with default flags it may run out of KV space.';

export const EXAMPLES: readonly string[] = [
  'which gpu for llama 3.1 70b awq at 8k context?',
  'qwen2.5 32b bf16, 32k context, 8 concurrent users, spot',
  'will mistral 7b fit on a 4090?',
  'qlora fine-tune of llama 3.1 8b',
  'I already have 2x A6000 — can I serve mixtral 8x7b in 4-bit?',
  'cheapest gpu for an embeddings model',
];
