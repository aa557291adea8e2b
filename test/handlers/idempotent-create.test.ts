// Idempotent submissions over signed HTTP: the same modal submission delivered twice, or a signed
// /pod create replayed, creates one pod. A submission for a form podbay never opened is refused,
// and the outcome goes to the channel in podbay's own record, not the one the client sends back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREATE } from '../../src/handlers/ids.ts';
import type { FakeView } from '../../src/sandbox/console/slack-fake.ts';
import { fixturePayloads } from '../slack/fixtures.ts';
import { type Harness, startPodbay } from '../slack/harness.ts';

describe('idempotent creates', () => {
  let h: Harness & { transport: import('../../src/sandbox/console/simulator.ts').Transport };
  beforeAll(async () => {
    h = await startPodbay();
  });
  afterAll(() => h.close());

  const podsNamed = (part: string) => h.twin.control.summary().pods.filter((p) => p.name.includes(part));

  async function filledForm(label: string): Promise<FakeView> {
    await h.sim.command('/pod create');
    const opened = await h.fake.waitFor(() => h.sim.openView(), 5000, 'the create form');
    const a6000 = h.sim
      .inputs(opened)
      .find((i) => i.blockId === CREATE.gpu.block)
      ?.options.find((o) => /A6000/.test(o.text));
    await h.sim.set(opened, CREATE.gpu.block, a6000?.value ?? null);
    await h.sim.set(h.fake.view(opened.id) ?? opened, CREATE.label.block, label);
    await h.fake.waitFor(() => /\/day/.test(JSON.stringify(h.fake.view(opened.id)?.view)), 8000, 'the quote');
    return h.fake.view(opened.id) ?? opened;
  }

  const submission = (view: FakeView, edit: (v: Record<string, unknown>) => void = () => {}) => {
    const v = h.fake.viewPayload(view, h.sim.stateValues(view));
    edit(v);
    return fixturePayloads.viewSubmission(h.sim.who, {
      view: v,
      triggerId: h.fake.issueTriggerId(h.sim.who.userId),
    });
  };

  it('the same modal submission delivered twice (and at once) creates one pod', async () => {
    const view = await filledForm('twice');
    const payload = submission(view);
    const [a, b] = await Promise.all([h.transport.interaction(payload), h.transport.interaction(payload)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const again = await h.transport.interaction(payload);
    expect(again.status).toBe(200);
    await h.running.work.idle();
    expect(podsNamed('-twice-')).toHaveLength(1);
  });

  it('a replayed signed /pod create creates one pod', async () => {
    const form = fixturePayloads.slashCommand(h.sim.who, {
      command: '/pod',
      text: 'create gpu=a6000 for="replayed"',
      responseUrl: h.fake.issueResponseUrl(h.sim.who.channelId, h.sim.who.userId),
      triggerId: h.fake.issueTriggerId(h.sim.who.userId),
    });
    const [a, b] = await Promise.all([h.transport.command(form), h.transport.command(form)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.running.work.idle();
    await h.fake.waitFor(() => podsNamed('-replayed-').length > 0, 8000, 'the pod');
    await h.running.work.idle();
    expect(podsNamed('-replayed-')).toHaveLength(1);
  });

  it('a submission for a form podbay never opened is refused in the form', async () => {
    const view = await filledForm('forged');
    const payload = submission(view, (v) => {
      v.id = 'V0FORGED0000';
    });
    const ack = await h.transport.interaction(payload);
    expect(ack.body).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify(ack.body)).toMatch(/does not know this form/);
    await h.running.work.idle();
    expect(podsNamed('-forged-')).toHaveLength(0);
    h.sim.cancel(view);
  });

  it('the outcome goes to the channel podbay recorded, whatever private_metadata says', async () => {
    const view = await filledForm('moved');
    const payload = submission(view, (v) => {
      v.private_metadata = JSON.stringify({ channel: 'C0ELSEWHERE' });
    });
    await h.transport.interaction(payload);
    const m = await h.fake.waitFor(
      () => h.fake.messages.find((x) => /moved/.test(x.text) && !x.ephemeral),
      8000,
      'the progress message',
    );
    expect(m.channel).toBe(h.sim.who.channelId);
    expect(h.fake.messages.some((x) => x.channel === 'C0ELSEWHERE')).toBe(false);
  });
});
