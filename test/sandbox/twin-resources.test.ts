import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Twin, startTwin } from '../../src/sandbox/twin/server.ts';
import { CREATE_ON_DEMAND, firstError, gql } from './twin-helpers.ts';

let twin: Twin;
beforeEach(async () => {
  twin = await startTwin({ seed: false });
});
afterEach(async () => {
  await twin.close();
});

const CREATE_VOLUME = `mutation($input: CreateNetworkVolumeInput!) {
  createNetworkVolume(input: $input) { id name size dataCenterId storageType dataCenter { id storageSupport } }
}`;
const UPDATE_VOLUME = `mutation($input: UpdateNetworkVolumeInput!) { updateNetworkVolume(input: $input) { id name size } }`;

describe('network volumes', () => {
  it('creates only where storage is supported and within 1..4000 GB', async () => {
    const ok = await gql(twin, CREATE_VOLUME, {
      input: { name: 'cache', size: 100, dataCenterId: 'EU-RO-1' },
    });
    expect(ok.json.data.createNetworkVolume).toMatchObject({
      name: 'cache',
      size: 100,
      dataCenterId: 'EU-RO-1',
      dataCenter: { id: 'EU-RO-1', storageSupport: true },
    });
    expect(ok.json.data.createNetworkVolume.id).toMatch(/^[a-z0-9]{10}$/);

    const noStorage = await gql(twin, CREATE_VOLUME, {
      input: { name: 'x', size: 10, dataCenterId: 'US-GA-1' },
    });
    expect(firstError(noStorage)).toMatch(/cannot be created in US-GA-1.*US-KS-2/);
    for (const size of [0, 4001]) {
      const bad = await gql(twin, CREATE_VOLUME, { input: { name: 'x', size, dataCenterId: 'US-KS-2' } });
      expect(firstError(bad)).toMatch(/between 1 and 4000 GB/);
    }
    expect(
      (await gql(twin, '{ myself { networkVolumes { id } } }')).json.data.myself.networkVolumes,
    ).toHaveLength(1);
  });

  it('renames and grows, never shrinks', async () => {
    const id = (await gql(twin, CREATE_VOLUME, { input: { name: 'a', size: 100, dataCenterId: 'US-KS-2' } }))
      .json.data.createNetworkVolume.id;
    const grown = await gql(twin, UPDATE_VOLUME, { input: { id, name: 'b', size: 150 } });
    expect(grown.json.data.updateNetworkVolume).toEqual({ id, name: 'b', size: 150 });
    const shrink = await gql(twin, UPDATE_VOLUME, { input: { id, size: 120 } });
    expect(firstError(shrink)).toMatch(/can only be increased/);
    expect(twin.state.volumes.get(id)?.size).toBe(150);
  });

  it('cannot be deleted while a pod uses it; pods using it land in its data center', async () => {
    const id = (await gql(twin, CREATE_VOLUME, { input: { name: 'a', size: 100, dataCenterId: 'US-TX-3' } }))
      .json.data.createNetworkVolume.id;
    twin.control.setStock('NVIDIA RTX A6000', 3, 'US-TX-3');
    const pod = (
      await gql(twin, CREATE_ON_DEMAND, {
        input: { name: 'p', imageName: 'i', gpuTypeId: 'NVIDIA RTX A6000', networkVolumeId: id },
      })
    ).json.data.podFindAndDeployOnDemand;
    expect(pod.machine.location).toBe('US-TX-3');

    const wrongDc = await gql(twin, CREATE_ON_DEMAND, {
      input: {
        name: 'q',
        imageName: 'i',
        gpuTypeId: 'NVIDIA RTX A6000',
        networkVolumeId: id,
        dataCenterId: 'EU-RO-1',
      },
    });
    expect(firstError(wrongDc)).toMatch(/is in US-TX-3/);

    const inUse = await gql(twin, `mutation { deleteNetworkVolume(input: {id: "${id}"}) }`);
    expect(firstError(inUse)).toMatch(/in use by pod/);
    await gql(twin, `mutation { podTerminate(input: {podId: "${pod.id}"}) }`);
    const gone = await gql(twin, `mutation { deleteNetworkVolume(input: {id: "${id}"}) }`);
    expect(gone.json).toEqual({ data: { deleteNetworkVolume: null } });
  });
});

const SAVE_ENDPOINT = `mutation($input: EndpointInput!) {
  saveEndpoint(input: $input) { id name templateId gpuIds gpuCount workersMin workersMax idleTimeout scalerType scalerValue version env { key value } }
}`;

async function template(name: string, isServerless = true): Promise<string> {
  const a = await gql(
    twin,
    `mutation($input: SaveTemplateInput) { saveTemplate(input: $input) { id name isServerless } }`,
    {
      input: {
        name,
        imageName: 'img',
        containerDiskInGb: 10,
        volumeInGb: 0,
        dockerArgs: '',
        env: [],
        isServerless,
      },
    },
  );
  return a.json.data.saveTemplate.id;
}

describe('serverless endpoints', () => {
  it('creates without id; with id REPLACES the whole config (omitted fields reset to SDL defaults)', async () => {
    const templateId = await template('worker');
    const created = await gql(twin, SAVE_ENDPOINT, {
      input: {
        name: 'api',
        templateId,
        gpuIds: 'ADA_24',
        gpuCount: 2,
        workersMin: 1,
        workersMax: 6,
        idleTimeout: 60,
        scalerType: 'REQUEST_COUNT',
        scalerValue: 9,
        env: [{ key: 'K', value: 'v' }],
      },
    });
    const e = created.json.data.saveEndpoint;
    expect(e).toMatchObject({
      name: 'api',
      gpuCount: 2,
      workersMin: 1,
      workersMax: 6,
      idleTimeout: 60,
      version: 0,
    });

    const replaced = await gql(twin, SAVE_ENDPOINT, {
      input: { id: e.id, name: 'api', templateId, workersMax: 8 },
    });
    expect(replaced.json.data.saveEndpoint).toMatchObject({
      id: e.id,
      gpuIds: null,
      gpuCount: 1,
      workersMin: 0,
      workersMax: 8,
      idleTimeout: 10,
      scalerType: null,
      scalerValue: 4,
      env: [],
      version: 1,
    });

    const noTemplate = await gql(twin, SAVE_ENDPOINT, { input: { id: e.id, name: 'api', workersMax: 8 } });
    expect(firstError(noTemplate)).toMatch(/must provide templateId or template/);
    const badPool = await gql(twin, SAVE_ENDPOINT, {
      input: { name: 'x', templateId, gpuIds: 'AMPERE_9000' },
    });
    expect(firstError(badPool)).toMatch(/Unknown serverless GPU pool/);
  });

  it('deletes only when workersMin and workersMax are both 0', async () => {
    const templateId = await template('worker');
    const e = (
      await gql(twin, SAVE_ENDPOINT, { input: { name: 'api', templateId, workersMin: 0, workersMax: 2 } })
    ).json.data.saveEndpoint;
    const refused = await gql(twin, `mutation { deleteEndpoint(id: "${e.id}") }`);
    expect(firstError(refused)).toMatch(/workersMin and workersMax set to 0/);
    await gql(twin, SAVE_ENDPOINT, { input: { id: e.id, name: 'api', templateId, workersMax: 0 } });
    const ok = await gql(twin, `mutation { deleteEndpoint(id: "${e.id}") }`);
    expect(ok.json).toEqual({ data: { deleteEndpoint: null } });
    expect(
      (await gql(twin, `{ myself { endpoint(id: "${e.id}") { id } endpoints { id } } }`)).json.data.myself,
    ).toEqual({
      endpoint: null,
      endpoints: [],
    });
  });

  it('retargets a template and creates inline templates', async () => {
    const t1 = await template('one');
    const t2 = await template('two');
    const e = (await gql(twin, SAVE_ENDPOINT, { input: { name: 'api', templateId: t1 } })).json.data
      .saveEndpoint;
    const moved = await gql(
      twin,
      `mutation { updateEndpointTemplate(input: {endpointId: "${e.id}", templateId: "${t2}"}) { id templateId } }`,
    );
    expect(moved.json.data.updateEndpointTemplate).toEqual({ id: e.id, templateId: t2 });

    const inline = await gql(twin, SAVE_ENDPOINT, {
      input: {
        name: 'inline',
        template: { name: 'inline-tpl', imageName: 'x', containerDiskInGb: 5, dockerArgs: '', env: [] },
      },
    });
    const tplId = inline.json.data.saveEndpoint.templateId;
    const tpl = await gql(twin, `{ podTemplate(id: "${tplId}") { name isServerless } }`);
    expect(tpl.json.data.podTemplate).toEqual({ name: 'inline-tpl', isServerless: true });
  });
});

describe('templates', () => {
  it('saves, updates by id, keeps names unique, deletes by name unless an endpoint uses it', async () => {
    const id = await template('base', false);
    const dup = await gql(
      twin,
      `mutation { saveTemplate(input: {name: "base", containerDiskInGb: 1, volumeInGb: 0, dockerArgs: "", env: []}) { id } }`,
    );
    expect(firstError(dup)).toMatch(/must be unique/);
    const upd = await gql(
      twin,
      `mutation { saveTemplate(input: {id: "${id}", name: "base2", imageName: "new", containerDiskInGb: 1, volumeInGb: 0, dockerArgs: "", env: []}) { id name imageName } }`,
    );
    expect(upd.json.data.saveTemplate).toEqual({ id, name: 'base2', imageName: 'new' });

    const sid = await template('served');
    await gql(twin, SAVE_ENDPOINT, { input: { name: 'api', templateId: sid } });
    const inUse = await gql(twin, 'mutation { deleteTemplate(templateName: "served") }');
    expect(firstError(inUse)).toMatch(/used by an endpoint/);

    const del = await gql(twin, 'mutation { deleteTemplate(templateName: "base2") }');
    expect(del.json).toEqual({ data: { deleteTemplate: null } });
    const names = (await gql(twin, '{ myself { podTemplates { name } } }')).json.data.myself.podTemplates;
    expect(names).toEqual([{ name: 'served' }]);
    const byId = await gql(twin, 'mutation { deleteTemplate(templateName: "nope") }');
    expect(firstError(byId)).toMatch(/not found/);
  });
});
