// Finding GPU names in tokenized text: "4090", "rtx 6000 ada", "h100 sxm", "a100 80gb pcie", "8xh100s".
import { GPU_BY_ID, GPUS, OWNED_GPUS } from './data/gpus.ts';
import { tokenize } from './text.ts';
import type { GpuSpec, OwnedGpuSpec } from './types.ts';

export type GpuRef = { kind: 'runpod'; gpu: GpuSpec } | { kind: 'owned'; gpu: OwnedGpuSpec };

const RUNPOD_ALIASES: Readonly<Record<string, readonly string[]>> = {
  'AMD Instinct MI300X OAM': ['mi300x', 'mi300', 'mi 300x', 'mi300x oam'],
  'NVIDIA A100 80GB PCIe': ['a100 pcie', 'a100 80gb pcie', 'a100 pcie 80gb', 'a100 80 pcie'],
  'NVIDIA A100-SXM4-80GB': [
    'a100',
    'a100 sxm',
    'a100 sxm4',
    'a100 80gb',
    'a100 80',
    'a100 sxm4 80gb',
    'a100 80gb sxm',
  ],
  'NVIDIA A30': ['a30'],
  'NVIDIA A40': ['a40'],
  'NVIDIA B200': ['b200'],
  'NVIDIA B300 SXM6 AC': ['b300', 'b300 sxm6'],
  'NVIDIA GeForce RTX 3070': ['3070', 'rtx 3070'],
  'NVIDIA GeForce RTX 3080': ['3080', 'rtx 3080'],
  'NVIDIA GeForce RTX 3080 Ti': ['3080 ti', 'rtx 3080 ti', '3080ti'],
  'NVIDIA GeForce RTX 3090': ['3090', 'rtx 3090'],
  'NVIDIA GeForce RTX 3090 Ti': ['3090 ti', 'rtx 3090 ti', '3090ti'],
  'NVIDIA GeForce RTX 4070 Ti': ['4070 ti', 'rtx 4070 ti', '4070ti'],
  'NVIDIA GeForce RTX 4080': ['4080', 'rtx 4080'],
  'NVIDIA GeForce RTX 4080 SUPER': ['4080 super', 'rtx 4080 super'],
  'NVIDIA GeForce RTX 4090': ['4090', 'rtx 4090'],
  'NVIDIA GeForce RTX 5080': ['5080', 'rtx 5080'],
  'NVIDIA GeForce RTX 5090': ['5090', 'rtx 5090'],
  'NVIDIA H100 80GB HBM3': ['h100', 'h100 sxm', 'h100 sxm5', 'h100 80gb', 'h100 80gb hbm3', 'h100 hbm3'],
  'NVIDIA H100 NVL': ['h100 nvl', 'h100nvl'],
  'NVIDIA H100 PCIe': ['h100 pcie', 'h100 80gb pcie'],
  'NVIDIA H200': ['h200', 'h200 sxm', 'h200 141gb'],
  'NVIDIA H200 NVL': ['h200 nvl'],
  'NVIDIA L4': ['l4'],
  'NVIDIA L40': ['l40'],
  'NVIDIA L40S': ['l40s'],
  'NVIDIA RTX 2000 Ada Generation': ['rtx 2000 ada', '2000 ada', 'rtx 2000'],
  'NVIDIA RTX 4000 Ada Generation': ['rtx 4000 ada', '4000 ada', 'rtx 4000'],
  'NVIDIA RTX 4000 SFF Ada Generation': [
    'rtx 4000 sff',
    '4000 sff',
    'rtx 4000 sff ada',
    '4000 ada sff',
    'rtx 4000 ada sff',
  ],
  'NVIDIA RTX 5000 Ada Generation': ['rtx 5000 ada', '5000 ada', 'rtx 5000'],
  'NVIDIA RTX 6000 Ada Generation': ['rtx 6000 ada', '6000 ada', 'rtx 6000'],
  'NVIDIA RTX A2000': ['a2000', 'rtx a2000'],
  'NVIDIA RTX A4000': ['a4000', 'rtx a4000'],
  'NVIDIA RTX A4500': ['a4500', 'rtx a4500'],
  'NVIDIA RTX A5000': ['a5000', 'rtx a5000'],
  'NVIDIA RTX A6000': ['a6000', 'rtx a6000'],
  'NVIDIA RTX PRO 4500 Blackwell': ['pro 4500', 'rtx pro 4500', 'pro 4500 blackwell'],
  'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition': [
    'pro 6000 max q',
    'pro 6000 maxq',
    'rtx pro 6000 max q',
    'rtx pro 6000 maxq',
    'pro 6000 max',
  ],
  'NVIDIA RTX PRO 6000 Blackwell Server Edition MIG 1g.24gb': [
    'pro 6000 mig 24gb',
    'mig 1g.24gb',
    'mig 24gb',
  ],
  'NVIDIA RTX PRO 6000 Blackwell Server Edition MIG 2g.48gb': [
    'pro 6000 mig 48gb',
    'mig 2g.48gb',
    'mig 48gb',
  ],
  'NVIDIA RTX PRO 6000 Blackwell Server Edition': [
    'pro 6000',
    'rtx pro 6000',
    'pro 6000 server',
    'rtx pro 6000 server',
    'pro 6000 blackwell',
    'rtx pro 6000 blackwell',
    'blackwell 6000',
    'rtx 6000 pro',
    '6000 pro',
  ],
  'NVIDIA RTX PRO 6000 Blackwell Workstation Edition': [
    'pro 6000 workstation',
    'rtx pro 6000 workstation',
    'pro 6000 wk',
    'rtx pro 6000 wk',
  ],
  'Tesla V100-PCIE-16GB': ['v100', 'v100 pcie', 'v100 16gb'],
  'Tesla V100-SXM2-16GB': ['v100 sxm2', 'v100 sxm', 'v100 sxm2 16gb'],
  'Tesla V100-SXM2-32GB': ['v100 32gb', 'v100 sxm2 32gb', 'v100 sxm 32gb'],
};

/** Words that may precede a GPU name without changing which GPU it is. */
const FILLER = new Set(['nvidia', 'geforce', 'tesla', 'amd', 'instinct', 'radeon', 'rx', 'quadro']);

const INDEX = new Map<string, GpuRef>();
/** First token of every alias (fillers removed): anything else cannot start a GPU name. */
const FIRST = new Set<string>();
let MAX_ALIAS_TOKENS = 1;

function add(alias: string, ref: GpuRef): void {
  const parts = tokenize(alias);
  while (parts.length > 1 && FILLER.has(parts[0]!)) parts.shift();
  const key = parts.join(' ');
  if (!INDEX.has(key)) INDEX.set(key, ref);
  FIRST.add(parts[0]!);
  MAX_ALIAS_TOKENS = Math.max(MAX_ALIAS_TOKENS, parts.length);
}

for (const [id, aliases] of Object.entries(RUNPOD_ALIASES)) {
  const gpu = GPU_BY_ID.get(id);
  if (!gpu) throw new Error(`GPU alias for unknown id ${id}`);
  for (const a of aliases) add(a, { kind: 'runpod', gpu });
  add(gpu.displayName, { kind: 'runpod', gpu });
  add(gpu.id, { kind: 'runpod', gpu });
}
for (const g of OWNED_GPUS) for (const a of g.aliases) add(a, { kind: 'owned', gpu: g });

export interface GpuMatch {
  ref: GpuRef;
  /** First and one-past-last token index of the name (fillers included). */
  start: number;
  end: number;
  /** The name was written in the plural ("4090s"). */
  plural: boolean;
  /** A bare family name ("h100", "a100") that also covers sibling variants (PCIe, NVL, …). */
  bare: boolean;
}

/** Variants a bare family name also covers, for GPU info answers. */
export const GPU_SIBLINGS: ReadonlyMap<string, readonly string[]> = new Map([
  ['NVIDIA H100 80GB HBM3', ['NVIDIA H100 PCIe', 'NVIDIA H100 NVL']],
  ['NVIDIA A100-SXM4-80GB', ['NVIDIA A100 80GB PCIe']],
  ['NVIDIA H200', ['NVIDIA H200 NVL']],
  [
    'NVIDIA RTX PRO 6000 Blackwell Server Edition',
    [
      'NVIDIA RTX PRO 6000 Blackwell Workstation Edition',
      'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition',
    ],
  ],
  ['Tesla V100-PCIE-16GB', ['Tesla V100-SXM2-16GB', 'Tesla V100-SXM2-32GB']],
]);
const BARE_KEYS = new Set(['h100', 'a100', 'h200', 'pro 6000', 'rtx pro 6000', 'v100']);

/** The longest GPU name starting at token i (after optional fillers), or null. */
export function matchGpuAt(tokens: readonly string[], i: number): GpuMatch | null {
  let s = i;
  while (s < tokens.length && FILLER.has(tokens[s]!)) s++;
  if (s >= tokens.length) return null;
  const first = tokens[s]!;
  if (!FIRST.has(first) && !(first.endsWith('s') && FIRST.has(first.slice(0, -1)))) return null;
  for (let len = Math.min(MAX_ALIAS_TOKENS, tokens.length - s); len >= 1; len--) {
    let key = first;
    for (let j = 1; j < len; j++) key += ` ${tokens[s + j]}`;
    let ref = INDEX.get(key);
    let plural = false;
    if (!ref && key.endsWith('s')) {
      key = key.slice(0, -1);
      ref = INDEX.get(key);
      plural = ref !== undefined;
    }
    if (ref) return { ref, start: i, end: s + len, plural, bare: BARE_KEYS.has(key) };
  }
  return null;
}

/** Resolve a free-text GPU name ("4090", "H100 SXM", a RunPod id) to a RunPod GPU. */
export function findGpu(text: string): GpuSpec | null {
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const m = matchGpuAt(tokens, i);
    if (m && m.ref.kind === 'runpod') return m.ref.gpu;
  }
  const lower = text.trim().toLowerCase();
  return GPUS.find((g) => g.id.toLowerCase() === lower || g.displayName.toLowerCase() === lower) ?? null;
}
