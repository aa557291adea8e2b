// Handler flows through the real Bolt app and services, RunPod faked in memory: what a person sees
// for the paths the end-to-end tests do not walk (no capacity, pagination, /gpu's Create pod button).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, CREATE } from '../../src/handlers/ids.ts';
import type { FakeMessage } from '../../src/sandbox/console/slack-fake.ts';
import { type InProc, startInProcess } from './inproc.ts';

describe('handler flows', () => {
  let t: InProc;
  beforeAll(async () => {
    t = await startInProcess();
  });
  afterAll(() => t.close());

  const run = async (line: string): Promise<FakeMessage[]> => {
    const before = t.fake.messages.length;
    await t.sim.command(line);
    await t.idle();
    return t.fake.messages.slice(before);
  };

  it('no capacity: the progress message says why and offers other GPU types as buttons', async () => {
    const out = await run('/pod create gpu=h100 count=1 for="big job"');
    const progress = out.find((m) => !m.ephemeral);
    expect(progress).toBeDefined();
    const final = t.fake.message(progress!.id)!;
    expect(final.text).toMatch(/Next step/);
    const alternatives = t.sim.buttons(final).filter((b) => b.actionId.startsWith(ACTIONS.podCreateOpen));
    expect(alternatives.length).toBeGreaterThan(0);
    expect(alternatives[0]?.text).toMatch(/^Create with /);
    // The button opens the form prefilled with the other GPU, the rest of the choices kept.
    await t.sim.click(alternatives[0]!);
    await t.idle();
    const view = t.sim.openView();
    expect(view).toBeDefined();
    const gpu = t.sim.inputs(view!).find((i) => i.blockId === CREATE.gpu.block);
    expect(gpu?.current).toBe(JSON.parse(alternatives[0]!.value!).gpuTypeId);
    const label = t.sim.inputs(view!).find((i) => i.blockId === CREATE.label.block);
    expect(label?.current).toBe('big job');
    t.sim.cancel(view!);
  });

  it('/gpu answers in the ack; its Create pod button opens the form with GPU, count and tensor-parallel env', async () => {
    const { ack, message } = await t.sim.command('/gpu llama 3.1 405b fp8 32k context');
    expect(ack.status).toBe(200);
    expect(message?.text).toMatch(/405B/);
    await t.idle();
    const current = t.fake.message(message!.id)!;
    const multi = t.sim.buttons(current).find((b) => b.value && JSON.parse(b.value).gpuCount > 1);
    expect(multi).toBeDefined();
    await t.sim.click(multi!);
    await t.idle();
    const view = t.sim.openView()!;
    const inputs = t.sim.inputs(view);
    const count = inputs.find((i) => i.blockId === CREATE.count.block)?.current;
    expect(inputs.find((i) => i.blockId === CREATE.env.block)?.current).toContain(
      `TENSOR_PARALLEL_SIZE=${count}`,
    );
    t.sim.cancel(view);
  });

  it('a long pod list paginates; Next replaces the message with the next page', async () => {
    for (let i = 0; i < 14; i++)
      t.runpod.seedPod({ name: `extra-pod-${String(i).padStart(2, '0')}`, gpuTypeId: 'NVIDIA RTX A6000' });
    const [list] = await run('/pod list');
    expect(list?.text).toMatch(/All pods: \d+ pods/);
    const next = t.sim.button(list!, ACTIONS.podListNext);
    await t.sim.click(next);
    await t.idle();
    const replaced = t.fake.message(list!.id)!;
    expect(replaced.version).toBe(1);
    expect(JSON.stringify(replaced.blocks)).toMatch(/page 2 of/);
    expect(t.sim.buttons(replaced).some((b) => b.actionId === ACTIONS.podListPrev)).toBe(true);
  });

  it('/pod resume of a stopped pod, then resume again answers that it is already running', async () => {
    const [first] = await run('/pod resume carol-notebook');
    expect(first?.text).toMatch(/resum/i);
    const [second] = await run('/pod resume carol-notebook');
    expect(second?.text).toMatch(/already/i);
  });

  it('/volume and /endpoint changes answer with the outcome; service refusals are sentences', async () => {
    const [created] = await run('/volume create scratch 50 EU-RO-1');
    expect(created?.text).toMatch(/scratch/);
    const [shrink] = await run('/volume resize scratch 10');
    expect(shrink?.text).toMatch(/only grow|grow/i);
    const [upd] = await run('/endpoint update whisper workers-max=5');
    expect(upd?.text).toMatch(/whisper/);
    const [gone] = await run('/endpoint delete no-such-endpoint');
    expect(gone?.text).toMatch(/no|not/i);
  });

  it('Slack refused nothing, nothing failed unexpectedly', () => {
    expect(t.fake.rejections).toEqual([]);
    expect(t.logs.lines.filter((l) => /"level":50/.test(l))).toEqual([]);
  });
});
