// The Slack side of alerts: posts and updates through one queue per channel, at most one message
// a second per channel (Slack's chat.postMessage pace). A 429 is waited out: the Web API client
// honours Retry-After and sends the call again, once. Each post carries the alert key as message
// metadata, so a post whose answer was lost is found in the channel history instead of repeated.
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import type { PodbayMetrics } from '../metrics.ts';
import type { AlertNotifier } from '../services/alert-delivery.ts';
import type { Alert, MessageRef } from '../services/alert-model.ts';
import type { DigestModel } from '../services/digest.ts';
import { outgoing } from './reply.ts';
import { alertMessage } from './views/alerts.ts';
import { digestMessage } from './views/digest.ts';
import { describe } from './work.ts';

export const ALERT_EVENT_TYPE = 'podbay_alert';
const PER_CHANNEL_GAP_MS = 1000;

export class SlackAlertNotifier implements AlertNotifier {
  private readonly queues = new Map<string, { tail: Promise<unknown>; lastMs: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly timeZone: string,
    private readonly logger: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly metrics?: PodbayMetrics,
  ) {}

  /** Runs `fn` in the channel's queue, a second after the previous call to that channel. */
  private inQueue<T>(channel: string, fn: () => Promise<T>): Promise<T> {
    const q = this.queues.get(channel) ?? { tail: Promise.resolve(), lastMs: Number.NEGATIVE_INFINITY };
    this.queues.set(channel, q);
    const run = q.tail.then(async () => {
      const wait = q.lastMs + PER_CHANNEL_GAP_MS - performance.now();
      if (wait > 0) await this.sleep(wait);
      try {
        return await fn();
      } finally {
        q.lastMs = performance.now();
      }
    });
    q.tail = run.catch(() => undefined);
    return run;
  }

  async post(to: string, alert: Alert): Promise<MessageRef | null> {
    const msg = outgoing(alertMessage(alert, this.timeZone));
    try {
      const res = await this.inQueue(to, () =>
        this.client.chat.postMessage({
          channel: to,
          text: msg.text,
          blocks: msg.blocks,
          metadata: { event_type: ALERT_EVENT_TYPE, event_payload: { key: alert.key } },
        }),
      );
      if (!res.ts || !res.channel) return null;
      this.metrics?.alertsPosted.inc({ kind: alert.kind });
      return { channel: res.channel, ts: res.ts };
    } catch (e) {
      this.logger.warn({ err: describe(e), alert: alert.key, channel: to }, 'could not post an alert');
      return null;
    }
  }

  async update(ref: MessageRef, alert: Alert): Promise<boolean> {
    const msg = outgoing(alertMessage(alert, this.timeZone));
    try {
      await this.inQueue(ref.channel, () =>
        this.client.chat.update({ channel: ref.channel, ts: ref.ts, text: msg.text, blocks: msg.blocks }),
      );
      return true;
    } catch (e) {
      const err = describe(e);
      // A deleted message cannot come back: treat it as shown rather than retrying forever.
      if (/message_not_found|cant_update_message/.test(`${err.code ?? ''} ${err.message}`)) return true;
      this.logger.warn({ err, alert: alert.key, channel: ref.channel }, 'could not update an alert');
      return false;
    }
  }

  async find(to: string, key: string, sinceMs: number): Promise<MessageRef | null> {
    // Only channels have a history podbay can read by id; a DM's post is not looked for.
    if (!/^[CG]/.test(to)) return null;
    try {
      const res = await this.client.conversations.history({
        channel: to,
        oldest: String((sinceMs - 5_000) / 1000),
        include_all_metadata: true,
        limit: 200,
      });
      for (const m of res.messages ?? []) {
        const meta = m.metadata as { event_type?: string; event_payload?: { key?: unknown } } | undefined;
        if (meta?.event_type === ALERT_EVENT_TYPE && meta.event_payload?.key === key && m.ts)
          return { channel: to, ts: m.ts };
      }
    } catch (e) {
      this.logger.warn(
        { err: describe(e), alert: key, channel: to },
        'could not look for an earlier alert post',
      );
    }
    return null;
  }

  async digest(to: string, model: DigestModel): Promise<boolean> {
    const msg = outgoing(digestMessage(model));
    try {
      await this.inQueue(to, () =>
        this.client.chat.postMessage({ channel: to, text: msg.text, blocks: msg.blocks }),
      );
      return true;
    } catch (e) {
      this.logger.warn({ err: describe(e), channel: to }, 'could not post the digest');
      return false;
    }
  }
}
