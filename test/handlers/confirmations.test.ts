// Destructive commands ask first: /volume delete and /endpoint delete show what goes with a Delete
// button; a typed /pod stop|resume that matches only part of a name shows the pod and asks; button
// values are exact ids and resolve exactly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import type { FakeMessage } from '../../src/sandbox/console/slack-fake.ts';
import { type InProc, startInProcess } from './inproc.ts';

describe('confirmations', () => {
  let h: InProc;
  beforeAll(async () => {
    h = await startInProcess();
  });
  afterAll(() => h.close());

  async function say(line: string): Promise<FakeMessage[]> {
    const from = h.fake.messages.length;
    await h.sim.command(line);
    await h.idle();
    return h.fake.messages.slice(from);
  }

  it('/volume delete asks; the Delete button deletes exactly that volume', async () => {
    const vol = (await h.runpod.listVolumes()).find((v) => v.name === 'models');
    const [ask] = await say('/volume delete models');
    expect(ask?.text).toMatch(/Confirm: delete network volume models/);
    expect((await h.runpod.listVolumes()).some((v) => v.id === vol?.id)).toBe(true);
    const del = h.sim.button(ask as FakeMessage, ACTIONS.volumeDelete);
    expect(del.confirm?.title).toMatch(/Delete models\?/);
    expect(JSON.parse(del.value ?? '')).toEqual({ id: vol?.id, why: null });
    await h.sim.click(del);
    await h.idle();
    expect((await h.runpod.listVolumes()).some((v) => v.id === vol?.id)).toBe(false);
  });

  it('/endpoint delete asks; the Delete button deletes it', async () => {
    const [ask] = await say('/endpoint delete whisper');
    expect(ask?.text).toMatch(/Confirm: delete endpoint whisper/);
    expect((await h.runpod.listEndpoints()).some((e) => e.name === 'whisper')).toBe(true);
    await h.sim.click(h.sim.button(ask as FakeMessage, ACTIONS.endpointDelete));
    await h.idle();
    expect((await h.runpod.listEndpoints()).some((e) => e.name === 'whisper')).toBe(false);
  });

  it('a typed stop that matches part of a name shows the pod and asks; an exact name acts', async () => {
    const bob = (await h.runpod.listPods()).find((p) => p.name === 'bob-sdxl-train');
    const [ask] = await say('/pod stop sdxl');
    expect(ask?.text).toMatch(/“sdxl” matches bob-sdxl-train/);
    expect((await h.runpod.getPod(bob?.id as string))?.status).toBe('RUNNING');
    const stop = h.sim.button(ask as FakeMessage, ACTIONS.podStop);
    expect(stop.value).toBe(bob?.id);
    await h.sim.click(stop);
    await h.idle();
    expect((await h.runpod.getPod(bob?.id as string))?.status).toBe('EXITED');
    const [done] = await say('/pod resume bob-sdxl-train');
    expect(done?.text).toMatch(/Resuming bob-sdxl-train/);
  });

  it('a button whose value is only part of a name does nothing', async () => {
    const alice = (await h.runpod.listPods()).find((p) => p.name === 'alice-llama70b-serve');
    const [list] = await say('/pod list');
    const stop = h.sim
      .buttons(list as FakeMessage)
      .find((b) => b.actionId === ACTIONS.podStop && b.value === alice?.id);
    expect(stop).toBeDefined();
    const before = h.fake.messages.length;
    await h.sim.click({ ...(stop as NonNullable<typeof stop>), value: 'alice' });
    await h.idle();
    expect(h.fake.messages.slice(before).some((m) => /There is no pod "alice"/.test(m.text))).toBe(true);
    expect((await h.runpod.getPod(alice?.id as string))?.status).toBe('RUNNING');
  });
});
