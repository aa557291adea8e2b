// The digest's spend chart through the real notifier and WebClient against the loopback Slack:
// one file uploaded with files.uploadV2 (getUploadURLExternal, the upload, completeUploadExternal),
// not shared to the channel, and one digest message whose image block references it with the
// chart's alt text; the uploaded bytes decode as a PNG of the chart's size. When the upload fails
// the digest is posted without the image and the failure is logged; a file Slack has not processed
// yet is waited for, and given up on after the last wait.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH, renderSpendChart } from '../../src/charts/spend-chart.ts';
import { CHART_READY_WAITS_MS, SlackAlertNotifier } from '../../src/handlers/alert-notifier.ts';
import { checkMessage } from '../../src/handlers/views/limits.ts';
import { SlackFake, type SlackFakeOptions } from '../../src/sandbox/console/slack-fake.ts';
import { buildDigest, type DayLedger, type DigestModel } from '../../src/services/digest.ts';
import { addDays } from '../../src/services/zoned-time.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';
import { decodePng, isPng } from '../charts/png.ts';

const NOW = new Date('2026-11-26T08:00:00.000Z');
const TZ = 'Europe/Berlin';
const CHANNEL = 'C0DIGEST';
const H = 3_600_000;

function ledgers(): DayLedger[] {
  const out: DayLedger[] = [];
  for (let i = 0; i < 30; i++) {
    const day = addDays('2026-11-25', -i);
    if (i === 3 || i === 17) continue; // not recorded
    out.push({
      day,
      totalUsd: 60 + i,
      pods: {
        a: { name: 'alice-llama', owner: 'U0ALICE', usd: 30 + (i % 4), idleUsd: 4, runningMs: 24 * H },
        b: { name: 'bob-sdxl', owner: 'U0BOB', usd: 12, idleUsd: 0, runningMs: 24 * H },
        c: { name: 'console-box', owner: null, usd: 6, idleUsd: 6, runningMs: 24 * H },
      },
    });
  }
  return out;
}

const model = (days = ledgers()): DigestModel => buildDigest({ days, running: [], now: NOW, timeZone: TZ });

interface ImageBlockJson {
  type: 'image';
  slack_file?: { id?: string };
  alt_text?: string;
  title?: { text?: string };
}
const imageBlocks = (blocks: Array<Record<string, unknown>>) =>
  blocks.filter((b) => b.type === 'image') as unknown as ImageBlockJson[];

describe('the digest posts its spend chart as one image', () => {
  let fake: SlackFake;
  let clockMs: number;
  let waits: number[];
  let log: CapturedLogger;

  async function notifier(fakeOpts: SlackFakeOptions = {}, chartDir?: string) {
    clockMs = NOW.getTime();
    waits = [];
    fake = await new SlackFake({ nowMs: () => clockMs, ...fakeOpts }).start();
    log = captureLogger([], 'warn');
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      logLevel: webApi.LogLevel.ERROR,
      retryConfig: { retries: 0 },
    });
    return new SlackAlertNotifier(
      client,
      TZ,
      log.logger,
      async (ms) => {
        waits.push(ms);
        clockMs += ms;
      },
      undefined,
      chartDir ? { chartDir } : {},
    );
  }
  afterEach(() => fake?.close());
  /**
   * The waits for Slack to process the file (a second or more). The channel queue's own spacing is
   * left out: it waits what is left of a second since the previous post, always less than that.
   */
  const chartWaits = () => waits.filter((w) => w >= 1000);

  describe('when the upload works', () => {
    let m: DigestModel;
    beforeEach(async () => {
      m = model();
      const n = await notifier();
      expect(await n.digest(CHANNEL, m)).toBe(true);
    });

    it('uploads one file with files.uploadV2 and shares it to no channel', () => {
      expect(fake.calls.map((c) => c.method)).toEqual([
        'files.getUploadURLExternal',
        'upload',
        'files.completeUploadExternal',
        'chat.postMessage',
      ]);
      expect(fake.files).toHaveLength(1);
      const f = fake.files[0];
      expect(f).toMatchObject({ filename: 'digest-2026-11-25.png', channel: null });
      expect(fake.callsTo('files.completeUploadExternal')[0]?.args.channel_id).toBeUndefined();
      expect(fake.rejections).toEqual([]);
    });

    it('posts one message: the digest, with one image block referencing the file and the alt text', () => {
      const msgs = fake.visibleMessages();
      expect(msgs).toHaveLength(1);
      const msg = msgs[0]!;
      expect(msg.channel).toBe(CHANNEL);
      expect(msg.text).toContain('Spend');
      expect(checkMessage(msg)).toEqual([]);
      const images = imageBlocks(msg.blocks);
      expect(images).toHaveLength(1);
      const img = images[0]!;
      expect(img.slack_file).toEqual({ id: fake.files[0]?.id });
      // The alt text is the chart's own, and states its numbers.
      const chart = renderSpendChart({
        through: m.chart.through,
        days: m.chart.days,
        ledgers: m.chart.ledgers,
        timeZone: TZ,
      });
      expect(img.alt_text).toBe(chart.alt);
      expect(img.alt_text).toMatch(/Total \$[\d,]+\.\d\d over 28 recorded days \(2 of 30 not recorded/);
      expect(img.alt_text).toContain('U0ALICE');
      expect(img.alt_text).toMatch(/Idle GPUs: \$[\d,.]+, \d+% of pod spend/);
      expect(img.title?.text).toBe('Spend per day, Tue 27 Oct – Wed 25 Nov');
      // Right after the headline numbers.
      expect(msg.blocks.map((b) => b.type).slice(0, 3)).toEqual(['header', 'section', 'image']);
    });

    it('the uploaded bytes decode as a PNG of the chart’s size, the same the chart drew', () => {
      const bytes = fake.fileBytes(fake.files[0]?.id ?? '');
      expect(bytes).toBeDefined();
      expect(isPng(bytes!)).toBe(true);
      const img = decodePng(bytes!);
      expect([img.width, img.height]).toEqual([CHART_WIDTH * CHART_SCALE, CHART_HEIGHT * CHART_SCALE]);
      expect(fake.files[0]?.length).toBe(bytes!.length);
      const chart = renderSpendChart({
        through: m.chart.through,
        days: m.chart.days,
        ledgers: m.chart.ledgers,
        timeZone: TZ,
      });
      expect(Buffer.from(bytes!).equals(Buffer.from(chart.png))).toBe(true);
    });
  });

  for (const [where, method] of [
    ['asking for the upload URL', 'files.getUploadURLExternal'],
    ['sending the bytes', 'upload'],
    ['completing the upload', 'files.completeUploadExternal'],
  ] as const) {
    it(`an upload that fails ${where} still posts the digest, without the image, and logs it`, async () => {
      const n = await notifier();
      fake.failNext(method, 'internal_error');
      expect(await n.digest(CHANNEL, model())).toBe(true);
      const msgs = fake.visibleMessages();
      expect(msgs).toHaveLength(1);
      expect(imageBlocks(msgs[0]!.blocks)).toEqual([]);
      expect(msgs[0]!.blocks.length).toBeGreaterThan(3);
      expect(log.text()).toContain('could not upload the spend chart');
      expect(chartWaits()).toEqual([]);
    });
  }

  it('a file Slack is still processing is waited for, then the digest goes with it', async () => {
    const n = await notifier({ fileProcessingMs: 2500 });
    expect(await n.digest(CHANNEL, model())).toBe(true);
    // Refused at +0 and +1 s (invalid slack file), accepted at +3 s.
    expect(chartWaits()).toEqual(CHART_READY_WAITS_MS.slice(0, 2));
    expect(fake.callsTo('chat.postMessage').map((c) => c.error ?? 'ok')).toEqual([
      'invalid_blocks',
      'invalid_blocks',
      'ok',
    ]);
    const msgs = fake.visibleMessages();
    expect(msgs).toHaveLength(1);
    expect(imageBlocks(msgs[0]!.blocks)[0]?.slack_file?.id).toBe(fake.files[0]?.id);
  });

  it('a file Slack never accepts: after the last wait the digest is posted without it', async () => {
    const n = await notifier({ fileProcessingMs: 60 * 60_000 });
    expect(await n.digest(CHANNEL, model())).toBe(true);
    expect(chartWaits()).toEqual(CHART_READY_WAITS_MS);
    const msgs = fake.visibleMessages();
    expect(msgs).toHaveLength(1);
    expect(imageBlocks(msgs[0]!.blocks)).toEqual([]);
    expect(log.text()).toContain('Slack refused the digest chart');
  });

  it('the first digests (no day of the 30 recorded yet) have no chart and upload nothing', async () => {
    const n = await notifier();
    const todayOnly = ledgers().map((l) => ({ ...l, day: '2026-11-26' }));
    for (const days of [[], todayOnly.slice(0, 1)]) expect(await n.digest(CHANNEL, model(days))).toBe(true);
    expect(fake.files).toEqual([]);
    expect(fake.callsTo('files.getUploadURLExternal')).toEqual([]);
    expect(fake.visibleMessages()).toHaveLength(2);
    for (const msg of fake.visibleMessages()) expect(imageBlocks(msg.blocks)).toEqual([]);
  });

  it('with a chart directory (the console), the PNG is written there and its path shown', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'podbay-charts-')), 'charts');
    const n = await notifier({}, dir);
    expect(await n.digest(CHANNEL, model())).toBe(true);
    const file = join(dir, 'digest-2026-11-25.png');
    const saved = readFileSync(file);
    expect(saved.equals(Buffer.from(fake.fileBytes(fake.files[0]?.id ?? '') ?? []))).toBe(true);
    const msg = fake.visibleMessages()[0]!;
    expect(imageBlocks(msg.blocks)).toHaveLength(1);
    expect(JSON.stringify(msg.blocks)).toContain(`Spend chart saved to \`${file}\``);
  });
});
