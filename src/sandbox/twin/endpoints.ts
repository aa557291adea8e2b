// Serverless endpoints. saveEndpoint without id creates; with id it REPLACES the whole
// configuration: whatever the input omits falls back to the SDL defaults (graphql-js applies
// them while coercing the input), exactly the trap RunPod sets for partial updates.
import { MSG, TwinApiError } from './messages.ts';
import { SERVERLESS_POOLS } from './prices.ts';
import type { EndpointRecord, EnvEntry } from './records.ts';
import type { TwinState } from './state.ts';
import { saveTemplate } from './templates.ts';

export interface EndpointInput {
  id?: string;
  name: string;
  type?: string;
  templateId?: string;
  template?: {
    name: string;
    imageName?: string;
    containerDiskInGb: number;
    dockerArgs: string;
    env: (EnvEntry | null)[];
    ports?: string;
    containerRegistryAuthId?: string;
    readme?: string;
    startScript?: string;
    config?: unknown;
  };
  hubReleaseId?: string;
  gpuIds?: string;
  gpuCount?: number;
  instanceIds?: (string | null)[];
  workersMin?: number;
  workersMax?: number;
  workersPFBTarget?: number;
  idleTimeout?: number;
  scalerType?: string;
  scalerValue?: number;
  executionTimeoutMs?: number;
  locations?: string;
  networkVolumeId?: string;
  networkVolumeIds?: ({ networkVolumeId: string } | null)[];
  allowedCudaVersions?: string;
  minCudaVersion?: string;
  flashBootType?: string;
  env?: (EnvEntry | null)[];
  modelReferences?: (string | null)[];
}

const POOL_IDS = new Set(SERVERLESS_POOLS.map((p) => p.id));

export function saveEndpoint(state: TwinState, input: EndpointInput): EndpointRecord {
  const existing = input.id !== undefined ? state.endpoints.get(input.id) : undefined;
  if (input.id !== undefined && !existing) throw new TwinApiError(MSG.endpointNotFound(input.id));

  let templateId = input.templateId;
  if (templateId !== undefined && !state.templates.has(templateId))
    throw new TwinApiError(MSG.templateNotFound(templateId));
  if (templateId === undefined && input.template === undefined)
    throw new TwinApiError(MSG.endpointNeedsTemplate);

  for (const pool of (input.gpuIds ?? '').split(',').map((s) => s.trim().replace(/^-/, ''))) {
    if (pool && !POOL_IDS.has(pool)) throw new TwinApiError(MSG.badPoolId(pool));
  }
  const workersMin = input.workersMin ?? 0;
  const workersMax = input.workersMax ?? 3;
  if (workersMax < workersMin) throw new TwinApiError(MSG.endpointWorkers);
  const volumeIds = [
    ...(input.networkVolumeId !== undefined ? [input.networkVolumeId] : []),
    ...(input.networkVolumeIds ?? []).flatMap((v) => (v ? [v.networkVolumeId] : [])),
  ];
  for (const v of volumeIds) if (!state.volumes.has(v)) throw new TwinApiError(MSG.volumeNotFound(v));

  if (templateId === undefined && input.template) {
    const t = input.template;
    templateId = saveTemplate(state, {
      name: t.name,
      containerDiskInGb: t.containerDiskInGb,
      volumeInGb: 0,
      dockerArgs: t.dockerArgs,
      env: t.env,
      isServerless: true,
      ...(t.imageName !== undefined && { imageName: t.imageName }),
      ...(t.ports !== undefined && { ports: t.ports }),
      ...(t.containerRegistryAuthId !== undefined && { containerRegistryAuthId: t.containerRegistryAuthId }),
      ...(t.readme !== undefined && { readme: t.readme }),
      ...(t.startScript !== undefined && { startScript: t.startScript }),
    }).id;
  }
  if (templateId === undefined) throw new TwinApiError(MSG.endpointNeedsTemplate);

  const id = existing?.id ?? state.newId(14, state.endpoints);
  const rec: EndpointRecord = {
    id,
    name: input.name,
    type: input.type ?? null,
    templateId,
    hubReleaseId: input.hubReleaseId ?? null,
    gpuIds: input.gpuIds ?? null,
    gpuCount: input.gpuCount ?? 1,
    instanceIds: input.instanceIds?.filter((x): x is string => x !== null) ?? null,
    workersMin,
    workersMax,
    workersPFBTarget: input.workersPFBTarget ?? null,
    idleTimeout: input.idleTimeout ?? 10,
    scalerType: input.scalerType ?? null,
    scalerValue: input.scalerValue ?? 4,
    executionTimeoutMs: input.executionTimeoutMs ?? null,
    locations: input.locations ?? null,
    networkVolumeId: input.networkVolumeId ?? null,
    networkVolumeIds: input.networkVolumeIds?.flatMap((v) => (v ? [v.networkVolumeId] : [])) ?? null,
    allowedCudaVersions: input.allowedCudaVersions ?? null,
    minCudaVersion: input.minCudaVersion ?? null,
    flashBootType: input.flashBootType ?? null,
    env: (input.env ?? []).filter((e): e is EnvEntry => e !== null),
    modelReferences: input.modelReferences?.filter((x): x is string => x !== null) ?? null,
    version: existing ? existing.version + 1 : 0,
    createdAtMs: existing?.createdAtMs ?? state.nowMs,
    aiKey: existing?.aiKey ?? state.hex(24),
  };
  state.endpoints.set(id, rec);
  return rec;
}

export function updateEndpointTemplate(
  state: TwinState,
  endpointId: string,
  templateId: string,
): EndpointRecord {
  const e = state.endpoints.get(endpointId);
  if (!e) throw new TwinApiError(MSG.endpointNotFound(endpointId));
  if (!state.templates.has(templateId)) throw new TwinApiError(MSG.templateNotFound(templateId));
  e.templateId = templateId;
  e.version += 1;
  return e;
}

export function deleteEndpoint(state: TwinState, id: string): void {
  const e = state.endpoints.get(id);
  if (!e) throw new TwinApiError(MSG.endpointNotFound(id));
  if (e.workersMin !== 0 || e.workersMax !== 0) throw new TwinApiError(MSG.endpointHasWorkers);
  state.endpoints.delete(id);
}
