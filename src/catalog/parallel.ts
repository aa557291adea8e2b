// Which GPU counts a model can be split over (gpu-sizing.md §5).
import { FORMATS, splitsLayers } from './formats.ts';
import type { FormatId, ModelSpec } from './types.ts';

/**
 * vLLM tensor-parallel rules: n divides the attention heads; n divides the KV heads or is a multiple of
 * them; n divides the MLP width; for group-quantized checkpoints (AWQ/GPTQ) every GPU's slice of the MLP
 * input (intermediate/n) and of the attention output (heads·head_dim/n) is a whole number of groups.
 * Returns null when valid, else the reason.
 */
export function tensorParallelProblem(model: ModelSpec, format: FormatId, n: number): string | null {
  if (n === 1) return null;
  if (model.kind !== 'llm') return `${model.name} is not split across GPUs; run one replica per GPU instead`;
  if (model.heads % n !== 0) return `${model.heads} attention heads do not divide by ${n}`;
  if (model.attention === 'gqa' && model.kvHeads % n !== 0 && n % model.kvHeads !== 0) {
    return `${model.kvHeads} KV heads and ${n} GPUs do not divide either way`;
  }
  if (model.intermediate % n !== 0) return `MLP width ${model.intermediate} does not divide by ${n}`;
  const g = FORMATS[format].groupSize;
  if (g !== null && (format === 'awq' || format === 'gptq')) {
    const slice = model.intermediate / n;
    if (slice % g !== 0) {
      return `${format.toUpperCase()} groups of ${g}: ${model.intermediate}/${n} = ${slice} is not a multiple of ${g}`;
    }
    const attnSlice = (model.heads * model.headDim) / n;
    if (attnSlice % g !== 0)
      return `${format.toUpperCase()} groups of ${g} do not divide the attention slice`;
  }
  return null;
}

/** Whether n GPUs can hold one replica of this workload at all (any parallelism). */
export function countAllowed(model: ModelSpec, format: FormatId, n: number, training: boolean): boolean {
  if (n === 1) return true;
  if (model.kind !== 'llm') return false; // one replica per GPU; scale out with more pods
  if (training) return true; // FSDP/ZeRO-3 shards any count
  if (splitsLayers(format)) return true; // llama.cpp / ExLlamaV2 split layers
  return tensorParallelProblem(model, format, n) === null;
}
