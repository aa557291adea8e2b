// The twin's REST v2 routes over the shared state: what each operation (by its OpenAPI
// operationId) does and answers. HTTP concerns (auth, faults, rate limits, SSE) live in http.ts.
import type { z } from 'zod';
import { type BucketSize, bucketEnd, bucketStart } from '../billing.ts';
import { dataCenterSpec } from '../datacenters.ts';
import { deleteEndpoint, type EndpointInput, saveEndpoint } from '../endpoints.ts';
import { MSG, TwinApiError } from '../messages.ts';
import { GPU_SPECS } from '../prices.ts';
import { createPod, type DeployInput, resumePod, stopPod, terminatePod } from '../pods.ts';
import type { EndpointRecord } from '../records.ts';
import type { TwinState } from '../state.ts';
import { createVolume, deleteVolume, updateVolume } from '../volumes.ts';
import {
  CreateEndpointBody,
  CreatePodBody,
  CreateVolumeBody,
  issueList,
  PodActionBody,
  UpdateEndpointBody,
  UpdateVolumeBody,
} from './bodies.ts';
import { type LogLine, podLogLines } from './logs.ts';
import {
  dataCenterV2,
  endpointV2,
  gpuV2,
  listedDataCenters,
  podV2,
  templateV2,
  v2Status,
  volumeV2,
} from './views.ts';

/** An answer in RFC 9457 problem form. */
export class V2Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: string[],
  ) {
    super(detail);
  }
}

export type V2Result = { status: number; body?: unknown } | { status: 200; sse: LogLine[] };

export interface V2Request {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

type Handler = (s: TwinState, r: V2Request) => V2Result;

export interface V2Route {
  method: string;
  /** OpenAPI path template, e.g. /v2/pods/{id}. */
  path: string;
  operationId: string;
  handler: Handler;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
};

export const problem = (status: number, detail: string, errors?: string[]) =>
  new V2Problem(status, TITLES[status] ?? 'Error', detail, errors);

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw problem(422, 'Request validation failed.', issueList(r.error));
  return r.data;
}

/** Twin errors as v2 statuses: unknown things are 404, the rest are refusals (400). */
export function fromTwinError(e: TwinApiError): V2Problem {
  if (/not found|unknown data center/i.test(e.message)) return problem(404, e.message);
  return problem(400, e.message);
}

const ok = (body: unknown, status = 200): V2Result => ({ status, body });

function pod(s: TwinState, id: string) {
  const p = s.pods.get(id);
  if (!p) throw problem(404, MSG.podNotFound(id));
  return p;
}

function toDeployInput(b: z.infer<typeof CreatePodBody>, dataCenterId: string | undefined): DeployInput {
  const input: DeployInput = { name: b.name };
  if (b.image !== undefined) input.imageName = b.image;
  if (b.templateId !== undefined) input.templateId = b.templateId;
  if (b.gpu) {
    input.gpuTypeId = b.gpu.id;
    input.gpuCount = b.gpu.count ?? 1;
  }
  // v2 creates on secure cloud unless told otherwise.
  input.cloudType = b.cloud ?? 'SECURE';
  if (dataCenterId !== undefined) input.dataCenterId = dataCenterId;
  if (b.disk !== undefined) input.containerDiskInGb = b.disk;
  if (b.args !== undefined) input.dockerArgs = b.args;
  if (b.ports) input.ports = b.ports.join(',');
  if (b.env) input.env = Object.entries(b.env).map(([key, value]) => ({ key, value }));
  if (b.registry !== undefined) input.containerRegistryAuthId = b.registry;
  const persistent = b.mounts?.persistent;
  const network = b.mounts?.network?.[0];
  if (persistent) {
    input.volumeInGb = persistent.size;
    input.volumeMountPath = persistent.path;
  } else input.volumeInGb = 0;
  if (network) {
    input.networkVolumeId = network.volumeId;
    input.volumeMountPath = network.path;
  }
  return input;
}

function createPodV2(s: TwinState, r: V2Request): V2Result {
  const b = parse(CreatePodBody, r.body);
  if (!b.gpu) throw problem(422, 'CPU pods are not offered by the twin; set gpu.', ['body.gpu: required']);
  const sites = b.dataCenterIds?.length ? b.dataCenterIds : [undefined];
  let last: unknown;
  for (const dc of sites) {
    try {
      return ok(podV2(createPod(s, toDeployInput(b, dc), 'RESERVED'), s), 201);
    } catch (e) {
      last = e;
      if (!(e instanceof TwinApiError) || e.message !== MSG.noCapacity) break;
    }
  }
  throw last;
}

function podAction(s: TwinState, r: V2Request): V2Result {
  const { action } = parse(PodActionBody, r.body);
  const p = pod(s, r.params.id ?? '');
  const status = v2Status(p, s.nowMs);
  if (action === 'terminate') {
    terminatePod(s, p.id);
    return { status: 204 };
  }
  if (action === 'stop') {
    if (status === 'EXITED') throw problem(409, `Pod ${p.id} is already stopped.`);
    return ok(podV2(stopPod(s, p.id), s));
  }
  if (action === 'start') {
    if (status !== 'EXITED') throw problem(409, `Pod ${p.id} is already running.`);
    return ok(podV2(resumePod(s, p.id), s));
  }
  // restart: stop and start again on the same host.
  if (status === 'EXITED') throw problem(409, `Pod ${p.id} is stopped; start it instead.`);
  stopPod(s, p.id);
  return ok(podV2(resumePod(s, p.id), s));
}

function endpointFromBody(b: CreateEndpointBody | UpdateEndpointBody, base: EndpointInput): EndpointInput {
  const e: EndpointInput = { ...base };
  if (b.name !== undefined) e.name = b.name;
  if (b.templateId !== undefined) e.templateId = b.templateId;
  if (b.gpu?.pools) e.gpuIds = b.gpu.pools.join(',');
  if (b.gpu?.count !== undefined) e.gpuCount = b.gpu.count;
  if (b.workers?.min !== undefined) e.workersMin = b.workers.min;
  if (b.workers?.max !== undefined) e.workersMax = b.workers.max;
  if (b.workers?.idleTimeout !== undefined) e.idleTimeout = b.workers.idleTimeout;
  if (b.scaling) {
    e.scalerType = b.scaling.type;
    e.scalerValue = b.scaling.type === 'QUEUE_DELAY' ? b.scaling.queueDelay : b.scaling.requestCount;
  }
  if (b.timeout !== undefined) e.executionTimeoutMs = b.timeout;
  if (b.networkVolumes) {
    const [first, ...rest] = b.networkVolumes;
    delete e.networkVolumeId;
    delete e.networkVolumeIds;
    if (first !== undefined) e.networkVolumeId = first;
    if (rest.length) e.networkVolumeIds = rest.map((networkVolumeId) => ({ networkVolumeId }));
  }
  if (b.dataCenterIds) {
    for (const dc of b.dataCenterIds)
      if (!dataCenterSpec(dc)) throw problem(400, `Unknown data center: ${dc}`);
    e.locations = b.dataCenterIds.join(',');
  }
  if (b.flashboot !== undefined) e.flashBootType = b.flashboot;
  if (b.env) e.env = Object.entries(b.env).map(([key, value]) => ({ key, value }));
  if (e.templateId === undefined && b.image !== undefined) {
    e.template = {
      name: `${e.name}-image`,
      imageName: b.image,
      containerDiskInGb: b.disk ?? 20,
      dockerArgs: b.args ?? '',
      env: [],
    };
  }
  return e;
}

/** The stored endpoint as a full saveEndpoint input, so a PATCH changes only what it names. */
function endpointInputOf(e: EndpointRecord): EndpointInput {
  const input: EndpointInput = {
    id: e.id,
    name: e.name,
    templateId: e.templateId,
    gpuCount: e.gpuCount,
    workersMin: e.workersMin,
    workersMax: e.workersMax,
    idleTimeout: e.idleTimeout,
    scalerValue: e.scalerValue,
    env: e.env,
  };
  const optional = {
    type: e.type,
    gpuIds: e.gpuIds,
    scalerType: e.scalerType,
    executionTimeoutMs: e.executionTimeoutMs,
    locations: e.locations,
    networkVolumeId: e.networkVolumeId,
    flashBootType: e.flashBootType,
    minCudaVersion: e.minCudaVersion,
  };
  for (const [k, v] of Object.entries(optional))
    if (v !== null) (input as unknown as Record<string, unknown>)[k] = v;
  if (e.networkVolumeIds?.length)
    input.networkVolumeIds = e.networkVolumeIds.map((networkVolumeId) => ({ networkVolumeId }));
  return input;
}

const BUCKETS: readonly BucketSize[] = ['hour', 'day', 'week', 'month', 'year'];

interface Window {
  startMs: number;
  endMs: number;
  bucketSize: BucketSize;
}

function billingWindow(s: TwinState, q: URLSearchParams): Window {
  const size = (q.get('bucketSize') ?? 'day') as BucketSize;
  if (!BUCKETS.includes(size)) throw problem(400, `bucketSize must be one of ${BUCKETS.join(', ')}`);
  const lastN = q.get('lastN');
  if (lastN !== null && (q.has('startTime') || q.has('endTime')))
    throw problem(400, 'lastN is mutually exclusive with startTime/endTime');
  const now = s.nowMs;
  if (lastN !== null) {
    const n = Number(lastN);
    if (!Number.isInteger(n) || n < 1) throw problem(400, 'lastN must be a positive integer');
    let start = bucketStart(now, size);
    for (let i = 1; i < n; i++) start = bucketStart(start - 1, size);
    return { startMs: start, endMs: bucketEnd(bucketStart(now, size), size), bucketSize: size };
  }
  const time = (name: string, fallback: number) => {
    const v = q.get(name);
    if (v === null) return fallback;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw problem(400, `${name} must be an RFC 3339 date-time`);
    return ms;
  };
  const startMs = bucketStart(time('startTime', now - 30 * 86_400_000), size);
  const endRaw = time('endTime', now);
  const endStart = bucketStart(endRaw, size);
  const endMs = endStart === endRaw ? endRaw : bucketEnd(endStart, size);
  if (endMs <= startMs) throw problem(400, 'endTime must be after startTime');
  return { startMs, endMs, bucketSize: size };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const money = (n: number) => Math.round(n * 1e6) / 1e6;

/** Sums hourly rows into the window's buckets: one record per resource per bucket with a charge. */
function buckets<T>(
  rows: Map<string, Map<number, T>>,
  w: Window,
  only: string | null,
  add: (into: T | undefined, row: T) => T,
): { id: string; start: number; amount: T }[] {
  const out: { id: string; start: number; amount: T }[] = [];
  for (const [id, hours] of rows) {
    if (only !== null && id !== only) continue;
    const byBucket = new Map<number, T>();
    for (const [hour, row] of hours) {
      if (hour < w.startMs || hour >= w.endMs) continue;
      const b = bucketStart(hour, w.bucketSize);
      byBucket.set(b, add(byBucket.get(b), row));
    }
    for (const [start, amount] of [...byBucket].sort((a, b) => a[0] - b[0])) out.push({ id, start, amount });
  }
  return out.sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
}

function podBilling(s: TwinState, r: V2Request): V2Result {
  const w = billingWindow(s, r.query);
  const podId = r.query.get('podId');
  const recs = buckets(s.ledger.pods, w, podId, (a, b) => ({
    gpu: (a?.gpu ?? 0) + b.gpu,
    disk: (a?.disk ?? 0) + b.disk,
  }));
  const amounts = (gpu: number, disk: number) => ({
    totalAmount: money(gpu + disk),
    gpuAmount: money(gpu),
    cpuAmount: 0,
    diskAmount: money(disk),
  });
  const records = recs.map((x) => ({
    startTime: iso(x.start),
    endTime: iso(bucketEnd(x.start, w.bucketSize)),
    podId: x.id,
    ...amounts(x.amount.gpu, x.amount.disk),
  }));
  const gpu = recs.reduce((t, x) => t + x.amount.gpu, 0);
  const disk = recs.reduce((t, x) => t + x.amount.disk, 0);
  return ok({
    records,
    metadata: {
      query: { startTime: iso(w.startMs), endTime: iso(w.endMs), bucketSize: w.bucketSize, podId },
      recordCount: records.length,
      uniquePodCount: new Set(recs.map((x) => x.id)).size,
      totals: amounts(gpu, disk),
    },
  });
}

function volumeBilling(s: TwinState, r: V2Request): V2Result {
  const w = billingWindow(s, r.query);
  const volumeId = r.query.get('networkVolumeId');
  const recs = buckets(s.ledger.volumes, w, volumeId, (a, b) => (a ?? 0) + b);
  const amounts = (standard: number) => ({
    totalAmount: money(standard),
    standardAmount: money(standard),
    highPerformanceAmount: 0,
  });
  const records = recs.map((x) => ({
    startTime: iso(x.start),
    endTime: iso(bucketEnd(x.start, w.bucketSize)),
    networkVolumeId: x.id,
    ...amounts(x.amount),
  }));
  return ok({
    records,
    metadata: {
      query: {
        startTime: iso(w.startMs),
        endTime: iso(w.endMs),
        bucketSize: w.bucketSize,
        networkVolumeId: volumeId,
      },
      recordCount: records.length,
      uniqueNetworkVolumeCount: new Set(recs.map((x) => x.id)).size,
      totals: amounts(recs.reduce((t, x) => t + x.amount, 0)),
    },
  });
}

function listValues(q: URLSearchParams, name: string): string[] {
  return q
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function listGpus(s: TwinState, r: V2Request): V2Result {
  const include = listValues(r.query, 'include');
  const product = listValues(r.query, 'product');
  const availability = include.includes('AVAILABILITY');
  if (availability !== product.length > 0)
    throw problem(400, 'product is required with include=AVAILABILITY, and valid only with it');
  const count = Number(r.query.get('count') ?? '1');
  if (!Number.isInteger(count) || count < 1) throw problem(400, 'count must be an integer >= 1');
  const cloud = r.query.get('cloud');
  if (cloud !== null && cloud !== 'SECURE' && cloud !== 'COMMUNITY')
    throw problem(400, 'cloud must be SECURE or COMMUNITY');
  const q = { availability, count, cloud: cloud ?? undefined } as const;
  return ok({ gpus: GPU_SPECS.map((g) => gpuV2(g, s, q)) });
}

function podLogs(s: TwinState, r: V2Request): V2Result {
  const p = pod(s, r.params.id ?? '');
  const tail = Number(r.query.get('tail') ?? '100');
  if (!Number.isInteger(tail) || tail < 0 || tail > 5000)
    throw problem(400, 'tail must be an integer from 0 to 5000');
  const source = r.query.get('source');
  if (source !== null && source !== 'container' && source !== 'system')
    throw problem(400, 'source must be container or system');
  return { status: 200, sse: podLogLines(p, s.nowMs, tail, source ?? undefined) };
}

const endpoint = (s: TwinState, id: string) => {
  const e = s.endpoints.get(id);
  if (!e) throw problem(404, MSG.endpointNotFound(id));
  return e;
};

export const V2_ROUTES: readonly V2Route[] = [
  {
    method: 'GET',
    path: '/v2/pods',
    operationId: 'listPods',
    handler: (s) => ok({ pods: [...s.pods.values()].map((p) => podV2(p, s)) }),
  },
  { method: 'POST', path: '/v2/pods', operationId: 'createPod', handler: createPodV2 },
  {
    method: 'GET',
    path: '/v2/pods/{id}',
    operationId: 'getPod',
    handler: (s, r) => ok(podV2(pod(s, r.params.id ?? ''), s)),
  },
  {
    method: 'DELETE',
    path: '/v2/pods/{id}',
    operationId: 'deletePod',
    handler: (s, r) => {
      terminatePod(s, pod(s, r.params.id ?? '').id);
      return { status: 204 };
    },
  },
  { method: 'POST', path: '/v2/pods/{id}/action', operationId: 'podAction', handler: podAction },
  { method: 'GET', path: '/v2/pods/{id}/logs', operationId: 'getPodLogs', handler: podLogs },
  {
    method: 'GET',
    path: '/v2/network-volumes',
    operationId: 'listNetworkVolumes',
    handler: (s) => ok({ networkVolumes: [...s.volumes.values()].map(volumeV2) }),
  },
  {
    method: 'POST',
    path: '/v2/network-volumes',
    operationId: 'createNetworkVolume',
    handler: (s, r) => {
      const b = parse(CreateVolumeBody, r.body);
      const input = {
        name: b.name,
        size: b.size,
        dataCenterId: b.dataCenter,
        isNextGenStorage: b.type === 'HIGH_PERFORMANCE',
      };
      return ok(volumeV2(createVolume(s, input)), 201);
    },
  },
  {
    method: 'GET',
    path: '/v2/network-volumes/{id}',
    operationId: 'getNetworkVolume',
    handler: (s, r) => {
      const v = s.volumes.get(r.params.id ?? '');
      if (!v) throw problem(404, MSG.volumeNotFound(r.params.id ?? ''));
      return ok(volumeV2(v));
    },
  },
  {
    method: 'PATCH',
    path: '/v2/network-volumes/{id}',
    operationId: 'updateNetworkVolume',
    handler: (s, r) => {
      const b = parse(UpdateVolumeBody, r.body);
      const input: { id: string; name?: string; size?: number } = { id: r.params.id ?? '' };
      if (b.name !== undefined) input.name = b.name;
      if (b.size !== undefined) input.size = b.size;
      return ok(volumeV2(updateVolume(s, input)));
    },
  },
  {
    method: 'DELETE',
    path: '/v2/network-volumes/{id}',
    operationId: 'deleteNetworkVolume',
    handler: (s, r) => {
      deleteVolume(s, r.params.id ?? '');
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/v2/serverless',
    operationId: 'listEndpoints',
    handler: (s) => ok({ endpoints: [...s.endpoints.values()].map((e) => endpointV2(e, s)) }),
  },
  {
    method: 'POST',
    path: '/v2/serverless',
    operationId: 'createEndpoint',
    handler: (s, r) => {
      const b = parse(CreateEndpointBody, r.body);
      const input = endpointFromBody(b, { name: b.name, type: b.type === 'QUEUE' ? 'QB' : 'LB' });
      return ok(endpointV2(saveEndpoint(s, input), s), 201);
    },
  },
  {
    method: 'GET',
    path: '/v2/serverless/{id}',
    operationId: 'getEndpoint',
    handler: (s, r) => ok(endpointV2(endpoint(s, r.params.id ?? ''), s)),
  },
  {
    method: 'PATCH',
    path: '/v2/serverless/{id}',
    operationId: 'updateEndpoint',
    handler: (s, r) => {
      const b = parse(UpdateEndpointBody, r.body);
      const current = endpoint(s, r.params.id ?? '');
      return ok(endpointV2(saveEndpoint(s, endpointFromBody(b, endpointInputOf(current))), s));
    },
  },
  {
    method: 'DELETE',
    path: '/v2/serverless/{id}',
    operationId: 'deleteEndpoint',
    handler: (s, r) => {
      deleteEndpoint(s, endpoint(s, r.params.id ?? '').id);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/v2/templates',
    operationId: 'listTemplates',
    handler: (s) => ok({ templates: [...s.templates.values()].filter((t) => t.owned).map(templateV2) }),
  },
  { method: 'GET', path: '/v2/catalog/gpus', operationId: 'listGpuTypes', handler: listGpus },
  {
    method: 'GET',
    path: '/v2/catalog/datacenters',
    operationId: 'listDataCenters',
    handler: (s, r) => {
      const withGpus = listValues(r.query, 'include').includes('GPU_AVAILABILITY');
      return ok({ dataCenters: listedDataCenters().map((d) => dataCenterV2(d, s, withGpus)) });
    },
  },
  { method: 'GET', path: '/v2/billing/pods', operationId: 'listPodBilling', handler: podBilling },
  {
    method: 'GET',
    path: '/v2/billing/network-volumes',
    operationId: 'listNetworkVolumeBilling',
    handler: volumeBilling,
  },
];

/** The route for a method and path, with its path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: V2Route; params: Record<string, string> } | 'method' | null {
  let pathMatched = false;
  for (const route of V2_ROUTES) {
    const names: string[] = [];
    const re = new RegExp(
      `^${route.path.replace(/\{(\w+)\}/g, (_m, n: string) => {
        names.push(n);
        return '([^/]+)';
      })}$`,
    );
    const m = re.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.method !== method) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1] ?? '');
    });
    return { route, params };
  }
  return pathMatched ? 'method' : null;
}
