// The app thread's Bolt receiver in HTTP mode: requests arrive from the ack front (ack-front.ts),
// already verified and parsed. Most were acked there at once; for those a listener's ack is not the
// HTTP answer any more: an ack that carries a message (a usage line, a /gpu answer) is posted to the
// request's response_url instead, which Slack shows the same way. Requests the front could not ack
// by itself (form submissions, option lists) wait here for the listener's ack, which goes back.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { keepAliveFetch } from '../http-fetch.ts';
import { describe } from './work.ts';

export interface ForwardedAck {
  status: number;
  /** The ack's body (JSON or text), or null for an empty 200. */
  body: unknown;
}

export interface ForwardedRequest {
  body: Record<string, unknown>;
  /** The front answered Slack already. */
  preAcked: boolean;
  retryNum?: number;
  retryReason?: string;
}

/** Slack's limit for an ack; like Bolt's HTTP receiver, a request nobody acks gets a 404 after it. */
const ACK_TIMEOUT_MS = 3001;

export class ForwardedReceiver implements Receiver {
  private app: App | undefined;
  private running = false;

  constructor(private readonly logger: Logger) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  /**
   * Runs the request through the app. Resolves with the ack (for a request that waits on it) once
   * the listener acked, and `taken` once the listener has returned.
   */
  deliver(req: ForwardedRequest): { ack: Promise<ForwardedAck>; taken: Promise<void> } {
    const app = this.app;
    if (!app || !this.running) {
      if (req.preAcked) void this.tellStopped(req.body);
      return { ack: Promise.resolve({ status: 503, body: null }), taken: Promise.resolve() };
    }
    let resolveAck: (a: ForwardedAck) => void = () => {};
    const ack = new Promise<ForwardedAck>((r) => {
      resolveAck = r;
    });
    let acked = false;
    const timer = req.preAcked
      ? undefined
      : setTimeout(() => finish({ status: 404, body: null }), ACK_TIMEOUT_MS);
    function finish(a: ForwardedAck): void {
      if (acked) return;
      acked = true;
      if (timer) clearTimeout(timer);
      resolveAck(a);
    }
    const event: ReceiverEvent = {
      body: req.body,
      ...(req.retryNum !== undefined ? { retryNum: req.retryNum } : {}),
      ...(req.retryReason !== undefined ? { retryReason: req.retryReason } : {}),
      customProperties: {},
      ack: async (response?: unknown) => {
        if (!req.preAcked) return finish({ status: 200, body: emptyAck(response) ? null : response });
        if (acked) return;
        finish({ status: 200, body: null });
        if (!emptyAck(response)) await this.postToResponseUrl(req.body, response);
      },
    };
    const taken = app
      .processEvent(event)
      .catch((e: unknown) => {
        this.logger.error({ err: describe(e) }, 'a forwarded request failed in the app');
        finish({ status: 500, body: null });
      })
      .finally(() => finish({ status: req.preAcked ? 200 : 404, body: null }));
    return { ack, taken };
  }

  /** A message a listener put in its ack, sent where Slack takes late answers. */
  private async postToResponseUrl(body: Record<string, unknown>, response: unknown): Promise<void> {
    const url = typeof body.response_url === 'string' ? body.response_url : undefined;
    // Clicks and events have no message in their ack (Slack ignores one): nothing is lost.
    if (!url) return;
    const message = typeof response === 'string' ? { text: response } : response;
    try {
      const res = await keepAliveFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
      });
      if (!res.ok) this.logger.warn({ status: res.status }, 'response_url refused an answer');
    } catch (e) {
      this.logger.warn({ err: describe(e) }, 'could not post an answer to response_url');
    }
  }

  /** Acked at the front while the app was stopping: the person is told to try again. */
  private async tellStopped(body: Record<string, unknown>): Promise<void> {
    await this.postToResponseUrl(body, {
      response_type: 'ephemeral',
      text: 'podbay is restarting and did not take that; please try again in a moment.',
    });
  }
}

function emptyAck(response: unknown): boolean {
  return response === undefined || response === null || response === '';
}
