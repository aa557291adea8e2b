// The ack front on its own, in front of an app that answers when the test says so (an in-memory
// AppPort): what it acks at once, what waits for the app's ack, the queue's order and bounds, the
// operator's endpoints, and a stop that hands every queued request over.
import { afterEach, describe, expect, it } from 'vitest';
import { AckFront, type AppPort } from '../../src/handlers/ack-front.ts';
import type { ForwardedAck, ForwardedRequest } from '../../src/handlers/forwarded-receiver.ts';
import type { OpsAnswer } from '../../src/handlers/ops-endpoints.ts';
import { FrontMetrics } from '../../src/metrics.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { parseExposition } from '../support/prometheus.ts';
import { sign } from '../slack/http-driver.ts';

const SECRET = 'front-test-signing-secret-0123';

interface Held {
  req: ForwardedRequest;
  ack(a: ForwardedAck): void;
  take(work?: number): void;
}

/** An app that takes nothing up until told to. */
class HeldApp implements AppPort {
  readonly held: Held[] = [];

  deliver(req: ForwardedRequest) {
    let ack: (a: ForwardedAck) => void = () => {};
    let take: (t: { work: number }) => void = () => {};
    const p = {
      ack: new Promise<ForwardedAck>((r) => {
        ack = r;
      }),
      taken: new Promise<{ work: number }>((r) => {
        take = r;
      }),
    };
    this.held.push({ req, ack, take: (work = 0) => take({ work }) });
    return p;
  }

  async ops(path: string): Promise<OpsAnswer | null> {
    if (path === '/healthz') return { status: 200, contentType: 'application/json', body: '{"ok":true}' };
    if (path === '/metrics')
      return {
        status: 200,
        contentType: 'text/plain; version=0.0.4; charset=utf-8',
        body: '# HELP podbay_x_total x\n# TYPE podbay_x_total counter\npodbay_x_total 3\n',
      };
    return null;
  }
}

let front: AckFront | undefined;
afterEach(async () => {
  await front?.close(100);
  front = undefined;
});

async function startFront(app: AppPort, o: Partial<ConstructorParameters<typeof AckFront>[0]> = {}) {
  front = new AckFront({
    signingSecret: SECRET,
    eventsPath: '/slack/events',
    app,
    logger: captureLogger([SECRET]).logger,
    metrics: new FrontMetrics(),
    ...o,
  });
  const port = await front.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${port}`;
}

function signedPost(base: string, body: string, secret = SECRET, type = 'application/x-www-form-urlencoded') {
  const ts = String(Math.floor(Date.now() / 1000));
  return fetch(`${base}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': type,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': sign(secret, ts, body),
    },
    body,
  });
}

const command = (text: string) =>
  new URLSearchParams({
    command: '/pod',
    text,
    user_id: 'U1',
    channel_id: 'C1',
    team_id: 'T1',
    response_url: 'http://127.0.0.1:9/response/1',
    trigger_id: '1.2.3',
  }).toString();
const interaction = (payload: Record<string, unknown>) =>
  `payload=${encodeURIComponent(JSON.stringify(payload))}`;

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
};

describe('the ack front', () => {
  it('acks a command at once with an empty 200, before the app has taken it up', async () => {
    const app = new HeldApp();
    const base = await startFront(app);
    const res = await signedPost(base, command('list'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    await until(() => app.held.length === 1);
    expect(app.held[0]?.req).toMatchObject({ preAcked: true, body: { command: '/pod', text: 'list' } });
    expect(front?.pending).toBe(1);
    app.held[0]?.take();
    await until(() => front?.pending === 0);
  });

  it('a form submission waits for the app, and its ack (field errors) is the answer', async () => {
    const app = new HeldApp();
    const base = await startFront(app);
    const pending = signedPost(base, interaction({ type: 'view_submission', view: { callback_id: 'x' } }));
    await until(() => app.held.length === 1);
    expect(app.held[0]?.req.preAcked).toBe(false);
    const errors = { response_action: 'errors', errors: { gpu: 'Pick a GPU.' } };
    app.held[0]?.ack({ status: 200, body: errors });
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(errors);
  });

  it('hands queued requests to the app in arrival order, no more at once than the app has room for', async () => {
    const app = new HeldApp();
    const base = await startFront(app, { maxAppLoad: 2 });
    for (const t of ['a', 'b', 'c', 'd']) expect((await signedPost(base, command(t))).status).toBe(200);
    await until(() => app.held.length === 2);
    expect(front?.pending).toBe(4);
    // Taken up, but the app says it still builds two answers: no room yet.
    app.held[0]?.take(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(app.held.length).toBe(2);
    // Its answers are done: one more goes (b is still being taken up), then the last.
    front?.appLoad(0);
    await until(() => app.held.length === 3);
    app.held[1]?.take();
    await until(() => app.held.length === 4);
    expect(app.held.map((h) => h.req.body.text)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('past its size bound the front stops acking ahead: the request waits for the app, which acks it', async () => {
    const app = new HeldApp();
    const base = await startFront(app, { maxAppLoad: 1, maxQueueBytes: 1 });
    await signedPost(base, command('first')); // handed over, held
    await signedPost(base, command('second')); // acked, queued: the queue is now over 1 byte
    await until(() => app.held.length === 1);
    const third = signedPost(base, command('third'));
    await until(() => app.held.length === 2);
    expect(app.held[1]?.req).toMatchObject({ preAcked: false, body: { text: 'third' } });
    app.held[1]?.ack({ status: 200, body: { response_type: 'ephemeral', text: 'usage' } });
    const res = await third;
    expect(await res.json()).toEqual({ response_type: 'ephemeral', text: 'usage' });
    // Nothing acked is lost: once the app has room, the queued one goes too.
    app.held[0]?.take();
    app.held[1]?.take();
    await until(() => app.held.length === 3);
    expect(app.held[2]?.req.body.text).toBe('second');
  });

  it('past its age bound likewise', async () => {
    const app = new HeldApp();
    const base = await startFront(app, { maxAppLoad: 1, maxQueueAgeMs: 20 });
    await signedPost(base, command('first'));
    await signedPost(base, command('second'));
    await new Promise((r) => setTimeout(r, 40));
    const third = signedPost(base, command('third'));
    await until(() => app.held.length === 2);
    expect(app.held[1]?.req.preAcked).toBe(false);
    app.held[1]?.ack({ status: 200, body: null });
    expect((await third).status).toBe(200);
  });

  it('answers Slack checks itself and refuses what is not signed', async () => {
    const app = new HeldApp();
    const base = await startFront(app);
    // url_verification arrives as JSON, signed.
    const json = JSON.stringify({ type: 'url_verification', challenge: 'abc', token: 't' });
    const verified = await signedPost(base, json, SECRET, 'application/json');
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ challenge: 'abc' });
    const ssl = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'ssl_check=1&token=x',
    });
    expect(ssl.status).toBe(200);
    expect((await signedPost(base, command('list'), 'a-different-secret-xyz')).status).toBe(401);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect(app.held.length).toBe(0);
  });

  it("serves the app's endpoints, /metrics with the front's ack histogram joined in", async () => {
    const app = new HeldApp();
    const base = await startFront(app);
    await signedPost(base, command('list'));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const m = parseExposition(await (await fetch(`${base}/metrics`)).text());
    expect(m.get('podbay_x_total')).toBe(3);
    expect(m.get('podbay_ack_seconds_count{kind="command"}')).toBe(1);
    expect(m.get('podbay_app_thread_backlog')).toBe(1);
  });

  it('when the app does not answer its endpoints in time: 503', async () => {
    const app = new HeldApp();
    app.ops = () => new Promise(() => {});
    const base = await startFront(app, { opsTimeoutMs: 50 });
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
  });

  it('on close, every queued request goes to the app (past its room), and close waits for them', async () => {
    const app = new HeldApp();
    const base = await startFront(app, { maxAppLoad: 1 });
    for (const t of ['a', 'b', 'c']) await signedPost(base, command(t));
    await until(() => app.held.length === 1);
    const f = front as AckFront;
    front = undefined;
    let closed = false;
    const closing = f.close(5000).then(() => {
      closed = true;
    });
    await until(() => app.held.length === 3);
    expect(closed).toBe(false);
    for (const h of app.held) h.take();
    await closing;
    expect(f.pending).toBe(0);
    await expect(signedPost(base, command('late'))).rejects.toThrow();
  });
});
