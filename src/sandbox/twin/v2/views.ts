// The twin's records as REST v2 shows them (shapes from the official OpenAPI, openapi-v2.json).
// The same state the GraphQL face serves: a pod made over one API is seen over the other.
import { DATA_CENTERS, type DataCenterSpec, dataCenterSpec } from '../datacenters.ts';
import { gpuAvailability, lowestPrice, type StockLevel } from '../catalog.ts';
import { GPU_SPECS, type GpuSpec, poolPricePerGpuHr, SERVERLESS_POOLS } from '../prices.ts';
import { podCostPerHr } from '../pods.ts';
import type { EndpointRecord, PodRecord, TemplateRecord, VolumeRecord } from '../records.ts';
import { containerSample, gpuSample } from '../scenarios.ts';
import type { TwinState } from '../state.ts';
import { runtimePorts } from '../views.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const portList = (ports: string | null) =>
  (ports ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
const envObject = (env: { key: string; value: string }[]) =>
  Object.fromEntries(env.map((e) => [e.key, e.value]));
const level = (s: StockLevel) => s.toUpperCase() as 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

/** v2 status: RUNNING while the image pulls is STARTING; a stopped pod is EXITED. */
export function v2Status(p: PodRecord, nowMs: number): 'STARTING' | 'RUNNING' | 'EXITED' {
  if (p.desiredStatus === 'EXITED') return 'EXITED';
  return nowMs < p.readyAtMs ? 'STARTING' : 'RUNNING';
}

export function podV2(p: PodRecord, s: TwinState) {
  const status = v2Status(p, s.nowMs);
  const running = status === 'RUNNING';
  const t = s.nowMs / 1000;
  const sshPort = runtimePorts(p).find((x) => x.privatePort === 22 && x.isIpPublic);
  const mounts = p.networkVolumeId
    ? { network: [{ volumeId: p.networkVolumeId, path: p.volumeMountPath }] }
    : p.volumeInGb >= 10
      ? { persistent: { size: p.volumeInGb, path: p.volumeMountPath } }
      : {};
  const container = containerSample(p.scenario, p.seed, t);
  return {
    id: p.id,
    name: p.name,
    image: p.imageName,
    args: p.dockerArgs,
    disk: p.containerDiskInGb,
    ports: portList(p.ports),
    env: envObject(p.env),
    registry: p.containerRegistryAuthId,
    status,
    actions: status === 'EXITED' ? ['start', 'terminate'] : ['stop', 'restart', 'terminate'],
    mounts,
    gpu: { id: p.gpuTypeId, count: p.gpuCount },
    cloud: p.secureCloud ? 'SECURE' : 'COMMUNITY',
    dataCenterId: p.dataCenterId,
    cudaVersion: '12.4',
    ssh: {
      proxy: {
        host: 'ssh.runpod.io',
        port: 22,
        username: p.podHostId,
        command: `ssh ${p.podHostId}@ssh.runpod.io`,
      },
      direct:
        running && sshPort
          ? {
              host: sshPort.ip,
              port: sshPort.publicPort,
              username: 'root',
              command: `ssh root@${sshPort.ip} -p ${sshPort.publicPort}`,
            }
          : null,
    },
    template: p.templateId,
    // v2 reports what the pod costs now: nothing while it is stopped.
    cost: status === 'EXITED' ? 0 : podCostPerHr(p),
    locked: false,
    globalNetworking: { enabled: false },
    runtime: running
      ? {
          uptime: Math.floor((s.nowMs - p.readyAtMs) / 1000),
          gpus: p.gpuUuids.map((_, i) => {
            const g = gpuSample(p.scenario, p.seed, i, t);
            return { util: Math.round(g.gpuUtilPercent), memoryUtil: Math.round(g.memoryUtilPercent) };
          }),
          cpu: { util: Math.round(container.cpuPercent) },
          memory: { util: Math.round(container.memoryPercent) },
          ports: runtimePorts(p).map((x) => ({
            private: x.privatePort,
            public: x.publicPort,
            type: x.type,
            ip: x.ip,
          })),
        }
      : null,
    createdAt: iso(p.createdAtMs),
    startedAt: p.desiredStatus === 'RUNNING' ? iso(p.startedAtMs) : null,
  };
}

export function volumeV2(v: VolumeRecord) {
  return {
    id: v.id,
    name: v.name,
    size: v.size,
    dataCenter: v.dataCenterId,
    type: v.storageType === 'VAST' ? 'HIGH_PERFORMANCE' : 'STANDARD',
  };
}

export function templateV2(t: TemplateRecord) {
  return {
    id: t.id,
    name: t.name,
    image: t.imageName ?? '',
    args: t.dockerArgs,
    disk: t.containerDiskInGb,
    mounts:
      t.volumeInGb >= 10
        ? { persistent: { size: t.volumeInGb, path: t.volumeMountPath ?? '/workspace' } }
        : {},
    ports: portList(t.ports),
    env: envObject(t.env),
    registry: t.containerRegistryAuthId,
    serverless: t.isServerless,
    public: t.isPublic,
    category: t.category === 'AMD' || t.category === 'CPU' ? t.category : 'NVIDIA',
    startSsh: t.startSsh ?? false,
    startJupyter: t.startJupyter ?? false,
    allowedCudaVersions: [],
  };
}

export function endpointV2(e: EndpointRecord, s: TwinState) {
  const tpl = s.templates.get(e.templateId);
  const base = `https://api.runpod.ai/v2/${e.id}`;
  const scaling =
    e.scalerType === 'REQUEST_COUNT'
      ? { type: 'REQUEST_COUNT', requestCount: Math.max(1, Math.round(e.scalerValue)) }
      : { type: 'QUEUE_DELAY', queueDelay: Math.max(0.5, e.scalerValue) };
  const workers: { min: number; max: number; idleTimeout?: number } = {
    min: e.workersMin,
    max: e.workersMax,
  };
  if (scaling.type !== 'REQUEST_COUNT') workers.idleTimeout = e.idleTimeout;
  const volumes = [e.networkVolumeId, ...(e.networkVolumeIds ?? [])].filter(
    (x, i, all): x is string => x !== null && all.indexOf(x) === i,
  );
  return {
    id: e.id,
    name: e.name,
    type: 'QUEUE',
    image: tpl?.imageName ?? '',
    args: tpl?.dockerArgs ?? '',
    disk: tpl?.containerDiskInGb ?? 20,
    ports: portList(tpl?.ports ?? null),
    env: envObject(e.env),
    registry: null,
    requestUrls: {
      run: `${base}/run`,
      runSync: `${base}/runsync`,
      status: `${base}/status`,
      stream: `${base}/stream`,
      cancel: `${base}/cancel`,
      retry: `${base}/retry`,
      purgeQueue: `${base}/purge-queue`,
      health: `${base}/health`,
    },
    gpu: {
      pools: (e.gpuIds ?? '')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      count: e.gpuCount,
      allowedCudaVersions: [],
      minCudaVersion: e.minCudaVersion,
    },
    workers,
    scaling,
    dataCenterIds: (e.locations ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter((x) => dataCenterSpec(x) !== undefined),
    networkVolumes: volumes,
    timeout: e.executionTimeoutMs ?? 300_000,
    flashboot:
      e.flashBootType === 'FLASHBOOT' || e.flashBootType === 'PRIORITY_FLASHBOOT' ? e.flashBootType : 'OFF',
    createdAt: iso(e.createdAtMs),
  };
}

function poolOf(g: GpuSpec): string | null {
  return SERVERLESS_POOLS.find((p) => p.gpuTypeIds.includes(g.id))?.id ?? null;
}

export interface GpuCatalogQuery {
  availability: boolean;
  count: number;
  cloud: 'SECURE' | 'COMMUNITY' | undefined;
}

export function gpuV2(g: GpuSpec, s: TwinState, q: GpuCatalogQuery) {
  const pool = poolOf(g);
  const price: { secure: number; community: number; serverless?: number } = {
    secure: g.securePrice ?? 0,
    community: g.communityPrice ?? 0,
  };
  if (pool) price.serverless = poolPricePerGpuHr(pool);
  const out: Record<string, unknown> = {
    id: g.id,
    name: g.displayName,
    pool,
    manufacturer: g.manufacturer === 'AMD' ? 'AMD' : 'NVIDIA',
    memory: g.memoryInGb,
    secure: g.securePrice !== null,
    community: g.communityPrice !== null,
    price,
    maxCount: {
      secure: g.securePrice !== null ? g.maxGpuCount : 0,
      community: g.communityPrice !== null ? g.maxGpuCount : 0,
    },
  };
  if (q.availability) {
    // Upstream default cloud is SECURE.
    const secure = (q.cloud ?? 'SECURE') === 'SECURE';
    const lp = lowestPrice(s, g, { gpuCount: q.count, secureCloud: secure });
    out.availability = level(lp.stockStatus);
    const sites = lp.gpuTypeDatacenters
      .filter((d) => d.availability === 'AVAILABLE')
      .map((d) => {
        const spec = dataCenterSpec(d.dataCenterId);
        const fit = Math.floor(s.freeGpus(g.id, d.dataCenterId) / Math.max(1, q.count));
        return {
          id: d.dataCenterId,
          name: spec?.name ?? d.dataCenterId,
          availability: fit >= 8 ? 'HIGH' : fit >= 3 ? 'MEDIUM' : 'LOW',
        };
      });
    if (sites.length) out.dataCenters = sites;
    out.cudaVersions = [{ version: '12.4', available: lp.stockStatus !== 'None' }];
  }
  return out;
}

export function dataCenterV2(d: DataCenterSpec, s: TwinState, withGpus: boolean) {
  const out: Record<string, unknown> = {
    id: d.id,
    name: d.name,
    region: d.region,
    globalNetwork: false,
    networkVolumeTypes: d.storageSupport ? ['STANDARD'] : [],
    compliance: [],
  };
  if (withGpus) {
    const gpus = gpuAvailability(s, d, GPU_SPECS, {}).map((g) => ({
      id: g.gpuTypeId,
      name: g.displayName,
      availability: level(g.stockStatus),
    }));
    if (gpus.length) out.gpuAvailability = gpus;
  }
  return out;
}

export const listedDataCenters = () => DATA_CENTERS.filter((d) => d.listed);
