// A Bolt receiver that takes requests in process (no HTTP, no signature: nothing leaves the machine)
// and is the console's Transport: the real Bolt app and listeners handle every request.
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { AckResult, Transport } from './simulator.ts';

type Json = Record<string, unknown>;

/** Slack's limit for an ack; like Bolt's HTTP receiver, a request nobody acks gets a 404 after it. */
export const ACK_TIMEOUT_MS = 3001;

export class InProcessReceiver implements Receiver, Transport {
  private app: App | undefined;
  private running = false;
  private readonly inflight = new Set<Promise<void>>();

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  command(form: Record<string, string>): Promise<AckResult> {
    return this.deliver({ ...form });
  }

  interaction(payload: Json): Promise<AckResult> {
    return this.deliver(payload);
  }

  private deliver(body: Json): Promise<AckResult> {
    const app = this.app;
    if (!app || !this.running) return Promise.resolve({ status: 503, body: 'podbay is not running' });
    return new Promise<AckResult>((resolve) => {
      let done = false;
      const finish = (r: AckResult) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(r);
      };
      const timer = setTimeout(() => finish({ status: 404, body: null }), ACK_TIMEOUT_MS);
      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => {
          finish({ status: 200, body: response === undefined || response === '' ? null : response });
        },
      };
      const p = app.processEvent(event).catch(() => finish({ status: 500, body: null }));
      this.inflight.add(p);
      void p.finally(() => this.inflight.delete(p));
    });
  }

  /** Resolves when every listener has returned (work they handed to the WorkTracker may go on). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }
}
