import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GPU_SPECS } from '../../src/sandbox/twin/prices.ts';
import { type Twin, startTwin } from '../../src/sandbox/twin/server.ts';
import { gql } from './twin-helpers.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const gpuTable = path.resolve(repoRoot, '../shared/reference/runpod-gpu-types.md');
const priceCsv = path.resolve(repoRoot, '../shared/reference/runpod-prices.csv');

let twin: Twin;
beforeAll(async () => {
  twin = await startTwin({ seed: false });
});
afterAll(async () => {
  await twin.close();
});

const H100 = 'NVIDIA H100 80GB HBM3';

describe('GPU catalog', () => {
  it.skipIf(!existsSync(gpuTable))('covers every GPU id in RunPod’s gpu-types table', () => {
    const ids = readFileSync(gpuTable, 'utf8')
      .split('\n')
      .map((l) => /^\|\s*((?:NVIDIA|AMD|Tesla)[^|]*?)\s*\|/.exec(l)?.[1])
      .filter((x): x is string => !!x);
    expect(ids.length).toBeGreaterThan(40);
    const ours = new Set(GPU_SPECS.map((g) => g.id));
    expect(ids.filter((id) => !ours.has(id))).toEqual([]);
  });

  it.skipIf(!existsSync(priceCsv))(
    'uses the snapshot’s secure on-demand price for H100 SXM, A100 PCIe and RTX 4090',
    () => {
      const rows = readFileSync(priceCsv, 'utf8').split('\n');
      const price = (acc: string) => Number(rows.find((r) => r.startsWith(`${acc},`))?.split(',')[2]);
      const spec = (id: string) => GPU_SPECS.find((g) => g.id === id);
      expect(spec(H100)?.securePrice).toBe(price('H100-SXM'));
      expect(spec('NVIDIA A100 80GB PCIe')?.securePrice).toBe(price('A100-80GB'));
      expect(spec('NVIDIA GeForce RTX 4090')?.securePrice).toBe(price('RTX4090'));
    },
  );

  it('filters gpuTypes by id and ids and reports lowestPrice with stock levels', async () => {
    const one = await gql(
      twin,
      `{ gpuTypes(input: {id: "${H100}"}) { id displayName memoryInGb securePrice secureSpotPrice oneMonthPrice maxGpuCount } }`,
    );
    expect(one.json.data.gpuTypes).toEqual([
      {
        id: H100,
        displayName: 'H100 SXM',
        memoryInGb: 80,
        securePrice: 2.99,
        secureSpotPrice: 2.69,
        oneMonthPrice: 2.69,
        maxGpuCount: 8,
      },
    ]);
    const many = await gql(twin, '{ gpuTypes(input: {ids: ["NVIDIA L4", "NVIDIA A40", "nope"]}) { id } }');
    expect(many.json.data.gpuTypes.map((g: { id: string }) => g.id).sort()).toEqual([
      'NVIDIA A40',
      'NVIDIA L4',
    ]);
    const all = await gql(twin, '{ gpuTypes { id } }');
    expect(all.json.data.gpuTypes).toHaveLength(GPU_SPECS.length);

    const LOWEST = `query($n: Int!) { gpuTypes(input: {id: "${H100}"}) { lowestPrice(input: {gpuCount: $n, secureCloud: true}) {
      uninterruptablePrice minimumBidPrice stockStatus availableGpuCounts maxGpuCount gpuTypeDatacenters { dataCenterId availability } } } }`;
    const lowest = async (n: number) => (await gql(twin, LOWEST, { n })).json.data.gpuTypes[0].lowestPrice;

    twin.control.setStock(H100, 0);
    twin.control.setStock(H100, 16, 'US-KS-2');
    expect(await lowest(1)).toMatchObject({
      uninterruptablePrice: 2.99,
      minimumBidPrice: 2.69,
      stockStatus: 'High',
      maxGpuCount: 8,
    });
    expect(await lowest(4)).toMatchObject({ stockStatus: 'Medium' }); // 16 free GPUs: four 4-GPU pods fit
    twin.control.setStock(H100, 4, 'US-KS-2');
    const l4 = await lowest(4);
    expect(l4.availableGpuCounts).toEqual([1, 2, 3, 4]);
    expect(l4.stockStatus).toBe('Low');
    const l8 = await lowest(8);
    expect(l8.stockStatus).toBe('None');
    expect(
      l8.gpuTypeDatacenters.find((d: { dataCenterId: string }) => d.dataCenterId === 'US-KS-2').availability,
    ).toBe('UNAVAILABLE');
  });

  it('lists data centers with storage support and per-GPU availability', async () => {
    const a = await gql(
      twin,
      '{ dataCenters { id name location region listed storageSupport gpuAvailability(input: {gpuCount: 1}) { gpuTypeId available stockStatus } } }',
    );
    const dcs = a.json.data.dataCenters;
    const ks = dcs.find((d: { id: string }) => d.id === 'US-KS-2');
    expect(ks).toMatchObject({ region: 'NORTH_AMERICA', listed: true, storageSupport: true });
    expect(dcs.some((d: { storageSupport: boolean }) => !d.storageSupport)).toBe(true);
    twin.control.setStock('NVIDIA L4', 0, 'US-KS-2');
    const again = (
      await gql(twin, '{ dataCenters { id gpuAvailability { gpuTypeId available stockStatus } } }')
    ).json.data.dataCenters;
    const l4 = again
      .find((d: { id: string }) => d.id === 'US-KS-2')
      .gpuAvailability.find((g: { gpuTypeId: string }) => g.gpuTypeId === 'NVIDIA L4');
    expect(l4).toEqual({ gpuTypeId: 'NVIDIA L4', available: false, stockStatus: 'None' });
  });

  it('lists serverless GPU pools', async () => {
    const a = await gql(twin, '{ serverlessGpuPools { id gpuTypeIds } }');
    const pools = a.json.data.serverlessGpuPools;
    expect(pools.map((p: { id: string }) => p.id)).toContain('HOPPER_141');
    expect(pools.find((p: { id: string }) => p.id === 'ADA_24').gpuTypeIds).toEqual([
      'NVIDIA GeForce RTX 4090',
    ]);
  });
});
