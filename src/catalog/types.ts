// Shapes of the catalog's reference data (GPU table, model registry, weight formats).

export type Architecture = 'Volta' | 'Ampere' | 'Ada Lovelace' | 'Hopper' | 'Blackwell' | 'CDNA 3';

/**
 * How GPUs in one pod talk to each other.
 * - nvswitch: SXM/HGX boards, every GPU on NVLink through NVSwitch (always present).
 * - nvlink: SXM2-style NVLink mesh (always present on SXM boards).
 * - nvlink-bridge: PCIe card that *supports* an NVLink bridge; RunPod does not document whether a host
 *   has one, so treat the pod as PCIe-only unless `nvidia-smi topo -m` shows NV#.
 * - infinity-fabric: AMD xGMI links between OAM modules.
 * - pcie: no GPU-to-GPU link.
 */
export type InterconnectKind = 'nvswitch' | 'nvlink' | 'nvlink-bridge' | 'infinity-fabric' | 'pcie';

export interface GpuSpec {
  /** RunPod gpuTypeId, exactly as RunPod spells it (e.g. "NVIDIA GeForce RTX 4090"). */
  id: string;
  /** RunPod display name (e.g. "RTX 4090"). */
  displayName: string;
  vendor: 'NVIDIA' | 'AMD';
  architecture: Architecture;
  /** Memory as RunPod labels it, in GB. */
  memoryGb: number;
  memoryType: string;
  /** Memory the driver reports (nvidia-smi "total"), in GiB. The number sizing compares against. */
  usableGiB: number;
  /** 'driver': a published nvidia-smi/rocm-smi reading; 'nominal': the label, not verified on hardware. */
  usableBasis: 'driver' | 'nominal';
  /** Peak memory bandwidth, decimal GB/s (decode speed is mostly bandwidth-bound). */
  bandwidthGBs: number;
  /**
   * Dense (no 2:4 sparsity) FP16/BF16 tensor-core TFLOPS with FP32 accumulate — the rate BF16 GEMMs use.
   * GeForce cards run FP32-accumulate at half their FP16-accumulate rate. null when not verified.
   */
  fp16TensorTflops: number | null;
  /** 'datasheet': published figure; 'derived': computed from published figures (see the row's note). */
  tflopsBasis: 'datasheet' | 'derived' | 'unknown';
  /** FP8 tensor cores (Ada, Hopper, Blackwell, CDNA 3). Ampere runs FP8 checkpoints weight-only. */
  fp8: boolean;
  bf16: boolean;
  interconnect: InterconnectKind;
  /** GPU-to-GPU bandwidth per GPU (GB/s) for NVLink/xGMI; null for PCIe-only. */
  interconnectGBs: number | null;
  segment: 'consumer' | 'workstation' | 'datacenter';
  /** Most GPUs of this type we consider in one pod. */
  maxCount: number;
  /** Kept out of recommendations (still usable for "will it fit on my …" checks). */
  legacy: boolean;
  bestFor: string;
  note?: string;
  source: string;
}

/** A GPU people may own but cannot rent on RunPod; used only for fit checks. */
export interface OwnedGpuSpec {
  key: string;
  name: string;
  usableGiB: number;
  bandwidthGBs: number;
  aliases: string[];
  note: string;
}

export type ModelKind = 'llm' | 'embedding' | 'asr' | 'image';

export interface ModelSpec {
  id: string;
  name: string;
  /** Hugging Face repository of the reference checkpoint. */
  repo: string;
  family: string;
  /** Versions the name answers to (e.g. ["3.1"]). */
  versions: string[];
  /** Words that pick this model inside its family when no size is given (e.g. "mini", "turbo"). */
  variants: string[];
  kind: ModelKind;
  /** Total parameters, billions. */
  paramsB: number;
  /** Parameters used per token (MoE), billions. */
  activeParamsB?: number;
  layers: number;
  /** Layers whose KV cache grows with context (defaults to `layers`). */
  kvLayers?: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  /** Dense MLP width (per expert for MoE models). */
  intermediate: number;
  vocab: number;
  tiedEmbeddings: boolean;
  maxContext: number;
  /** Longer context the model card documents with RoPE scaling (e.g. Qwen2.5 YaRN to 131072). */
  extendedContext?: number;
  attention: 'gqa' | 'mla' | 'none';
  /** MLA latent size (DeepSeek-V3 family): cache holds kvLoraRank + ropeDim values per layer. */
  mla?: { kvLoraRank: number; ropeDim: number };
  moe?: { experts: number; topK: number; expertParamsB: number };
  /** Format the reference checkpoint ships in. */
  nativeFormat: FormatId;
  /** Non-LLMs: peak activation memory per sample in GiB at the default resolution/length. */
  activationPerItemGiB?: number;
  /** Non-LLMs: activation memory per training sample (gradient checkpointing), GiB. */
  trainActivationPerItemGiB?: number;
  /** Default for its family when only the family is named (e.g. Whisper → large-v3). */
  familyDefault?: boolean;
  /** Default for a bare size ("70b" → Llama 3.3 70B). */
  sizeDefault?: boolean;
  notes?: string[];
  source: string;
}

export type FormatId =
  | 'fp32'
  | 'bf16'
  | 'fp8'
  | 'int8'
  | 'awq'
  | 'gptq'
  | 'nf4'
  | 'mxfp4'
  | 'gguf-q8_0'
  | 'gguf-q6_k'
  | 'gguf-q5_k_m'
  | 'gguf-q4_k_m'
  | 'gguf-q4_k_s'
  | 'gguf-q4_0'
  | 'gguf-iq4_xs'
  | 'gguf-q3_k_m'
  | 'exl2';

export interface FormatSpec {
  id: FormatId;
  label: string;
  /** Bits per weight on the tensors the format quantizes (scales and zeros included). */
  bits: number;
  /**
   * Which tensors the bits apply to. 'linear': transformer linear layers only, embeddings and lm_head
   * stay 16-bit; 'all': measured whole-file bits (GGUF); 'experts': MoE expert weights only (MXFP4).
   */
  scope: 'linear' | 'all' | 'experts';
  /** Quantization group size along the input dimension; constrains tensor-parallel splits. */
  groupSize: number | null;
  runtime: 'vllm' | 'llama.cpp' | 'exllamav2' | 'transformers+bitsandbytes';
  source: string;
}
