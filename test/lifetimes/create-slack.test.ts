// stop_after through the real Bolt app and handlers (RunPod and Slack faked in process): the
// command's usage answer, the form's "Stop after" field (prefilled with the role default, a bad
// value a field error that keeps the form), and what the person is told once the pod exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE } from '../../src/handlers/ids.ts';
import { LifetimeService } from '../../src/services/lifetimes.ts';
import { PodService } from '../../src/services/pods.ts';
import type { FakeMessage } from '../../src/sandbox/console/slack-fake.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { EXAMPLE_POLICY } from '../approvals/world.ts';
import { type InProc, startInProcess } from '../handlers/inproc.ts';

const H = 3_600_000;
const POLICY = `${EXAMPLE_POLICY}lifetimes:\n  default: 8h\n  admin: 2d\n`;

describe('stop_after in Slack', () => {
  let t: InProc;
  let lifetimes: LifetimeService;
  beforeAll(async () => {
    t = await startInProcess({ policy: POLICY });
    // The pod service as main.ts wires it: with the lifetime records.
    const store = new MemoryStore();
    lifetimes = new LifetimeService({ store, clock: t.clock });
    const access = t.deps.access;
    const approvals = t.deps.approvals;
    if (!access || !approvals) throw new Error('the policy wires access and approvals');
    t.deps.pods = new PodService({
      runpod: t.runpod,
      store,
      clock: t.clock,
      guard: { access, approvals },
      lifetimes,
    });
    t.sim.actAs('U0REQ', 'req'); // an operator
  });
  afterAll(() => t.close());

  const run = async (line: string): Promise<FakeMessage[]> => {
    const before = t.fake.messages.length;
    await t.sim.command(line);
    await t.idle();
    return t.fake.messages.slice(before).map((m) => t.fake.message(m.id) ?? m);
  };

  it('a bad stop_after is answered with what is accepted, and nothing is created', async () => {
    const before = (await t.runpod.listPods()).length;
    // U0REQ's roles need a user group looked up: the answer comes through response_url.
    const [message] = await run('/pod create gpu=a6000 stop_after=soon');
    expect(message?.ephemeral).toBe(true);
    expect(message?.text).toContain('stop_after "soon" is not a duration; write e.g. 90m, 8h or 2d.');
    expect(message?.text).toContain('stop_after=8h | stop_after=none');
    expect((await t.runpod.listPods()).length).toBe(before);
  });

  it('/pod create … stop_after=3h creates the pod with that lifetime and says when it stops', async () => {
    const out = await run('/pod create gpu=a6000 stop_after=3h for="short eval"');
    const progress = out.find((m) => !m.ephemeral);
    expect(progress?.text).toMatch(/stops automatically at 15:00 UTC \(stop_after 3h\)/);
    const [life] = (await lifetimes.list()).filter((l) => l.podName.includes('short-eval'));
    expect(life).toMatchObject({ stopAtMs: t.clock.now().getTime() + 3 * H, setBy: 'U0REQ' });
  });

  it('/pod create … stop_after=none: no lifetime although the role has a default', async () => {
    const out = await run('/pod create gpu=a6000 stop_after=none for="keep running"');
    expect(out.find((m) => !m.ephemeral)?.text).not.toMatch(/stops automatically/);
    expect((await lifetimes.list()).filter((l) => l.podName.includes('keep-running'))).toEqual([]);
  });

  it('/pod create … without stop_after: the role default', async () => {
    await run('/pod create gpu=a6000 for="default life"');
    const [life] = (await lifetimes.list()).filter((l) => l.podName.includes('default-life'));
    expect(life).toMatchObject({ stopAtMs: t.clock.now().getTime() + 8 * H, setBy: 'policy' });
  });

  it('the form: prefilled with the role default; a bad value is an error on that field, the form kept', async () => {
    await t.sim.command('/pod create');
    await t.idle();
    const view = t.sim.openView();
    if (!view) throw new Error('no form opened');
    const field = t.sim.inputs(view).find((i) => i.blockId === CREATE.stopAfter.block);
    expect(field).toMatchObject({ label: 'Stop after', optional: true, current: '8h' });
    expect(field?.hint).toMatch(/your role’s default \(8h\)/);

    await t.sim.set(view, CREATE.label.block, 'form check');
    await t.sim.set(view, CREATE.gpu.block, 'NVIDIA RTX A6000');
    await t.idle();
    await t.sim.set(view, CREATE.stopAfter.block, 'until friday');
    const bad = await t.sim.submit(view);
    expect(bad.errors).toEqual({
      [CREATE.stopAfter.block]: expect.stringMatching(
        /"until friday" is not a duration; write e\.g\. 90m, 8h or 2d/,
      ),
    });
    // Still open, with what was typed.
    const still = t.sim.openView();
    expect(still?.id).toBe(view.id);
    expect(t.sim.inputs(still ?? view).find((i) => i.blockId === CREATE.label.block)?.current).toBe(
      'form check',
    );
    expect((await lifetimes.list()).filter((l) => l.podName.includes('form-check'))).toEqual([]);

    await t.sim.set(view, CREATE.stopAfter.block, '2h');
    const ok = await t.sim.submit(view);
    expect(ok.errors).toBeNull();
    await t.idle();
    const [life] = (await lifetimes.list()).filter((l) => l.podName.includes('form-check'));
    expect(life).toMatchObject({ stopAtMs: t.clock.now().getTime() + 2 * H, setBy: 'U0REQ' });
  });
});
