// What the scheduler's alerts need from the loopback Slack, through a real WebClient (the one Bolt
// builds): a rate-limited chat.postMessage answers 429 + Retry-After and the client waits and sends
// it again (one message lands); messages keep their metadata and conversations.history reads it
// back as Slack does (newest first, oldest/latest/limit, metadata only with include_all_metadata).
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';

const { WebClient, LogLevel, WebClientEvent, retryPolicies, ErrorCode } = webApi;

describe('SlackFake for alerts', () => {
  let fake: SlackFake;
  let nowMs = Date.UTC(2026, 0, 15, 9, 0, 0);

  beforeEach(async () => {
    nowMs = Date.UTC(2026, 0, 15, 9, 0, 0);
    fake = await new SlackFake({ nowMs: () => nowMs }).start();
  });

  afterEach(() => fake.close());

  const client = (opts: ConstructorParameters<typeof WebClient>[1] = {}) =>
    new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, logLevel: LogLevel.ERROR, ...opts });

  describe('rateLimitNext', () => {
    it('answers HTTP 429 with Retry-After and ratelimited, as Slack does', async () => {
      fake.rateLimitNext('chat.postMessage', 7);
      const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ channel: 'C0ALERTS', text: 'idle pod' }),
      });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
      expect(fake.callsTo('chat.postMessage')).toEqual([
        expect.objectContaining({
          ok: false,
          error: 'ratelimited',
          args: expect.objectContaining({ channel: 'C0ALERTS' }),
        }),
      ]);
      expect(fake.messages).toHaveLength(0);
      // A rate limit is Slack's answer, not a refusal of the request.
      expect(fake.rejections).toEqual([]);
      // Only the next call: the one after it goes through.
      const again = await fetch(`${fake.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ channel: 'C0ALERTS', text: 'idle pod' }),
      });
      expect(again.status).toBe(200);
      expect(fake.messages).toHaveLength(1);
    });

    it('a WebClient waits Retry-After (1 s) and the message lands once', async () => {
      fake.rateLimitNext('chat.postMessage', 1);
      // rapidRetryPolicy leaves only Slack's Retry-After as the wait (no backoff of its own).
      const web = client({ retryConfig: retryPolicies.rapidRetryPolicy });
      const limited: number[] = [];
      web.on(WebClientEvent.RATE_LIMITED, (sec: number) => limited.push(sec));
      const t0 = performance.now();
      const r = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'pod idle for 45 minutes' });
      const waited = performance.now() - t0;
      expect(r.ok).toBe(true);
      expect(limited).toEqual([1]);
      expect(waited).toBeGreaterThanOrEqual(950);
      expect(waited).toBeLessThan(1900);
      expect(fake.messages.map((m) => [m.channel, m.text])).toEqual([
        ['C0ALERTS', 'pod idle for 45 minutes'],
      ]);
      expect(fake.callsTo('chat.postMessage').map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
    });

    it('with the client Bolt builds (default retry policy) the wait is Retry-After plus its own backoff', async () => {
      fake.rateLimitNext('chat.postMessage', 1);
      const web = client();
      const t0 = performance.now();
      await web.chat.postMessage({ channel: 'U0ALICE', text: 'your pod is idle' });
      const waited = performance.now() - t0;
      // 1 s from Retry-After, then p-retry's first backoff (1–2 s, randomized) before the retry.
      expect(waited).toBeGreaterThanOrEqual(1950);
      expect(waited).toBeLessThan(3900);
      expect(fake.messages).toHaveLength(1);
    }, 10_000);

    it('count limits several calls in a row; rejectRateLimitedCalls gets the Retry-After as an error', async () => {
      fake.rateLimitNext('chat.postMessage', 30, 2);
      const web = client({ rejectRateLimitedCalls: true });
      for (let i = 0; i < 2; i++) {
        const err = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'x' }).catch((e: unknown) => e);
        expect(err).toMatchObject({ code: ErrorCode.RateLimitedError, retryAfter: 30 });
      }
      await web.chat.postMessage({ channel: 'C0ALERTS', text: 'third' });
      expect(fake.callsTo('chat.postMessage').map((c) => c.error ?? 'ok')).toEqual([
        'ratelimited',
        'ratelimited',
        'ok',
      ]);
      expect(fake.messages.map((m) => m.text)).toEqual(['third']);
    });

    it('limits only the method named', async () => {
      fake.rateLimitNext('chat.update', 30);
      const web = client({ rejectRateLimitedCalls: true });
      const r = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'fine' });
      expect(r.ok).toBe(true);
      await expect(
        web.chat.update({ channel: 'C0ALERTS', ts: String(r.ts), text: 'x' }),
      ).rejects.toMatchObject({
        code: ErrorCode.RateLimitedError,
      });
    });
  });

  describe('metadata and conversations.history', () => {
    const alert = (podId: string, kind = 'idle') => ({
      event_type: 'podbay_alert',
      event_payload: { kind, podId, day: '2026-01-15' },
    });

    it('keeps chat.postMessage metadata and reads the channel back newest first', async () => {
      const web = client();
      const posted: string[] = [];
      for (const pod of ['pod-a', 'pod-b', 'pod-c']) {
        const r = await web.chat.postMessage({
          channel: 'C0ALERTS',
          text: `${pod} is idle`,
          metadata: alert(pod),
        });
        posted.push(String(r.ts));
        nowMs += 60_000;
      }
      await web.chat.postMessage({ channel: 'C0ALERTS', text: 'no metadata' });
      await web.chat.postMessage({ channel: 'C0GPU', text: 'another channel', metadata: alert('pod-x') });
      await web.chat.postEphemeral({ channel: 'C0ALERTS', user: 'U0ALICE', text: 'only alice' });

      expect(fake.messages[0]?.metadata).toEqual(alert('pod-a'));
      // ts come from the fake's clock: Slack's "<seconds>.<micros>", increasing.
      expect(posted[0]).toBe(`${Date.UTC(2026, 0, 15, 9, 0, 0) / 1000}.000000`);

      const all = await web.conversations.history({ channel: 'C0ALERTS', include_all_metadata: true });
      expect(all.ok).toBe(true);
      expect(all.has_more).toBe(false);
      expect(all.messages?.map((m) => m.text)).toEqual([
        'no metadata',
        'pod-c is idle',
        'pod-b is idle',
        'pod-a is idle',
      ]);
      expect(all.messages?.[1]).toMatchObject({
        ts: posted[2],
        bot_id: 'B0PODBAY',
        metadata: alert('pod-c'),
      });
      expect(all.messages?.[0]?.metadata).toBeUndefined();

      // Without include_all_metadata Slack leaves metadata out.
      const plain = await web.conversations.history({ channel: 'C0ALERTS' });
      expect(plain.messages?.every((m) => m.metadata === undefined)).toBe(true);
      expect(plain.messages).toHaveLength(4);
    });

    it('honours oldest, latest (exclusive unless inclusive) and limit with a cursor', async () => {
      const web = client();
      const ts: string[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await web.chat.postMessage({
          channel: 'C0ALERTS',
          text: `m${i}`,
          metadata: alert(`p${i}`),
        });
        ts.push(String(r.ts));
        nowMs += 10 * 60_000;
      }
      const texts = (r: { messages?: Array<{ text?: string }> }) => r.messages?.map((m) => m.text);
      const at = (i: number) => ts[i] ?? '';

      expect(texts(await web.conversations.history({ channel: 'C0ALERTS', oldest: at(2) }))).toEqual([
        'm4',
        'm3',
      ]);
      expect(
        texts(await web.conversations.history({ channel: 'C0ALERTS', oldest: at(2), inclusive: true })),
      ).toEqual(['m4', 'm3', 'm2']);
      expect(texts(await web.conversations.history({ channel: 'C0ALERTS', latest: at(1) }))).toEqual(['m0']);
      expect(
        texts(await web.conversations.history({ channel: 'C0ALERTS', oldest: at(0), latest: at(4) })),
      ).toEqual(['m3', 'm2', 'm1']);

      const page1 = await web.conversations.history({
        channel: 'C0ALERTS',
        limit: 2,
        include_all_metadata: true,
      });
      expect(texts(page1)).toEqual(['m4', 'm3']);
      expect(page1.has_more).toBe(true);
      expect(page1.messages?.[0]?.metadata).toEqual(alert('p4'));
      const cursor = page1.response_metadata?.next_cursor;
      expect(cursor).toBeTruthy();
      const page2 = await web.conversations.history({ channel: 'C0ALERTS', limit: 2, cursor: cursor ?? '' });
      expect(texts(page2)).toEqual(['m2', 'm1']);
      const page3 = await web.conversations.history({
        channel: 'C0ALERTS',
        limit: 2,
        cursor: page2.response_metadata?.next_cursor ?? '',
      });
      expect(texts(page3)).toEqual(['m0']);
      expect(page3.has_more).toBe(false);
    });

    it('leaves deleted messages out; an empty channel has no messages; a bad metadata shape is refused', async () => {
      const web = client();
      const r = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'gone', metadata: alert('pod-a') });
      await web.chat.delete({ channel: 'C0ALERTS', ts: String(r.ts) });
      const h = await web.conversations.history({ channel: 'C0ALERTS', include_all_metadata: true });
      expect(h.messages).toEqual([]);
      expect((await web.conversations.history({ channel: 'C0EMPTY' })).messages).toEqual([]);

      const bad = await web.chat
        .postMessage({
          channel: 'C0ALERTS',
          text: 'x',
          metadata: { event_type: 'podbay_alert' } as unknown as ReturnType<typeof alert>,
        })
        .catch((e: unknown) => e);
      expect(bad).toMatchObject({ data: { error: 'invalid_metadata_format' } });
    });

    it('chat.update can replace the metadata', async () => {
      const web = client();
      const r = await web.chat.postMessage({ channel: 'C0ALERTS', text: 'idle', metadata: alert('pod-a') });
      await web.chat.update({
        channel: 'C0ALERTS',
        ts: String(r.ts),
        text: 'idle (stopped)',
        metadata: alert('pod-a', 'stopped'),
      });
      const h = await web.conversations.history({ channel: 'C0ALERTS', include_all_metadata: true });
      expect(h.messages?.[0]).toMatchObject({ text: 'idle (stopped)', metadata: alert('pod-a', 'stopped') });
    });
  });
});
