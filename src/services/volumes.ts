// Network volume use cases: list (with the pods using each), create, grow, rename, delete.
import { z } from 'zod';
import { recordAudit } from './audit.ts';
import type { NetworkVolume } from './domain.ts';
import { PodbayError } from './errors.ts';
import { authorize, type Guard, type RequestContext, requestIfGated } from './guard.ts';
import type { Requester } from './policy.ts';
import type { Clock, RunpodApi, Store } from './ports.ts';
import { findByRef } from './resolve-by-name.ts';
import { zodProblems } from './validation.ts';

export const VOLUME_MIN_GB = 1;
export const VOLUME_MAX_GB = 4000;

/** A volume and the pods attached to it (id and name only). */
export type VolumeView = NetworkVolume & { usedBy: Array<{ id: string; name: string }> };

export interface CreateVolumeRequest {
  /** 1..64 chars; letters, digits, spaces, '-', '_', '.'. */
  name: string;
  /** 1..4000 GB. */
  sizeGb: number;
  /** Must support network storage (checked against dataCenters()). */
  dataCenterId: string;
}

export interface VolumeActionResult {
  outcome: 'done' | 'noop' | 'needs-approval';
  message: string;
  volume?: NetworkVolume;
}

export interface VolumeServiceDeps {
  runpod: RunpodApi;
  clock: Clock;
  /** When given, every change is written to the audit log. */
  store?: Store;
  /** Who may do what, and where gated deletes go for approval (default: everything allowed). */
  guard?: Guard;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
const nameSchema = z
  .string()
  .trim()
  .regex(
    NAME,
    'a volume name is 1 to 64 letters, digits, spaces, ".", "_" or "-", starting with a letter or digit',
  );
const sizeSchema = z
  .number()
  .int('the size is a whole number of GB')
  .min(VOLUME_MIN_GB, `the size is at least ${VOLUME_MIN_GB} GB`)
  .max(VOLUME_MAX_GB, `the size is at most ${VOLUME_MAX_GB} GB (larger volumes need RunPod support)`);

const CreateVolumeSchema = z.object({
  name: nameSchema,
  sizeGb: sizeSchema,
  dataCenterId: z.string().trim().min(1, 'pick a data center'),
});

function invalid(error: z.ZodError): PodbayError {
  return new PodbayError('INVALID_REQUEST', `That volume request is not valid: ${zodProblems(error)}.`);
}

export class VolumeService {
  private readonly runpod: RunpodApi;
  private readonly clock: Clock;
  private readonly store: Store | undefined;
  private readonly guard: Guard;

  constructor(deps: VolumeServiceDeps) {
    this.runpod = deps.runpod;
    this.clock = deps.clock;
    this.store = deps.store;
    this.guard = deps.guard ?? {};
  }

  /** All volumes, by name, each with the pods using it. */
  async list(): Promise<VolumeView[]> {
    const [volumes, pods] = await Promise.all([this.runpod.listVolumes(), this.runpod.listPods()]);
    return volumes
      .map((v) => ({
        ...v,
        usedBy: pods
          .filter((p) => p.networkVolumeId === v.id && p.status !== 'TERMINATED')
          .map((p) => ({ id: p.id, name: p.name })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** A volume by exact id, else exact name, else unique case-insensitive name; NOT_FOUND / INVALID_REQUEST. */
  async get(ref: string): Promise<VolumeView> {
    return findByRef(await this.list(), ref, 'volume');
  }

  /** Data centers that can hold network volumes (id, name, location), for pickers. */
  async storageDataCenters(): Promise<Array<{ id: string; name: string; location: string | null }>> {
    const dcs = await this.runpod.dataCenters();
    return dcs
      .filter((dc) => dc.storageSupport)
      .map((dc) => ({ id: dc.id, name: dc.name, location: dc.location }))
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  /** INVALID_REQUEST for a bad name, a size outside 1..4000 GB, or a data center without storage. */
  async create(request: CreateVolumeRequest, requester: Requester): Promise<VolumeActionResult> {
    await authorize(this.guard, requester, 'volume.create', {}, request.name);
    const parsed = CreateVolumeSchema.safeParse(request);
    if (!parsed.success) throw invalid(parsed.error);
    const { name, sizeGb, dataCenterId } = parsed.data;
    const dcs = await this.runpod.dataCenters();
    const storage = dcs
      .filter((dc) => dc.storageSupport)
      .map((dc) => dc.id)
      .sort();
    const dc = dcs.find((d) => d.id === dataCenterId);
    const choices = storage.length ? ` Data centers with network storage: ${storage.join(', ')}.` : '';
    if (!dc) {
      throw new PodbayError('INVALID_REQUEST', `There is no data center "${dataCenterId}".`, {
        hint: choices.trim(),
      });
    }
    if (!dc.storageSupport) {
      throw new PodbayError('INVALID_REQUEST', `${dataCenterId} cannot hold network volumes.`, {
        hint: choices.trim(),
      });
    }
    const existing = (await this.runpod.listVolumes()).find(
      (v) => v.name.toLowerCase() === name.toLowerCase(),
    );
    if (existing) {
      throw new PodbayError(
        'CONFLICT',
        `A volume named "${existing.name}" already exists (${existing.id}).`,
        {
          hint: 'Pick another name so the two can be told apart.',
        },
      );
    }
    const volume = await this.runpod.createVolume({ name, sizeGb, dataCenterId });
    const message = `Created volume ${volume.name} (${volume.sizeGb} GB in ${volume.dataCenterId}). It bills until it is deleted, even when no pod uses it.`;
    await this.audit(requester, 'volume.create', volume.id, 'done', message);
    return { outcome: 'done', message, volume };
  }

  /** Grows a volume. Smaller: INVALID_REQUEST "volumes can only grow; current size is X GB". Same: noop. */
  async resize(ref: string, sizeGb: number, requester: Requester): Promise<VolumeActionResult> {
    await authorize(this.guard, requester, 'volume.resize', {}, ref);
    const parsed = sizeSchema.safeParse(sizeGb);
    if (!parsed.success) throw invalid(parsed.error);
    const volume = await this.get(ref);
    if (sizeGb < volume.sizeGb) {
      throw new PodbayError(
        'INVALID_REQUEST',
        `Volumes can only grow; current size is ${volume.sizeGb} GB (you asked for ${sizeGb} GB).`,
        { hint: 'To use less space, create a smaller volume, copy the data over and delete this one.' },
      );
    }
    const plain = withoutUsers(volume);
    if (sizeGb === volume.sizeGb) {
      const message = `${volume.name} is already ${volume.sizeGb} GB.`;
      await this.audit(requester, 'volume.resize', volume.id, 'noop', message);
      return { outcome: 'noop', message, volume: plain };
    }
    const updated = await this.runpod.updateVolume({ id: volume.id, sizeGb });
    const message = `Grew ${volume.name} from ${volume.sizeGb} GB to ${updated.sizeGb} GB.`;
    await this.audit(requester, 'volume.resize', volume.id, 'done', message);
    return { outcome: 'done', message, volume: updated };
  }

  /** Renames a volume; noop when the name is unchanged. */
  async rename(ref: string, newName: string, requester: Requester): Promise<VolumeActionResult> {
    await authorize(this.guard, requester, 'volume.rename', {}, ref);
    const parsed = nameSchema.safeParse(newName);
    if (!parsed.success) throw invalid(parsed.error);
    const name = parsed.data;
    const all = await this.list();
    const volume = findByRef(all, ref, 'volume');
    if (volume.name === name) {
      const message = `${volume.name} already has that name.`;
      await this.audit(requester, 'volume.rename', volume.id, 'noop', message);
      return { outcome: 'noop', message, volume: withoutUsers(volume) };
    }
    const clash = all.find((v) => v.id !== volume.id && v.name.toLowerCase() === name.toLowerCase());
    if (clash) {
      throw new PodbayError('CONFLICT', `A volume named "${clash.name}" already exists (${clash.id}).`, {
        hint: 'Pick another name so the two can be told apart.',
      });
    }
    const updated = await this.runpod.updateVolume({ id: volume.id, name });
    const message = `Renamed volume ${volume.name} to ${updated.name}.`;
    await this.audit(requester, 'volume.rename', volume.id, 'done', message);
    return { outcome: 'done', message, volume: updated };
  }

  /** What a delete would remove, for the person to confirm (checked against the rules first). */
  async previewDelete(ref: string, requester: Requester): Promise<VolumeView> {
    await authorize(this.guard, requester, 'volume.delete', {}, ref);
    return this.get(ref);
  }

  /** Deletes a volume. CONFLICT naming the pods when any pod (running or stopped) uses it. */
  async delete(ref: string, requester: Requester, ctx: RequestContext = {}): Promise<VolumeActionResult> {
    if (!ctx.approvedBy) await authorize(this.guard, requester, 'volume.delete', {}, ref);
    const volume = await this.get(ref);
    if (volume.usedBy.length) {
      const names = volume.usedBy.map((p) => p.name).join(', ');
      throw new PodbayError(
        'CONFLICT',
        `${volume.name} is used by ${volume.usedBy.length === 1 ? 'pod' : 'pods'} ${names}.`,
        {
          hint: 'Terminate those pods first (stopping is not enough), then delete the volume.',
        },
      );
    }
    const gated = await requestIfGated(
      this.guard,
      'volume.delete',
      ctx,
      {
        requester,
        target: volume.id,
        targetName: volume.name,
        summary: `delete network volume ${volume.name} (${volume.sizeGb} GB in ${volume.dataCenterId}; its data is lost)`,
        params: { volumeId: volume.id, name: volume.name },
      },
      `${volume.name} is deleted once someone approves`,
    );
    if (gated) return { outcome: 'needs-approval', message: gated, volume: withoutUsers(volume) };
    await this.runpod.deleteVolume(volume.id);
    const message = `Deleted volume ${volume.name} (${volume.sizeGb} GB in ${volume.dataCenterId}); its data is gone.`;
    await this.audit(requester, 'volume.delete', volume.id, 'done', message);
    return { outcome: 'done', message, volume: withoutUsers(volume) };
  }

  private async audit(
    requester: Requester,
    action: string,
    target: string,
    outcome: 'done' | 'noop',
    detail: string,
  ): Promise<void> {
    await recordAudit(this.store, this.clock, { requester, action, target, outcome, detail });
  }
}

function withoutUsers(v: VolumeView): NetworkVolume {
  return { id: v.id, name: v.name, sizeGb: v.sizeGb, dataCenterId: v.dataCenterId };
}
