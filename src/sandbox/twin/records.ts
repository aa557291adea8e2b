// What the twin stores, shaped like RunPod keeps it. Times are simulated epoch milliseconds.
import type { Scenario } from './scenarios.ts';

export interface EnvEntry {
  key: string;
  value: string;
}

export type PodTypeName = 'RESERVED' | 'INTERRUPTABLE';
/** The twin only ever stores these two; terminated pods are removed. */
export type StoredPodStatus = 'RUNNING' | 'EXITED';

export interface PodRecord {
  id: string;
  name: string;
  podType: PodTypeName;
  desiredStatus: StoredPodStatus;
  gpuTypeId: string;
  gpuDisplayName: string;
  gpuCount: number;
  dataCenterId: string;
  secureCloud: boolean;
  /** On-demand price per GPU-hour, or the bid for a spot pod. */
  pricePerGpu: number;
  vcpuCount: number;
  memoryInGb: number;
  containerDiskInGb: number;
  volumeInGb: number;
  volumeMountPath: string;
  imageName: string;
  dockerArgs: string;
  env: EnvEntry[];
  ports: string | null;
  templateId: string | null;
  networkVolumeId: string | null;
  containerRegistryAuthId: string | null;
  machineId: string;
  podHostId: string;
  dockerId: string;
  publicIp: string;
  gpuUuids: string[];
  createdAtMs: number;
  /** When the pod last went to RUNNING (billing and uptimeSeconds count from here). */
  startedAtMs: number;
  /** When the container is up (image pulled); runtime is null before this. */
  readyAtMs: number;
  lastStatusChange: string;
  scenario: Scenario;
  /** Seed for this pod's metrics. */
  seed: number;
  /** Whether the pod currently holds GPUs from the stock table (bulk-seeded pods do not). */
  holdsStock: boolean;
  stopAfterMs: number | null;
  terminateAfterMs: number | null;
}

export interface AccountRecord {
  id: string;
  email: string;
  pubKey: string;
  clientBalance: number;
  spendLimit: number;
  notifyPodsStale: boolean;
  notifyPodsGeneral: boolean;
  notifyLowBalance: boolean;
  /** Set once the balance hit zero and running pods were stopped. */
  balanceExhausted: boolean;
}

export type StorageTypeName = 'CEPH_FS' | 'DDN' | 'MOOSE_FS' | 'ONE_FS' | 'PURE' | 'VAST';

export interface VolumeRecord {
  id: string;
  name: string;
  size: number;
  dataCenterId: string;
  storageClusterId: string;
  storageType: StorageTypeName;
  createdAtMs: number;
}

export interface TemplateRecord {
  id: string;
  name: string;
  imageName: string | null;
  dockerArgs: string;
  env: EnvEntry[];
  ports: string | null;
  portsConfig: { port: string; name: string }[] | null;
  volumeInGb: number;
  volumeMountPath: string | null;
  containerDiskInGb: number;
  containerRegistryAuthId: string | null;
  isServerless: boolean;
  isPublic: boolean;
  isRunpod: boolean;
  readme: string | null;
  category: string | null;
  startJupyter: boolean | null;
  startSsh: boolean | null;
  startScript: string | null;
  advancedStart: boolean | null;
  config: unknown;
  /** RunPod's own public templates are readable by id but are not in myself.podTemplates. */
  owned: boolean;
}

export interface EndpointRecord {
  id: string;
  name: string;
  type: string | null;
  templateId: string;
  hubReleaseId: string | null;
  gpuIds: string | null;
  gpuCount: number;
  instanceIds: string[] | null;
  workersMin: number;
  workersMax: number;
  workersPFBTarget: number | null;
  idleTimeout: number;
  scalerType: string | null;
  scalerValue: number;
  executionTimeoutMs: number | null;
  locations: string | null;
  networkVolumeId: string | null;
  networkVolumeIds: string[] | null;
  allowedCudaVersions: string | null;
  minCudaVersion: string | null;
  flashBootType: string | null;
  env: EnvEntry[];
  modelReferences: string[] | null;
  version: number;
  createdAtMs: number;
  aiKey: string;
}
