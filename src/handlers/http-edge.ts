// The HTTP edge in front of Bolt's HTTPReceiver. Bolt buffers a body of up to 4 MiB before it looks
// at the signature, lets any number of bodies be read at once, takes a signed `null` or `[]` into a
// listener chain that crashes on it, and refuses only timestamps from the past. Here a request is
// judged by its headers first, its body is read to a small limit (counted while reading, a declared
// length refused before), the signature is checked, and only a body shaped like a Slack request
// reaches Bolt, already buffered (Bolt then uses that buffer instead of reading again).
import type { IncomingMessage, RequestListener, Server, ServerOptions, ServerResponse } from 'node:http';
import type { ListenOptions } from 'node:net';
import {
  type App,
  HTTPModuleFunctions,
  HTTPReceiver,
  type HTTPReceiverOptions,
  type Receiver,
  verifySlackRequest,
} from '@slack/bolt';

export interface EdgeLimits {
  /** Largest body read from a signed request (Slack's payloads are a few KB; a modal's, tens of KB). */
  bodyLimitBytes: number;
  /** Largest body read without a signature: only Slack's `ssl_check=1` is answered unsigned. */
  unsignedBodyLimitBytes: number;
  /** How much of a refused body is read and dropped so the client sees the answer. */
  discardLimitBytes: number;
  /** Signed bodies read at once; one more is answered 503 (bounds memory at count × limit). */
  maxConcurrentBodies: number;
  /** Until the headers are complete. */
  headersTimeoutMs: number;
  /** Until the whole request (headers and body) is in. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** How often Node checks the two request timeouts (its default, 30 s, would let sockets linger). */
  connectionsCheckingIntervalMs: number;
  /** A socket with no traffic either way for this long is closed. */
  socketIdleMs: number;
  /** Signed timestamps further than this from now, in either direction, are refused. */
  maxClockSkewSec: number;
}

export const EDGE_DEFAULTS: Readonly<EdgeLimits> = {
  bodyLimitBytes: 1024 * 1024,
  unsignedBodyLimitBytes: 1024,
  discardLimitBytes: 8 * 1024 * 1024,
  maxConcurrentBodies: 32,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  connectionsCheckingIntervalMs: 1_000,
  socketIdleMs: 30_000,
  maxClockSkewSec: 300,
};

/** Where refusals are reported (pino's logger fits). */
export interface EdgeLog {
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface EdgeOptions {
  signingSecret: string;
  /** The path Slack posts to; other requests pass through untouched. */
  eventsPath: string;
  limits?: Partial<EdgeLimits>;
  log: EdgeLog;
  /** Milliseconds since the epoch (tests move it); default Date.now. */
  now?: () => number;
}

type Verdict =
  | { kind: 'signed'; signature: string; timestamp: number }
  | { kind: 'unsigned' }
  | { kind: 'refuse'; status: number; why: string };

const FORM = 'application/x-www-form-urlencoded';

/** Wraps Bolt's request listener: POSTs to the events path pass the edge first. */
export function slackEdge(next: RequestListener, opts: EdgeOptions): RequestListener {
  const limits = { ...EDGE_DEFAULTS, ...opts.limits };
  const now = opts.now ?? Date.now;
  let reading = 0;

  const refuse = (req: IncomingMessage, res: ServerResponse, status: number, why: string): void => {
    opts.log.warn(
      { status, why, path: opts.eventsPath, contentLength: req.headers['content-length'] ?? null },
      'refused a request at the HTTP edge',
    );
    const answer = () => {
      if (res.headersSent) return;
      res.writeHead(status, status === 503 ? { 'retry-after': '1' } : {});
      res.end();
    };
    if (req.readableEnded) {
      answer();
      return;
    }
    // Answering before the body is in makes Node close the connection, and a client still sending
    // gets a reset instead of the answer. So the rest is read and dropped (nothing kept), up to a cap.
    let dropped = 0;
    req.on('data', (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped <= limits.discardLimitBytes) return;
      answer();
      res.once('finish', () => req.socket.destroy());
    });
    req.once('end', answer);
    req.resume();
  };

  const judge = (req: IncomingMessage): Verdict => {
    const signature = req.headers['x-slack-signature'];
    const ts = req.headers['x-slack-request-timestamp'];
    if (signature === undefined) {
      return req.headers['content-type'] === FORM
        ? { kind: 'unsigned' }
        : { kind: 'refuse', status: 401, why: 'unsigned' };
    }
    if (typeof signature !== 'string' || typeof ts !== 'string' || !/^\d{1,12}$/.test(ts))
      return { kind: 'refuse', status: 401, why: 'signature headers malformed' };
    const timestamp = Number(ts);
    const skew = timestamp - Math.floor(now() / 1000);
    if (skew > limits.maxClockSkewSec) return { kind: 'refuse', status: 401, why: 'timestamp in the future' };
    if (-skew > limits.maxClockSkewSec) return { kind: 'refuse', status: 401, why: 'timestamp too old' };
    return { kind: 'signed', signature, timestamp };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const verdict = judge(req);
    if (verdict.kind === 'refuse') return refuse(req, res, verdict.status, verdict.why);
    const signed = verdict.kind === 'signed';
    const limit = signed ? limits.bodyLimitBytes : limits.unsignedBodyLimitBytes;
    // An unsigned body too big for ssl_check is simply unsigned; a signed one is too large.
    const tooLarge = signed ? 413 : 401;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (!(declared <= limit)) return refuse(req, res, tooLarge, `declared body of ${declared} bytes`);
    // Unsigned bodies are at most 1 KiB and not counted; signed ones may be large, so they are.
    if (signed && reading >= limits.maxConcurrentBodies)
      return refuse(req, res, 503, 'too many request bodies at once');
    if (signed) reading += 1;
    let body: Buffer | 'too-large' | 'aborted';
    try {
      body = await readBody(req, limit);
    } finally {
      if (signed) reading -= 1;
    }
    if (body === 'aborted') return;
    if (body === 'too-large') return refuse(req, res, tooLarge, `body over ${limit} bytes`);
    const text = body.toString('utf8');

    if (verdict.kind === 'unsigned') {
      // Slack checks the certificate with an unsigned ssl_check=1; Bolt answers it (and drops the rest).
      if (new URLSearchParams(text).get('ssl_check') !== '1') return refuse(req, res, 401, 'unsigned');
    } else {
      try {
        verifySlackRequest({
          signingSecret: opts.signingSecret,
          body: text,
          headers: { 'x-slack-signature': verdict.signature, 'x-slack-request-timestamp': verdict.timestamp },
          nowMilliseconds: now(),
        });
      } catch {
        return refuse(req, res, 401, 'signature mismatch');
      }
      const buffered = Object.assign(req, { rawBody: body });
      let parsed: unknown;
      try {
        parsed = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
      } catch {
        return refuse(req, res, 400, 'body is not JSON or form data');
      }
      if (!isSlackRequestShape(parsed)) return refuse(req, res, 400, 'body is not a Slack request');
      // Kept for a listener that reads the body as data (the ack front): parsed once.
      Object.assign(req, { slackBody: parsed });
    }
    Object.assign(req, { rawBody: body });
    next(req, res);
  };

  return (req, res) => {
    if (req.method !== 'POST' || pathOf(req.url) !== opts.eventsPath) return next(req, res);
    handle(req, res).catch((e: unknown) => {
      opts.log.error(
        { err: e instanceof Error ? { name: e.name, message: e.message } : String(e) },
        'the HTTP edge failed on a request',
      );
      if (!res.headersSent) {
        res.writeHead(500, { connection: 'close' });
        res.end();
      }
    });
  };
}

/**
 * What Slack sends: an object with a `type` (Events API, interactions) or a `command` (slash
 * commands), or the ssl_check form. Anything else (`null`, `[]`, `"x"`, `1`, `{}`) is refused.
 */
export function isSlackRequestShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const b = body as Record<string, unknown>;
  return typeof b.type === 'string' || typeof b.command === 'string' || b.ssl_check === '1';
}

/** Reads the body, counting while it arrives; past `limit` it stops keeping bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (v: Buffer | 'too-large' | 'aborted') => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolve(v);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        finish('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onAbort = () => finish('aborted');
    const onClose = () => {
      if (!req.complete) finish('aborted');
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}

function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

/** The server settings that close held sockets (Node's defaults wait minutes). */
export function edgeServerOptions(limits: Partial<EdgeLimits> = {}): ServerOptions {
  const l = { ...EDGE_DEFAULTS, ...limits };
  return {
    headersTimeout: l.headersTimeoutMs,
    requestTimeout: l.requestTimeoutMs,
    keepAliveTimeout: l.keepAliveTimeoutMs,
    connectionsCheckingInterval: l.connectionsCheckingIntervalMs,
  };
}

export type EdgeReceiverOptions = HTTPReceiverOptions & {
  signingSecret: string;
  eventsPath: string;
  log: EdgeLog;
  limits?: Partial<EdgeLimits>;
  now?: () => number;
};

/** Bolt's HTTPReceiver with the edge in front and the socket timeouts set on its server. */
export class EdgeReceiver implements Receiver {
  private readonly inner: HTTPReceiver;
  private readonly limits: EdgeLimits;

  constructor(opts: EdgeReceiverOptions) {
    const { eventsPath, log, limits, now, ...bolt } = opts;
    this.limits = { ...EDGE_DEFAULTS, ...limits };
    this.inner = new HTTPReceiver({ ...bolt, endpoints: eventsPath, bodyLimit: this.limits.bodyLimitBytes });
    this.inner.requestListener = slackEdge(this.inner.requestListener, {
      signingSecret: opts.signingSecret,
      eventsPath,
      limits: this.limits,
      log,
      ...(now ? { now } : {}),
    });
  }

  init(app: App): void {
    this.inner.init(app);
  }

  async start(
    listen: number | string | ListenOptions = 3000,
    serverOptions: ServerOptions = {},
  ): Promise<Server> {
    const server = await this.inner.start(listen, { ...edgeServerOptions(this.limits), ...serverOptions });
    server.setTimeout(this.limits.socketIdleMs);
    return server;
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}
