// Network volumes: only in data centers with storage support, 1..4000 GB, grow-only,
// and not deletable while a pod or endpoint still uses them.
import { DATA_CENTERS, dataCenterSpec } from './datacenters.ts';
import { MSG, TwinApiError } from './messages.ts';
import type { StorageTypeName, VolumeRecord } from './records.ts';
import type { TwinState } from './state.ts';

const MAX_GB = 4000;

function checkSize(size: number): void {
  if (!Number.isInteger(size) || size < 1 || size > MAX_GB) throw new TwinApiError(MSG.volumeSize(size));
}

export function createVolume(
  state: TwinState,
  input: { name?: string; size?: number; dataCenterId: string; isNextGenStorage?: boolean },
): VolumeRecord {
  const dc = dataCenterSpec(input.dataCenterId);
  if (!dc) throw new TwinApiError(MSG.volumeUnknownDataCenter(input.dataCenterId));
  if (!dc.storageSupport) {
    const allowed = DATA_CENTERS.filter((d) => d.storageSupport && d.listed).map((d) => d.id);
    throw new TwinApiError(MSG.volumeNoStorage(dc.id, allowed));
  }
  const size = input.size ?? 10;
  checkSize(size);
  const id = state.newId(10, state.volumes);
  const storageType: StorageTypeName = input.isNextGenStorage ? 'VAST' : 'CEPH_FS';
  const vol: VolumeRecord = {
    id,
    name: input.name ?? id,
    size,
    dataCenterId: dc.id,
    storageClusterId: `${dc.id.toLowerCase()}-s${state.prng.int(1, 4)}`,
    storageType,
    createdAtMs: state.nowMs,
  };
  state.volumes.set(id, vol);
  return vol;
}

export function updateVolume(
  state: TwinState,
  input: { id: string; name?: string; size?: number },
): VolumeRecord {
  const vol = state.volumes.get(input.id);
  if (!vol) throw new TwinApiError(MSG.volumeNotFound(input.id));
  if (input.size !== undefined) {
    if (input.size < vol.size) throw new TwinApiError(MSG.volumeShrink(vol.size, input.size));
    checkSize(input.size);
  }
  if (input.name !== undefined) vol.name = input.name;
  if (input.size !== undefined) vol.size = input.size;
  return vol;
}

export function deleteVolume(state: TwinState, id: string): void {
  if (!state.volumes.has(id)) throw new TwinApiError(MSG.volumeNotFound(id));
  for (const p of state.pods.values())
    if (p.networkVolumeId === id) throw new TwinApiError(MSG.volumeInUse(id, `pod ${p.id} (${p.name})`));
  for (const e of state.endpoints.values())
    if (e.networkVolumeId === id || e.networkVolumeIds?.includes(id))
      throw new TwinApiError(MSG.volumeInUse(id, `endpoint ${e.id} (${e.name})`));
  state.volumes.delete(id);
}
