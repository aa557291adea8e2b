import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory.ts';
import { VolumeService } from '../../src/services/volumes.ts';
import { InMemoryRunpod } from '../fakes/runpod-memory.ts';
import { ana } from './helpers.ts';

function setup() {
  const runpod = new InMemoryRunpod();
  const store = new MemoryStore();
  const volumes = new VolumeService({ runpod, clock: runpod.clock, store });
  return { runpod, store, volumes };
}

describe('VolumeService', () => {
  it('creates a volume in a data center with storage and audits it', async () => {
    const { volumes, store } = setup();
    const r = await volumes.create({ name: 'models', sizeGb: 100, dataCenterId: 'EU-RO-1' }, ana);
    expect(r).toMatchObject({
      outcome: 'done',
      volume: { name: 'models', sizeGb: 100, dataCenterId: 'EU-RO-1' },
    });
    expect(r.message).toMatch(/bills until it is deleted/);
    expect((await store.listAudit())[0]).toMatchObject({
      action: 'volume.create',
      userId: 'U_ANA',
      outcome: 'done',
    });
    expect(await volumes.list()).toEqual([{ ...r.volume, usedBy: [] }]);
  });

  it('refuses a data center without storage, naming the ones with it', async () => {
    const { volumes, runpod } = setup();
    const e = volumes.create({ name: 'models', sizeGb: 10, dataCenterId: 'US-TX-1' }, ana);
    await expect(e).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      userMessage: 'US-TX-1 cannot hold network volumes.',
      hint: 'Data centers with network storage: EU-RO-1, US-KS-2.',
    });
    await expect(
      volumes.create({ name: 'm', sizeGb: 10, dataCenterId: 'MARS-1' }, ana),
    ).rejects.toMatchObject({
      userMessage: 'There is no data center "MARS-1".',
    });
    expect(runpod.calls.filter((c) => c.method === 'createVolume')).toEqual([]);
    expect(await volumes.storageDataCenters()).toEqual([
      { id: 'EU-RO-1', name: 'Romania 1', location: 'Romania' },
      { id: 'US-KS-2', name: 'Kansas 2', location: 'United States' },
    ]);
  });

  it('validates name and size (1..4000 GB)', async () => {
    const { volumes } = setup();
    for (const sizeGb of [0, 4001, 1.5]) {
      await expect(
        volumes.create({ name: 'ok', sizeGb, dataCenterId: 'EU-RO-1' }, ana),
      ).rejects.toMatchObject({
        code: 'INVALID_REQUEST',
      });
    }
    await expect(
      volumes.create({ name: '../etc', sizeGb: 10, dataCenterId: 'EU-RO-1' }, ana),
    ).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect((await volumes.create({ name: 'max', sizeGb: 4000, dataCenterId: 'EU-RO-1' }, ana)).outcome).toBe(
      'done',
    );
    await expect(
      volumes.create({ name: 'MAX', sizeGb: 1, dataCenterId: 'US-KS-2' }, ana),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('only grows: smaller is refused with the current size, same is a noop', async () => {
    const { volumes, runpod } = setup();
    runpod.seedVolume({ id: 'v1', name: 'data', sizeGb: 200, dataCenterId: 'EU-RO-1' });
    await expect(volumes.resize('data', 100, ana)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      userMessage: 'Volumes can only grow; current size is 200 GB (you asked for 100 GB).',
    });
    expect(await volumes.resize('v1', 200, ana)).toMatchObject({
      outcome: 'noop',
      message: 'data is already 200 GB.',
    });
    const grown = await volumes.resize('DATA', 500, ana);
    expect(grown).toMatchObject({
      outcome: 'done',
      message: 'Grew data from 200 GB to 500 GB.',
      volume: { sizeGb: 500 },
    });
    await expect(volumes.resize('data', 5000, ana)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(runpod.calls.filter((c) => c.method === 'updateVolume')).toHaveLength(1);
  });

  it('renames, refusing a name another volume has', async () => {
    const { volumes, runpod } = setup();
    runpod.seedVolume({ id: 'v1', name: 'data', sizeGb: 10, dataCenterId: 'EU-RO-1' });
    runpod.seedVolume({ id: 'v2', name: 'weights', sizeGb: 10, dataCenterId: 'EU-RO-1' });
    expect(await volumes.rename('data', 'datasets', ana)).toMatchObject({
      outcome: 'done',
      volume: { name: 'datasets' },
    });
    expect(await volumes.rename('v1', 'datasets', ana)).toMatchObject({ outcome: 'noop' });
    await expect(volumes.rename('v1', 'Weights', ana)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('refuses to delete a volume a pod uses (even a stopped one), naming the pods', async () => {
    const { volumes, runpod } = setup();
    runpod.seedVolume({ id: 'v1', name: 'data', sizeGb: 10, dataCenterId: 'EU-RO-1' });
    runpod.seedPod({ id: 'p1', name: 'trainer', networkVolumeId: 'v1', running: false });
    expect((await volumes.get('data')).usedBy).toEqual([{ id: 'p1', name: 'trainer' }]);
    await expect(volumes.delete('data', ana)).rejects.toMatchObject({
      code: 'CONFLICT',
      userMessage: 'data is used by pod trainer.',
    });
    expect(runpod.calls.filter((c) => c.method === 'deleteVolume')).toEqual([]);
    runpod.removePod('p1');
    const r = await volumes.delete('data', ana);
    expect(r).toMatchObject({ outcome: 'done' });
    expect(r.message).toMatch(/its data is gone/);
    expect(await volumes.list()).toEqual([]);
  });

  it('unknown and ambiguous references are clear errors', async () => {
    const { volumes, runpod } = setup();
    runpod.seedVolume({ id: 'v1', name: 'Data', sizeGb: 10, dataCenterId: 'EU-RO-1' });
    runpod.seedVolume({ id: 'v2', name: 'data', sizeGb: 10, dataCenterId: 'US-KS-2' });
    await expect(volumes.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await volumes.get('data')).id).toBe('v2');
    await expect(volumes.get('DATA')).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      hint: 'Use the id: data (v2), Data (v1).',
    });
  });
});
