// The RunpodApi port over RunPod's GraphQL API.
// Reads retry (retry.ts). Mutations follow mutate.ts: never retried blindly, read back when the
// outcome is unknown, and a pod create is reconciled by its unique name.
import type { Logger } from '../logger.ts';
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
} from '../services/domain.ts';
import { PodbayError } from '../services/errors.ts';
import type { GpuOfferQuery, RunpodApi } from '../services/ports.ts';
import type { DocumentName } from './documents.ts';
import { notFound } from './errors.ts';
import { endpointInput, mergeEndpoint, type RawEndpointForUpdate } from './endpoint-input.ts';
import { compact } from './inputs.ts';
import {
  AccountSchema,
  DataCenterSchema,
  EndpointSchema,
  GpuTypeSchema,
  type ListResult,
  PodSchema,
  parseList,
  parseOne,
  TemplateSchema,
  toAccount,
  toDataCenter,
  toEndpoint,
  toGpuOffer,
  toPod,
  toTemplate,
  toVolume,
  VolumeSchema,
} from './parse.ts';
import { findPodByName, isReconciledPod, mutateOnce, unknownCreateHint, validateSpec } from './mutate.ts';
import { type RetryPolicy, withRetry } from './retry.ts';
import type { GraphqlTransport, Variables } from './transport.ts';

export interface ClientOptions {
  transport: GraphqlTransport;
  retry: RetryPolicy;
  logger: Logger;
  /** How many times, and how far apart, to look for a pod after an ambiguous create. */
  reconcileLookups?: number;
  reconcileDelayMs?: number;
}

export class GraphqlRunpodApi implements RunpodApi {
  readonly #t: GraphqlTransport;
  readonly #retry: RetryPolicy;
  readonly #log: Logger;
  readonly #lookups: number;
  readonly #lookupDelayMs: number;

  constructor(opts: ClientOptions) {
    this.#t = opts.transport;
    this.#retry = opts.retry;
    this.#log = opts.logger;
    this.#lookups = opts.reconcileLookups ?? 3;
    this.#lookupDelayMs = opts.reconcileDelayMs ?? 1_000;
  }

  // ---- reads -------------------------------------------------------------

  #read<T>(name: DocumentName, variables?: Variables): Promise<T> {
    return withRetry(this.#retry, () => this.#t.send<T>(name, variables));
  }

  async account(): Promise<Account> {
    return toAccount(parseOne(AccountSchema, await this.#read('account'), 'account details'));
  }

  async listPods(): Promise<Pod[]> {
    const data = await this.#read<{ myself: { pods: unknown } | null }>('listPods');
    return this.#kept(parseList(PodSchema, data.myself?.pods, 'the pod list', toPod), 'pods');
  }

  /** Ids of the spot (interruptible) pods, from a query that reads nothing else. */
  async spotPodIds(): Promise<Set<string>> {
    const data = await this.#read<{
      myself: { pods: ({ id: string; podType: string | null } | null)[] | null } | null;
    }>('podTypes');
    return new Set(
      (data.myself?.pods ?? []).flatMap((p) => (p && p.podType === 'INTERRUPTABLE' ? [p.id] : [])),
    );
  }

  async getPod(podId: string): Promise<Pod | null> {
    try {
      const data = await this.#read<{ pod: unknown }>('getPod', { podId });
      if (data.pod === null || data.pod === undefined) return null;
      const pod = toPod(parseOne(PodSchema, data.pod, `pod ${podId}`));
      return pod.status === 'TERMINATED' ? null : pod;
    } catch (e) {
      if (e instanceof PodbayError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
  }

  async gpuOffers(query: GpuOfferQuery): Promise<GpuOffer[]> {
    const variables = compact({
      filter: query.ids?.length ? { ids: query.ids } : undefined,
      lowest: { gpuCount: query.gpuCount, secureCloud: query.secureCloud, dataCenterId: query.dataCenterId },
    });
    const data = await this.#read<{ gpuTypes: unknown }>('gpuOffers', variables);
    return this.#kept(
      parseList(GpuTypeSchema, data.gpuTypes, 'the GPU list', toGpuOffer(query.gpuCount)),
      'gpus',
    );
  }

  async dataCenters(opts: { gpuCount?: number } = {}): Promise<DataCenter[]> {
    const data = await this.#read<{ dataCenters: unknown }>('dataCenters', {
      gpu: { gpuCount: opts.gpuCount ?? 1 },
    });
    return this.#kept(
      parseList(DataCenterSchema, data.dataCenters, 'the data center list', toDataCenter),
      'dcs',
    );
  }

  async listVolumes(): Promise<NetworkVolume[]> {
    const data = await this.#read<{ myself: { networkVolumes: unknown } | null }>('listVolumes');
    return this.#kept(
      parseList(VolumeSchema, data.myself?.networkVolumes, 'the volume list', toVolume),
      'volumes',
    );
  }

  async listEndpoints(): Promise<Endpoint[]> {
    const data = await this.#read<{ myself: { endpoints: unknown } | null }>('listEndpoints');
    return this.#kept(
      parseList(EndpointSchema, data.myself?.endpoints, 'the endpoint list', toEndpoint),
      'endpoints',
    );
  }

  async listTemplates(): Promise<Template[]> {
    const data = await this.#read<{ myself: { podTemplates: unknown } | null }>('listTemplates');
    return this.#kept(
      parseList(TemplateSchema, data.myself?.podTemplates, 'the template list', toTemplate),
      'templates',
    );
  }

  #kept<T>(r: ListResult<T>, what: string): T[] {
    if (r.skipped.length) {
      this.#log.warn({ what, skipped: r.skipped.length, first: r.skipped[0] }, 'skipped unreadable items');
    }
    return r.items;
  }

  // ---- mutations ---------------------------------------------------------

  /**
   * Sends a mutation once. A 429 is retried (RunPod did not act). When the outcome is unknown,
   * `verify` reads the state back: a value means the change happened; undefined means podbay
   * cannot tell, and the caller gets OUTCOME_UNKNOWN with `unknownHint`.
   */
  #mutate<T>(
    name: DocumentName,
    variables: Variables,
    opts: { verify?: () => Promise<T | undefined>; what: string; unknownHint: string },
  ): Promise<T> {
    return mutateOnce(this.#retry, this.#log, () => this.#t.send<T>(name, variables), { op: name, ...opts });
  }

  async createPod(spec: PodSpec): Promise<Pod> {
    validateSpec(spec);
    const base = {
      name: spec.name,
      imageName: spec.imageName,
      templateId: spec.templateId,
      gpuCount: spec.gpuCount,
      cloudType: spec.cloudType,
      dataCenterId: spec.dataCenterId,
      containerDiskInGb: spec.containerDiskInGb,
      volumeInGb: spec.volumeInGb,
      volumeMountPath: spec.volumeMountPath,
      networkVolumeId: spec.networkVolumeId,
      env: spec.env?.length ? spec.env.map((e) => ({ key: e.key, value: e.value })) : undefined,
      ports: spec.ports,
      startSsh: spec.startSsh,
      dockerArgs: spec.dockerArgs,
    };
    const what = `creating pod "${spec.name}"`;
    const unknownHint = unknownCreateHint(spec.name);
    const verify = () =>
      findPodByName(spec.name, {
        lookups: this.#lookups,
        delayMs: this.#lookupDelayMs,
        sleep: this.#retry.sleep,
        log: this.#log,
        listNames: async () =>
          (
            (await this.#read<{ myself: { pods: { id: string; name: string }[] | null } | null }>('podNames'))
              .myself?.pods ?? []
          ).filter((p) => p !== null),
        getPod: (id) => this.getPod(id),
      });
    if (spec.kind === 'spot') {
      const input = compact({ ...base, gpuTypeId: spec.gpuTypeIds[0], bidPerGpu: spec.bidPerGpu });
      const data = await this.#mutate<{ podRentInterruptable: unknown } | Pod>(
        'createSpotPod',
        { input },
        { what, unknownHint, verify },
      );
      return this.#createdPod(data, 'podRentInterruptable', spec.name);
    }
    const ids = spec.gpuTypeIds;
    const input = compact({
      ...base,
      gpuTypeId: ids.length === 1 ? ids[0] : undefined,
      gpuTypeIdList: ids.length > 1 ? ids : undefined,
    });
    const data = await this.#mutate<{ podFindAndDeployOnDemand: unknown } | Pod>(
      'createOnDemandPod',
      { input },
      { what, unknownHint, verify },
    );
    return this.#createdPod(data, 'podFindAndDeployOnDemand', spec.name);
  }

  /** The mutation's answer, or (after reconciliation) the pod found by name. */
  #createdPod(data: unknown, field: string, name: string): Pod {
    if (isReconciledPod(data)) return data;
    const raw = (data as Record<string, unknown>)[field];
    if (raw === null || raw === undefined) {
      throw new PodbayError('INVALID_REQUEST', `RunPod did not create pod "${name}" and gave no reason.`, {
        hint: 'Try another GPU type or data center.',
      });
    }
    return toPod(parseOne(PodSchema, raw, 'the new pod'));
  }

  async stopPod(podId: string): Promise<void> {
    await this.#mutate(
      'stopPod',
      { podId },
      {
        what: `stopping pod ${podId}`,
        unknownHint: `Check the pod with /pod status ${podId} in a moment.`,
        verify: async () => ((await this.getPod(podId))?.status === 'EXITED' ? true : undefined),
      },
    );
  }

  async resumePod(podId: string, opts: ResumeOptions): Promise<void> {
    const verify = async () => ((await this.getPod(podId))?.status === 'RUNNING' ? true : undefined);
    const common = {
      what: `resuming pod ${podId}`,
      unknownHint: `Check the pod with /pod status ${podId}.`,
      verify,
    };
    if (opts.kind === 'spot') {
      await this.#mutate(
        'bidResumePod',
        { podId, bidPerGpu: opts.bidPerGpu, gpuCount: opts.gpuCount },
        common,
      );
    } else {
      await this.#mutate('resumePod', { podId, gpuCount: opts.gpuCount }, common);
    }
  }

  async terminatePod(podId: string): Promise<void> {
    await this.#mutate(
      'terminatePod',
      { podId },
      {
        what: `terminating pod ${podId}`,
        unknownHint: `Check with /pod status ${podId}; terminate again if it is still there.`,
        verify: async () => ((await this.getPod(podId)) === null ? true : undefined),
      },
    );
  }

  async createVolume(input: { name: string; sizeGb: number; dataCenterId: string }): Promise<NetworkVolume> {
    const data = await this.#mutate<{ createNetworkVolume: unknown }>(
      'createVolume',
      { input: { name: input.name, size: input.sizeGb, dataCenterId: input.dataCenterId } },
      {
        what: `creating volume "${input.name}"`,
        unknownHint: 'List volumes (/volume list) before creating it again, so you do not pay for two.',
      },
    );
    return toVolume(parseOne(VolumeSchema, data.createNetworkVolume, 'the new volume'));
  }

  async updateVolume(input: { id: string; name?: string; sizeGb?: number }): Promise<NetworkVolume> {
    const matches = (v: NetworkVolume) =>
      (input.name === undefined || v.name === input.name) &&
      (input.sizeGb === undefined || v.sizeGb === input.sizeGb);
    const data = await this.#mutate<{ updateNetworkVolume: unknown } | NetworkVolume>(
      'updateVolume',
      { input: compact({ id: input.id, name: input.name, size: input.sizeGb }) },
      {
        what: `updating volume ${input.id}`,
        unknownHint: 'Check it with /volume list.',
        verify: async () => (await this.listVolumes()).find((v) => v.id === input.id && matches(v)),
      },
    );
    if ('sizeGb' in data) return data;
    const raw = data.updateNetworkVolume;
    if (raw === null || raw === undefined) throw notFound(`network volume ${input.id}`);
    return toVolume(parseOne(VolumeSchema, raw, 'the updated volume'));
  }

  async deleteVolume(volumeId: string): Promise<void> {
    await this.#mutate(
      'deleteVolume',
      { input: { id: volumeId } },
      {
        what: `deleting volume ${volumeId}`,
        unknownHint: 'Check it with /volume list.',
        verify: async () => ((await this.listVolumes()).some((v) => v.id === volumeId) ? undefined : true),
      },
    );
  }

  async createEndpoint(config: EndpointConfig): Promise<Endpoint> {
    const data = await this.#mutate<{ saveEndpoint: unknown }>(
      'saveEndpoint',
      { input: endpointInput(config) },
      {
        what: `creating endpoint "${config.name}"`,
        unknownHint: 'List endpoints (/endpoint list) before creating it again.',
      },
    );
    return toEndpoint(parseOne(EndpointSchema, data.saveEndpoint, 'the new endpoint'));
  }

  async updateEndpoint(endpointId: string, change: Partial<EndpointConfig>): Promise<Endpoint> {
    // saveEndpoint with an id replaces the whole configuration: read everything, change, send all back.
    const data = await this.#read<{ myself: { endpoint: RawEndpointForUpdate | null } | null }>(
      'getEndpointForUpdate',
      { id: endpointId },
    );
    const current = data.myself?.endpoint;
    if (!current) throw notFound(`endpoint ${endpointId}`);
    const saved = await this.#mutate<{ saveEndpoint: unknown }>(
      'saveEndpoint',
      { input: mergeEndpoint(current, change) },
      { what: `updating endpoint ${endpointId}`, unknownHint: 'Check it with /endpoint list.' },
    );
    return toEndpoint(parseOne(EndpointSchema, saved.saveEndpoint, 'the updated endpoint'));
  }

  async deleteEndpoint(endpointId: string): Promise<void> {
    await this.#mutate(
      'deleteEndpoint',
      { id: endpointId },
      {
        what: `deleting endpoint ${endpointId}`,
        unknownHint: 'Check it with /endpoint list.',
        verify: async () =>
          (await this.listEndpoints()).some((e) => e.id === endpointId) ? undefined : true,
      },
    );
  }
}
