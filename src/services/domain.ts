// Domain types shared by services, adapters and views. Plain data, no behaviour.

export type PodStatus = 'CREATED' | 'RUNNING' | 'RESTARTING' | 'EXITED' | 'PAUSED' | 'DEAD' | 'TERMINATED';
/** on-demand = RunPod RESERVED; spot = RunPod INTERRUPTABLE (BID/BACKGROUND are shown as-is). */
export type PodKind = 'on-demand' | 'spot' | 'other';
export type CloudType = 'SECURE' | 'COMMUNITY' | 'ALL';

export interface Account {
  id: string | null;
  email: string | null;
  balanceUsd: number;
  spendPerHrUsd: number;
  spendLimitUsd: number | null;
}

export interface GpuSample {
  id: string;
  utilPercent: number | null;
  memoryUtilPercent: number | null;
}

export interface PortMapping {
  ip: string;
  isPublic: boolean;
  privatePort: number;
  publicPort: number;
  type: string;
}

export interface PodRuntime {
  uptimeSeconds: number;
  gpus: GpuSample[];
  cpuPercent: number | null;
  memoryPercent: number | null;
  ports: PortMapping[];
}

export interface Pod {
  id: string;
  name: string;
  status: PodStatus;
  kind: PodKind;
  costPerHr: number;
  gpuCount: number;
  /** Human GPU name from the host (e.g. "RTX A6000"); null before placement. */
  gpuName: string | null;
  imageName: string | null;
  templateId: string | null;
  vcpuCount: number;
  memoryInGb: number;
  containerDiskInGb: number | null;
  volumeInGb: number | null;
  volumeMountPath: string | null;
  networkVolumeId: string | null;
  ports: string | null;
  machineId: string;
  location: string | null;
  lastStatusChange: string | null;
  /** Names of the pod's env variables. Values are secrets and never leave the adapter. */
  envKeys: string[];
  /** null unless the pod is running. */
  runtime: PodRuntime | null;
}

export interface EnvVar {
  key: string;
  value: string;
}

/** What a pod runs on and with: shared by a person's request and the spec sent to RunPod. */
export interface PodSettings {
  imageName?: string;
  templateId?: string;
  /** One GPU type id or a fallback list (first is preferred). */
  gpuTypeIds: string[];
  gpuCount: number;
  cloudType?: CloudType;
  dataCenterId?: string;
  containerDiskInGb?: number;
  volumeInGb?: number;
  volumeMountPath?: string;
  networkVolumeId?: string;
  /** Values are secrets: they go to RunPod and nowhere else (not in messages, logs, audit or policy). */
  env?: EnvVar[];
  /** e.g. "8888/http,22/tcp" */
  ports?: string;
  startSsh?: boolean;
  dockerArgs?: string;
}

interface PodSpecBase extends PodSettings {
  /** Unique name; podbay makes it unique so an ambiguous create can be reconciled. */
  name: string;
}

export interface OnDemandPodSpec extends PodSpecBase {
  kind: 'on-demand';
}

export interface SpotPodSpec extends PodSpecBase {
  kind: 'spot';
  /** USD per GPU per hour. */
  bidPerGpu: number;
}

export type PodSpec = OnDemandPodSpec | SpotPodSpec;

export type ResumeOptions = { gpuCount: number } & (
  | { kind: 'on-demand' }
  | { kind: 'spot'; bidPerGpu: number }
);

export type StockStatus = 'High' | 'Medium' | 'Low' | 'None' | 'Unknown';

export interface GpuOffer {
  /** RunPod gpuTypeId, e.g. "NVIDIA GeForce RTX 4090". */
  id: string;
  displayName: string;
  memoryInGb: number | null;
  secureCloud: boolean;
  communityCloud: boolean;
  securePrice: number | null;
  communityPrice: number | null;
  secureSpotPrice: number | null;
  communitySpotPrice: number | null;
  /** For the asked GPU count: lowest on-demand $/GPU/h, spot floor, stock. */
  lowest: {
    gpuCount: number;
    onDemandPrice: number | null;
    minimumBidPrice: number | null;
    stockStatus: StockStatus;
    availableGpuCounts: number[];
  } | null;
}

export interface GpuAvailability {
  gpuTypeId: string;
  displayName: string;
  available: boolean;
  stockStatus: StockStatus;
}

export interface DataCenter {
  id: string;
  name: string;
  location: string | null;
  storageSupport: boolean;
  gpus: GpuAvailability[];
}

export interface NetworkVolume {
  id: string;
  name: string;
  sizeGb: number;
  dataCenterId: string;
}

export interface EndpointConfig {
  name: string;
  templateId: string;
  /** Serverless GPU pool ids, e.g. ["AMPERE_48", "ADA_48_PRO"]. */
  gpuPoolIds: string[];
  gpuCount: number;
  workersMin: number;
  workersMax: number;
  idleTimeoutSec: number;
  scalerType: 'QUEUE_DELAY' | 'REQUEST_COUNT';
  scalerValue: number;
  networkVolumeId: string | null;
  locations: string | null;
  executionTimeoutMs: number | null;
  flashBoot: boolean;
}

export interface Endpoint extends EndpointConfig {
  id: string;
  /** Names only; values are secrets. */
  envKeys: string[];
  workersRunning: number;
}

export interface Template {
  id: string;
  name: string;
  imageName: string | null;
  isServerless: boolean;
  containerDiskInGb: number | null;
  volumeInGb: number | null;
  ports: string | null;
}
