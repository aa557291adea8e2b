// Serverless endpoint use cases: list, create, partial update, delete (scaling to zero first), templates.
import { z } from 'zod';
import { recordAudit } from './audit.ts';
import type { Endpoint, EndpointConfig, Template } from './domain.ts';
import { PodbayError } from './errors.ts';
import { authorize, type Guard, type RequestContext, requestIfGated } from './guard.ts';
import type { Requester } from './policy.ts';
import type { Clock, RunpodApi, Store } from './ports.ts';
import { findByRef } from './resolve-by-name.ts';
import { zodProblems } from './validation.ts';

/** What a person gives to create an endpoint; the rest gets RunPod's usual defaults. */
export interface CreateEndpointRequest {
  name: string;
  templateId: string;
  /** Serverless GPU pool ids, e.g. ["AMPERE_48"]; at least one. */
  gpuPoolIds: string[];
  /** Default 1. */
  gpuCount?: number;
  /** Default 0. */
  workersMin?: number;
  /** Default 3. Must be ≥ workersMin. */
  workersMax?: number;
  /** Default 5 s. */
  idleTimeoutSec?: number;
  /** Default QUEUE_DELAY. */
  scalerType?: EndpointConfig['scalerType'];
  /** Default 4. */
  scalerValue?: number;
  networkVolumeId?: string | null;
  locations?: string | null;
  executionTimeoutMs?: number | null;
  /** Default true. */
  flashBoot?: boolean;
}

/** A partial change; fields left out keep their current value. */
export type UpdateEndpointRequest = Partial<Omit<EndpointConfig, 'templateId'>> & { templateId?: string };

export interface EndpointActionResult {
  outcome: 'done' | 'noop' | 'needs-approval';
  message: string;
  endpoint?: Endpoint;
}

export interface EndpointServiceDeps {
  runpod: RunpodApi;
  clock: Clock;
  /** When given, every change is written to the audit log. */
  store?: Store;
  /** Who may do what, and where gated deletes go for approval (default: everything allowed). */
  guard?: Guard;
}

/** Serverless GPU pools RunPod documents (others may exist; any UPPER_CASE id is accepted). */
export const KNOWN_GPU_POOLS = [
  'AMPERE_16',
  'AMPERE_24',
  'ADA_24',
  'AMPERE_48',
  'ADA_48_PRO',
  'AMPERE_80',
  'ADA_80_PRO',
  'HOPPER_141',
] as const;

const WORKERS_MAX = 100;

const fields = {
  name: z
    .string()
    .trim()
    .min(1, 'give the endpoint a name')
    .max(64, 'an endpoint name is at most 64 characters')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'an endpoint name uses letters, digits, spaces, ".", "_" or "-"'),
  templateId: z.string().trim().min(1, 'pick a template'),
  gpuPoolIds: z
    .array(
      z
        .string()
        .trim()
        .regex(/^[A-Z0-9_]+$/, 'GPU pools look like AMPERE_48'),
    )
    .min(1, 'pick at least one GPU pool')
    .max(10),
  gpuCount: z.number().int().min(1, 'at least 1 GPU per worker').max(8, 'at most 8 GPUs per worker'),
  workersMin: z.number().int('workers are whole numbers').min(0).max(WORKERS_MAX),
  workersMax: z.number().int('workers are whole numbers').min(0).max(WORKERS_MAX),
  idleTimeoutSec: z
    .number()
    .int()
    .min(1, 'idle timeout is at least 1 s')
    .max(3600, 'idle timeout is at most 3600 s'),
  scalerType: z.enum(['QUEUE_DELAY', 'REQUEST_COUNT']),
  scalerValue: z.number().int().min(1).max(10_000),
  networkVolumeId: z.string().trim().min(1).nullable(),
  locations: z.string().trim().min(1).nullable(),
  executionTimeoutMs: z
    .number()
    .int()
    .min(1000, 'execution timeout is at least 1000 ms')
    .max(7 * 24 * 3_600_000)
    .nullable(),
  flashBoot: z.boolean(),
};

const ConfigSchema = z.object(fields).refine((c) => c.workersMin <= c.workersMax, {
  message: 'minimum workers cannot be more than maximum workers',
  path: ['workersMin'],
});

const ChangeSchema = z.object(fields).partial();

function invalid(error: z.ZodError): PodbayError {
  return new PodbayError('INVALID_REQUEST', `That endpoint request is not valid: ${zodProblems(error)}.`);
}

const CONFIG_KEYS = Object.keys(fields) as Array<keyof EndpointConfig>;

function configOf(e: Endpoint): EndpointConfig {
  const out: Record<string, unknown> = {};
  for (const k of CONFIG_KEYS) out[k] = e[k];
  return out as unknown as EndpointConfig;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function show(key: keyof EndpointConfig, v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (key === 'idleTimeoutSec') return `${String(v)} s`;
  if (key === 'executionTimeoutMs') return `${String(v)} ms`;
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

const LABELS: Record<keyof EndpointConfig, string> = {
  name: 'name',
  templateId: 'template',
  gpuPoolIds: 'GPU pools',
  gpuCount: 'GPUs per worker',
  workersMin: 'min workers',
  workersMax: 'max workers',
  idleTimeoutSec: 'idle timeout',
  scalerType: 'scaler',
  scalerValue: 'scaler value',
  networkVolumeId: 'network volume',
  locations: 'locations',
  executionTimeoutMs: 'execution timeout',
  flashBoot: 'FlashBoot',
};

export class EndpointService {
  private readonly runpod: RunpodApi;
  private readonly clock: Clock;
  private readonly store: Store | undefined;
  private readonly guard: Guard;

  constructor(deps: EndpointServiceDeps) {
    this.runpod = deps.runpod;
    this.clock = deps.clock;
    this.store = deps.store;
    this.guard = deps.guard ?? {};
  }

  /** All endpoints by name. */
  async list(): Promise<Endpoint[]> {
    const all = await this.runpod.listEndpoints();
    return all.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** By exact id, else exact name, else unique case-insensitive name; NOT_FOUND / INVALID_REQUEST. */
  async get(ref: string): Promise<Endpoint> {
    return findByRef(await this.list(), ref, 'endpoint');
  }

  /** Validates (name, template exists, pools, min ≤ max, ranges) and creates. */
  async create(request: CreateEndpointRequest, requester: Requester): Promise<EndpointActionResult> {
    await authorize(this.guard, requester, 'endpoint.create', {}, request.name);
    const candidate: EndpointConfig = {
      name: request.name,
      templateId: request.templateId,
      gpuPoolIds: request.gpuPoolIds,
      gpuCount: request.gpuCount ?? 1,
      workersMin: request.workersMin ?? 0,
      workersMax: request.workersMax ?? 3,
      idleTimeoutSec: request.idleTimeoutSec ?? 5,
      scalerType: request.scalerType ?? 'QUEUE_DELAY',
      scalerValue: request.scalerValue ?? 4,
      networkVolumeId: request.networkVolumeId ?? null,
      locations: request.locations ?? null,
      executionTimeoutMs: request.executionTimeoutMs ?? null,
      flashBoot: request.flashBoot ?? true,
    };
    const parsed = ConfigSchema.safeParse(candidate);
    if (!parsed.success) throw invalid(parsed.error);
    const config: EndpointConfig = { ...parsed.data, gpuPoolIds: [...new Set(parsed.data.gpuPoolIds)] };
    await this.checkTemplate(config.templateId);
    const clash = (await this.runpod.listEndpoints()).find(
      (e) => e.name.toLowerCase() === config.name.toLowerCase(),
    );
    if (clash) {
      throw new PodbayError('CONFLICT', `An endpoint named "${clash.name}" already exists (${clash.id}).`, {
        hint: 'Pick another name, or update that endpoint instead.',
      });
    }
    const endpoint = await this.runpod.createEndpoint(config);
    const message = `Created endpoint ${endpoint.name} on ${config.gpuPoolIds.join(', ')} with ${config.workersMin}–${config.workersMax} workers.${
      config.workersMin > 0
        ? ` ${config.workersMin} worker${config.workersMin > 1 ? 's' : ''} stay up and bill all the time.`
        : ''
    }`;
    await this.audit(requester, 'endpoint.create', endpoint.id, 'done', message);
    return { outcome: 'done', message, endpoint };
  }

  /** Applies a partial change (the merged result is validated); noop when nothing changes. */
  async update(
    ref: string,
    change: UpdateEndpointRequest,
    requester: Requester,
  ): Promise<EndpointActionResult> {
    await authorize(this.guard, requester, 'endpoint.update', {}, ref);
    const parsedChange = ChangeSchema.safeParse(change);
    if (!parsedChange.success) throw invalid(parsedChange.error);
    const all = await this.list();
    const current = findByRef(all, ref, 'endpoint');
    const before = configOf(current);
    const defined = Object.fromEntries(
      Object.entries(parsedChange.data).filter(([, v]) => v !== undefined),
    ) as Partial<EndpointConfig>;
    const merged = ConfigSchema.safeParse({ ...before, ...defined });
    if (!merged.success) throw invalid(merged.error);
    const diff: Partial<EndpointConfig> = {};
    const said: string[] = [];
    for (const k of CONFIG_KEYS) {
      if (!(k in defined) || same(before[k], merged.data[k])) continue;
      Object.assign(diff, { [k]: merged.data[k] });
      said.push(`${LABELS[k]} ${show(k, before[k])} → ${show(k, merged.data[k])}`);
    }
    if (!said.length) {
      const message = `${current.name} already has those settings.`;
      await this.audit(requester, 'endpoint.update', current.id, 'noop', message);
      return { outcome: 'noop', message, endpoint: current };
    }
    if (diff.templateId !== undefined) await this.checkTemplate(diff.templateId);
    if (diff.name !== undefined) {
      const newName = diff.name.toLowerCase();
      const clash = all.find((e) => e.id !== current.id && e.name.toLowerCase() === newName);
      if (clash)
        throw new PodbayError('CONFLICT', `An endpoint named "${clash.name}" already exists (${clash.id}).`);
    }
    const endpoint = await this.runpod.updateEndpoint(current.id, diff);
    const message = `Updated ${current.name}: ${said.join('; ')}.`;
    await this.audit(requester, 'endpoint.update', current.id, 'done', message);
    return { outcome: 'done', message, endpoint };
  }

  /** What a delete would remove, for the person to confirm (checked against the rules first). */
  async previewDelete(ref: string, requester: Requester): Promise<Endpoint> {
    await authorize(this.guard, requester, 'endpoint.delete', {}, ref);
    return this.get(ref);
  }

  /** Deletes; when workers min/max are not 0 it first scales them to 0 (and says so). */
  async delete(ref: string, requester: Requester, ctx: RequestContext = {}): Promise<EndpointActionResult> {
    if (!ctx.approvedBy) await authorize(this.guard, requester, 'endpoint.delete', {}, ref);
    const endpoint = await this.get(ref);
    const gated = await requestIfGated(
      this.guard,
      'endpoint.delete',
      ctx,
      {
        requester,
        target: endpoint.id,
        targetName: endpoint.name,
        summary: `delete endpoint ${endpoint.name}`,
        params: { endpointId: endpoint.id, name: endpoint.name },
      },
      `${endpoint.name} is deleted once someone approves`,
    );
    if (gated) return { outcome: 'needs-approval', message: gated, endpoint };
    let scaled = '';
    // RunPod refuses to delete an endpoint whose min or max workers is not 0.
    if (endpoint.workersMin !== 0 || endpoint.workersMax !== 0) {
      await this.runpod.updateEndpoint(endpoint.id, { workersMin: 0, workersMax: 0 });
      scaled = `Scaled ${endpoint.name} to 0 workers first (was min ${endpoint.workersMin}, max ${endpoint.workersMax}), then deleted it.`;
    }
    await this.runpod.deleteEndpoint(endpoint.id);
    const message = scaled || `Deleted endpoint ${endpoint.name}.`;
    await this.audit(requester, 'endpoint.delete', endpoint.id, 'done', message);
    return { outcome: 'done', message, endpoint };
  }

  /** Templates by name; serverless ones only when asked. */
  async templates(opts: { serverlessOnly?: boolean } = {}): Promise<Template[]> {
    const all = await this.runpod.listTemplates();
    return all
      .filter((t) => !opts.serverlessOnly || t.isServerless)
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  private async checkTemplate(templateId: string): Promise<void> {
    const templates = await this.runpod.listTemplates();
    const t = templates.find((x) => x.id === templateId);
    if (!t) {
      throw new PodbayError('INVALID_REQUEST', `There is no template "${templateId}".`, {
        hint: 'List templates to see the serverless ones you can use.',
      });
    }
    if (!t.isServerless) {
      throw new PodbayError(
        'INVALID_REQUEST',
        `Template ${t.name} is a pod template; an endpoint needs a serverless one.`,
      );
    }
  }

  private async audit(
    requester: Requester,
    action: string,
    target: string,
    outcome: 'done' | 'noop',
    detail: string,
  ) {
    await recordAudit(this.store, this.clock, { requester, action, target, outcome, detail });
  }
}
