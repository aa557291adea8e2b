// saveEndpoint input, built from podbay's EndpointConfig. An update re-sends the whole
// configuration because RunPod resets every omitted field to its default.
import type { EndpointConfig } from '../services/domain.ts';
import { compact } from './inputs.ts';

export interface RawEndpointForUpdate {
  id: string;
  name: string;
  type?: string | null;
  templateId?: string | null;
  gpuIds?: string | null;
  gpuCount?: number | null;
  workersMin?: number | null;
  workersMax?: number | null;
  idleTimeout?: number | null;
  scalerType?: string | null;
  scalerValue?: number | null;
  networkVolumeId?: string | null;
  locations?: string | null;
  executionTimeoutMs?: number | null;
  flashBootType?: string | null;
  allowedCudaVersions?: string | null;
  minCudaVersion?: string | null;
  env?: ({ key?: string | null; value?: string | null } | null)[] | null;
}

export function endpointInput(c: EndpointConfig, id?: string): Record<string, unknown> {
  return compact({
    id,
    name: c.name,
    templateId: c.templateId,
    gpuIds: c.gpuPoolIds.join(','),
    gpuCount: c.gpuCount,
    workersMin: c.workersMin,
    workersMax: c.workersMax,
    idleTimeout: c.idleTimeoutSec,
    scalerType: c.scalerType,
    scalerValue: c.scalerValue,
    networkVolumeId: c.networkVolumeId,
    locations: c.locations,
    executionTimeoutMs: c.executionTimeoutMs,
    flashBootType: c.flashBoot ? 'FLASHBOOT' : 'OFF',
  });
}

/** Current configuration (as read) with `change` applied, including what podbay does not model. */
export function mergeEndpoint(
  cur: RawEndpointForUpdate,
  change: Partial<EndpointConfig>,
): Record<string, unknown> {
  const pick = <K extends keyof EndpointConfig>(k: K, fallback: EndpointConfig[K]): EndpointConfig[K] =>
    change[k] !== undefined ? (change[k] as EndpointConfig[K]) : fallback;
  const config: EndpointConfig = {
    name: pick('name', cur.name),
    templateId: pick('templateId', cur.templateId ?? ''),
    gpuPoolIds: pick(
      'gpuPoolIds',
      (cur.gpuIds ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
    gpuCount: pick('gpuCount', cur.gpuCount ?? 1),
    workersMin: pick('workersMin', cur.workersMin ?? 0),
    workersMax: pick('workersMax', cur.workersMax ?? 3),
    idleTimeoutSec: pick('idleTimeoutSec', cur.idleTimeout ?? 10),
    scalerType: pick('scalerType', cur.scalerType === 'REQUEST_COUNT' ? 'REQUEST_COUNT' : 'QUEUE_DELAY'),
    scalerValue: pick('scalerValue', cur.scalerValue ?? 4),
    networkVolumeId: pick('networkVolumeId', cur.networkVolumeId ?? null),
    locations: pick('locations', cur.locations ?? null),
    executionTimeoutMs: pick('executionTimeoutMs', cur.executionTimeoutMs ?? null),
    flashBoot: pick('flashBoot', cur.flashBootType != null && cur.flashBootType !== 'OFF'),
  };
  const env = (cur.env ?? [])
    .filter(
      (e): e is { key: string; value: string } => typeof e?.key === 'string' && typeof e.value === 'string',
    )
    .map((e) => ({ key: e.key, value: e.value }));
  return compact({
    ...endpointInput(config, cur.id),
    type: cur.type,
    allowedCudaVersions: cur.allowedCudaVersions,
    minCudaVersion: cur.minCudaVersion,
    env: env.length ? env : undefined,
    // keep the original flash boot mode (e.g. PRIORITY_FLASHBOOT) unless the change sets it
    flashBootType:
      change.flashBoot === undefined
        ? (cur.flashBootType ?? undefined)
        : change.flashBoot
          ? 'FLASHBOOT'
          : 'OFF',
  });
}
