// HTTP mode's front: the thread that holds Slack's connections and acks. Slack gives 3 s for an ack
// and shows the person an error past it, while the answer may come later through response_url; so
// the ack must never wait behind work (a pod list being rendered, a scan, a chart). The front checks
// each request at the edge (http-edge.ts: limits, signature, shape), acks what needs no decision from
// the app (slash commands, clicks, events) at once, and hands the request to the app, which runs on
// a thread of its own (serve.ts). Form submissions and option lists, whose ack carries the app's
// answer, wait for it. What was acked ahead waits here, in arrival order, and goes to the app as it
// has room (at most `maxAppLoad` requests and answers in progress there), so a burst is answered
// seconds later instead of Slack showing timeouts, and memory stays bounded: the queue keeps the
// request bodies only, and is bounded by age and size. Past either bound the front stops acking
// ahead and requests wait for the app's own ack (Slack shows its timeout to the sender if the app
// is that far behind), so nothing is acked and then dropped.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HTTPModuleFunctions } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import type { FrontMetrics } from '../metrics.ts';
import type { ForwardedAck, ForwardedRequest } from './forwarded-receiver.ts';
import { type EdgeLimits, EDGE_DEFAULTS, edgeServerOptions, slackEdge } from './http-edge.ts';
import { jsonAnswer, METRICS_PATH, type OpsAnswer, writeOpsAnswer } from './ops-endpoints.ts';

/** The app, as the front sees it (a worker thread in serve.ts; in process in tests). */
export interface AppPort {
  /**
   * `taken` resolves when the listener has returned, with the work the app still has in progress
   * (answers being built after their acks).
   */
  deliver(req: ForwardedRequest): { ack: Promise<ForwardedAck>; taken: Promise<{ work: number }> };
  /** GET /healthz, /readyz, /metrics as the app answers them, or null for another path. */
  ops(path: string): Promise<OpsAnswer | null>;
}

export interface AckFrontOptions {
  signingSecret: string;
  eventsPath: string;
  app: AppPort;
  logger: Logger;
  metrics: FrontMetrics;
  limits?: Partial<EdgeLimits>;
  /** Acked-ahead requests queue for the app: ahead-acking stops while the oldest has waited this long. */
  maxQueueAgeMs?: number;
  /** ... or while the queued bodies add up to this many bytes. */
  maxQueueBytes?: number;
  /** Requests handed to the app and not taken up, plus its answers in progress, at most. */
  maxAppLoad?: number;
  /** How long the operator's endpoints wait for the app before answering 503. */
  opsTimeoutMs?: number;
}

/** Interactions whose ack Slack reads nothing from: acked at the front. */
const ACK_AT_ONCE = new Set(['block_actions', 'event_callback', 'shortcut', 'message_action', 'view_closed']);

type Kind = 'command' | 'action' | 'view' | 'event' | 'other';

function kindOf(body: Record<string, unknown>): Kind {
  if (typeof body.command === 'string') return 'command';
  const t = body.type;
  if (t === 'block_actions' || t === 'shortcut' || t === 'message_action' || t === 'block_suggestion')
    return 'action';
  if (t === 'view_submission' || t === 'view_closed') return 'view';
  if (t === 'event_callback') return 'event';
  return 'other';
}

/** Slack's interaction bodies arrive form-encoded with the JSON in `payload`; Bolt's parser reads both. */
function parsedBody(req: IncomingMessage): Record<string, unknown> {
  const kept = (req as { slackBody?: unknown }).slackBody;
  return (kept ?? HTTPModuleFunctions.parseHTTPRequestBody(req as never)) as Record<string, unknown>;
}

function retryOf(req: IncomingMessage): Pick<ForwardedRequest, 'retryNum' | 'retryReason'> {
  const num = Number(req.headers['x-slack-retry-num']);
  const reason = req.headers['x-slack-retry-reason'];
  return {
    ...(Number.isInteger(num) ? { retryNum: num } : {}),
    ...(typeof reason === 'string' ? { retryReason: reason } : {}),
  };
}

function writeAck(res: ServerResponse, a: ForwardedAck): void {
  if (res.headersSent) return;
  if (a.body === null || a.body === undefined) {
    res.writeHead(a.status);
    res.end();
    return;
  }
  const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  res.writeHead(a.status, {
    'content-type': typeof a.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
  });
  res.end(text);
}

export const QUEUE_DEFAULTS = { maxQueueAgeMs: 20_000, maxQueueBytes: 32 * 1024 * 1024, maxAppLoad: 256 };

interface Queued {
  req: ForwardedRequest;
  /** When it arrived (performance.now()). */
  at: number;
  bytes: number;
}

export class AckFront {
  private readonly server: Server;
  private readonly limits: typeof QUEUE_DEFAULTS;
  /** Acked here, not handed to the app yet, oldest first. */
  private readonly queue: Queued[] = [];
  private queueHead = 0;
  private queuedBytes = 0;
  /** Handed over and not taken up yet, and the app's answers in progress as it last said. */
  private handedOver = 0;
  private appWork = 0;
  private flushing = false;
  private readonly idleWaiters = new Set<() => void>();
  private closing: Promise<void> | undefined;

  constructor(private readonly o: AckFrontOptions) {
    const limits = { ...EDGE_DEFAULTS, ...o.limits };
    this.limits = {
      maxQueueAgeMs: o.maxQueueAgeMs ?? QUEUE_DEFAULTS.maxQueueAgeMs,
      maxQueueBytes: o.maxQueueBytes ?? QUEUE_DEFAULTS.maxQueueBytes,
      maxAppLoad: o.maxAppLoad ?? QUEUE_DEFAULTS.maxAppLoad,
    };
    const inner = (req: IncomingMessage, res: ServerResponse): void => {
      if (req.method === 'GET') return void this.ops(req, res);
      // Only POSTs to the events path that passed the edge get here.
      const raw = (req as { rawBody?: Buffer }).rawBody;
      if (!raw) {
        writeOpsAnswer(res, jsonAnswer(404, { error: 'not found' }));
        return;
      }
      const body = parsedBody(req);
      if (body.ssl_check === '1' || body.type === 'url_verification') {
        writeAck(res, { status: 200, body: body.ssl_check === '1' ? null : { challenge: body.challenge } });
        return;
      }
      const kind = kindOf(body);
      const started = (req as { arrivedAt?: number }).arrivedAt ?? performance.now();
      res.once('finish', () => o.metrics.ackSeconds.observe({ kind }, (performance.now() - started) / 1000));
      const forward: ForwardedRequest = { body, preAcked: false, ...retryOf(req) };
      if ((kind === 'command' || ACK_AT_ONCE.has(String(body.type))) && this.hasRoom(started)) {
        writeAck(res, { status: 200, body: null });
        this.enqueue({ req: { ...forward, preAcked: true }, at: started, bytes: raw.length });
        return;
      }
      // Its ack comes from the app: handed over at once, ahead of the queue (Slack's 3 s run).
      const delivered = this.handOver(forward);
      delivered.then(
        (a) => writeAck(res, a),
        () => writeAck(res, { status: 500, body: null }),
      );
    };
    const edge = slackEdge(inner, {
      signingSecret: o.signingSecret,
      eventsPath: o.eventsPath,
      limits,
      log: o.logger.child({ component: 'http-edge' }),
    });
    this.server = createServer(edgeServerOptions(limits), (req, res) => {
      Object.assign(req, { arrivedAt: performance.now() });
      edge(req, res);
    });
    this.server.setTimeout(limits.socketIdleMs);
  }

  /** Requests acked here that the app has not taken up yet. */
  get pending(): number {
    return this.queue.length - this.queueHead + this.handedOver;
  }

  private hasRoom(now: number): boolean {
    if (this.closing) return false;
    if (this.queuedBytes >= this.limits.maxQueueBytes) return false;
    const oldest = this.queue[this.queueHead];
    return !oldest || now - oldest.at < this.limits.maxQueueAgeMs;
  }

  private enqueue(q: Queued): void {
    this.queue.push(q);
    this.queuedBytes += q.bytes;
    this.pump();
  }

  /** Hands queued requests to the app while it has room (all of them once podbay is stopping). */
  private pump(): void {
    while (
      this.queueHead < this.queue.length &&
      (this.flushing || this.handedOver + this.appWork < this.limits.maxAppLoad)
    ) {
      const q = this.queue[this.queueHead] as Queued;
      this.queue[this.queueHead++] = undefined as unknown as Queued;
      this.queuedBytes -= q.bytes;
      void this.handOver(q.req);
    }
    // Reclaim the consumed head now and then (shift() on a long array is O(n)).
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    this.o.metrics.backlog.set(this.pending);
    if (this.pending === 0) for (const w of [...this.idleWaiters]) w();
  }

  /** The app's answers in progress, as it reports them when some end. */
  appLoad(work: number): void {
    this.appWork = work;
    this.pump();
  }

  private handOver(req: ForwardedRequest): Promise<ForwardedAck> {
    this.handedOver++;
    const { ack, taken } = this.o.app.deliver(req);
    void taken
      .then(
        (t) => {
          this.appWork = t.work;
        },
        () => {},
      )
      .finally(() => {
        this.handedOver--;
        this.pump();
      });
    return ack;
  }

  private async ops(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const timeoutMs = this.o.opsTimeoutMs ?? 2500;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<OpsAnswer>((r) => {
      timer = setTimeout(
        () => r(jsonAnswer(503, { ok: false, detail: 'the app thread did not answer in time' })),
        timeoutMs,
      );
    });
    let answer = await Promise.race([
      this.o.app.ops(path).catch(() => jsonAnswer(503, { ok: false, detail: 'the app thread failed' })),
      late,
    ]);
    clearTimeout(timer);
    if (answer === null) answer = jsonAnswer(404, { error: 'not found' });
    // The ack latency is measured here, where the ack is sent: its text joins the app's.
    if (path === METRICS_PATH && answer.status === 200)
      answer = { ...answer, body: `${answer.body}\n${await this.o.metrics.registry.metrics()}` };
    writeOpsAnswer(res, answer);
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /**
   * Stops taking connections and acking ahead, lets requests in flight get their acks, hands every
   * queued request to the app (which finishes them in its own drain), and waits (up to `graceMs`)
   * until the app has taken them all up.
   */
  close(graceMs: number): Promise<void> {
    this.closing ??= (async () => {
      const closed = new Promise<void>((r) => this.server.close(() => r()));
      this.server.closeIdleConnections();
      this.flushing = true;
      this.pump();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((r) => {
        timer = setTimeout(r, graceMs);
      });
      const taken =
        this.pending === 0
          ? Promise.resolve()
          : new Promise<void>((r) => {
              const w = () => {
                this.idleWaiters.delete(w);
                r();
              };
              this.idleWaiters.add(w);
            });
      await Promise.race([Promise.all([closed, taken]), grace]);
      clearTimeout(timer);
      this.server.closeAllConnections();
    })();
    return this.closing;
  }
}
