// A small but honest in-memory RunPod behind the RunpodApi port: pods move through their states as
// the (fake) clock advances, GPUs are a stock that creates take and stops give back, spot bids are
// checked against the floor, volumes only grow, and endpoints are saved by full replace like RunPod.
// It is the network edge, faked: services run for real on top of it.
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
  StockStatus,
  Template,
} from '../../src/services/domain.ts';
import { PodbayError } from '../../src/services/errors.ts';
import type { Clock, GpuOfferQuery, RunpodApi } from '../../src/services/ports.ts';

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  private t: number;
  constructor(iso = '2026-11-26T12:00:00.000Z') {
    this.t = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  /** A sleep that moves this clock instead of waiting. */
  readonly sleep = async (ms: number): Promise<void> => {
    this.advance(ms);
  };
}

export interface FakeGpuType {
  id: string;
  displayName: string;
  memoryInGb: number;
  /** On-demand $/GPU/h; null = no price. */
  price: number | null;
  /** Spot floor $/GPU/h; null = no spot. */
  minBid: number | null;
  /** Free GPUs per data center id. */
  stock: Record<string, number>;
  secureCloud?: boolean;
  communityCloud?: boolean;
}

export interface FakeDataCenter {
  id: string;
  name: string;
  location?: string;
  storageSupport: boolean;
}

export const CAPACITY_MESSAGE =
  'There are no longer any instances available with the requested specifications. Please refresh and try again.';

interface PodRecord {
  pod: Pod;
  gpuTypeId: string;
  dataCenterId: string;
  /** Clock ms when the image is pulled and the container runs; null = never (stuck pulling). */
  readyAt: number | null;
  /** Env values are kept only to check they were passed; never returned. */
  env: Array<{ key: string; value: string }>;
}

export interface FakeOptions {
  clock?: FakeClock;
  account?: Partial<Account>;
  gpuTypes?: FakeGpuType[];
  dataCenters?: FakeDataCenter[];
  templates?: Template[];
  /** Seconds a new or resumed pod spends pulling before it runs. Default 60. */
  pullSeconds?: number;
}

const DEFAULT_DCS: FakeDataCenter[] = [
  { id: 'US-KS-2', name: 'Kansas 2', location: 'United States', storageSupport: true },
  { id: 'EU-RO-1', name: 'Romania 1', location: 'Romania', storageSupport: true },
  { id: 'US-TX-1', name: 'Texas 1', location: 'United States', storageSupport: false },
];

export const DEFAULT_GPU_TYPES: FakeGpuType[] = [
  {
    id: 'NVIDIA RTX A6000',
    displayName: 'RTX A6000',
    memoryInGb: 48,
    price: 0.49,
    minBid: 0.25,
    stock: { 'US-KS-2': 8, 'EU-RO-1': 4 },
  },
  { id: 'NVIDIA A40', displayName: 'A40', memoryInGb: 48, price: 0.44, minBid: 0.2, stock: { 'US-KS-2': 4 } },
  {
    id: 'NVIDIA L40S',
    displayName: 'L40S',
    memoryInGb: 48,
    price: 0.86,
    minBid: 0.4,
    stock: { 'EU-RO-1': 8 },
  },
  {
    id: 'NVIDIA RTX 6000 Ada Generation',
    displayName: 'RTX 6000 Ada',
    memoryInGb: 48,
    price: 0.77,
    minBid: 0.35,
    stock: { 'US-TX-1': 2 },
  },
  {
    id: 'NVIDIA GeForce RTX 4090',
    displayName: 'RTX 4090',
    memoryInGb: 24,
    price: 0.69,
    minBid: 0.3,
    stock: { 'US-KS-2': 16 },
  },
  {
    id: 'NVIDIA A100 80GB PCIe',
    displayName: 'A100 PCIe',
    memoryInGb: 80,
    price: 1.64,
    minBid: 1.19,
    stock: { 'US-KS-2': 2 },
  },
  {
    id: 'NVIDIA H100 80GB HBM3',
    displayName: 'H100 SXM',
    memoryInGb: 80,
    price: 2.69,
    minBid: null,
    stock: {},
  },
];

const DEFAULT_TEMPLATES: Template[] = [
  {
    id: 'tpl-vllm',
    name: 'vLLM worker',
    imageName: 'runpod/worker-v1-vllm:stable',
    isServerless: true,
    containerDiskInGb: 20,
    volumeInGb: 0,
    ports: null,
  },
  {
    id: 'tpl-pytorch',
    name: 'PyTorch 2.4',
    imageName: 'runpod/pytorch:2.4.0',
    isServerless: false,
    containerDiskInGb: 20,
    volumeInGb: 50,
    ports: '8888/http,22/tcp',
  },
];

/** RunPod's saveEndpoint defaults: what a field becomes when a full-replace save leaves it out. */
const ENDPOINT_DEFAULTS: Omit<EndpointConfig, 'name' | 'templateId'> = {
  gpuPoolIds: [],
  gpuCount: 1,
  workersMin: 0,
  workersMax: 3,
  idleTimeoutSec: 10,
  scalerType: 'QUEUE_DELAY',
  scalerValue: 4,
  networkVolumeId: null,
  locations: null,
  executionTimeoutMs: null,
  flashBoot: false,
};

const notFound = (what: string) => new PodbayError('NOT_FOUND', `${what} was not found.`);
const copy = <T>(v: T): T => structuredClone(v);

export class InMemoryRunpod implements RunpodApi {
  readonly clock: FakeClock;
  readonly account_: Account;
  readonly gpuTypes: FakeGpuType[];
  readonly dcs: FakeDataCenter[];
  readonly templates: Template[];
  pullSeconds: number;
  /** Every call, in order (method and a short, secret-free argument summary). */
  readonly calls: Array<{ method: string; arg?: unknown }> = [];
  private readonly pods = new Map<string, PodRecord>();
  private readonly volumes = new Map<string, NetworkVolume>();
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly failures = new Map<string, PodbayError[]>();
  private seq = 0;

  constructor(opts: FakeOptions = {}) {
    this.clock = opts.clock ?? new FakeClock();
    this.account_ = {
      id: 'user-1',
      email: 'team@example.com',
      balanceUsd: 100,
      spendPerHrUsd: 0,
      spendLimitUsd: 80,
      ...opts.account,
    };
    this.gpuTypes = copy(opts.gpuTypes ?? DEFAULT_GPU_TYPES);
    this.dcs = copy(opts.dataCenters ?? DEFAULT_DCS);
    this.templates = copy(opts.templates ?? DEFAULT_TEMPLATES);
    this.pullSeconds = opts.pullSeconds ?? 60;
  }

  // --- test controls ---

  /** The next call of `method` throws `error` (queued; one per call). */
  failNext(method: keyof RunpodApi, error: PodbayError): void {
    const q = this.failures.get(method) ?? [];
    q.push(error);
    this.failures.set(method, q);
  }

  /** A pod made outside podbay (or seeded), already running unless said otherwise. */
  seedPod(p: Partial<Pod> & { name: string; gpuTypeId?: string; running?: boolean }): Pod {
    const type = this.type(p.gpuTypeId ?? 'NVIDIA RTX A6000');
    const id = p.id ?? this.newId('pod');
    const gpuCount = p.gpuCount ?? 1;
    const running = p.running ?? true;
    const pod: Pod = {
      id,
      name: p.name,
      status: p.status ?? (running ? 'RUNNING' : 'EXITED'),
      kind: p.kind ?? 'on-demand',
      costPerHr: p.costPerHr ?? (type.price ?? 0) * gpuCount,
      gpuCount,
      gpuName: p.gpuName ?? type.displayName,
      imageName: p.imageName ?? 'runpod/pytorch:2.4.0',
      templateId: p.templateId ?? null,
      vcpuCount: 8,
      memoryInGb: 62,
      containerDiskInGb: 20,
      volumeInGb: 50,
      volumeMountPath: '/workspace',
      networkVolumeId: p.networkVolumeId ?? null,
      ports: p.ports ?? '8888/http,22/tcp',
      machineId: `m-${id}`,
      location: 'US',
      lastStatusChange: null,
      envKeys: p.envKeys ?? [],
      runtime: null,
    };
    const now = this.clock.now().getTime();
    this.pods.set(id, {
      pod,
      gpuTypeId: type.id,
      dataCenterId: Object.keys(type.stock)[0] ?? 'US-KS-2',
      readyAt: pod.status === 'RUNNING' ? now - (p.runtime?.uptimeSeconds ?? 3600) * 1000 : null,
      env: [],
    });
    return copy(this.view(this.pods.get(id)!));
  }

  /** Changes a pod's status behind podbay's back (someone used the RunPod console). */
  setStatus(podId: string, status: Pod['status']): void {
    const r = this.pods.get(podId);
    if (!r) throw notFound(`Pod ${podId}`);
    r.pod.status = status;
    if (status !== 'RUNNING') r.readyAt = null;
  }

  /** The pod never finishes pulling (a huge or broken image). */
  stuckPulling(podId: string): void {
    const r = this.pods.get(podId);
    if (r) r.readyAt = null;
  }

  /** Removes a pod as if terminated elsewhere. */
  removePod(podId: string): void {
    this.pods.delete(podId);
  }

  /** Env the pod was created with (to check values reached RunPod). */
  envOf(podId: string): Array<{ key: string; value: string }> {
    return copy(this.pods.get(podId)?.env ?? []);
  }

  seedVolume(v: Omit<NetworkVolume, 'id'> & { id?: string }): NetworkVolume {
    const volume = { ...v, id: v.id ?? this.newId('vol') };
    this.volumes.set(volume.id, volume);
    return copy(volume);
  }

  seedEndpoint(config: EndpointConfig & { id?: string; envKeys?: string[] }): Endpoint {
    const id = config.id ?? this.newId('ep');
    const e: Endpoint = {
      ...copy(config),
      id,
      envKeys: config.envKeys ?? [],
      workersRunning: config.workersMin,
    };
    this.endpoints.set(id, e);
    return copy(e);
  }

  /** The stored endpoint (as RunPod holds it). */
  endpointRaw(id: string): Endpoint | undefined {
    const e = this.endpoints.get(id);
    return e ? copy(e) : undefined;
  }

  // --- RunpodApi ---

  async account(): Promise<Account> {
    this.enter('account');
    const spend = [...this.pods.values()]
      .filter((r) => r.pod.status === 'RUNNING')
      .reduce((sum, r) => sum + r.pod.costPerHr, 0);
    return {
      ...this.account_,
      spendPerHrUsd: Math.round((this.account_.spendPerHrUsd + spend) * 10_000) / 10_000,
    };
  }

  async listPods(): Promise<Pod[]> {
    this.enter('listPods');
    return [...this.pods.values()].map((r) => copy(this.view(r)));
  }

  async getPod(podId: string): Promise<Pod | null> {
    this.enter('getPod', podId);
    const r = this.pods.get(podId);
    return r ? copy(this.view(r)) : null;
  }

  async createPod(spec: PodSpec): Promise<Pod> {
    this.enter('createPod', { name: spec.name, gpuTypeIds: spec.gpuTypeIds, kind: spec.kind });
    if ([...this.pods.values()].some((r) => r.pod.name === spec.name)) {
      throw new PodbayError('INVALID_REQUEST', `A pod named ${spec.name} exists.`);
    }
    let placed: { type: FakeGpuType; dc: string } | null = null;
    for (const id of spec.gpuTypeIds) {
      const type = this.gpuTypes.find((t) => t.id === id);
      if (!type) throw new PodbayError('INVALID_REQUEST', `Unknown GPU type ${id}.`);
      if (spec.kind === 'spot' && (type.minBid === null || spec.bidPerGpu < type.minBid)) continue;
      const dc = Object.entries(type.stock).find(
        ([dcId, free]) =>
          free >= spec.gpuCount && (spec.dataCenterId === undefined || dcId === spec.dataCenterId),
      );
      if (dc) {
        placed = { type, dc: dc[0] };
        break;
      }
    }
    if (!placed) throw new PodbayError('NO_CAPACITY', CAPACITY_MESSAGE);
    placed.type.stock[placed.dc] = (placed.type.stock[placed.dc] ?? 0) - spec.gpuCount;
    const id = this.newId('pod');
    const per = spec.kind === 'spot' ? spec.bidPerGpu : (placed.type.price ?? 0);
    const pod: Pod = {
      id,
      name: spec.name,
      status: 'RUNNING',
      kind: spec.kind,
      costPerHr: Math.round(per * spec.gpuCount * 10_000) / 10_000,
      gpuCount: spec.gpuCount,
      gpuName: placed.type.displayName,
      imageName: spec.imageName ?? null,
      templateId: spec.templateId ?? null,
      vcpuCount: 8 * spec.gpuCount,
      memoryInGb: 62 * spec.gpuCount,
      containerDiskInGb: spec.containerDiskInGb ?? 20,
      volumeInGb: spec.volumeInGb ?? 0,
      volumeMountPath: spec.volumeMountPath ?? null,
      networkVolumeId: spec.networkVolumeId ?? null,
      ports: spec.ports ?? null,
      machineId: `m-${id}`,
      location: placed.dc,
      lastStatusChange: null,
      envKeys: (spec.env ?? []).map((e) => e.key),
      runtime: null,
    };
    this.pods.set(id, {
      pod,
      gpuTypeId: placed.type.id,
      dataCenterId: placed.dc,
      readyAt: this.clock.now().getTime() + this.pullSeconds * 1000,
      env: copy(spec.env ?? []),
    });
    return copy(this.view(this.pods.get(id)!));
  }

  async stopPod(podId: string): Promise<void> {
    this.enter('stopPod', podId);
    const r = this.pods.get(podId);
    if (!r) throw notFound(`Pod ${podId}`);
    if (r.pod.status === 'RUNNING') this.giveBack(r);
    r.pod.status = 'EXITED';
    r.readyAt = null;
  }

  async resumePod(podId: string, opts: ResumeOptions): Promise<void> {
    this.enter('resumePod', { podId, ...opts });
    const r = this.pods.get(podId);
    if (!r) throw notFound(`Pod ${podId}`);
    if (r.pod.status === 'RUNNING') throw new PodbayError('INVALID_REQUEST', 'Pod is already running.');
    const type = this.type(r.gpuTypeId);
    if (opts.kind === 'spot') {
      if (type.minBid === null || opts.bidPerGpu < type.minBid) {
        throw new PodbayError('INVALID_REQUEST', `Bid is below the minimum of ${type.minBid}.`);
      }
    }
    const free = type.stock[r.dataCenterId] ?? 0;
    if (free < opts.gpuCount) throw new PodbayError('NO_CAPACITY', CAPACITY_MESSAGE);
    type.stock[r.dataCenterId] = free - opts.gpuCount;
    r.pod.gpuCount = opts.gpuCount;
    const per = opts.kind === 'spot' ? opts.bidPerGpu : (type.price ?? 0);
    r.pod.costPerHr = Math.round(per * opts.gpuCount * 10_000) / 10_000;
    r.pod.status = 'RUNNING';
    r.readyAt = this.clock.now().getTime() + this.pullSeconds * 1000;
  }

  async terminatePod(podId: string): Promise<void> {
    this.enter('terminatePod', podId);
    const r = this.pods.get(podId);
    if (!r) throw notFound(`Pod ${podId}`);
    if (r.pod.status === 'RUNNING') this.giveBack(r);
    this.pods.delete(podId);
  }

  async gpuOffers(query: GpuOfferQuery): Promise<GpuOffer[]> {
    this.enter('gpuOffers', query);
    return this.gpuTypes
      .filter((t) => !query.ids || query.ids.includes(t.id))
      .filter(
        (t) =>
          query.secureCloud === undefined ||
          (query.secureCloud ? t.secureCloud !== false : t.communityCloud !== false),
      )
      .map((t) => {
        const free = Object.entries(t.stock)
          .filter(([dc]) => query.dataCenterId === undefined || dc === query.dataCenterId)
          .reduce((max, [, n]) => Math.max(max, n), 0);
        return {
          id: t.id,
          displayName: t.displayName,
          memoryInGb: t.memoryInGb,
          secureCloud: t.secureCloud !== false,
          communityCloud: t.communityCloud !== false,
          securePrice: t.price,
          communityPrice: t.price === null ? null : Math.round(t.price * 0.8 * 100) / 100,
          secureSpotPrice: t.minBid,
          communitySpotPrice: t.minBid,
          lowest: {
            gpuCount: query.gpuCount,
            onDemandPrice: t.price,
            minimumBidPrice: t.minBid,
            stockStatus: stockStatus(free, query.gpuCount),
            availableGpuCounts: [1, 2, 4, 8].filter((n) => n <= free),
          },
        };
      });
  }

  async dataCenters(opts: { gpuCount?: number } = {}): Promise<DataCenter[]> {
    this.enter('dataCenters', opts);
    const need = opts.gpuCount ?? 1;
    return this.dcs.map((dc) => ({
      id: dc.id,
      name: dc.name,
      location: dc.location ?? null,
      storageSupport: dc.storageSupport,
      gpus: this.gpuTypes.map((t) => {
        const free = t.stock[dc.id] ?? 0;
        return {
          gpuTypeId: t.id,
          displayName: t.displayName,
          available: free >= need,
          stockStatus: stockStatus(free, need),
        };
      }),
    }));
  }

  async listVolumes(): Promise<NetworkVolume[]> {
    this.enter('listVolumes');
    return [...this.volumes.values()].map(copy);
  }

  async createVolume(input: { name: string; sizeGb: number; dataCenterId: string }): Promise<NetworkVolume> {
    this.enter('createVolume', input);
    const dc = this.dcs.find((d) => d.id === input.dataCenterId);
    if (!dc?.storageSupport)
      throw new PodbayError('INVALID_REQUEST', `${input.dataCenterId} does not support network volumes.`);
    if (input.sizeGb < 1 || input.sizeGb > 4000)
      throw new PodbayError('INVALID_REQUEST', 'Size must be 1..4000 GB.');
    const v = { id: this.newId('vol'), ...input };
    this.volumes.set(v.id, v);
    return copy(v);
  }

  async updateVolume(input: { id: string; name?: string; sizeGb?: number }): Promise<NetworkVolume> {
    this.enter('updateVolume', input);
    const v = this.volumes.get(input.id);
    if (!v) throw notFound(`Volume ${input.id}`);
    if (input.sizeGb !== undefined && input.sizeGb < v.sizeGb) {
      throw new PodbayError('INVALID_REQUEST', 'Network volumes cannot shrink.');
    }
    if (input.name !== undefined) v.name = input.name;
    if (input.sizeGb !== undefined) v.sizeGb = input.sizeGb;
    return copy(v);
  }

  async deleteVolume(volumeId: string): Promise<void> {
    this.enter('deleteVolume', volumeId);
    if (!this.volumes.has(volumeId)) throw notFound(`Volume ${volumeId}`);
    if ([...this.pods.values()].some((r) => r.pod.networkVolumeId === volumeId)) {
      throw new PodbayError('CONFLICT', 'Volume is attached to a pod.');
    }
    this.volumes.delete(volumeId);
  }

  async listEndpoints(): Promise<Endpoint[]> {
    this.enter('listEndpoints');
    return [...this.endpoints.values()].map(copy);
  }

  async createEndpoint(config: EndpointConfig): Promise<Endpoint> {
    this.enter('createEndpoint', config);
    return copy(this.save({ ...config }));
  }

  /** Like the adapter: read the whole configuration, apply the change, send it all back (full replace). */
  async updateEndpoint(endpointId: string, change: Partial<EndpointConfig>): Promise<Endpoint> {
    this.enter('updateEndpoint', { endpointId, change });
    const current = this.endpoints.get(endpointId);
    if (!current) throw notFound(`Endpoint ${endpointId}`);
    const { id, envKeys: _e, workersRunning: _w, ...config } = current;
    return copy(this.save({ ...config, ...change, id }));
  }

  async deleteEndpoint(endpointId: string): Promise<void> {
    this.enter('deleteEndpoint', endpointId);
    const e = this.endpoints.get(endpointId);
    if (!e) throw notFound(`Endpoint ${endpointId}`);
    if (e.workersMin !== 0 || e.workersMax !== 0) {
      throw new PodbayError(
        'INVALID_REQUEST',
        'Min and max workers must both be zero before you can delete it.',
      );
    }
    this.endpoints.delete(endpointId);
  }

  async listTemplates(): Promise<Template[]> {
    this.enter('listTemplates');
    return this.templates.map(copy);
  }

  // --- internals ---

  /** RunPod's saveEndpoint: with an id it REPLACES the stored configuration; missing fields get defaults. */
  private save(input: Partial<EndpointConfig> & { id?: string }): Endpoint {
    if (!input.name) throw new PodbayError('INVALID_REQUEST', 'name is required.');
    if (!input.templateId) throw new PodbayError('INVALID_REQUEST', 'must provide template for endpoint.');
    const id = input.id ?? this.newId('ep');
    const previous = this.endpoints.get(id);
    const e: Endpoint = {
      ...ENDPOINT_DEFAULTS,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
      name: input.name,
      templateId: input.templateId,
      id,
      envKeys: previous?.envKeys ?? [],
      workersRunning: input.workersMin ?? 0,
    } as Endpoint;
    this.endpoints.set(id, e);
    return e;
  }

  private enter(method: string, arg?: unknown): void {
    this.calls.push(arg === undefined ? { method } : { method, arg: copy(arg) });
    const q = this.failures.get(method);
    const err = q?.shift();
    if (err) throw err;
  }

  private type(id: string): FakeGpuType {
    const t = this.gpuTypes.find((x) => x.id === id);
    if (!t) throw new Error(`fake: unknown GPU type ${id}`);
    return t;
  }

  private giveBack(r: PodRecord): void {
    const t = this.gpuTypes.find((x) => x.id === r.gpuTypeId);
    if (t) t.stock[r.dataCenterId] = (t.stock[r.dataCenterId] ?? 0) + r.pod.gpuCount;
  }

  private newId(prefix: string): string {
    return `${prefix}${(++this.seq).toString(36).padStart(6, '0')}`;
  }

  /** The pod as RunPod shows it now: runtime appears once the image is pulled. */
  private view(r: PodRecord): Pod {
    const now = this.clock.now().getTime();
    const ready = r.pod.status === 'RUNNING' && r.readyAt !== null && now >= r.readyAt;
    return {
      ...r.pod,
      runtime: ready
        ? {
            uptimeSeconds: Math.floor((now - (r.readyAt ?? now)) / 1000),
            gpus: Array.from({ length: r.pod.gpuCount }, (_, i) => ({
              id: `GPU-${r.pod.id}-${i}`,
              utilPercent: 0,
              memoryUtilPercent: 0,
            })),
            cpuPercent: 1,
            memoryPercent: 3,
            ports: portsOf(r.pod),
          }
        : null,
    };
  }
}

function stockStatus(free: number, need: number): StockStatus {
  if (free < need || free === 0) return 'None';
  if (free >= need * 4) return 'High';
  if (free >= need * 2) return 'Medium';
  return 'Low';
}

/** http ports go through the proxy (private ip); tcp ports get a public ip:port. */
function portsOf(pod: Pod) {
  const out: Array<{ ip: string; isPublic: boolean; privatePort: number; publicPort: number; type: string }> =
    [];
  for (const part of (pod.ports ?? '').split(',')) {
    const [port, type] = part.split('/');
    if (!port || !type) continue;
    const n = Number(port);
    out.push(
      type === 'tcp'
        ? { ip: '203.0.113.10', isPublic: true, privatePort: n, publicPort: 40_000 + n, type }
        : { ip: '100.64.0.2', isPublic: false, privatePort: n, publicPort: n, type },
    );
  }
  return out;
}
