// SIMULATED GPU catalog and price table for the RunPod twin. Not live RunPod data.
// Secure on-demand and spot prices come from the dated snapshot in
// shared/reference/runpod-prices.csv where it has them (1x SECURE rows); every other number
// (community prices, missing spot prices, newer GPUs, vCPU/RAM per GPU) is a plausible
// invention so the sandbox behaves like a real catalog. GPU ids and memory follow
// shared/reference/runpod-gpu-types.md (RunPod's own table).

export interface GpuSpec {
  /** RunPod gpuTypeId. */
  id: string;
  displayName: string;
  manufacturer: 'Nvidia' | 'AMD';
  memoryInGb: number;
  cudaCores: number;
  /** USD per GPU per hour; null = not offered on that cloud. */
  securePrice: number | null;
  communityPrice: number | null;
  secureSpotPrice: number | null;
  communitySpotPrice: number | null;
  maxGpuCount: number;
  vcpuPerGpu: number;
  ramPerGpuGb: number;
}

type Row = [
  id: string,
  displayName: string,
  memoryInGb: number,
  cudaCores: number,
  securePrice: number | null,
  communityPrice: number | null,
  secureSpotPrice: number | null,
  communitySpotPrice: number | null,
  maxGpuCount: number,
  vcpuPerGpu: number,
  ramPerGpuGb: number,
];

// Columns: id, display name, GB, CUDA cores, secure $, community $, secure spot $, community spot $,
// max GPUs per pod, vCPU per GPU, RAM GB per GPU.
const ROWS: Row[] = [
  ['AMD Instinct MI300X OAM', 'MI300X', 192, 19456, 2.49, null, null, null, 8, 24, 283],
  ['NVIDIA A100 80GB PCIe', 'A100 PCIe', 80, 6912, 1.64, 1.19, 1.19, 0.82, 8, 8, 117], // csv: 1.64 / spot 1.19
  ['NVIDIA A100-SXM4-80GB', 'A100 SXM', 80, 6912, 1.89, 1.39, 1.49, 1.05, 8, 16, 125], // csv: 1.89
  ['NVIDIA A30', 'A30', 24, 3584, 0.26, 0.22, 0.15, 0.11, 8, 8, 31],
  ['NVIDIA A40', 'A40', 48, 10752, 0.44, 0.35, 0.24, 0.2, 8, 9, 50], // csv: 0.44
  ['NVIDIA B200', 'B200', 180, 18944, 7.99, null, null, null, 8, 28, 283], // csv: 7.99
  ['NVIDIA B300 SXM6 AC', 'B300', 288, 18944, 9.49, null, null, null, 8, 30, 300],
  ['NVIDIA GeForce RTX 3070', 'RTX 3070', 8, 5888, null, 0.13, null, 0.07, 8, 4, 16],
  ['NVIDIA GeForce RTX 3080', 'RTX 3080', 10, 8704, null, 0.17, null, 0.09, 8, 4, 20],
  ['NVIDIA GeForce RTX 3080 Ti', 'RTX 3080 Ti', 12, 10240, null, 0.18, null, 0.1, 8, 4, 24],
  ['NVIDIA GeForce RTX 3090', 'RTX 3090', 24, 10496, 0.43, 0.22, 0.24, 0.12, 8, 6, 31], // csv: 0.43
  ['NVIDIA GeForce RTX 3090 Ti', 'RTX 3090 Ti', 24, 10752, null, 0.27, null, 0.15, 8, 6, 31],
  ['NVIDIA GeForce RTX 4070 Ti', 'RTX 4070 Ti', 12, 7680, null, 0.19, null, 0.1, 8, 4, 24],
  ['NVIDIA GeForce RTX 4080', 'RTX 4080', 16, 9728, 0.34, 0.27, 0.19, 0.15, 8, 6, 31],
  ['NVIDIA GeForce RTX 4080 SUPER', 'RTX 4080 SUPER', 16, 10240, 0.35, 0.28, 0.2, 0.16, 8, 6, 31],
  ['NVIDIA GeForce RTX 4090', 'RTX 4090', 24, 16384, 0.69, 0.34, 0.34, 0.2, 8, 6, 41], // csv: 0.69 / spot 0.34
  ['NVIDIA GeForce RTX 5080', 'RTX 5080', 16, 10752, 0.45, 0.35, 0.25, 0.2, 8, 6, 31],
  ['NVIDIA GeForce RTX 5090', 'RTX 5090', 32, 21760, 0.94, 0.69, 0.52, 0.38, 8, 8, 46],
  ['NVIDIA H100 80GB HBM3', 'H100 SXM', 80, 16896, 2.99, 2.69, 2.69, 1.75, 8, 20, 125], // csv: 2.99 / spot 2.69
  ['NVIDIA H100 NVL', 'H100 NVL', 94, 16896, 2.79, 2.59, 1.65, 1.45, 8, 16, 94], // csv: 2.79
  ['NVIDIA H100 PCIe', 'H100 PCIe', 80, 14592, 2.39, 1.99, 1.49, 1.25, 8, 16, 188], // csv: 2.39
  ['NVIDIA H200', 'H200 SXM', 141, 16896, 3.99, 3.59, 3.59, 3.05, 8, 24, 250], // csv: 3.99 / spot 3.59
  ['NVIDIA H200 NVL', 'NVIDIA H200 NVL', 143, 16896, 3.39, null, 2.39, null, 8, 24, 250],
  ['NVIDIA L4', 'L4', 24, 7424, 0.44, 0.39, 0.22, 0.2, 8, 12, 50], // csv: 0.44
  ['NVIDIA L40', 'L40', 48, 18176, 1.14, 0.69, 0.69, 0.45, 8, 8, 94], // csv: 1.14 / spot 0.69
  // csv lists L40S at 0.43 on-demand and 0.86 spot; the columns look swapped, so they are swapped here.
  ['NVIDIA L40S', 'L40S', 48, 18176, 0.86, 0.79, 0.43, 0.4, 8, 12, 62],
  ['NVIDIA RTX 2000 Ada Generation', 'RTX 2000 Ada', 16, 2816, 0.24, 0.2, 0.14, 0.11, 8, 6, 31],
  ['NVIDIA RTX 4000 Ada Generation', 'RTX 4000 Ada', 20, 6144, 0.32, 0.26, 0.19, 0.16, 8, 9, 50], // csv: 0.32
  ['NVIDIA RTX 4000 SFF Ada Generation', 'RTX 4000 Ada SFF', 20, 6144, 0.29, null, 0.18, null, 8, 6, 31],
  ['NVIDIA RTX 5000 Ada Generation', 'RTX 5000 Ada', 32, 12800, 0.61, 0.52, 0.39, 0.32, 8, 8, 62],
  ['NVIDIA RTX 6000 Ada Generation', 'RTX 6000 Ada', 48, 18176, 0.77, 0.74, 0.52, 0.45, 8, 10, 62], // csv: 0.77
  ['NVIDIA RTX A2000', 'RTX A2000', 6, 3328, null, 0.14, null, 0.08, 8, 4, 15],
  ['NVIDIA RTX A4000', 'RTX A4000', 16, 6144, 0.32, 0.17, 0.2, 0.1, 8, 6, 23], // csv: 0.32
  ['NVIDIA RTX A4500', 'RTX A4500', 20, 7168, 0.34, 0.19, 0.19, 0.12, 8, 6, 29], // csv: 0.34 / spot 0.19
  ['NVIDIA RTX A5000', 'RTX A5000', 24, 8192, 0.29, 0.27, 0.17, 0.14, 8, 6, 25], // csv: 0.29
  ['NVIDIA RTX A6000', 'RTX A6000', 48, 10752, 0.49, 0.33, 0.33, 0.25, 8, 8, 50], // csv: 0.49 / spot 0.33
  ['NVIDIA RTX PRO 4500 Blackwell', 'RTX PRO 4500', 32, 10496, 0.54, null, 0.34, null, 8, 8, 62],
  [
    'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition',
    'RTX PRO 6000 MaxQ',
    96,
    24064,
    1.69,
    null,
    null,
    null,
    8,
    12,
    125,
  ],
  [
    'NVIDIA RTX PRO 6000 Blackwell Server Edition MIG 1g.24gb',
    'PRO 6000 MIG 24GB',
    24,
    6016,
    0.49,
    null,
    null,
    null,
    1,
    4,
    31,
  ],
  [
    'NVIDIA RTX PRO 6000 Blackwell Server Edition MIG 2g.48gb',
    'PRO 6000 MIG 48GB',
    48,
    12032,
    0.94,
    null,
    null,
    null,
    1,
    8,
    62,
  ],
  [
    'NVIDIA RTX PRO 6000 Blackwell Server Edition',
    'RTX PRO 6000',
    96,
    24064,
    1.84,
    null,
    1.29,
    null,
    8,
    16,
    188,
  ],
  [
    'NVIDIA RTX PRO 6000 Blackwell Workstation Edition',
    'RTX PRO 6000 WK',
    96,
    24064,
    1.79,
    1.69,
    null,
    null,
    8,
    12,
    125,
  ],
  ['Tesla V100-PCIE-16GB', 'Tesla V100', 16, 5120, null, 0.19, null, 0.11, 8, 6, 23],
  ['Tesla V100-SXM2-16GB', 'V100 SXM2', 16, 5120, 0.23, 0.2, 0.14, 0.12, 8, 8, 31],
  ['Tesla V100-SXM2-32GB', 'V100 SXM2 32GB', 32, 5120, 0.29, 0.26, 0.17, 0.15, 8, 8, 46],
];

export const GPU_SPECS: readonly GpuSpec[] = ROWS.map(
  ([id, displayName, memoryInGb, cudaCores, sp, cp, ssp, csp, maxGpuCount, vcpuPerGpu, ramPerGpuGb]) => ({
    id,
    displayName,
    manufacturer: id.startsWith('AMD') ? 'AMD' : 'Nvidia',
    memoryInGb,
    cudaCores,
    securePrice: sp,
    communityPrice: cp,
    secureSpotPrice: ssp,
    communitySpotPrice: csp,
    maxGpuCount,
    vcpuPerGpu,
    ramPerGpuGb,
  }),
);

const BY_ID = new Map(GPU_SPECS.map((g) => [g.id, g]));

export function gpuSpec(id: string): GpuSpec | undefined {
  return BY_ID.get(id);
}

/** Savings-plan hourly prices (per GPU) derived from the on-demand price, as RunPod lists them. */
export function commitmentPrices(g: GpuSpec): {
  oneWeek: number | null;
  oneMonth: number | null;
  threeMonth: number | null;
} {
  const base = g.securePrice;
  if (base === null) return { oneWeek: null, oneMonth: null, threeMonth: null };
  return { oneWeek: round2(base * 0.95), oneMonth: round2(base * 0.9), threeMonth: round2(base * 0.83) };
}

export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Storage prices (USD per GB per month) as RunPod publishes them; a month is 730 hours. */
export const STORAGE = {
  /** Pod volume disk while the pod is stopped. */
  stoppedVolumePerGbMonth: 0.2,
  /** Network volumes up to 1 TB, and the part above 1 TB. */
  networkVolumePerGbMonth: 0.07,
  networkVolumeLargePerGbMonth: 0.05,
  hoursPerMonth: 730,
} as const;

/** Serverless GPU pools (the ids saveEndpoint.gpuIds takes), from RunPod's gpu-types page. */
export const SERVERLESS_POOLS: readonly { id: string; gpuTypeIds: string[] }[] = [
  {
    id: 'AMPERE_16',
    gpuTypeIds: [
      'NVIDIA RTX A4000',
      'NVIDIA RTX A4500',
      'NVIDIA RTX 4000 Ada Generation',
      'NVIDIA RTX 2000 Ada Generation',
    ],
  },
  { id: 'AMPERE_24', gpuTypeIds: ['NVIDIA L4', 'NVIDIA RTX A5000', 'NVIDIA GeForce RTX 3090'] },
  { id: 'ADA_24', gpuTypeIds: ['NVIDIA GeForce RTX 4090'] },
  { id: 'AMPERE_48', gpuTypeIds: ['NVIDIA RTX A6000', 'NVIDIA A40'] },
  { id: 'ADA_48_PRO', gpuTypeIds: ['NVIDIA L40', 'NVIDIA L40S', 'NVIDIA RTX 6000 Ada Generation'] },
  { id: 'AMPERE_80', gpuTypeIds: ['NVIDIA A100 80GB PCIe', 'NVIDIA A100-SXM4-80GB'] },
  { id: 'ADA_80_PRO', gpuTypeIds: ['NVIDIA H100 80GB HBM3', 'NVIDIA H100 PCIe', 'NVIDIA H100 NVL'] },
  { id: 'HOPPER_141', gpuTypeIds: ['NVIDIA H200'] },
];

/** Active-worker price per GPU-hour for a pool: its cheapest member's secure price (simulated). */
export function poolPricePerGpuHr(poolId: string): number {
  const pool = SERVERLESS_POOLS.find((p) => p.id === poolId);
  if (!pool) return 0;
  const prices = pool.gpuTypeIds
    .map((id) => BY_ID.get(id)?.securePrice ?? null)
    .filter((p): p is number => p !== null);
  return prices.length ? Math.min(...prices) : 0;
}
