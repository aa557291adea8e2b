// The Slack side of alerts through a real WebClient against the loopback Slack: one queue per
// channel spaced a second apart (the waits are recorded by an injected sleep, not timed), the
// alert key as message metadata, an earlier post found by it, and a deleted message not retried.
import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackAlertNotifier } from '../../src/handlers/alert-notifier.ts';
import { createLogger } from '../../src/logger.ts';
import type { Alert } from '../../src/services/alert-model.ts';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';

const T0 = Date.UTC(2026, 11, 3, 9, 0, 0);
const alert = (key: string): Alert => ({
  key,
  kind: 'runway',
  subject: 'account',
  open: true,
  openedAtMs: T0,
  updatedAtMs: T0,
  stage: 'low',
  pod: null,
  notes: [],
  snoozedUntilMs: null,
  autoStopAtMs: null,
  channel: 'C0ALERTS',
  dmTo: null,
  messages: { channel: null, dm: null },
  postingSinceMs: { channel: null, dm: null },
  revision: 1,
  delivered: 0,
  facts: {
    balanceUsd: 10,
    burnPerHr: 1,
    hours: 10,
    runsOutAtMs: T0 + 36e6,
    thresholdMs: 48 * 36e5,
    atRisk: [],
  },
});

describe('SlackAlertNotifier', () => {
  let fake: SlackFake;
  let waits: number[];
  let n: SlackAlertNotifier;
  beforeEach(async () => {
    fake = await new SlackFake({ nowMs: () => T0 }).start();
    waits = [];
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      logLevel: webApi.LogLevel.ERROR,
    });
    n = new SlackAlertNotifier(client, 'UTC', createLogger({ level: 'silent', secrets: [] }), async (ms) => {
      waits.push(ms);
    });
  });
  afterEach(() => fake.close());

  it('spaces posts to one channel a second apart, and other channels do not wait for it', async () => {
    await Promise.all([
      n.post('C0ALERTS', alert('a')),
      n.post('C0ALERTS', alert('b')),
      n.post('C0OTHER', alert('c')),
    ]);
    await n.post('C0ALERTS', alert('d'));
    // Two waits, each close to a second (the first post to each channel does not wait).
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThan(900);
    expect(fake.callsTo('chat.postMessage').map((c) => c.args.channel)).toHaveLength(4);
  });

  it('puts the alert key in the message metadata and finds the post by it', async () => {
    const ref = await n.post('C0ALERTS', alert('idle:p1:123'));
    expect(ref).not.toBeNull();
    const posted = fake.callsTo('chat.postMessage')[0]?.args as { metadata?: unknown };
    expect(JSON.stringify(posted.metadata)).toContain('idle:p1:123');
    expect(await n.find('C0ALERTS', 'idle:p1:123', T0 - 1000)).toEqual(ref);
    expect(await n.find('C0ALERTS', 'idle:p2:123', T0 - 1000)).toBeNull();
    expect(await n.find('U0OWNER', 'idle:p1:123', T0 - 1000)).toBeNull(); // a DM is not looked for
  });

  it('an update of a message someone deleted counts as shown; another failure does not', async () => {
    const ref = await n.post('C0ALERTS', alert('x'));
    if (!ref) throw new Error('not posted');
    fake.failNext('chat.update', 'message_not_found');
    expect(await n.update(ref, alert('x'))).toBe(true);
    fake.failNext('chat.update', 'channel_not_found');
    expect(await n.update(ref, alert('x'))).toBe(false);
  });
});
