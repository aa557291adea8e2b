// Offline RunPod price snapshot: the fallback when live prices from RunPod's API are unavailable.
//
// Source: skypilot-org/skypilot-catalog, catalogs/v7/runpod/vms.csv, commit
// 0727c2bd9e77f91cb1377127c5f793a28cf01384 — a third-party catalog, not RunPod's own. The commit date is
// unknown; the same names and prices appear in `sky show-gpus --cloud runpod` output posted in
// skypilot-org/skypilot issue #7311 on 2025-09-22, so the data is from about September 2025.
// Only SECURE cloud instance types exist in that version (no COMMUNITY rows). Rows are the 1-GPU
// instances; N-GPU prices equal N × the 1-GPU price except A100 80GB PCIe on-demand ($1.62/GPU at 2/4/8).
// Built as described in shared/reference/runpod-prices.README.md (copied there as runpod-prices.csv).
//
// GPUs RunPod lists that the snapshot does not cover have no entry: their price is unknown, never guessed.

export interface SnapshotPrice {
  /** RunPod gpuTypeId. */
  gpuId: string;
  /** SkyPilot accelerator name, as in the source. */
  sourceName: string;
  cloud: 'SECURE';
  /** USD per GPU-hour, on-demand (the value used). */
  onDemandUsdPerGpuHr: number;
  /** USD per GPU-hour, spot; null when the source has no spot price. */
  spotUsdPerGpuHr: number | null;
  /** Per-GPU on-demand price when it differs at larger counts. */
  onDemandByCount?: Readonly<Record<number, number>>;
  /** Set when the values used differ from the source columns; says how and why. */
  caveat?: string;
}

export const PRICE_SNAPSHOT_META = {
  asOf: '2025-09',
  asOfNote: 'about September 2025 (commit date unknown; matching output posted 2025-09-22)',
  source:
    'skypilot-org/skypilot-catalog catalogs/v7/runpod/vms.csv @ 0727c2bd9e77f91cb1377127c5f793a28cf01384',
  thirdParty: true,
  clouds: ['SECURE'] as const,
} as const;

export const PRICE_SNAPSHOT: readonly SnapshotPrice[] = [
  {
    gpuId: 'NVIDIA A100 80GB PCIe',
    sourceName: 'A100-80GB',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 1.64,
    spotUsdPerGpuHr: 1.19,
    onDemandByCount: { 2: 1.62, 4: 1.62, 8: 1.62 },
  },
  {
    gpuId: 'NVIDIA A100-SXM4-80GB',
    sourceName: 'A100-80GB-SXM',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 1.89,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA A40',
    sourceName: 'A40',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.44,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA B200',
    sourceName: 'B200',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 7.99,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA H100 PCIe',
    sourceName: 'H100',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 2.39,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA H100 NVL',
    sourceName: 'H100-NVL',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 2.79,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA H100 80GB HBM3',
    sourceName: 'H100-SXM',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 2.99,
    spotUsdPerGpuHr: 2.69,
  },
  {
    gpuId: 'NVIDIA H200',
    sourceName: 'H200-SXM',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 3.99,
    spotUsdPerGpuHr: 3.59,
  },
  { gpuId: 'NVIDIA L4', sourceName: 'L4', cloud: 'SECURE', onDemandUsdPerGpuHr: 0.44, spotUsdPerGpuHr: null },
  {
    gpuId: 'NVIDIA L40',
    sourceName: 'L40',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 1.14,
    spotUsdPerGpuHr: 0.69,
  },
  {
    gpuId: 'NVIDIA L40S',
    sourceName: 'L40S',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.86,
    spotUsdPerGpuHr: 0.43,
    caveat:
      'The source lists L40S Price 0.43 and SpotPrice 0.86 (spot above on-demand at every size); the columns ' +
      'look swapped, so 0.86 is used as on-demand and 0.43 as spot. Check live prices before relying on either.',
  },
  {
    gpuId: 'AMD Instinct MI300X OAM',
    sourceName: 'MI300X',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 2.49,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA GeForce RTX 3090',
    sourceName: 'RTX3090',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.43,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA RTX 4000 Ada Generation',
    sourceName: 'RTX4000-Ada',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.32,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA GeForce RTX 4090',
    sourceName: 'RTX4090',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.69,
    spotUsdPerGpuHr: 0.34,
  },
  {
    gpuId: 'NVIDIA RTX 6000 Ada Generation',
    sourceName: 'RTX6000-Ada',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.77,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA RTX A4000',
    sourceName: 'RTXA4000',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.32,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA RTX A4500',
    sourceName: 'RTXA4500',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.34,
    spotUsdPerGpuHr: 0.19,
  },
  {
    gpuId: 'NVIDIA RTX A5000',
    sourceName: 'RTXA5000',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.29,
    spotUsdPerGpuHr: null,
  },
  {
    gpuId: 'NVIDIA RTX A6000',
    sourceName: 'RTXA6000',
    cloud: 'SECURE',
    onDemandUsdPerGpuHr: 0.49,
    spotUsdPerGpuHr: 0.33,
  },
];
