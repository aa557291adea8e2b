// The RunpodApi port over RunPod's REST v2. Reads retry (../retry.ts); mutations follow
// ../mutate.ts like the GraphQL adapter. What v2 does not have (balance, spot) fails with
// NeedsGraphqlError, a plain sentence, never a crash.
import type { Logger } from '../../logger.ts';
import { NeedsGraphqlError } from '../../services/billing.ts';
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
} from '../../services/domain.ts';
import { PodbayError } from '../../services/errors.ts';
import type {
  BillingHistory,
  BillingQuery,
  GpuOfferQuery,
  PodLogLine,
  RunpodApi,
} from '../../services/ports.ts';
import { notFound } from '../errors.ts';
import { findPodByName, isReconciledPod, mutateOnce, unknownCreateHint, validateSpec } from '../mutate.ts';
import { type ListResult, parseList, parseOne } from '../parse.ts';
import { type RetryPolicy, withRetry } from '../retry.ts';
import { readLogTail } from './logs.ts';
import type { components, paths } from './openapi.d.ts';
import {
  DataCenterSchema,
  DataCentersEnvelope,
  EndpointSchema,
  EndpointsEnvelope,
  envelope,
  GpusEnvelope,
  GpuTypeSchema,
  PodSchema,
  PodsEnvelope,
  TemplateSchema,
  TemplatesEnvelope,
  toBilling,
  toDataCenter,
  toEndpoint,
  toGpuOffer,
  toPod,
  toTemplate,
  toVolume,
  VolumeSchema,
  VolumesEnvelope,
} from './parse.ts';
import type { V2Client, V2Transport } from './transport.ts';

type S = components['schemas'];
type Call = (c: V2Client) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

export interface V2ClientOptions {
  transport: V2Transport;
  retry: RetryPolicy;
  logger: Logger;
  reconcileLookups?: number;
  reconcileDelayMs?: number;
  /** How long a log stream may stay quiet before the backfill counts as complete. */
  logQuietMs?: number;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class V2RunpodApi implements RunpodApi {
  readonly #t: V2Transport;
  readonly #retry: RetryPolicy;
  readonly #log: Logger;
  readonly #lookups: number;
  readonly #lookupDelayMs: number;
  readonly #logQuietMs: number;

  constructor(opts: V2ClientOptions) {
    this.#t = opts.transport;
    this.#retry = opts.retry;
    this.#log = opts.logger;
    this.#lookups = opts.reconcileLookups ?? 3;
    this.#lookupDelayMs = opts.reconcileDelayMs ?? 1_000;
    this.#logQuietMs = opts.logQuietMs ?? 750;
  }

  #read(op: string, run: Call): Promise<unknown> {
    return withRetry(this.#retry, () => this.#t.call(op, run));
  }

  #kept<T>(r: ListResult<T>, what: string): T[] {
    if (r.skipped.length) {
      this.#log.warn({ what, skipped: r.skipped.length, first: r.skipped[0] }, 'skipped unreadable items');
    }
    return r.items;
  }

  // ---- reads -------------------------------------------------------------

  async account(): Promise<Account> {
    throw new NeedsGraphqlError('balance');
  }

  async listPods(): Promise<Pod[]> {
    const data = envelope(
      PodsEnvelope,
      await this.#read('listPods', (c) => c.GET('/v2/pods')),
      'the pod list',
    );
    return this.#kept(parseList(PodSchema, data.pods, 'the pod list', toPod), 'pods').filter(
      (p) => p.status !== 'TERMINATED',
    );
  }

  async getPod(podId: string): Promise<Pod | null> {
    try {
      const data = await this.#read('getPod', (c) =>
        c.GET('/v2/pods/{id}', { params: { path: { id: podId } } }),
      );
      const pod = toPod(parseOne(PodSchema, data, `pod ${podId}`));
      return pod.status === 'TERMINATED' ? null : pod;
    } catch (e) {
      if (e instanceof PodbayError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  async gpuOffers(query: GpuOfferQuery): Promise<GpuOffer[]> {
    const q: NonNullable<paths['/v2/catalog/gpus']['get']['parameters']['query']> = {
      include: ['AVAILABILITY'],
      product: ['POD'],
      count: query.gpuCount,
    };
    if (query.secureCloud !== undefined) q.cloud = query.secureCloud ? 'SECURE' : 'COMMUNITY';
    const data = envelope(
      GpusEnvelope,
      await this.#read('listGpuTypes', (c) => c.GET('/v2/catalog/gpus', { params: { query: q } })),
      'the GPU list',
    );
    const wanted = query.ids?.length ? new Set(query.ids) : null;
    const offers = this.#kept(
      parseList(GpuTypeSchema, data.gpus, 'the GPU list', toGpuOffer(query.gpuCount, query.secureCloud)),
      'gpus',
    );
    return wanted ? offers.filter((o) => wanted.has(o.id)) : offers;
  }

  async dataCenters(): Promise<DataCenter[]> {
    const data = envelope(
      DataCentersEnvelope,
      await this.#read('listDataCenters', (c) =>
        c.GET('/v2/catalog/datacenters', { params: { query: { include: ['GPU_AVAILABILITY'] } } }),
      ),
      'the data center list',
    );
    return this.#kept(
      parseList(DataCenterSchema, data.dataCenters, 'the data center list', toDataCenter),
      'dcs',
    );
  }

  async listVolumes(): Promise<NetworkVolume[]> {
    const data = envelope(
      VolumesEnvelope,
      await this.#read('listNetworkVolumes', (c) => c.GET('/v2/network-volumes')),
      'the volume list',
    );
    return this.#kept(parseList(VolumeSchema, data.networkVolumes, 'the volume list', toVolume), 'volumes');
  }

  async listEndpoints(): Promise<Endpoint[]> {
    const data = envelope(
      EndpointsEnvelope,
      await this.#read('listEndpoints', (c) => c.GET('/v2/serverless')),
      'the endpoint list',
    );
    return this.#kept(
      parseList(EndpointSchema, data.endpoints, 'the endpoint list', (e) => toEndpoint(e)),
      'endpoints',
    );
  }

  async listTemplates(): Promise<Template[]> {
    const data = envelope(
      TemplatesEnvelope,
      await this.#read('listTemplates', (c) => c.GET('/v2/templates')),
      'the template list',
    );
    return this.#kept(
      parseList(TemplateSchema, data.templates, 'the template list', toTemplate),
      'templates',
    );
  }

  async billingHistory(query: BillingQuery): Promise<BillingHistory> {
    const q = { startTime: iso(query.start), endTime: iso(query.end), bucketSize: query.bucket };
    const [pods, volumes] = await Promise.all([
      this.#read('listPodBilling', (c) => c.GET('/v2/billing/pods', { params: { query: q } })),
      this.#read('listNetworkVolumeBilling', (c) =>
        c.GET('/v2/billing/network-volumes', { params: { query: q } }),
      ),
    ]);
    return toBilling(pods, volumes);
  }

  /** Running pods' cost plus each network volume's last full hour of billing. */
  async spendRate(): Promise<number> {
    const [pods, volumes] = await Promise.all([
      this.listPods(),
      this.#read('listNetworkVolumeBilling', (c) =>
        c.GET('/v2/billing/network-volumes', { params: { query: { bucketSize: 'hour', lastN: 2 } } }),
      ),
    ]);
    const podsPerHr = pods.filter((p) => p.status === 'RUNNING').reduce((t, p) => t + p.costPerHr, 0);
    const history = toBilling({ records: [] }, volumes).volumes;
    // The older of the two buckets is the last complete hour; the newer one is still filling.
    const first = history.map((r) => r.start).sort()[0];
    const volumesPerHr = history.filter((r) => r.start === first).reduce((t, r) => t + r.totalUsd, 0);
    return Math.round((podsPerHr + volumesPerHr) * 10_000) / 10_000;
  }

  async podLogs(podId: string, opts: { lines: number }): Promise<PodLogLine[]> {
    const lines = Math.max(1, Math.min(5000, Math.floor(opts.lines)));
    const controller = new AbortController();
    try {
      const stream = await this.#read('getPodLogs', (c) =>
        c.GET('/v2/pods/{id}/logs', {
          params: { path: { id: podId }, query: { tail: lines, source: 'container' } },
          parseAs: 'stream',
          signal: controller.signal,
        }),
      );
      if (!(stream instanceof ReadableStream)) return [];
      return await readLogTail(stream, { max: lines, quietMs: this.#logQuietMs });
    } finally {
      // The stream stays open for live lines; podbay only wants the backfill.
      controller.abort();
    }
  }

  // ---- mutations ---------------------------------------------------------

  #mutate<T>(
    op: string,
    run: Call,
    opts: { verify?: () => Promise<T | undefined>; what: string; unknownHint: string },
  ): Promise<T> {
    return mutateOnce(this.#retry, this.#log, () => this.#t.call(op, run) as Promise<T>, { op, ...opts });
  }

  async createPod(spec: PodSpec): Promise<Pod> {
    validateSpec(spec);
    if (spec.kind === 'spot') throw new NeedsGraphqlError('spot');
    // v2 takes one GPU type and one cloud per create; a capacity refusal means RunPod did
    // nothing, so the next choice is safe to try.
    const clouds: ('SECURE' | 'COMMUNITY' | undefined)[] =
      spec.cloudType === 'ALL' ? ['SECURE', 'COMMUNITY'] : [spec.cloudType];
    let last: unknown;
    for (const gpuTypeId of spec.gpuTypeIds) {
      for (const cloud of clouds) {
        try {
          return await this.#createOne(spec, gpuTypeId, cloud);
        } catch (e) {
          last = e;
          if (!(e instanceof PodbayError) || e.code !== 'NO_CAPACITY') throw e;
        }
      }
    }
    throw last;
  }

  async #createOne(
    spec: PodSpec,
    gpuTypeId: string,
    cloud: 'SECURE' | 'COMMUNITY' | undefined,
  ): Promise<Pod> {
    const body = this.#t.body(createPodBody(spec, gpuTypeId, cloud), 'createPod');
    const data = await this.#mutate<unknown>('createPod', (c) => c.POST('/v2/pods', { body }), {
      what: `creating pod "${spec.name}"`,
      unknownHint: unknownCreateHint(spec.name),
      verify: () =>
        findPodByName(spec.name, {
          lookups: this.#lookups,
          delayMs: this.#lookupDelayMs,
          sleep: this.#retry.sleep,
          log: this.#log,
          listNames: () => this.listPods(),
          getPod: (id) => this.getPod(id),
        }),
    });
    if (isReconciledPod(data)) return data;
    return toPod(parseOne(PodSchema, data, 'the new pod'));
  }

  /** A pod action; a conflict with the state already asked for counts as done (like GraphQL's no-op). */
  async #action(podId: string, action: 'stop' | 'start', done: (p: Pod | null) => boolean): Promise<void> {
    const verify = async () => (done(await this.getPod(podId)) ? true : undefined);
    try {
      await this.#mutate(
        'podAction',
        (c) => c.POST('/v2/pods/{id}/action', { params: { path: { id: podId } }, body: { action } }),
        {
          what: `${action === 'stop' ? 'stopping' : 'resuming'} pod ${podId}`,
          unknownHint: `Check the pod with /pod status ${podId} in a moment.`,
          verify,
        },
      );
    } catch (e) {
      if (e instanceof PodbayError && e.code === 'CONFLICT' && (await verify().catch(() => undefined)))
        return;
      throw e;
    }
  }

  async stopPod(podId: string): Promise<void> {
    await this.#action(podId, 'stop', (p) => p?.status === 'EXITED');
  }

  async resumePod(podId: string, opts: ResumeOptions): Promise<void> {
    if (opts.kind === 'spot') throw new NeedsGraphqlError('spot');
    await this.#action(podId, 'start', (p) => p?.status === 'RUNNING');
  }

  async terminatePod(podId: string): Promise<void> {
    await this.#mutate('deletePod', (c) => c.DELETE('/v2/pods/{id}', { params: { path: { id: podId } } }), {
      what: `terminating pod ${podId}`,
      unknownHint: `Check with /pod status ${podId}; terminate again if it is still there.`,
      verify: async () => ((await this.getPod(podId)) === null ? true : undefined),
    });
  }

  async createVolume(input: { name: string; sizeGb: number; dataCenterId: string }): Promise<NetworkVolume> {
    const body = { name: input.name, size: input.sizeGb, dataCenter: input.dataCenterId };
    const data = await this.#mutate<unknown>(
      'createNetworkVolume',
      (c) => c.POST('/v2/network-volumes', { body }),
      {
        what: `creating volume "${input.name}"`,
        unknownHint: 'List volumes (/volume list) before creating it again, so you do not pay for two.',
      },
    );
    return toVolume(parseOne(VolumeSchema, data, 'the new volume'));
  }

  async updateVolume(input: { id: string; name?: string; sizeGb?: number }): Promise<NetworkVolume> {
    const body: S['UpdateNetworkVolumeRequest'] = {};
    if (input.name !== undefined) body.name = input.name;
    if (input.sizeGb !== undefined) body.size = input.sizeGb;
    const matches = (v: NetworkVolume) =>
      v.id === input.id &&
      (input.name === undefined || v.name === input.name) &&
      (input.sizeGb === undefined || v.sizeGb === input.sizeGb);
    const data = await this.#mutate<unknown>(
      'updateNetworkVolume',
      (c) => c.PATCH('/v2/network-volumes/{id}', { params: { path: { id: input.id } }, body }),
      {
        what: `updating volume ${input.id}`,
        unknownHint: 'Check it with /volume list.',
        verify: async () => (await this.listVolumes()).find(matches),
      },
    );
    if (isVolume(data)) return data;
    return toVolume(parseOne(VolumeSchema, data, 'the updated volume'));
  }

  async deleteVolume(volumeId: string): Promise<void> {
    await this.#mutate(
      'deleteNetworkVolume',
      (c) => c.DELETE('/v2/network-volumes/{id}', { params: { path: { id: volumeId } } }),
      {
        what: `deleting volume ${volumeId}`,
        unknownHint: 'Check it with /volume list.',
        verify: async () => ((await this.listVolumes()).some((v) => v.id === volumeId) ? undefined : true),
      },
    );
  }

  async createEndpoint(config: EndpointConfig): Promise<Endpoint> {
    const body = this.#t.body(createEndpointBody(config), 'createEndpoint');
    const data = await this.#mutate<unknown>('createEndpoint', (c) => c.POST('/v2/serverless', { body }), {
      what: `creating endpoint "${config.name}"`,
      unknownHint: 'List endpoints (/endpoint list) before creating it again.',
    });
    return toEndpoint(parseOne(EndpointSchema, data, 'the new endpoint'), config.templateId);
  }

  async updateEndpoint(endpointId: string, change: Partial<EndpointConfig>): Promise<Endpoint> {
    // v2 PATCH changes only what it is sent, but workers and scaling travel as whole objects.
    const currentRaw = await this.#read('getEndpoint', (c) =>
      c.GET('/v2/serverless/{id}', { params: { path: { id: endpointId } } }),
    ).catch((e: unknown) => {
      if (e instanceof PodbayError && e.code === 'NOT_FOUND') throw notFound(`endpoint ${endpointId}`);
      throw e;
    });
    const current = toEndpoint(parseOne(EndpointSchema, currentRaw, `endpoint ${endpointId}`));
    const body = this.#t.body(updateEndpointBody({ ...current, ...change }, change), 'updateEndpoint');
    const data = await this.#mutate<unknown>(
      'updateEndpoint',
      (c) => c.PATCH('/v2/serverless/{id}', { params: { path: { id: endpointId } }, body }),
      { what: `updating endpoint ${endpointId}`, unknownHint: 'Check it with /endpoint list.' },
    );
    return toEndpoint(parseOne(EndpointSchema, data, 'the updated endpoint'), change.templateId ?? '');
  }

  async deleteEndpoint(endpointId: string): Promise<void> {
    await this.#mutate(
      'deleteEndpoint',
      (c) => c.DELETE('/v2/serverless/{id}', { params: { path: { id: endpointId } } }),
      {
        what: `deleting endpoint ${endpointId}`,
        unknownHint: 'Check it with /endpoint list.',
        verify: async () =>
          (await this.listEndpoints()).some((e) => e.id === endpointId) ? undefined : true,
      },
    );
  }
}

function isVolume(x: unknown): x is NetworkVolume {
  return typeof x === 'object' && x !== null && 'sizeGb' in x;
}

export function createPodBody(
  spec: PodSpec,
  gpuTypeId: string,
  cloud: 'SECURE' | 'COMMUNITY' | undefined,
): S['CreatePodRequest'] {
  const body: S['CreatePodRequest'] = { name: spec.name, gpu: { id: gpuTypeId, count: spec.gpuCount } };
  if (spec.imageName) body.image = spec.imageName;
  if (spec.templateId) body.templateId = spec.templateId;
  if (cloud) body.cloud = cloud;
  if (spec.dataCenterId) body.dataCenterIds = [spec.dataCenterId];
  if (spec.containerDiskInGb !== undefined) body.disk = spec.containerDiskInGb;
  if (spec.dockerArgs) body.args = spec.dockerArgs;
  if (spec.ports)
    body.ports = spec.ports
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
  if (spec.env?.length) body.env = Object.fromEntries(spec.env.map((e) => [e.key, e.value]));
  if (spec.startSsh !== undefined) body.startSsh = spec.startSsh;
  const path = spec.volumeMountPath ?? '/workspace';
  if (spec.networkVolumeId) body.mounts = { network: [{ volumeId: spec.networkVolumeId, path }] };
  else if (spec.volumeInGb !== undefined && spec.volumeInGb > 0) {
    if (spec.volumeInGb < 10)
      throw new PodbayError(
        'INVALID_REQUEST',
        'RunPod’s REST API needs a pod volume of at least 10 GB (or none).',
      );
    body.mounts = { persistent: { size: spec.volumeInGb, path } };
  }
  return body;
}

function scaling(c: EndpointConfig): S['EndpointScaling'] {
  return c.scalerType === 'REQUEST_COUNT'
    ? { type: 'REQUEST_COUNT', requestCount: Math.max(1, Math.round(c.scalerValue)) }
    : { type: 'QUEUE_DELAY', queueDelay: Math.max(0.5, c.scalerValue) };
}

/** idleTimeout does not apply to a queue endpoint scaling on request count (v2 refuses it there). */
function workers(c: EndpointConfig): S['EndpointWorkers'] {
  const w: S['EndpointWorkers'] = { min: c.workersMin, max: c.workersMax };
  if (c.scalerType !== 'REQUEST_COUNT') w.idleTimeout = c.idleTimeoutSec;
  return w;
}

const dataCenterIds = (locations: string | null) =>
  (locations ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => /^[A-Z]{2,3}-[A-Z]{2,4}-\d+$/.test(x));

export function createEndpointBody(c: EndpointConfig): S['CreateEndpointRequest'] {
  const body: S['CreateEndpointRequest'] = {
    name: c.name,
    type: 'QUEUE',
    templateId: c.templateId,
    gpu: { pools: c.gpuPoolIds, count: c.gpuCount },
    workers: workers(c),
    scaling: scaling(c),
    flashboot: c.flashBoot ? 'FLASHBOOT' : 'OFF',
  };
  if (c.networkVolumeId) body.networkVolumes = [c.networkVolumeId];
  if (c.executionTimeoutMs !== null) body.timeout = c.executionTimeoutMs;
  const dcs = dataCenterIds(c.locations);
  if (dcs.length) body.dataCenterIds = dcs;
  return body;
}

/** Only the groups the change touches; each group complete, from the merged configuration. */
export function updateEndpointBody(
  merged: EndpointConfig,
  change: Partial<EndpointConfig>,
): S['UpdateEndpointRequest'] {
  const body: S['UpdateEndpointRequest'] = {};
  const has = (...keys: (keyof EndpointConfig)[]) => keys.some((k) => change[k] !== undefined);
  if (has('name')) body.name = merged.name;
  if (has('templateId') && merged.templateId) body.templateId = merged.templateId;
  if (has('gpuPoolIds', 'gpuCount')) body.gpu = { pools: merged.gpuPoolIds, count: merged.gpuCount };
  if (has('workersMin', 'workersMax', 'idleTimeoutSec', 'scalerType')) body.workers = workers(merged);
  if (has('scalerType', 'scalerValue')) body.scaling = scaling(merged);
  if (has('networkVolumeId')) body.networkVolumes = merged.networkVolumeId ? [merged.networkVolumeId] : [];
  if (has('executionTimeoutMs') && merged.executionTimeoutMs !== null)
    body.timeout = merged.executionTimeoutMs;
  if (has('locations')) body.dataCenterIds = dataCenterIds(merged.locations);
  if (has('flashBoot')) body.flashboot = merged.flashBoot ? 'FLASHBOOT' : 'OFF';
  return body;
}
