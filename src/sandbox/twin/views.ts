// GraphQL-facing views over the stored records. graphql-js's default field resolver reads a
// property or calls a method of the same name (with the field's arguments), so views are plain
// classes: getters for stored values, methods for computed ones (runtime, lowestPrice, ...).
import { gpuAvailability, type LowestPriceInput, lowestPrice } from './catalog.ts';
import { DATA_CENTERS, type DataCenterSpec, dataCenterSpec } from './datacenters.ts';
import { commitmentPrices, GPU_SPECS, type GpuSpec, poolPricePerGpuHr } from './prices.ts';
import { hashString } from './prng.ts';
import { podCostPerHr } from './pods.ts';
import type { EndpointRecord, PodRecord, TemplateRecord, VolumeRecord } from './records.ts';
import { containerSample, gpuSample } from './scenarios.ts';
import type { TwinState } from './state.ts';

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

interface RuntimePort {
  ip: string;
  isIpPublic: boolean;
  privatePort: number;
  publicPort: number;
  type: string;
}

/** "8888/http,22/tcp" → runtime port mappings: http behind RunPod's proxy, tcp on the public IP. */
export function runtimePorts(pod: PodRecord): RuntimePort[] {
  const out: RuntimePort[] = [];
  for (const part of (pod.ports ?? '').split(',')) {
    const m = /^\s*(\d+)\/(http|tcp|udp)\s*$/i.exec(part);
    if (!m) continue;
    const port = Number(m[1]);
    const type = (m[2] ?? 'tcp').toLowerCase();
    if (type === 'http') {
      out.push({
        ip: `100.65.${pod.seed % 256}.${(pod.seed >>> 8) % 254}`,
        isIpPublic: false,
        privatePort: port,
        publicPort: port,
        type,
      });
    } else {
      out.push({
        ip: pod.publicIp,
        isIpPublic: true,
        privatePort: port,
        publicPort: 10_000 + (hashString(`${pod.id}:${port}`) % 50_000),
        type,
      });
    }
  }
  return out;
}

export class PodView {
  constructor(
    private readonly p: PodRecord,
    private readonly s: TwinState,
  ) {}
  get id() {
    return this.p.id;
  }
  get name() {
    return this.p.name;
  }
  get desiredStatus() {
    return this.p.desiredStatus;
  }
  get podType() {
    return this.p.podType;
  }
  get costPerHr() {
    return podCostPerHr(this.p);
  }
  get adjustedCostPerHr() {
    return podCostPerHr(this.p);
  }
  get gpuCount() {
    return this.p.gpuCount;
  }
  get vcpuCount() {
    return this.p.vcpuCount;
  }
  get memoryInGb() {
    return this.p.memoryInGb;
  }
  get containerDiskInGb() {
    return this.p.containerDiskInGb;
  }
  get volumeInGb() {
    return this.p.volumeInGb;
  }
  get volumeMountPath() {
    return this.p.volumeMountPath;
  }
  get imageName() {
    return this.p.imageName;
  }
  get dockerArgs() {
    return this.p.dockerArgs;
  }
  get dockerId() {
    return this.p.desiredStatus === 'RUNNING' ? this.p.dockerId : null;
  }
  get env() {
    return this.p.env.map((e) => `${e.key}=${e.value}`);
  }
  get ports() {
    return this.p.ports;
  }
  get port() {
    return null;
  }
  get machineId() {
    return this.p.machineId;
  }
  get templateId() {
    return this.p.templateId;
  }
  get networkVolumeId() {
    return this.p.networkVolumeId;
  }
  get containerRegistryAuthId() {
    return this.p.containerRegistryAuthId;
  }
  get lastStatusChange() {
    return this.p.lastStatusChange;
  }
  get uptimeSeconds() {
    return this.p.desiredStatus === 'RUNNING' ? Math.floor((this.s.nowMs - this.p.startedAtMs) / 1000) : 0;
  }
  get machine() {
    return {
      gpuDisplayName: this.p.gpuDisplayName,
      location: this.p.dataCenterId,
      podHostId: this.p.podHostId,
    };
  }
  /** null unless RUNNING and the image has been pulled. */
  runtime() {
    const p = this.p;
    const now = this.s.nowMs;
    if (p.desiredStatus !== 'RUNNING' || now < p.readyAtMs) return null;
    const t = now / 1000;
    return {
      uptimeInSeconds: Math.floor((now - p.readyAtMs) / 1000),
      ports: runtimePorts(p),
      gpus: p.gpuUuids.map((id, i) => ({ id, ...gpuSample(p.scenario, p.seed, i, t) })),
      container: containerSample(p.scenario, p.seed, t),
    };
  }
}

export class VolumeView {
  constructor(
    private readonly v: VolumeRecord,
    private readonly s: TwinState,
  ) {}
  get id() {
    return this.v.id;
  }
  get name() {
    return this.v.name;
  }
  get size() {
    return this.v.size;
  }
  get dataCenterId() {
    return this.v.dataCenterId;
  }
  get storageClusterId() {
    return this.v.storageClusterId;
  }
  get storageType() {
    return this.v.storageType;
  }
  get dataCenter() {
    const d = dataCenterSpec(this.v.dataCenterId);
    return d ? new DataCenterView(d, this.s) : null;
  }
}

export function templateView(t: TemplateRecord) {
  return t;
}

export class EndpointView {
  constructor(
    private readonly e: EndpointRecord,
    private readonly s: TwinState,
  ) {}
  get id() {
    return this.e.id;
  }
  get name() {
    return this.e.name;
  }
  get type() {
    return this.e.type;
  }
  get templateId() {
    return this.e.templateId;
  }
  get gpuIds() {
    return this.e.gpuIds;
  }
  get gpuCount() {
    return this.e.gpuCount;
  }
  get instanceIds() {
    return this.e.instanceIds;
  }
  get computeType() {
    return 'GPU';
  }
  get workersMin() {
    return this.e.workersMin;
  }
  get workersMax() {
    return this.e.workersMax;
  }
  get workersStandby() {
    return this.e.workersMin;
  }
  get workersPFBTarget() {
    return this.e.workersPFBTarget;
  }
  get idleTimeout() {
    return this.e.idleTimeout;
  }
  get scalerType() {
    return this.e.scalerType;
  }
  get scalerValue() {
    return this.e.scalerValue;
  }
  get executionTimeoutMs() {
    return this.e.executionTimeoutMs;
  }
  get locations() {
    return this.e.locations;
  }
  get networkVolumeId() {
    return this.e.networkVolumeId;
  }
  get networkVolumeIds() {
    return (this.e.networkVolumeIds ?? []).map((id) => ({
      networkVolumeId: id,
      dataCenterId: this.s.volumes.get(id)?.dataCenterId ?? null,
    }));
  }
  get networkVolume() {
    const v = this.e.networkVolumeId !== null ? this.s.volumes.get(this.e.networkVolumeId) : undefined;
    return v ? new VolumeView(v, this.s) : null;
  }
  get allowedCudaVersions() {
    return this.e.allowedCudaVersions;
  }
  get minCudaVersion() {
    return this.e.minCudaVersion;
  }
  get flashBootType() {
    return this.e.flashBootType;
  }
  get flashEnvironmentId() {
    return null;
  }
  get modelReferences() {
    return this.e.modelReferences;
  }
  get env() {
    return this.e.env;
  }
  get aiKey() {
    return this.e.aiKey;
  }
  get userId() {
    return this.s.account.id;
  }
  get version() {
    return this.e.version;
  }
  get createdAt() {
    return new Date(this.e.createdAtMs).toISOString();
  }
  get activeBuildid() {
    return null;
  }
  get idePodId() {
    return null;
  }
  /** Active workers: workersMin warm workers, each a RUNNING pod on the endpoint's first pool. */
  pods() {
    const pool = (this.e.gpuIds ?? '').split(',')[0]?.trim() ?? '';
    const price = poolPricePerGpuHr(pool) * this.e.gpuCount;
    return Array.from({ length: this.e.workersMin }, (_, i) => ({
      id: `${this.e.id.slice(0, 8)}${String(i).padStart(6, '0')}`,
      name: `${this.e.name} worker ${i + 1}`,
      desiredStatus: 'RUNNING',
      podType: 'RESERVED',
      costPerHr: Math.round(price * 1000) / 1000,
      gpuCount: this.e.gpuCount,
      vcpuCount: 8 * this.e.gpuCount,
      memoryInGb: 31 * this.e.gpuCount,
      machineId: `${this.e.id.slice(0, 6)}m${i}`,
      templateId: this.e.templateId,
      env: [],
      runtime: null,
    }));
  }
}

export class GpuTypeView {
  constructor(
    private readonly g: GpuSpec,
    private readonly s: TwinState,
  ) {}
  get id() {
    return this.g.id;
  }
  get displayName() {
    return this.g.displayName;
  }
  get manufacturer() {
    return this.g.manufacturer;
  }
  get memoryInGb() {
    return this.g.memoryInGb;
  }
  get cudaCores() {
    return this.g.cudaCores;
  }
  get secureCloud() {
    return this.g.securePrice !== null;
  }
  get communityCloud() {
    return this.g.communityPrice !== null;
  }
  get securePrice() {
    return this.g.securePrice;
  }
  get communityPrice() {
    return this.g.communityPrice;
  }
  get secureSpotPrice() {
    return this.g.secureSpotPrice;
  }
  get communitySpotPrice() {
    return this.g.communitySpotPrice;
  }
  get oneWeekPrice() {
    return commitmentPrices(this.g).oneWeek;
  }
  get oneMonthPrice() {
    return commitmentPrices(this.g).oneMonth;
  }
  get threeMonthPrice() {
    return commitmentPrices(this.g).threeMonth;
  }
  get maxGpuCount() {
    return this.g.maxGpuCount;
  }
  get maxGpuCountSecureCloud() {
    return this.g.securePrice !== null ? this.g.maxGpuCount : 0;
  }
  get maxGpuCountCommunityCloud() {
    return this.g.communityPrice !== null ? this.g.maxGpuCount : 0;
  }
  get minPodGpuCount() {
    return 1;
  }
  lowestPrice(args: { input?: LowestPriceInput }) {
    return args.input
      ? lowestPrice(this.s, this.g, args.input)
      : lowestPrice(this.s, this.g, { gpuCount: 1 });
  }
}

export class DataCenterView {
  constructor(
    private readonly d: DataCenterSpec,
    private readonly s: TwinState,
  ) {}
  get id() {
    return this.d.id;
  }
  get name() {
    return this.d.name;
  }
  get location() {
    return this.d.location;
  }
  get region() {
    return this.d.region;
  }
  get listed() {
    return this.d.listed;
  }
  get storageSupport() {
    return this.d.storageSupport;
  }
  get globalNetwork() {
    return false;
  }
  get compliance() {
    return [];
  }
  gpuAvailability(args: { input?: { gpuCount?: number; secureCloud?: boolean } }) {
    return gpuAvailability(this.s, this.d, GPU_SPECS, args.input ?? {});
  }
}

export class UserView {
  constructor(private readonly s: TwinState) {}
  get id() {
    return this.s.account.id;
  }
  get email() {
    return this.s.account.email;
  }
  get pubKey() {
    return this.s.account.pubKey;
  }
  get clientBalance() {
    return round4(this.s.account.clientBalance);
  }
  get currentSpendPerHr() {
    return round4(this.s.spendPerHr());
  }
  get spendLimit() {
    return this.s.account.spendLimit;
  }
  get notifyPodsStale() {
    return this.s.account.notifyPodsStale;
  }
  get notifyPodsGeneral() {
    return this.s.account.notifyPodsGeneral;
  }
  get notifyLowBalance() {
    return this.s.account.notifyLowBalance;
  }
  get serverlessDiscount() {
    return null;
  }
  pods() {
    const out: PodView[] = [];
    for (const p of this.s.pods.values()) out.push(new PodView(p, this.s));
    return out;
  }
  networkVolumes() {
    return [...this.s.volumes.values()].map((v) => new VolumeView(v, this.s));
  }
  endpoints() {
    return [...this.s.endpoints.values()].map((e) => new EndpointView(e, this.s));
  }
  endpoint(args: { id: string }) {
    const e = this.s.endpoints.get(args.id);
    return e ? new EndpointView(e, this.s) : null;
  }
  podTemplates() {
    return [...this.s.templates.values()].filter((t) => t.owned).map(templateView);
  }
}

export const allDataCenterViews = (s: TwinState) => DATA_CENTERS.map((d) => new DataCenterView(d, s));
