// The HTTP edge in front of Bolt: signed junk is a 400 at once, timestamps from the future are
// refused, oversized bodies are 413 whether declared or streamed, bodies read at once are bounded,
// held sockets are closed, and /healthz says not-ok while podbay drains.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EdgeReceiver } from '../../src/handlers/http-edge.ts';
import { fixture } from '../slack/fixtures.ts';
import { type Harness, SIGNING_SECRET, startPodbay } from '../slack/harness.ts';
import { postRaw, sign } from '../slack/http-driver.ts';

const FORM = 'application/x-www-form-urlencoded';
const nowSec = () => Math.floor(Date.now() / 1000);

function signedHeaders(body: string, contentType = FORM, ts = nowSec()): Record<string, string> {
  return {
    'content-type': contentType,
    'x-slack-request-timestamp': String(ts),
    'x-slack-signature': sign(SIGNING_SECRET, ts, body),
  };
}

/** Sends raw bytes on one connection and collects everything until the server closes it. */
function rawExchange(port: number, first: string): { socket: Socket; received: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.write(first);
  let text = '';
  socket.on('data', (d: Buffer) => {
    text += d.toString();
  });
  const received = new Promise<string>((resolve) => {
    socket.once('close', () => resolve(text));
  });
  socket.on('error', () => {});
  return { socket, received };
}

describe('HTTP edge in front of a running podbay', () => {
  let h: Harness;
  let url: string;
  const command = new URLSearchParams({
    ...fixture<Record<string, string>>('slash-command.json'),
    command: '/pod',
    text: 'help',
  }).toString();

  beforeAll(async () => {
    h = await startPodbay();
    url = `http://127.0.0.1:${h.running.port}/slack/events`;
  });
  afterAll(() => h.close());

  const junk: Array<[string, string, string]> = [
    ['payload=null', 'payload=null', FORM],
    ['payload=[]', 'payload=%5B%5D', FORM],
    ['payload="str"', `payload=${encodeURIComponent('"str"')}`, FORM],
    ['payload=123', 'payload=123', FORM],
    ['payload={}', 'payload=%7B%7D', FORM],
    ['JSON null', 'null', 'application/json'],
    ['JSON []', '[]', 'application/json'],
    ['JSON "str"', '"str"', 'application/json'],
    ['JSON 123', '123', 'application/json'],
    ['JSON {}', '{}', 'application/json'],
    ['not JSON at all', '{"type":', 'application/json'],
  ];

  it.each(junk)('signed %s → 400 at once', async (_name, body, contentType) => {
    const r = await postRaw(url, body, signedHeaders(body, contentType));
    expect(r.status).toBe(400);
  });

  it('after all that junk: no listener ran, the refusals are logged with why, and a command still works', async () => {
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
    const refusals = h.logs.lines.filter((l) => l.includes('refused a request at the HTTP edge'));
    expect(refusals.some((l) => l.includes('body is not a Slack request'))).toBe(true);
    expect(h.logs.text()).not.toContain(SIGNING_SECRET);
    const r = await postRaw(url, command, signedHeaders(command));
    expect(r.status).toBe(200);
    expect(r.text).toContain('/pod list');
  });

  it('a timestamp more than 5 minutes in the future is refused (401); 4 minutes ahead still verifies', async () => {
    const ahead = nowSec() + 301;
    expect((await postRaw(url, command, signedHeaders(command, FORM, ahead))).status).toBe(401);
    const near = nowSec() + 240;
    expect((await postRaw(url, command, signedHeaders(command, FORM, near))).status).toBe(200);
    expect(h.logs.text()).toContain('timestamp in the future');
  });

  it('a signed body over the limit is 413, declared or streamed in chunks', async () => {
    const big = `command=%2Fpod&text=${'a'.repeat(1024 * 1024 + 10)}`;
    expect((await postRaw(url, big, signedHeaders(big))).status).toBe(413);
    const headers = signedHeaders(big);
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < big.length; i += 65_536)
            c.enqueue(new TextEncoder().encode(big.slice(i, i + 65_536)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("unsigned: Slack's ssl_check=1 is answered 200; anything else unsigned is 401", async () => {
    expect((await postRaw(url, 'ssl_check=1&token=x', { 'content-type': FORM })).status).toBe(200);
    expect(
      (await postRaw(url, '{"type":"event_callback"}', { 'content-type': 'application/json' })).status,
    ).toBe(401);
    expect((await postRaw(url, command, { 'content-type': FORM })).status).toBe(401);
  });
});

describe('/healthz while podbay drains', () => {
  it('answers 503 with ok:false on a connection still open after stop() began', async () => {
    const h = await startPodbay();
    try {
      const port = h.running.port as number;
      // A request whose body is still arriving keeps this connection open through stop().
      const { socket, received } = rawExchange(
        port,
        `POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: 10\r\n\r\nabcde`,
      );
      await new Promise((r) => setTimeout(r, 100));
      const stopping = h.running.stop('test');
      socket.write('fghij');
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      const text = await received;
      await stopping;
      expect(text).toMatch(/^HTTP\/1\.1 401/);
      expect(text).toMatch(/HTTP\/1\.1 503[\s\S]*"ok":false/);
    } finally {
      await h.close();
    }
  }, 30_000);
});

describe('EdgeReceiver on its own', () => {
  const quiet = { warn: () => {}, error: () => {} };

  it('bounds the bodies read at once: one more is answered 503, and a slot frees when a body ends', async () => {
    const receiver = new EdgeReceiver({
      signingSecret: SIGNING_SECRET,
      eventsPath: '/slack/events',
      log: quiet,
      limits: { maxConcurrentBodies: 2 },
    });
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    const port = (server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/slack/events`;
    const forged = (ts = nowSec()) =>
      `x-slack-request-timestamp: ${ts}\r\nx-slack-signature: ${sign('not-the-secret', ts, 'x')}\r\n`;
    try {
      const slow = [0, 1].map(() =>
        rawExchange(
          port,
          `POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\n${forged()}Content-Length: 10\r\nConnection: close\r\n\r\nabc`,
        ),
      );
      const probe = () =>
        postRaw(url, 'x', {
          'content-type': FORM,
          'x-slack-request-timestamp': String(nowSec()),
          'x-slack-signature': sign('not-the-secret', nowSec(), 'x'),
        });
      // The two slow bodies hold both slots once the server has read their headers.
      let status = 0;
      for (let i = 0; i < 100 && status !== 503; i++) {
        status = (await probe()).status;
        if (status !== 503) await new Promise((r) => setTimeout(r, 20));
      }
      expect(status).toBe(503);
      for (const s of slow) s.socket.write('defghij');
      const answers = await Promise.all(slow.map((s) => s.received));
      for (const a of answers) expect(a).toMatch(/^HTTP\/1\.1 401/);
      expect((await probe()).status).toBe(401);
    } finally {
      await receiver.stop();
    }
  });

  it('closes sockets that hold the server: headers never finished, a body never finished, nothing sent', async () => {
    const receiver = new EdgeReceiver({
      signingSecret: SIGNING_SECRET,
      eventsPath: '/slack/events',
      log: quiet,
      limits: {
        headersTimeoutMs: 300,
        requestTimeoutMs: 600,
        connectionsCheckingIntervalMs: 100,
        keepAliveTimeoutMs: 300,
        socketIdleMs: 1500,
      },
    });
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    const port = (server.address() as { port: number }).port;
    try {
      const held = [
        rawExchange(port, 'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: applica'),
        rawExchange(
          port,
          `POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: ${FORM}\r\nContent-Length: 500\r\n\r\nssl_`,
        ),
        rawExchange(port, ''),
      ];
      // Each resolves only when the server closed the connection (the test times out otherwise).
      const texts = await Promise.all(held.map((x) => x.received));
      // The headers timeout counts from the connection, so even the silent one gets a 408 and is closed.
      for (const t of texts) expect(t).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      await receiver.stop();
    }
  }, 15_000);
});
