// zod schemas for REST v2 answers (field names from the generated OpenAPI types), turned into
// the same domain types the GraphQL adapter gives. Loose, like ../parse.ts, for speed; env
// values are secrets and never leave the schema: only the keys are kept.
import { z } from 'zod';
import type {
  DataCenter,
  Endpoint,
  GpuOffer,
  NetworkVolume,
  Pod,
  PodStatus,
  StockStatus,
  Template,
} from '../../services/domain.ts';
import type { BillingHistory } from '../../services/ports.ts';
import { malformed } from '../errors.ts';
import type { components } from './openapi.d.ts';

type S = components['schemas'];

const optStr = z.string().nullish();
const optNum = z.number().nullish();
/** `env` is `{KEY: value}`; only the keys survive parsing. */
const envKeys = z
  .record(z.string(), z.unknown())
  .nullish()
  .transform((e) => (e ? Object.keys(e) : []));

const STATUS: Record<S['PodStatus'], PodStatus> = {
  // v2 reports the observed state; podbay's status is the requested one (RUNNING while pulling).
  PROVISIONING: 'RUNNING',
  STARTING: 'RUNNING',
  RUNNING: 'RUNNING',
  EXITED: 'EXITED',
  ERROR: 'DEAD',
  TERMINATED: 'TERMINATED',
};

export const PodSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.enum(Object.keys(STATUS) as [S['PodStatus'], ...S['PodStatus'][]]),
  image: optStr,
  disk: optNum,
  ports: z.array(z.string()).nullish(),
  env: envKeys,
  mounts: z
    .looseObject({
      persistent: z.looseObject({ size: z.number(), path: optStr }).nullish(),
      network: z.array(z.looseObject({ volumeId: z.string(), path: optStr })).nullish(),
    })
    .nullish(),
  gpu: z.looseObject({ id: z.string(), count: optNum }).nullish(),
  dataCenterId: optStr,
  template: optStr,
  cost: z.number(),
  runtime: z
    .looseObject({
      uptime: optNum,
      gpus: z.array(z.looseObject({ util: optNum, memoryUtil: optNum })).nullish(),
      cpu: z.looseObject({ util: optNum }).nullish(),
      memory: z.looseObject({ util: optNum }).nullish(),
      ports: z.array(z.looseObject({ private: optNum, public: optNum, type: optStr, ip: optStr })).nullish(),
    })
    .nullish(),
  startedAt: optStr,
  createdAt: optStr,
});

export function toPod(p: z.infer<typeof PodSchema>): Pod {
  const rt = p.runtime;
  const network = p.mounts?.network?.[0];
  const persistent = p.mounts?.persistent;
  // An empty runtime object (a pod still provisioning) counts as no runtime.
  const live = rt && p.status === 'RUNNING' ? rt : null;
  return {
    id: p.id,
    name: p.name,
    status: STATUS[p.status],
    kind: 'on-demand',
    costPerHr: p.cost,
    gpuCount: p.gpu?.count ?? 1,
    gpuName: p.gpu?.id ?? null,
    imageName: p.image ?? null,
    templateId: p.template ?? null,
    vcpuCount: 0,
    memoryInGb: 0,
    containerDiskInGb: p.disk ?? null,
    volumeInGb: persistent?.size ?? null,
    volumeMountPath: network?.path ?? persistent?.path ?? null,
    networkVolumeId: network?.volumeId ?? null,
    ports: p.ports?.length ? p.ports.join(',') : null,
    machineId: '',
    location: p.dataCenterId ?? null,
    lastStatusChange: p.startedAt ? `Started: ${p.startedAt}` : null,
    envKeys: p.env,
    runtime: live
      ? {
          uptimeSeconds: live.uptime ?? 0,
          // v2 numbers the GPUs instead of naming them.
          gpus: (live.gpus ?? []).map((g, i) => ({
            id: `gpu-${i}`,
            utilPercent: g.util ?? null,
            memoryUtilPercent: g.memoryUtil ?? null,
          })),
          cpuPercent: live.cpu?.util ?? null,
          memoryPercent: live.memory?.util ?? null,
          ports: (live.ports ?? []).map((x) => ({
            ip: x.ip ?? '',
            isPublic: x.type === 'tcp' && !!x.ip,
            privatePort: x.private ?? 0,
            publicPort: x.public ?? x.private ?? 0,
            type: x.type ?? 'tcp',
          })),
        }
      : null,
  };
}

export const VolumeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  dataCenter: z.string(),
});
export const toVolume = (v: z.infer<typeof VolumeSchema>): NetworkVolume => ({
  id: v.id,
  name: v.name,
  sizeGb: v.size,
  dataCenterId: v.dataCenter,
});

export const EndpointSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  env: envKeys,
  gpu: z.looseObject({ pools: z.array(z.string()).nullish(), count: optNum }).nullish(),
  workers: z.looseObject({ min: optNum, max: optNum, idleTimeout: optNum }),
  scaling: z.looseObject({
    type: z.enum(['QUEUE_DELAY', 'REQUEST_COUNT']),
    queueDelay: optNum,
    requestCount: optNum,
  }),
  dataCenterIds: z.array(z.string()).nullish(),
  networkVolumes: z.array(z.string()).nullish(),
  timeout: optNum,
  flashboot: optStr,
});

/** v2 keeps no link from an endpoint to the template it was made from; `templateId` is then "". */
export function toEndpoint(e: z.infer<typeof EndpointSchema>, templateId = ''): Endpoint {
  return {
    id: e.id,
    name: e.name,
    templateId,
    gpuPoolIds: e.gpu?.pools ?? [],
    gpuCount: e.gpu?.count ?? 1,
    workersMin: e.workers.min ?? 0,
    workersMax: e.workers.max ?? 0,
    idleTimeoutSec: e.workers.idleTimeout ?? 0,
    scalerType: e.scaling.type,
    scalerValue: (e.scaling.type === 'QUEUE_DELAY' ? e.scaling.queueDelay : e.scaling.requestCount) ?? 0,
    networkVolumeId: e.networkVolumes?.[0] ?? null,
    locations: e.dataCenterIds?.length ? e.dataCenterIds.join(',') : null,
    executionTimeoutMs: e.timeout ?? null,
    flashBoot: e.flashboot === 'FLASHBOOT' || e.flashboot === 'PRIORITY_FLASHBOOT',
    envKeys: e.env,
    // Workers are a separate v2 call per endpoint; warm workers (min) are the ones that bill.
    workersRunning: e.workers.min ?? 0,
  };
}

export const TemplateSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  image: optStr,
  serverless: z.boolean(),
  disk: optNum,
  mounts: z.looseObject({ persistent: z.looseObject({ size: z.number() }).nullish() }).nullish(),
  ports: z.array(z.string()).nullish(),
});
export const toTemplate = (t: z.infer<typeof TemplateSchema>): Template => ({
  id: t.id,
  name: t.name,
  imageName: t.image || null,
  isServerless: t.serverless,
  containerDiskInGb: t.disk ?? null,
  volumeInGb: t.mounts?.persistent?.size ?? null,
  ports: t.ports?.length ? t.ports.join(',') : null,
});

const LEVEL: Record<S['AvailabilityLevel'], StockStatus> = {
  HIGH: 'High',
  MEDIUM: 'Medium',
  LOW: 'Low',
  NONE: 'None',
};
const level = z.enum(['HIGH', 'MEDIUM', 'LOW', 'NONE']);

export const GpuTypeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  memory: optNum,
  secure: z.boolean(),
  community: z.boolean(),
  price: z.looseObject({ secure: optNum, community: optNum }),
  maxCount: z.looseObject({ secure: optNum, community: optNum }).nullish(),
  availability: level.nullish(),
});

/** v2 quotes list prices per cloud and no spot prices (spot is GraphQL only). */
export const toGpuOffer =
  (gpuCount: number, secureCloud: boolean | undefined) =>
  (g: z.infer<typeof GpuTypeSchema>): GpuOffer => {
    const securePrice = g.secure ? (g.price.secure ?? null) : null;
    const communityPrice = g.community ? (g.price.community ?? null) : null;
    const candidates =
      secureCloud === true
        ? [securePrice]
        : secureCloud === false
          ? [communityPrice]
          : [securePrice, communityPrice];
    const prices = candidates.filter((p): p is number => p !== null && p > 0);
    const max = Math.max(g.maxCount?.secure ?? 0, g.maxCount?.community ?? 0);
    return {
      id: g.id,
      displayName: g.name,
      memoryInGb: g.memory ?? null,
      secureCloud: g.secure,
      communityCloud: g.community,
      securePrice,
      communityPrice,
      secureSpotPrice: null,
      communitySpotPrice: null,
      lowest: {
        gpuCount,
        onDemandPrice: prices.length ? Math.min(...prices) : null,
        minimumBidPrice: null,
        stockStatus: g.availability ? LEVEL[g.availability] : 'Unknown',
        availableGpuCounts: g.availability && g.availability !== 'NONE' ? range(Math.max(max, gpuCount)) : [],
      },
    };
  };

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export const DataCenterSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  region: optStr,
  networkVolumeTypes: z.array(z.string()).nullish(),
  gpuAvailability: z
    .array(z.looseObject({ id: z.string(), name: z.string(), availability: level }))
    .nullish(),
});
export const toDataCenter = (d: z.infer<typeof DataCenterSchema>): DataCenter => ({
  id: d.id,
  name: d.name,
  location: d.region ?? null,
  storageSupport: (d.networkVolumeTypes ?? []).length > 0,
  gpus: (d.gpuAvailability ?? []).map((g) => ({
    gpuTypeId: g.id,
    displayName: g.name,
    available: g.availability !== 'NONE',
    stockStatus: LEVEL[g.availability],
  })),
});

const PodBillingSchema = z.object({
  records: z.array(
    z.looseObject({
      startTime: z.string(),
      endTime: z.string(),
      podId: z.string(),
      totalAmount: z.number(),
      gpuAmount: optNum,
      diskAmount: optNum,
    }),
  ),
});
const VolumeBillingSchema = z.object({
  records: z.array(
    z.looseObject({
      startTime: z.string(),
      endTime: z.string(),
      networkVolumeId: z.string(),
      totalAmount: z.number(),
    }),
  ),
});

export function toBilling(pods: unknown, volumes: unknown): BillingHistory {
  const p = envelope(PodBillingSchema, pods, 'pod billing');
  const v = envelope(VolumeBillingSchema, volumes, 'volume billing');
  return {
    pods: p.records.map((r) => ({
      podId: r.podId,
      start: r.startTime,
      end: r.endTime,
      totalUsd: r.totalAmount,
      gpuUsd: r.gpuAmount ?? 0,
      diskUsd: r.diskAmount ?? 0,
    })),
    volumes: v.records.map((r) => ({
      volumeId: r.networkVolumeId,
      start: r.startTime,
      end: r.endTime,
      totalUsd: r.totalAmount,
    })),
  };
}

/** The list wrapper of an answer (`{pods: [...]}`); anything else is a damaged answer, worth a retry. */
export function envelope<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw malformed(`${what} had an unexpected shape`);
  return r.data;
}

export const PodsEnvelope = z.object({ pods: z.array(z.unknown()) });
export const VolumesEnvelope = z.object({ networkVolumes: z.array(z.unknown()) });
export const EndpointsEnvelope = z.object({ endpoints: z.array(z.unknown()) });
export const TemplatesEnvelope = z.object({ templates: z.array(z.unknown()) });
export const GpusEnvelope = z.object({ gpus: z.array(z.unknown()) });
export const DataCentersEnvelope = z.object({ dataCenters: z.array(z.unknown()) });
