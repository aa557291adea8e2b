// Pod lifecycle as RunPod runs it: find capacity, rent, pull the image, run, stop, resume,
// terminate; spot pods can be interrupted. Every change goes through the stock table.
import { DATA_CENTERS, type DataCenterSpec, offeredIn } from './datacenters.ts';
import { MSG, TwinApiError } from './messages.ts';
import { type GpuSpec, gpuSpec } from './prices.ts';
import { hashString } from './prng.ts';
import type { EnvEntry, PodRecord, PodTypeName } from './records.ts';
import type { Scenario } from './scenarios.ts';
import { runpodDate, type TimedEventSource, type TwinState } from './state.ts';

/** The fields of PodFindAndDeployOnDemandInput / PodRentInterruptableInput the twin acts on. */
export interface DeployInput {
  name?: string;
  imageName?: string;
  templateId?: string;
  gpuTypeId?: string;
  gpuTypeIdList?: (string | null)[];
  gpuCount?: number;
  cloudType?: 'SECURE' | 'COMMUNITY' | 'ALL';
  computeType?: 'CPU' | 'GPU';
  dataCenterId?: string;
  countryCode?: string;
  containerDiskInGb?: number;
  volumeInGb?: number;
  volumeMountPath?: string;
  networkVolumeId?: string;
  containerRegistryAuthId?: string;
  dockerArgs?: string;
  env?: (EnvEntry | null)[];
  ports?: string;
  minVcpuCount?: number;
  minMemoryInGb?: number;
  stopAfter?: string;
  terminateAfter?: string;
  bidPerGpu?: number;
}

export interface CreateOptions {
  /** Metrics scenario for the new pod (control surface; defaults to busy). */
  scenario?: Scenario;
  /** Skip the stock table (bulk seeding). */
  ignoreStock?: boolean;
}

interface Placement {
  gpu: GpuSpec;
  dc: DataCenterSpec;
  secure: boolean;
  pricePerGpu: number;
  free: number;
}

const spotFloor = (gpu: GpuSpec, secure: boolean): number | null =>
  secure ? gpu.secureSpotPrice : gpu.communitySpotPrice;
const onDemandPrice = (gpu: GpuSpec, secure: boolean): number | null =>
  secure ? gpu.securePrice : gpu.communityPrice;

function cloudAllows(cloudType: DeployInput['cloudType'], dc: DataCenterSpec): boolean {
  if (cloudType === 'SECURE') return dc.secure;
  if (cloudType === 'COMMUNITY') return !dc.secure;
  return true;
}

/** Cheapest data center with enough free GPUs of one of the requested types (in list order). */
function place(
  state: TwinState,
  input: DeployInput,
  kind: PodTypeName,
  gpuCount: number,
  dcFixed?: string,
): Placement {
  const ids = input.gpuTypeIdList?.filter((x): x is string => typeof x === 'string') ?? [];
  const candidates = input.gpuTypeId ? [input.gpuTypeId, ...ids.filter((x) => x !== input.gpuTypeId)] : ids;
  if (candidates.length === 0) throw new TwinApiError(MSG.gpuTypeRequired);
  const wantedDc = dcFixed ?? input.dataCenterId;
  let bidError: string | null = null;
  for (const id of candidates) {
    const gpu = gpuSpec(id);
    if (!gpu || gpuCount > gpu.maxGpuCount) continue;
    if (input.minVcpuCount !== undefined && input.minVcpuCount > gpu.vcpuPerGpu * gpuCount) continue;
    if (input.minMemoryInGb !== undefined && input.minMemoryInGb > gpu.ramPerGpuGb * gpuCount) continue;
    let best: Placement | null = null;
    for (const dc of DATA_CENTERS) {
      if (wantedDc !== undefined ? dc.id !== wantedDc : !dc.listed) continue;
      if (!cloudAllows(input.cloudType, dc) || !offeredIn(gpu, dc)) continue;
      if (input.countryCode !== undefined && dc.countryCode !== input.countryCode) continue;
      let price: number | null;
      if (kind === 'INTERRUPTABLE') {
        const floor = spotFloor(gpu, dc.secure);
        if (floor === null) continue;
        const bid = input.bidPerGpu ?? 0;
        if (bid < floor) {
          bidError ??= MSG.bidTooLow(bid, floor);
          continue;
        }
        price = bid;
      } else price = onDemandPrice(gpu, dc.secure);
      const free = state.freeGpus(gpu.id, dc.id);
      if (price === null || free < gpuCount) continue;
      // Cheapest first; among equal prices the site with the most free GPUs, as a scheduler would.
      if (!best || price < best.pricePerGpu || (price === best.pricePerGpu && free > best.free))
        best = { gpu, dc, secure: dc.secure, pricePerGpu: price, free };
    }
    if (best) return best;
  }
  if (bidError) throw new TwinApiError(bidError);
  if (kind === 'INTERRUPTABLE' && candidates.every((id) => hasNoSpot(id)))
    throw new TwinApiError(MSG.spotUnavailable(candidates[0] ?? ''));
  throw new TwinApiError(MSG.noCapacity);
}

function hasNoSpot(id: string): boolean {
  const g = gpuSpec(id);
  return !!g && g.secureSpotPrice === null && g.communitySpotPrice === null;
}

function mergeEnv(base: EnvEntry[], extra: (EnvEntry | null)[] | undefined): EnvEntry[] {
  const out = new Map(base.map((e) => [e.key, e.value]));
  for (const e of extra ?? []) if (e) out.set(e.key, e.value);
  return [...out].map(([key, value]) => ({ key, value }));
}

function parseTime(text: string | undefined): number | null {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

export function createPod(
  state: TwinState,
  input: DeployInput,
  kind: PodTypeName,
  opts: CreateOptions = {},
): PodRecord {
  if (input.computeType === 'CPU') throw new TwinApiError(MSG.cpuNotSupported);
  const gpuCount = input.gpuCount ?? 1;
  if (!Number.isInteger(gpuCount) || gpuCount < 1) throw new TwinApiError(MSG.badGpuCount(gpuCount));
  if (!opts.ignoreStock && state.account.clientBalance <= 0) throw new TwinApiError(MSG.insufficientFunds);

  const template = input.templateId !== undefined ? state.templates.get(input.templateId) : undefined;
  if (input.templateId !== undefined && !template)
    throw new TwinApiError(MSG.templateNotFound(input.templateId));
  if (template?.isServerless) throw new TwinApiError(MSG.templateServerlessForPod);
  const imageName = input.imageName ?? template?.imageName ?? null;
  if (!imageName) throw new TwinApiError(MSG.imageRequired);

  let volumeDc: string | undefined;
  if (input.networkVolumeId !== undefined) {
    const vol = state.volumes.get(input.networkVolumeId);
    if (!vol) throw new TwinApiError(MSG.volumeNotFound(input.networkVolumeId));
    if (input.dataCenterId !== undefined && input.dataCenterId !== vol.dataCenterId)
      throw new TwinApiError(MSG.volumeWrongDataCenter(vol.dataCenterId, input.dataCenterId));
    volumeDc = vol.dataCenterId;
  }

  const where = opts.ignoreStock
    ? placeIgnoringStock(input, kind)
    : place(state, input, kind, gpuCount, volumeDc);
  if (!opts.ignoreStock) state.takeGpus(where.gpu.id, where.dc.id, gpuCount);

  const id = state.newId(14, state.pods);
  const now = state.nowMs;
  const pod: PodRecord = {
    id,
    name: input.name ?? `${where.gpu.displayName.toLowerCase().replace(/\s+/g, '-')}-pod`,
    podType: kind,
    desiredStatus: 'RUNNING',
    gpuTypeId: where.gpu.id,
    gpuDisplayName: where.gpu.displayName,
    gpuCount,
    dataCenterId: where.dc.id,
    secureCloud: where.secure,
    pricePerGpu: where.pricePerGpu,
    vcpuCount: where.gpu.vcpuPerGpu * gpuCount,
    memoryInGb: where.gpu.ramPerGpuGb * gpuCount,
    containerDiskInGb: input.containerDiskInGb ?? template?.containerDiskInGb ?? 50,
    volumeInGb: input.volumeInGb ?? template?.volumeInGb ?? 0,
    volumeMountPath: input.volumeMountPath ?? template?.volumeMountPath ?? '/workspace',
    imageName,
    dockerArgs: input.dockerArgs ?? template?.dockerArgs ?? '',
    env: mergeEnv(template?.env ?? [], input.env),
    ports: input.ports ?? template?.ports ?? null,
    templateId: input.templateId ?? null,
    networkVolumeId: input.networkVolumeId ?? null,
    containerRegistryAuthId: input.containerRegistryAuthId ?? template?.containerRegistryAuthId ?? null,
    machineId: state.newId(12, NONE),
    podHostId: `${id}-${state.hex(8)}`,
    dockerId: state.hex(12),
    publicIp: `${state.prng.int(64, 216)}.${state.prng.int(0, 255)}.${state.prng.int(0, 255)}.${state.prng.int(1, 254)}`,
    gpuUuids: Array.from({ length: gpuCount }, () => state.gpuUuid()),
    createdAtMs: now,
    startedAtMs: now,
    readyAtMs: now + state.options.createToRunningDelaySec * 1000,
    lastStatusChange: `Rented by User: ${runpodDate(now)}`,
    scenario: opts.scenario ?? 'busy',
    seed: hashString(id),
    holdsStock: !opts.ignoreStock,
    stopAfterMs: parseTime(input.stopAfter),
    terminateAfterMs: parseTime(input.terminateAfter),
  };
  state.pods.set(id, pod);
  return pod;
}

const NONE = { has: () => false };

function placeIgnoringStock(input: DeployInput, kind: PodTypeName): Placement {
  const gpu = gpuSpec(input.gpuTypeId ?? '') ?? gpuSpec('NVIDIA GeForce RTX 4090');
  const dc = DATA_CENTERS.find((d) => d.id === input.dataCenterId) ?? DATA_CENTERS[0];
  if (!gpu || !dc) throw new Error('catalog is empty');
  const secure = gpu.securePrice !== null;
  const price =
    kind === 'INTERRUPTABLE'
      ? (input.bidPerGpu ?? spotFloor(gpu, secure) ?? 0)
      : (onDemandPrice(gpu, secure) ?? 0);
  return { gpu, dc, secure, pricePerGpu: price, free: 0 };
}

export function findPod(state: TwinState, podId: string): PodRecord {
  const pod = state.pods.get(podId);
  if (!pod) throw new TwinApiError(MSG.podNotFound(podId));
  return pod;
}

function release(state: TwinState, pod: PodRecord): void {
  if (pod.holdsStock) state.returnGpus(pod.gpuTypeId, pod.dataCenterId, pod.gpuCount);
  pod.holdsStock = false;
}

/** Stops a pod: GPUs go back to the stock, the volume stays. Stopping a stopped pod changes nothing. */
export function stopPod(state: TwinState, podId: string, status?: string): PodRecord {
  const pod = findPod(state, podId);
  if (pod.desiredStatus === 'EXITED') return pod;
  release(state, pod);
  pod.desiredStatus = 'EXITED';
  pod.lastStatusChange = status ?? `Exited by user: ${runpodDate(state.nowMs)}`;
  return pod;
}

function start(state: TwinState, pod: PodRecord, gpuCount: number, pricePerGpu: number): PodRecord {
  if (state.account.clientBalance <= 0) throw new TwinApiError(MSG.insufficientFunds);
  // A stopped pod resumes on its own host, so only that data center's stock counts.
  if (state.freeGpus(pod.gpuTypeId, pod.dataCenterId) < gpuCount) throw new TwinApiError(MSG.noCapacity);
  state.takeGpus(pod.gpuTypeId, pod.dataCenterId, gpuCount);
  pod.holdsStock = true;
  if (gpuCount !== pod.gpuCount) {
    const gpu = gpuSpec(pod.gpuTypeId);
    pod.gpuCount = gpuCount;
    pod.vcpuCount = (gpu?.vcpuPerGpu ?? 4) * gpuCount;
    pod.memoryInGb = (gpu?.ramPerGpuGb ?? 16) * gpuCount;
    pod.gpuUuids = Array.from({ length: gpuCount }, () => state.gpuUuid());
  }
  pod.pricePerGpu = pricePerGpu;
  pod.desiredStatus = 'RUNNING';
  pod.startedAtMs = state.nowMs;
  pod.readyAtMs = state.nowMs + state.options.createToRunningDelaySec * 1000;
  pod.lastStatusChange = `Resumed by user: ${runpodDate(state.nowMs)}`;
  return pod;
}

export function resumePod(state: TwinState, podId: string, gpuCount?: number): PodRecord {
  const pod = findPod(state, podId);
  if (pod.podType === 'INTERRUPTABLE') throw new TwinApiError(MSG.spotResumeAsOnDemand);
  if (pod.desiredStatus === 'RUNNING') return pod;
  const count = gpuCount ?? pod.gpuCount;
  if (!Number.isInteger(count) || count < 1) throw new TwinApiError(MSG.badGpuCount(count));
  const gpu = gpuSpec(pod.gpuTypeId);
  const price = gpu ? onDemandPrice(gpu, pod.secureCloud) : null;
  return start(state, pod, count, price ?? pod.pricePerGpu);
}

export function bidResumePod(
  state: TwinState,
  podId: string,
  bidPerGpu: number,
  gpuCount?: number,
): PodRecord {
  const pod = findPod(state, podId);
  if (pod.podType !== 'INTERRUPTABLE') throw new TwinApiError(MSG.onDemandBidResume);
  if (pod.desiredStatus === 'RUNNING') return pod;
  const count = gpuCount ?? pod.gpuCount;
  if (!Number.isInteger(count) || count < 1) throw new TwinApiError(MSG.badGpuCount(count));
  const gpu = gpuSpec(pod.gpuTypeId);
  const floor = gpu ? spotFloor(gpu, pod.secureCloud) : null;
  if (floor !== null && bidPerGpu < floor) throw new TwinApiError(MSG.bidTooLow(bidPerGpu, floor));
  return start(state, pod, count, bidPerGpu);
}

/** Terminates a pod: it disappears (pod(input) answers null) and its GPUs go back to the stock. */
export function terminatePod(state: TwinState, podId: string): void {
  const pod = findPod(state, podId);
  release(state, pod);
  state.pods.delete(podId);
}

/** A spot pod loses its host: EXITED, no runtime; the GPUs go to whoever outbid it. */
export function interruptSpot(state: TwinState, podId: string): PodRecord {
  const pod = findPod(state, podId);
  if (pod.podType !== 'INTERRUPTABLE') throw new TwinApiError(`Pod ${podId} is not a spot pod.`);
  if (pod.desiredStatus === 'RUNNING') {
    pod.holdsStock = false;
    pod.desiredStatus = 'EXITED';
  }
  pod.lastStatusChange = MSG.spotInterruptedStatus;
  return pod;
}

/** Auto-stop / auto-terminate times and the balance running out. */
export const podTimedEvents: TimedEventSource = {
  nextEventMs(state) {
    let next: number | null = null;
    for (const p of state.pods.values()) {
      if (p.stopAfterMs !== null && p.desiredStatus === 'RUNNING' && (next === null || p.stopAfterMs < next))
        next = p.stopAfterMs;
      if (p.terminateAfterMs !== null && (next === null || p.terminateAfterMs < next))
        next = p.terminateAfterMs;
    }
    return next;
  },
  fire(state) {
    for (const p of [...state.pods.values()]) {
      if (p.terminateAfterMs !== null && p.terminateAfterMs <= state.nowMs) {
        terminatePod(state, p.id);
        continue;
      }
      if (p.stopAfterMs !== null && p.stopAfterMs <= state.nowMs) {
        p.stopAfterMs = null;
        stopPod(state, p.id, `Exited by schedule: ${runpodDate(state.nowMs)}`);
      }
    }
  },
  onBalanceExhausted(state) {
    for (const p of state.pods.values())
      if (p.desiredStatus === 'RUNNING') stopPod(state, p.id, MSG.balanceExhaustedStatus);
  },
};

/** Hourly price of a pod while running (what Pod.costPerHr reports). */
export const podCostPerHr = (p: PodRecord): number => Math.round(p.pricePerGpu * p.gpuCount * 1000) / 1000;
