// The Slack side of alerts: posts and updates through one queue per channel, at most one message
// a second per channel (Slack's chat.postMessage pace). A 429 is waited out: the Web API client
// honours Retry-After and sends the call again, once. Each post carries the alert key as message
// metadata, so a post whose answer was lost is found in the channel history instead of repeated.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { webApi } from '@slack/bolt';
import type { SpendChart } from '../charts/spend-chart.ts';
import type { Logger } from '../logger.ts';
import type { PodbayMetrics } from '../metrics.ts';
import type { AlertNotifier } from '../services/alert-delivery.ts';
import type { Alert, MessageRef } from '../services/alert-model.ts';
import type { DigestModel } from '../services/digest.ts';
import { outgoing } from './reply.ts';
import { alertMessage } from './views/alerts.ts';
import { type DigestChart, digestMessage } from './views/digest.ts';
import { describe } from './work.ts';

export const ALERT_EVENT_TYPE = 'podbay_alert';
const PER_CHANNEL_GAP_MS = 1000;
/**
 * Waits before posting the digest again when Slack refuses its chart (invalid_blocks): an uploaded
 * file is processed after files.completeUploadExternal answers, and an image block referencing it
 * is refused until then. After the last wait the digest goes without the chart.
 */
export const CHART_READY_WAITS_MS = [1000, 2000, 4000];

export interface SlackAlertNotifierOptions {
  /** Also write each digest's chart here as digest-YYYY-MM-DD.png (the console sets it; the path is shown in the message). */
  chartDir?: string;
}

export class SlackAlertNotifier implements AlertNotifier {
  private readonly queues = new Map<string, { tail: Promise<unknown>; lastMs: number }>();
  /** Called after an alert was posted or its message updated (main refreshes the owner's Home tab). */
  onShown: ((alert: Alert) => void) | null = null;
  /** Called when a digest went out with its chart (main keeps it for the Home tab). */
  onChart: ((chart: { fileId: string; alt: string; title: string }) => void) | null = null;

  constructor(
    private readonly client: webApi.WebClient,
    private readonly timeZone: string,
    private readonly logger: Logger,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly metrics?: PodbayMetrics,
    private readonly options: SlackAlertNotifierOptions = {},
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
      this.onShown?.(alert);
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
      this.onShown?.(alert);
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

  /**
   * The digest as one message. Its spend chart is drawn, uploaded with files.uploadV2 (not shared to
   * a channel, so it appears once: in the digest's image block) and referenced by file id. When the
   * chart cannot be drawn or uploaded, or Slack keeps refusing it, the digest is posted without it.
   */
  async digest(to: string, model: DigestModel): Promise<boolean> {
    // No chart of nothing: the first digests, before a day of the chart's window was recorded.
    const { chart, savedTo } = model.chart.ledgers.length ? await this.digestChart(model) : {};
    const post = (c: DigestChart | undefined) => {
      const msg = outgoing(
        digestMessage(model, { ...(c ? { chart: c } : {}), ...(savedTo ? { savedTo } : {}) }),
      );
      return this.inQueue(to, () =>
        this.client.chat.postMessage({ channel: to, text: msg.text, blocks: msg.blocks }),
      );
    };
    let withChart = chart;
    for (let attempt = 0; ; attempt++) {
      try {
        await post(withChart);
        if (withChart)
          this.onChart?.({
            fileId: withChart.fileId,
            alt: withChart.alt,
            title: `Spend per day, ${model.chart.from} – ${model.chart.through}`,
          });
        return true;
      } catch (e) {
        if (withChart && slackError(e) === 'invalid_blocks') {
          const wait = CHART_READY_WAITS_MS[attempt];
          if (wait !== undefined) {
            await this.sleep(wait);
            continue;
          }
          this.logger.warn(
            { err: describe(e), channel: to, file: withChart.fileId },
            'Slack refused the digest chart: posting the digest without it',
          );
          withChart = undefined;
          continue;
        }
        this.logger.warn({ err: describe(e), channel: to }, 'could not post the digest');
        return false;
      }
    }
  }

  /** Draws the spend chart and uploads it; nothing (logged) when either fails. */
  private async digestChart(model: DigestModel): Promise<{ chart?: DigestChart; savedTo?: string }> {
    let drawn: SpendChart;
    try {
      // Loaded on first use: ECharts and resvg's native binding cost start-up time, and a machine
      // without the binding still posts its digests (without the chart).
      const { renderSpendChart } = await import('../charts/spend-chart.ts');
      drawn = renderSpendChart({
        through: model.chart.through,
        days: model.chart.days,
        ledgers: model.chart.ledgers,
        timeZone: model.timeZone,
      });
    } catch (e) {
      this.logger.warn({ err: describe(e) }, 'could not draw the spend chart: the digest goes without it');
      return {};
    }
    const name = `digest-${model.period.yesterday.day}.png`;
    let savedTo: string | undefined;
    if (this.options.chartDir) {
      try {
        await mkdir(this.options.chartDir, { recursive: true });
        savedTo = join(this.options.chartDir, name);
        await writeFile(savedTo, drawn.png);
      } catch (e) {
        savedTo = undefined;
        this.logger.warn({ err: describe(e), dir: this.options.chartDir }, 'could not save the spend chart');
      }
    }
    try {
      const res = await this.client.files.uploadV2({
        file: Buffer.from(drawn.png.buffer, drawn.png.byteOffset, drawn.png.byteLength),
        filename: name,
        title: `Spend per day to ${model.chart.through}`,
        alt_text: drawn.alt,
      });
      const fileId = uploadedFileId(res);
      if (!fileId) throw new Error('files.uploadV2 answered without a file id');
      return { chart: { fileId, alt: drawn.alt }, ...(savedTo ? { savedTo } : {}) };
    } catch (e) {
      this.logger.warn({ err: describe(e) }, 'could not upload the spend chart: the digest goes without it');
      return savedTo ? { savedTo } : {};
    }
  }
}

/** The Web API error code of a refused call (e.g. invalid_blocks), if `e` is one. */
function slackError(e: unknown): string | undefined {
  const data = (e as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** files.uploadV2 answers `{ files: [completeUploadExternal answer, …] }`, each with `files: [{ id }]`. */
function uploadedFileId(res: unknown): string | undefined {
  const completions = (res as { files?: unknown }).files;
  if (!Array.isArray(completions)) return undefined;
  for (const c of completions) {
    const files = (c as { files?: unknown } | null)?.files;
    const id = Array.isArray(files) ? (files[0] as { id?: unknown } | undefined)?.id : undefined;
    if (typeof id === 'string' && id) return id;
  }
  return undefined;
}
