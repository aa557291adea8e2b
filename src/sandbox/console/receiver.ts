// A Bolt receiver that takes requests in process (no HTTP, no signature: nothing leaves the machine)
// and is the console's Transport: the real Bolt app and listeners handle every request. It is the
// HTTP app thread's receiver (a request that waits for its ack), plus a count of listeners running.
import { ForwardedReceiver } from '../../handlers/forwarded-receiver.ts';
import type { AckResult, Transport } from './simulator.ts';

type Json = Record<string, unknown>;

export class InProcessReceiver extends ForwardedReceiver implements Transport {
  private readonly inflight = new Set<Promise<void>>();

  command(form: Record<string, string>): Promise<AckResult> {
    return this.take({ ...form });
  }

  interaction(payload: Json): Promise<AckResult> {
    return this.take(payload);
  }

  private take(body: Json): Promise<AckResult> {
    const { ack, taken } = this.deliver({ body, preAcked: false });
    this.inflight.add(taken);
    void taken.finally(() => this.inflight.delete(taken));
    return ack.then((a) => (a.status === 503 ? { status: 503, body: 'podbay is not running' } : a));
  }

  /** Resolves when every listener has returned (work they handed to the WorkTracker may go on). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }
}
