import { afterEach, describe, expect, it } from 'vitest';
import { type Twin, startTwin } from '../../src/sandbox/twin/server.ts';
import { ACCOUNT, CREATE_ON_DEMAND, firstError, gql } from './twin-helpers.ts';

let twin: Twin;
afterEach(async () => {
  await twin.close();
});

const input = {
  name: 'p',
  imageName: 'img',
  gpuTypeId: 'NVIDIA RTX A6000',
  cloudType: 'SECURE',
  volumeInGb: 100,
};

describe('account balance and spend', () => {
  it('spend rate is running pods, stopped pods’ volume disks and network volumes; balance falls with simulated time', async () => {
    twin = await startTwin({ seed: false, clientBalance: 100 });
    const start = (await gql(twin, ACCOUNT)).json.data.myself;
    expect(start).toEqual({ clientBalance: 100, currentSpendPerHr: 0, spendLimit: 80 });

    const id = (await gql(twin, CREATE_ON_DEMAND, { input })).json.data.podFindAndDeployOnDemand.id;
    expect((await gql(twin, ACCOUNT)).json.data.myself.currentSpendPerHr).toBe(0.49);

    twin.control.advance(2 * 3600);
    expect((await gql(twin, ACCOUNT)).json.data.myself.clientBalance).toBeCloseTo(100 - 0.98, 6);

    await gql(twin, `mutation { podStop(input: {podId: "${id}"}) { id } }`);
    const stoppedRate = (100 * 0.2) / 730;
    expect((await gql(twin, ACCOUNT)).json.data.myself.currentSpendPerHr).toBeCloseTo(stoppedRate, 4);

    await gql(
      twin,
      'mutation { createNetworkVolume(input: {name: "v", size: 1000, dataCenterId: "US-KS-2"}) { id } }',
    );
    const withVolume = stoppedRate + (1000 * 0.07) / 730;
    expect((await gql(twin, ACCOUNT)).json.data.myself.currentSpendPerHr).toBeCloseTo(withVolume, 4);

    twin.control.advance(73 * 3600); // a tenth of a billing month
    expect((await gql(twin, ACCOUNT)).json.data.myself.clientBalance).toBeCloseTo(
      100 - 0.98 - withVolume * 73,
      3,
    );
  });

  it('stops running pods when the balance runs out, and refuses new pods until topped up', async () => {
    twin = await startTwin({ seed: false, clientBalance: 1 });
    const id = (await gql(twin, CREATE_ON_DEMAND, { input: { ...input, volumeInGb: 0 } })).json.data
      .podFindAndDeployOnDemand.id;
    twin.control.advance(3 * 3600); // $0.49/h: runs dry after ~2h02m
    const pod = twin.control.pod(id);
    expect(pod?.desiredStatus).toBe('EXITED');
    expect(pod?.lastStatusChange).toBe('Exited: account balance exhausted');
    expect((await gql(twin, ACCOUNT)).json.data.myself.clientBalance).toBe(0);

    const refused = await gql(twin, CREATE_ON_DEMAND, { input });
    expect(firstError(refused)).toMatch(/balance is too low/);
    twin.control.setAccount({ clientBalance: 50 });
    const again = (await gql(twin, CREATE_ON_DEMAND, { input })).json.data.podFindAndDeployOnDemand;
    expect(again).not.toBeNull();

    // A balance set to zero while pods run stops them at the next tick.
    twin.control.setAccount({ clientBalance: 0 });
    twin.control.advance(1);
    expect(twin.control.pod(again.id)?.desiredStatus).toBe('EXITED');
  });

  it('seeds a demo account with a mix of owners and states', async () => {
    twin = await startTwin();
    const a = await gql(
      twin,
      '{ myself { id email pubKey pods { name desiredStatus podType env runtime { uptimeInSeconds } } networkVolumes { name } endpoints { name } podTemplates { name } } }',
    );
    const me = a.json.data.myself;
    expect(me.id).toMatch(/^user_/);
    const byName = Object.fromEntries(me.pods.map((p: { name: string }) => [p.name, p]));
    expect(byName['alice-llama70b-serve']).toMatchObject({ desiredStatus: 'RUNNING', podType: 'RESERVED' });
    expect(byName['alice-llama70b-serve'].env).toContain('HF_TOKEN=hf_demo_secret_value_alice_7Qx3Lm');
    expect(byName['ci-embeddings'].podType).toBe('INTERRUPTABLE');
    expect(byName['carol-notebook']).toMatchObject({ desiredStatus: 'EXITED', runtime: null });
    expect(byName['erin-whisper-spot'].desiredStatus).toBe('EXITED');
    expect(byName['dana-qwen-finetune']).toMatchObject({ desiredStatus: 'RUNNING', runtime: null });
    expect(me.pods.length).toBeGreaterThanOrEqual(4);
    expect(me.networkVolumes).toHaveLength(2);
    expect(me.endpoints.length).toBeGreaterThanOrEqual(1);
    expect(me.podTemplates.length).toBeGreaterThanOrEqual(2);
    expect((await gql(twin, ACCOUNT)).json.data.myself.currentSpendPerHr).toBeGreaterThan(0);
  });
});
