// The Home tab through the real Bolt app over signed HTTP: app_home_opened arrives as Slack sends
// it (an event_callback envelope, JSON, signed), podbay publishes each person's Home with
// views.publish to the loopback Slack, and the views are compared with golden files and Slack's
// limits — for a viewer, an operator and an approver under a policy file. Then the Home follows
// what happens: an approval decided from the Home, a new request, an alert posted, "Ask which GPU".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, HOME, VIEWS } from '../../src/handlers/ids.ts';
import { checkHome } from '../../src/handlers/views/limits.ts';
import {
  appHomeOpenedEnvelope,
  SlackSimulator,
  type Transport,
} from '../../src/sandbox/console/simulator.ts';
import { golden } from '../handlers/views/golden.ts';
import { FIXTURES_DIR, fixturePayloads } from '../slack/fixtures.ts';
import { type Harness, SIGNING_SECRET, startPodbay } from '../slack/harness.ts';
import { parseAck, postRaw, SignedHttpTransport } from '../slack/http-driver.ts';
import {
  APR1,
  APR2,
  CREATE_REQ,
  homeWorld,
  type HomeWorld,
  OPS,
  policyFile,
  TERMINATE_REQ,
  VIEWER,
} from './world.ts';

type Json = Record<string, unknown>;

/** Polls an async condition (the fake's waitFor takes synchronous checks). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Slack's HTTP delivery of the Events API: the envelope as a JSON body, signed like every request. */
class EventsTransport extends SignedHttpTransport {
  async event(envelope: Json) {
    const raw = JSON.stringify(envelope);
    return parseAck(
      await postRaw(this.eventsUrl, raw, { ...this.headers(raw), 'content-type': 'application/json' }),
    );
  }
}

describe('the Home tab through Bolt, over signed HTTP', () => {
  let h: Harness;
  let w: HomeWorld;
  let transport: Transport;
  const sims = new Map<string, SlackSimulator>();
  const as = (userId: string): SlackSimulator => {
    let s = sims.get(userId);
    if (!s) {
      s = new SlackSimulator(h.fake, transport, { userId, userName: userId.toLowerCase() }, fixturePayloads);
      sims.set(userId, s);
    }
    return s;
  };
  const publishes = (userId: string) => h.fake.homePublishes(userId);
  const latest = (userId: string) => JSON.stringify(publishes(userId).at(-1) ?? null);
  /** Waits until the person has more than `n` publishes and the latest satisfies `check`. */
  const republished = (userId: string, n: number, check: (view: string) => boolean, what: string) =>
    h.fake.waitFor(
      () => publishes(userId).length > n && check(latest(userId)),
      15_000,
      `${userId}'s Home to show ${what}`,
    );

  beforeAll(async () => {
    w = await homeWorld();
    h = await startPodbay({
      env: {
        PODBAY_POLICY: policyFile(),
        PODBAY_TZ: 'Europe/Berlin',
        // The scan and the digest run only when a test asks (the clock is fixed).
        PODBAY_SCAN_CRON: '0 0 1 1 *',
        PODBAY_DIGEST_CRON: '0 0 1 1 *',
      },
      start: { runpod: w.runpod, store: w.store, clock: w.clock },
    });
    transport = new EventsTransport(`http://127.0.0.1:${h.running.port}/slack/events`, SIGNING_SECRET);
  });
  afterAll(() => h?.close());

  it('app_home_opened is built like Slack’s documented event envelope', () => {
    const doc = JSON.parse(readFileSync(join(FIXTURES_DIR, 'events-app-mention.json'), 'utf8')) as Json;
    const ours = appHomeOpenedEnvelope(as(VIEWER).who, null);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(doc).sort());
    expect(ours.type).toBe('event_callback');
    expect(ours.event).toMatchObject({ type: 'app_home_opened', user: VIEWER, tab: 'home' });
  });

  it('publishes the viewer’s, the operator’s and the approver’s Home: goldens, within the limits', async () => {
    for (const [user, name] of [
      [VIEWER, 'home-viewer'],
      [OPS, 'home-operator'],
      [APR1, 'home-approver'],
    ] as const) {
      const ack = await as(user).openHome();
      expect(ack.status).toBe(200);
      const view = await h.fake.waitFor(() => publishes(user)[0], 10_000, `${name} published`);
      expect(checkHome(view)).toEqual([]);
      expect((view.blocks as unknown[]).length).toBeLessThanOrEqual(100);
      golden(name, view);
    }
    // What each one sees, in words (the goldens hold the rest).
    expect(latest(VIEWER)).not.toContain(ACTIONS.podCreateOpen);
    expect(latest(VIEWER)).not.toContain(ACTIONS.approvalApprove);
    expect(latest(VIEWER)).toContain(ACTIONS.homeAskGpu);
    expect(latest(OPS)).toContain('ops-train-a1b2');
    expect(latest(OPS)).toContain('*idle* since');
    expect(latest(OPS)).toContain('busy now');
    expect(latest(OPS)).toContain(TERMINATE_REQ); // its Withdraw button
    expect(latest(OPS)).not.toContain('shared-jupyter');
    expect(latest(OPS)).not.toContain(ACTIONS.approvalApprove);
    expect(latest(APR1)).toContain(`"value":"${TERMINATE_REQ}"`);
    expect(latest(APR1)).toContain(`"value":"${CREATE_REQ}"`);
    expect(latest(APR1)).not.toContain(ACTIONS.podCreateOpen);
    // One publish each: opening the Home is not a refresh for anybody else.
    expect(publishes(VIEWER)).toHaveLength(1);
  });

  it('opening the Home again with nothing changed publishes nothing new', async () => {
    const before = publishes(OPS).length;
    await as(OPS).openHome();
    await as(APR2).openHome();
    await h.fake.waitFor(() => publishes(APR2).length === 1, 10_000, 'the second approver’s Home');
    expect(publishes(OPS).length).toBe(before);
  });

  it('Approve on the approver’s Home decides the request and updates the Homes of the requester and the approvers', async () => {
    const nOps = publishes(OPS).length;
    const nApr1 = publishes(APR1).length;
    const nApr2 = publishes(APR2).length;
    const nViewer = publishes(VIEWER).length;
    const approve = as(APR1)
      .homeButtons()
      .find((b) => b.actionId === ACTIONS.approvalApprove && b.value === TERMINATE_REQ);
    expect(approve?.confirm).toBeTruthy();
    expect((await as(APR1).clickHome(approve!)).status).toBe(200);

    await until(
      async () => (await h.running.approvals.get(TERMINATE_REQ))?.status === 'done',
      'the terminate to run',
    );
    expect(await w.runpod.getPod(w.pods.old)).toBeNull();
    // The requester: the request and the pod are gone from their Home.
    await republished(
      OPS,
      nOps,
      (v) => !v.includes(TERMINATE_REQ) && !v.includes('ops-old-g7h8'),
      'the outcome',
    );
    // Both approvers: it no longer waits for them; the other request still does.
    for (const [user, n] of [
      [APR1, nApr1],
      [APR2, nApr2],
    ] as const) {
      await republished(user, n, (v) => !v.includes(TERMINATE_REQ) && v.includes(CREATE_REQ), 'the decision');
      expect(checkHome(publishes(user).at(-1))).toEqual([]);
    }
    // The viewer sees no requests: their Home is not republished.
    expect(publishes(VIEWER).length).toBe(nViewer);
    // A click on the Home has no response_url: the outcome reaches the approver by DM.
    await h.fake.waitFor(
      () => h.fake.messages.find((m) => m.channel === APR1 && /terminat|approv/i.test(m.text)),
      8000,
      'the approver told the outcome by DM',
    );
  });

  it('a new request shows on the requester’s Home and on the Homes of the approvers', async () => {
    const nOps = publishes(OPS).length;
    const nApr2 = publishes(APR2).length;
    const { ack } = await as(OPS).command('/pod create gpu=a100 count=1 for="big eval"');
    expect(ack.status).toBe(200);
    await republished(OPS, nOps, (v) => v.includes('big-eval') && v.includes(ACTIONS.approvalWithdraw), 'it');
    await republished(
      APR2,
      nApr2,
      (v) => v.includes('big-eval') && v.includes(ACTIONS.approvalApprove),
      'it',
    );
  });

  it('an alert posted by the scan refreshes its pod owner’s Home', async () => {
    const nOps = publishes(OPS).length;
    const nViewer = publishes(VIEWER).length;
    expect(latest(OPS)).not.toContain('Open the alert');
    await h.running.alertJobs.tick(w.clock.now());
    await republished(
      OPS,
      nOps,
      (v) => v.includes('Open the alert') && v.includes('C0ALERTS'),
      'the posted alert',
    );
    expect(publishes(VIEWER).length).toBe(nViewer);
  });

  it('“Ask which GPU” on the Home opens a question and answers it by DM', async () => {
    const ops = as(OPS);
    const ask = ops.homeButtons().find((b) => b.actionId === ACTIONS.homeAskGpu);
    expect(ask).toBeDefined();
    await ops.clickHome(ask!);
    const modal = await h.fake.waitFor(
      () => (ops.openView()?.view.callback_id === VIEWS.homeAskGpu ? ops.openView() : undefined),
      5000,
      'the question modal',
    );
    const empty = await ops.submit(modal);
    expect(empty.errors).toMatchObject({ [HOME.question.block]: expect.any(String) });
    await ops.set(modal, HOME.question.block, 'llama 3.1 8b');
    const sent = await ops.submit(modal);
    expect(sent.errors).toBeNull();
    const dm = await h.fake.waitFor(
      () =>
        h.fake
          .visibleMessages()
          .find((m) => m.channel === OPS && JSON.stringify(m.blocks).includes('You asked from the Home tab')),
      10_000,
      'the answer by DM',
    );
    expect(h.sim.buttons(dm).some((b) => b.actionId.startsWith(ACTIONS.podCreateOpen))).toBe(true);
  });

  it('“Create pod” on the Home opens the create form', async () => {
    const ops = as(OPS);
    const create = ops.homeButtons().find((b) => b.actionId === ACTIONS.podCreateOpen);
    expect(create).toBeDefined();
    await ops.clickHome(create!);
    await h.fake.waitFor(
      () => ops.openView()?.view.callback_id === VIEWS.podCreate,
      5000,
      'the create modal',
    );
  });

  it('Slack refused nothing podbay sent, and every publish went through', () => {
    expect(h.fake.rejections).toEqual([]);
    expect(h.fake.callsTo('views.publish').every((c) => c.ok)).toBe(true);
    expect(h.logs.text()).not.toContain('could not publish a Home tab');
  });
});
