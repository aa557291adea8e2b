// End to end over HTTP on loopback, the way Slack drives an app: signed form-encoded slash commands,
// payload= interactions built from Slack's fixtures, Web API calls landing on the SlackFake, the
// RunPod twin behind it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, CREATE } from '../../src/handlers/ids.ts';
import type { FakeMessage } from '../../src/sandbox/console/slack-fake.ts';
import { everythingSlackSaw, type Harness, messageMatching, startPodbay } from './harness.ts';
import { E2E_ENV_SECRET } from '../support/secrets.ts';

const SECRET_ENV = E2E_ENV_SECRET;

describe('podbay over HTTP, end to end', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startPodbay();
  });
  afterAll(() => h.close());

  const answer = async (line: string, re: RegExp): Promise<FakeMessage> => {
    const before = h.fake.messages.length;
    const { ack } = await h.sim.command(line);
    expect(ack.status).toBe(200);
    return h.fake.waitFor(
      () => h.fake.messages.slice(before).find((m) => !m.deleted && re.test(m.text)),
      8000,
      `an answer to ${line} matching ${re}`,
    );
  };

  it('/pod help answers with usage in the ack, ephemeral, without calling RunPod', async () => {
    const { ack, message } = await h.sim.command('/pod help');
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(message?.text).toContain('/pod list');
    expect(message?.ephemeral).toBe(true);
  });

  it('an unknown subcommand answers with what went wrong and the usage', async () => {
    const { message } = await h.sim.command('/pod frobnicate x');
    expect(message?.text).toMatch(/no “frobnicate” command/);
    expect(message?.text).toContain('/pod stop');
  });

  it('/pod list acks at once, then the twin’s pods arrive through response_url with buttons', async () => {
    const { ack } = await h.sim.command('/pod list');
    expect(ack.body).toBeNull();
    const list = await messageMatching(h.fake, /All pods: \d+ pods/);
    expect(list.ephemeral).toBe(true);
    expect(list.via).toBe('response_url');
    const buttons = h.sim.buttons(list);
    expect(buttons.some((b) => b.actionId === ACTIONS.podStop && b.confirm)).toBe(true);
    expect(list.text).toContain('alice-llama70b-serve');
  });

  it('/pod status <name> shows one pod; an unknown pod says so', async () => {
    const m = await answer('/pod status bob-sdxl-train', /bob-sdxl-train \(/);
    expect(m.text).toMatch(/running/);
    const none = await answer('/pod status no-such-pod-anywhere', /No pod matches/);
    expect(none.ephemeral).toBe(true);
  });

  it('a stop button re-reads the pod: the second click answers "already stopped"', async () => {
    const list = await answer('/pod list all', /All pods/);
    const stop = h.sim.button(
      list,
      (b) => b.actionId === ACTIONS.podStop && b.value !== undefined && list.text.includes('bob-sdxl-train'),
    );
    const target = h.sim.buttons(list).find((b) => b.actionId === ACTIONS.podStop && b.value === stop.value);
    expect(target).toBeDefined();
    const before = h.fake.messages.length;
    expect((await h.sim.click(target!)).status).toBe(200);
    const first = await h.fake.waitFor(
      () => h.fake.messages.slice(before).find((m) => /stop/i.test(m.text)),
      8000,
      'stop outcome',
    );
    expect(first.text).not.toMatch(/already/i);
    const before2 = h.fake.messages.length;
    await h.sim.click(target!);
    const second = await h.fake.waitFor(
      () => h.fake.messages.slice(before2).find((m) => /stop/i.test(m.text)),
      8000,
      'second outcome',
    );
    expect(second.text).toMatch(/already/i);
    expect(second.blocks.length).toBeGreaterThan(0);
  });

  it('a typed /pod terminate only asks; the Terminate button (with its confirm) deletes', async () => {
    const carol = h.twin.control.podByName('carol-notebook');
    expect(carol).not.toBeNull();
    const ask = await answer('/pod terminate carol', /Confirm: terminate carol-notebook/);
    expect(h.twin.control.pod(carol!.id)).not.toBeNull();
    const button = h.sim.buttons(ask).find((b) => b.actionId === ACTIONS.podTerminate);
    expect(button?.confirm).toBeTruthy();
    const before = h.fake.messages.length;
    await h.sim.click(button!);
    const done = await h.fake.waitFor(
      () => h.fake.messages.slice(before).find((m) => /terminat/i.test(m.text)),
      8000,
      'terminate outcome',
    );
    expect(done.text).not.toMatch(/already/i);
    const after = await answer('/pod status carol-notebook', /No pod matches/);
    expect(after.ephemeral).toBe(true);
  });

  it('a reference matching several pods is answered with a choice', async () => {
    const m = await answer('/pod stop i', /More than one pod matches/);
    const choices = h.sim.buttons(m);
    expect(choices.length).toBeGreaterThan(1);
    expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
  });

  it('/gpu prices and /gpu stock come from the twin', async () => {
    const prices = await answer('/gpu prices', /GPU prices/);
    expect(prices.text).toMatch(/\$\d/);
    const stock = await answer('/gpu stock', /GPU stock/);
    expect(stock.blocks.length).toBeGreaterThan(1);
  });

  it('/spend shows balance, spend per hour, runway and owners', async () => {
    const m = await answer('/spend', /Balance \$/);
    expect(m.text).toMatch(/runway/);
  });

  it('/volume list and /endpoint list', async () => {
    await answer('/volume list', /network volume/);
    await answer('/endpoint list', /endpoint/);
  });

  it('create flow: modal opens in time, quote arrives, re-quotes on change, submit creates and one message follows it to running', async () => {
    const { ack } = await h.sim.command('/pod create');
    expect(ack.status).toBe(200);
    const opened = await h.fake.waitFor(() => h.sim.openView(), 3000, 'the create modal');
    // The modal was opened with the trigger before any RunPod call: it is the first thing that happened.
    const open = h.fake.callsTo('views.open').at(-1);
    expect(open?.ok).toBe(true);

    const gpu = h.sim.inputs(opened).find((i) => i.blockId === CREATE.gpu.block);
    const a6000 = gpu?.options.find((o) => /A6000/.test(o.text));
    expect(a6000).toBeDefined();
    const updatesBefore = h.fake.callsTo('views.update').length;
    await h.sim.set(opened, CREATE.gpu.block, a6000!.value);
    await h.fake.waitFor(() => h.fake.callsTo('views.update').length > updatesBefore, 5000, 'a re-quote');
    const quoted = await h.fake.waitFor(
      () => {
        const v = h.fake.view(opened.id);
        return v && JSON.stringify(v.view).includes('/day') ? v : undefined;
      },
      5000,
      'the quote in the modal',
    );
    expect(JSON.stringify(quoted.view)).toMatch(/runway/);

    await h.sim.set(quoted, CREATE.count.block, '2');
    await h.sim.set(quoted, CREATE.label.block, 'e2e eval');
    await h.sim.set(quoted, CREATE.env.block, `HF_TOKEN=${SECRET_ENV}\nMODE=fast`);

    // A bad field is answered in the ack, under the field.
    await h.sim.set(quoted, CREATE.ports.block, 'not ports');
    const bad = await h.sim.submit(quoted);
    expect(bad.errors).toMatchObject({ [CREATE.ports.block]: expect.stringMatching(/8888\/http/) });
    await h.sim.set(quoted, CREATE.ports.block, '8888/http,22/tcp');

    const ok = await h.sim.submit(quoted);
    expect(ok.errors).toBeNull();
    expect(ok.ack.status).toBe(200);

    const running = await h.fake.waitFor(
      () =>
        h.fake
          .visibleMessages()
          .find(
            (m) => !m.ephemeral && /e2e-eval/.test(m.text) && JSON.stringify(m.blocks).includes('*Connect*'),
          ),
      30_000,
      'the progress message to reach running',
    );
    expect(running.channel).toBe(h.sim.who.channelId);
    expect(h.sim.buttons(running).map((b) => b.actionId)).toEqual([ACTIONS.podStop, ACTIONS.podTerminate]);
    expect(JSON.stringify(running.blocks)).toMatch(/proxy\.runpod\.net|\d+\.\d+\.\d+\.\d+:\d+/);
    expect(running.text).toContain('alice');
    expect(JSON.stringify(running.blocks)).toMatch(/HF_TOKEN/);
    // One message, updated in place.
    expect(
      h.fake
        .callsTo('chat.postMessage')
        .filter(
          (c) => JSON.stringify(c.args).includes('e2e-eval') || JSON.stringify(c.args).includes('e2e eval'),
        ),
    ).toHaveLength(1);
    expect(h.fake.callsTo('chat.update').length).toBeGreaterThan(0);

    // The pod is recorded as alice's.
    const mine = await answer('/pod list mine', /Your pods/);
    expect(mine.text).toContain('e2e-eval');
  }, 60_000);

  it('no env value, token or signing secret reached Slack or the log', () => {
    const slack = everythingSlackSaw(h.fake);
    for (const secret of [SECRET_ENV, 'xoxb-test', 'e2e-signing-secret']) {
      expect(slack.includes(secret)).toBe(false);
      expect(h.logs.text().includes(secret)).toBe(false);
    }
  });

  it('Slack refused nothing podbay sent (limits, trigger ids, response_url uses)', () => {
    expect(h.fake.rejections).toEqual([]);
  });
});
