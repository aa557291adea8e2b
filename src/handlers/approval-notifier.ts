// The Slack side of approvals: posts each request to the approvals channel, keeps that message up
// to date, replies in its thread and DMs the requester. Failures are logged, never thrown: the
// store holds the truth and a later change updates the message again.
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import type { PodbayMetrics } from '../metrics.ts';
import type { ApprovalEvent, ApprovalNotifier, ApprovalRecord } from '../services/approvals.ts';
import { approvalEventMessage, approvalRequestMessage } from './views/approvals.ts';
import { outgoing } from './reply.ts';
import { describe } from './work.ts';

export class SlackApprovalNotifier implements ApprovalNotifier {
  constructor(
    private readonly client: webApi.WebClient,
    private readonly channel: string | null,
    private readonly logger: Logger,
    private readonly metrics?: PodbayMetrics,
  ) {}

  async posted(req: ApprovalRecord): Promise<{ channel: string; ts: string } | null> {
    this.metrics?.approvals.inc({ outcome: 'requested' });
    const channel = this.channel ?? req.payload.origin.channel;
    if (!channel) return null;
    const msg = outgoing(approvalRequestMessage(req));
    try {
      const res = await this.client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks });
      return res.ts && res.channel ? { channel: res.channel, ts: res.ts } : null;
    } catch (e) {
      this.logger.error({ err: describe(e), request: req.id, channel }, 'could not post an approval request');
      return null;
    }
  }

  async changed(req: ApprovalRecord, event: ApprovalEvent): Promise<void> {
    this.metrics?.approvals.inc({ outcome: event.kind });
    const where = req.payload.message;
    const note = outgoing(approvalEventMessage(req, event));
    if (where) {
      const msg = outgoing(approvalRequestMessage(req));
      await this.call('update the approval request', () =>
        this.client.chat.update({ channel: where.channel, ts: where.ts, text: msg.text, blocks: msg.blocks }),
      );
      if (event.kind !== 'approved') {
        await this.call('reply in the approval thread', () =>
          this.client.chat.postMessage({
            channel: where.channel,
            thread_ts: where.ts,
            text: note.text,
            blocks: note.blocks,
          }),
        );
      }
    }
    const origin = req.payload.origin;
    if (origin.ts && origin.channel && event.kind !== 'approved') {
      // The requester's "sent for approval" message: the outcome replaces it (and its Withdraw button).
      const ts = origin.ts;
      const channel = origin.channel;
      await this.call('update the requester’s message', () =>
        this.client.chat.update({ channel, ts, text: note.text, blocks: note.blocks }),
      );
    }
    if (event.kind === 'withdrawn') return;
    await this.call('DM the requester', () =>
      this.client.chat.postMessage({ channel: req.userId, text: note.text, blocks: note.blocks }),
    );
  }

  private async call(what: string, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.logger.warn({ err: describe(e) }, `could not ${what}`);
    }
  }
}
