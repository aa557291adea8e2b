// zod schemas for RunPod answers, turned into domain types. A missing or odd field becomes a
// typed BAD_RESPONSE with a sentence naming the field; it never crashes a caller.
// Schemas are loose (unknown keys are not stripped): the to* mappers copy only what podbay
// uses, and skipping the strip pass halves the parse time of a 10,000-pod list (bench/client).
import { z } from 'zod';
import type {
  Account,
  DataCenter,
  Endpoint,
  GpuOffer,
  NetworkVolume,
  Pod,
  PodKind,
  StockStatus,
  Template,
} from '../services/domain.ts';
import { unreadable } from './errors.ts';

const str = z.string();
const optStr = z.string().nullish();
const optNum = z.number().nullish();
const optBool = z.boolean().nullish();

const PodStatusSchema = z.enum([
  'CREATED',
  'RUNNING',
  'RESTARTING',
  'EXITED',
  'PAUSED',
  'DEAD',
  'TERMINATED',
]);

export const PodSchema = z.looseObject({
  id: str,
  name: str,
  desiredStatus: PodStatusSchema,
  podType: z.enum(['INTERRUPTABLE', 'RESERVED', 'BID', 'BACKGROUND']).nullish(),
  costPerHr: z.number(),
  gpuCount: z.number().int(),
  vcpuCount: optNum,
  memoryInGb: optNum,
  containerDiskInGb: optNum,
  volumeInGb: optNum,
  volumeMountPath: optStr,
  imageName: optStr,
  templateId: optStr,
  networkVolumeId: optStr,
  ports: optStr,
  machineId: optStr,
  lastStatusChange: optStr,
  env: z.array(z.string().nullable()).nullish(),
  machine: z.looseObject({ gpuDisplayName: optStr, location: optStr }).nullish(),
  runtime: z
    .object({
      uptimeInSeconds: optNum,
      gpus: z
        .array(z.looseObject({ id: optStr, gpuUtilPercent: optNum, memoryUtilPercent: optNum }).nullable())
        .nullish(),
      container: z.looseObject({ cpuPercent: optNum, memoryPercent: optNum }).nullish(),
      ports: z
        .array(
          z
            .object({
              ip: optStr,
              isIpPublic: optBool,
              privatePort: optNum,
              publicPort: optNum,
              type: optStr,
            })
            .nullable(),
        )
        .nullish(),
    })
    .nullish(),
});

type RawPod = z.infer<typeof PodSchema>;

const kindOf = (t: RawPod['podType']): PodKind =>
  t === 'INTERRUPTABLE' ? 'spot' : t === 'RESERVED' || t == null ? 'on-demand' : 'other';

/** Keys of "KEY=value" strings; the values are secrets and are dropped right here. */
export function envKeys(env: readonly (string | null)[] | null | undefined): string[] {
  if (!env) return [];
  return env.filter((e): e is string => typeof e === 'string').map((e) => e.split('=', 1)[0] ?? '');
}

export function toPod(p: RawPod): Pod {
  const rt = p.runtime;
  return {
    id: p.id,
    name: p.name,
    status: p.desiredStatus,
    kind: kindOf(p.podType),
    costPerHr: p.costPerHr,
    gpuCount: p.gpuCount,
    gpuName: p.machine?.gpuDisplayName ?? null,
    imageName: p.imageName ?? null,
    templateId: p.templateId ?? null,
    vcpuCount: p.vcpuCount ?? 0,
    memoryInGb: p.memoryInGb ?? 0,
    containerDiskInGb: p.containerDiskInGb ?? null,
    volumeInGb: p.volumeInGb ?? null,
    volumeMountPath: p.volumeMountPath ?? null,
    networkVolumeId: p.networkVolumeId ?? null,
    ports: p.ports ?? null,
    machineId: p.machineId ?? '',
    location: p.machine?.location ?? null,
    lastStatusChange: p.lastStatusChange ?? null,
    envKeys: envKeys(p.env),
    runtime: rt
      ? {
          uptimeSeconds: rt.uptimeInSeconds ?? 0,
          gpus: (rt.gpus ?? [])
            .filter((g) => g !== null)
            .map((g) => ({
              id: g.id ?? '',
              utilPercent: g.gpuUtilPercent ?? null,
              memoryUtilPercent: g.memoryUtilPercent ?? null,
            })),
          cpuPercent: rt.container?.cpuPercent ?? null,
          memoryPercent: rt.container?.memoryPercent ?? null,
          ports: (rt.ports ?? [])
            .filter((x) => x !== null)
            .map((x) => ({
              ip: x.ip ?? '',
              isPublic: x.isIpPublic ?? false,
              privatePort: x.privatePort ?? 0,
              publicPort: x.publicPort ?? 0,
              type: x.type ?? 'tcp',
            })),
        }
      : null,
  };
}

/** First zod problem as "field: reason", for the user-facing sentence. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unknown problem';
  const path = issue.path.length ? issue.path.join('.') : 'the answer';
  return `${path}: ${issue.message}`;
}

export function parseOne<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw unreadable(what, describe(r.error));
  return r.data;
}

export interface ListResult<T> {
  items: T[];
  /** Items that failed to parse, by position; kept out of the list rather than failing it. */
  skipped: { index: number; reason: string }[];
}

/** Parses a list item by item, so one odd pod does not hide all the others. */
export function parseList<S extends z.ZodType, T>(
  schema: S,
  values: unknown,
  what: string,
  map: (v: z.infer<S>) => T,
): ListResult<T> {
  if (values === null || values === undefined) return { items: [], skipped: [] };
  if (!Array.isArray(values)) throw unreadable(what, 'expected a list');
  const items: T[] = [];
  const skipped: { index: number; reason: string }[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) continue;
    const r = schema.safeParse(v);
    if (r.success) items.push(map(r.data));
    else skipped.push({ index: i, reason: describe(r.error) });
  }
  return { items, skipped };
}

export const AccountSchema = z.looseObject({
  myself: z.looseObject({
    id: optStr,
    email: optStr,
    clientBalance: z.number(),
    currentSpendPerHr: optNum,
    spendLimit: optNum,
  }),
});

export function toAccount(a: z.infer<typeof AccountSchema>): Account {
  return {
    id: a.myself.id ?? null,
    email: a.myself.email ?? null,
    balanceUsd: a.myself.clientBalance,
    spendPerHrUsd: a.myself.currentSpendPerHr ?? 0,
    spendLimitUsd: a.myself.spendLimit ?? null,
  };
}

const stock = (s: string | null | undefined): StockStatus => {
  const t = (s ?? '').toLowerCase();
  return t === 'high'
    ? 'High'
    : t === 'medium'
      ? 'Medium'
      : t === 'low'
        ? 'Low'
        : t === 'none'
          ? 'None'
          : 'Unknown';
};

export const GpuTypeSchema = z.looseObject({
  id: str,
  displayName: optStr,
  memoryInGb: optNum,
  secureCloud: optBool,
  communityCloud: optBool,
  securePrice: optNum,
  communityPrice: optNum,
  secureSpotPrice: optNum,
  communitySpotPrice: optNum,
  lowestPrice: z
    .object({
      uninterruptablePrice: optNum,
      minimumBidPrice: optNum,
      stockStatus: optStr,
      availableGpuCounts: z.array(z.number().nullable()).nullish(),
    })
    .nullish(),
});

export const toGpuOffer =
  (gpuCount: number) =>
  (g: z.infer<typeof GpuTypeSchema>): GpuOffer => ({
    id: g.id,
    displayName: g.displayName ?? g.id,
    memoryInGb: g.memoryInGb ?? null,
    secureCloud: g.secureCloud ?? false,
    communityCloud: g.communityCloud ?? false,
    securePrice: g.securePrice ?? null,
    communityPrice: g.communityPrice ?? null,
    secureSpotPrice: g.secureSpotPrice ?? null,
    communitySpotPrice: g.communitySpotPrice ?? null,
    lowest: g.lowestPrice
      ? {
          gpuCount,
          onDemandPrice: g.lowestPrice.uninterruptablePrice ?? null,
          minimumBidPrice: g.lowestPrice.minimumBidPrice ?? null,
          stockStatus: stock(g.lowestPrice.stockStatus),
          availableGpuCounts: (g.lowestPrice.availableGpuCounts ?? []).filter((n): n is number => n !== null),
        }
      : null,
  });

export const DataCenterSchema = z.looseObject({
  id: str,
  name: optStr,
  location: optStr,
  storageSupport: optBool,
  listed: optBool,
  gpuAvailability: z
    .array(
      z
        .object({ gpuTypeId: optStr, displayName: optStr, available: optBool, stockStatus: optStr })
        .nullable(),
    )
    .nullish(),
});

export function toDataCenter(d: z.infer<typeof DataCenterSchema>): DataCenter {
  return {
    id: d.id,
    name: d.name ?? d.id,
    location: d.location ?? null,
    storageSupport: d.storageSupport ?? false,
    gpus: (d.gpuAvailability ?? [])
      .filter((g) => g !== null && typeof g.gpuTypeId === 'string')
      .map((g) => ({
        gpuTypeId: g?.gpuTypeId ?? '',
        displayName: g?.displayName ?? g?.gpuTypeId ?? '',
        available: g?.available ?? false,
        stockStatus: stock(g?.stockStatus),
      })),
  };
}

export const VolumeSchema = z.looseObject({ id: str, name: optStr, size: z.number(), dataCenterId: optStr });

export const toVolume = (v: z.infer<typeof VolumeSchema>): NetworkVolume => ({
  id: v.id,
  name: v.name ?? '',
  sizeGb: v.size,
  dataCenterId: v.dataCenterId ?? '',
});

export const EndpointSchema = z.looseObject({
  id: str,
  name: str,
  templateId: optStr,
  gpuIds: optStr,
  gpuCount: optNum,
  workersMin: optNum,
  workersMax: optNum,
  idleTimeout: optNum,
  scalerType: optStr,
  scalerValue: optNum,
  networkVolumeId: optStr,
  locations: optStr,
  executionTimeoutMs: optNum,
  flashBootType: optStr,
  env: z.array(z.looseObject({ key: optStr }).nullable()).nullish(),
  pods: z.array(z.looseObject({ desiredStatus: optStr }).nullable()).nullish(),
});

export function toEndpoint(e: z.infer<typeof EndpointSchema>): Endpoint {
  return {
    id: e.id,
    name: e.name,
    templateId: e.templateId ?? '',
    gpuPoolIds: (e.gpuIds ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    gpuCount: e.gpuCount ?? 1,
    workersMin: e.workersMin ?? 0,
    workersMax: e.workersMax ?? 3,
    idleTimeoutSec: e.idleTimeout ?? 10,
    scalerType: e.scalerType === 'REQUEST_COUNT' ? 'REQUEST_COUNT' : 'QUEUE_DELAY',
    scalerValue: e.scalerValue ?? 4,
    networkVolumeId: e.networkVolumeId ?? null,
    locations: e.locations ?? null,
    executionTimeoutMs: e.executionTimeoutMs ?? null,
    flashBoot: e.flashBootType != null && e.flashBootType !== 'OFF',
    envKeys: (e.env ?? []).map((x) => x?.key ?? '').filter(Boolean),
    workersRunning: (e.pods ?? []).filter((p) => p?.desiredStatus === 'RUNNING').length,
  };
}

export const TemplateSchema = z.looseObject({
  id: str,
  name: optStr,
  imageName: optStr,
  isServerless: optBool,
  containerDiskInGb: optNum,
  volumeInGb: optNum,
  ports: optStr,
});

export const toTemplate = (t: z.infer<typeof TemplateSchema>): Template => ({
  id: t.id,
  name: t.name ?? t.id,
  imageName: t.imageName ?? null,
  isServerless: t.isServerless ?? false,
  containerDiskInGb: t.containerDiskInGb ?? null,
  volumeInGb: t.volumeInGb ?? null,
  ports: t.ports ?? null,
});
