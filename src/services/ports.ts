// Ports: what the use cases need from the outside world, shaped by those use cases.
// Adapters (runpod/, store/, handlers' notifier) implement them; tests use in-memory ones.
import type {
  Account,
  DataCenter,
  Endpoint,
  EndpointConfig,
  GpuOffer,
  NetworkVolume,
  Pod,
  PodSpec,
  ResumeOptions,
  Template,
} from './domain.ts';

export interface GpuOfferQuery {
  /** GPU count the lowest price and stock are asked for. */
  gpuCount: number;
  /** Only these GPU type ids (all when absent). */
  ids?: string[];
  secureCloud?: boolean;
  dataCenterId?: string;
}

export interface RunpodApi {
  account(): Promise<Account>;

  listPods(): Promise<Pod[]>;
  /** null when no such pod (or it was terminated). */
  getPod(podId: string): Promise<Pod | null>;
  /**
   * Creates an on-demand or spot pod. Never retried blindly: an unknown outcome is reconciled
   * by looking the pod up by its unique name; throws OUTCOME_UNKNOWN when that is not possible.
   */
  createPod(spec: PodSpec): Promise<Pod>;
  stopPod(podId: string): Promise<void>;
  resumePod(podId: string, opts: ResumeOptions): Promise<void>;
  terminatePod(podId: string): Promise<void>;

  gpuOffers(query: GpuOfferQuery): Promise<GpuOffer[]>;
  dataCenters(opts?: { gpuCount?: number }): Promise<DataCenter[]>;

  listVolumes(): Promise<NetworkVolume[]>;
  createVolume(input: { name: string; sizeGb: number; dataCenterId: string }): Promise<NetworkVolume>;
  /** Rename and/or grow; RunPod volumes never shrink. */
  updateVolume(input: { id: string; name?: string; sizeGb?: number }): Promise<NetworkVolume>;
  deleteVolume(volumeId: string): Promise<void>;

  listEndpoints(): Promise<Endpoint[]>;
  createEndpoint(config: EndpointConfig): Promise<Endpoint>;
  /** Applies a partial change; the adapter re-sends the whole configuration (RunPod replaces it). */
  updateEndpoint(endpointId: string, change: Partial<EndpointConfig>): Promise<Endpoint>;
  deleteEndpoint(endpointId: string): Promise<void>;

  listTemplates(): Promise<Template[]>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
