// Slack answering chat.postMessage with HTTP 429 and Retry-After: the alert is posted after the
// wait, once (no second message from the retry, none from the scans that run meanwhile).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCall, FakeEvent } from '../../src/sandbox/console/slack-fake.ts';
import { type Harness, startPodbay } from '../slack/harness.ts';
import {
  alertKey,
  alertMessages,
  busyPods,
  EVERY_SECOND,
  lastScanMs,
  storedAlerts,
  until,
  writePolicy,
} from './e2e-world.ts';

/** Slack's ts ("1768467600.000123") in milliseconds. */
const tsMs = (ts: string) => Number(ts) * 1000;

const keyOf = (c: ApiCall): unknown =>
  (c.args.metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload?.key;

describe('an alert post answered 429 with Retry-After', () => {
  let h: Harness;
  let pods: string[];
  let dbPath: string;
  /** When each rate-limited call was recorded, by the alert key it carried. */
  const limitedAt = new Map<string, number[]>();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-alerts-429-'));
    dbPath = join(dir, 'podbay.db');
    h = await startPodbay({
      twin: { seed: false, realtime: true },
      env: { PODBAY_POLICY: writePolicy(dir), PODBAY_SCAN_CRON: EVERY_SECOND, PODBAY_DB_PATH: dbPath },
      start: { alertMaxGapMs: 5000 },
    });
    pods = busyPods(h.twin, 3);
    h.fake.events.on('event', (e: FakeEvent) => {
      if (e.kind !== 'call' || e.call.error !== 'ratelimited') return;
      const key = String(keyOf(e.call));
      limitedAt.set(key, [...(limitedAt.get(key) ?? []), Date.now()]);
    });
  });
  afterAll(() => h?.close());

  /** Makes `podId` idle and answers its alert message once it landed, then lets three more scans run. */
  async function alertOnceAfterLimit(podId: string, retryAfterSec: number, limited: number) {
    h.fake.rateLimitNext('chat.postMessage', retryAfterSec, limited);
    h.twin.control.setScenario(podId, 'idle');
    const msg = await h.fake.waitFor(
      () => alertMessages(h.fake).find((m) => alertKey(m)?.startsWith(`idle:${podId}:`)),
      20_000,
      `the idle alert for ${podId}`,
    );
    const key = alertKey(msg) as string;
    // Scans go on after the post; none of them posts the alert again.
    const landed = tsMs(msg.ts);
    await until(() => lastScanMs(dbPath) > landed + 3000, 15_000, 'three more scans');
    return { msg, key };
  }

  it('one 429: the post is sent again after Retry-After and lands once', async () => {
    const target = pods[0] as string;
    // Retry-After longer than the scan interval: a scan must not post it again meanwhile.
    const { msg, key } = await alertOnceAfterLimit(target, 3, 1);

    expect(alertMessages(h.fake).filter((m) => alertKey(m) === key)).toHaveLength(1);
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => keyOf(c) === key);
    expect(posts.map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'ok']);
    // It landed after the 429 was answered, and not before Retry-After (3 s) had passed.
    const limited = limitedAt.get(key) ?? [];
    expect(limited).toHaveLength(1);
    expect(tsMs(msg.ts)).toBeGreaterThanOrEqual((limited[0] as number) + 2900);
    // The store knows the message it became: later changes update it rather than post again.
    const stored = storedAlerts(dbPath).find((a) => a.key === key);
    expect(stored).toMatchObject({ channelTs: msg.ts });
    expect(stored?.delivered).toBe(stored?.revision);
  }, 60_000);

  it('two 429s in a row: still exactly one message', async () => {
    const target = pods[1] as string;
    const { msg, key } = await alertOnceAfterLimit(target, 1, 2);

    expect(alertMessages(h.fake).filter((m) => alertKey(m) === key)).toHaveLength(1);
    const posts = h.fake.callsTo('chat.postMessage').filter((c) => keyOf(c) === key);
    expect(posts.map((c) => c.error ?? 'ok')).toEqual(['ratelimited', 'ratelimited', 'ok']);
    const limited = limitedAt.get(key) ?? [];
    expect(tsMs(msg.ts)).toBeGreaterThanOrEqual((limited[1] as number) + 900);
    // The other pods' alerts: the first one still has its one message; the busy pod none.
    const keys = alertMessages(h.fake).map((m) => alertKey(m) as string);
    expect(keys.filter((k) => k.startsWith(`idle:${pods[0]}:`))).toHaveLength(1);
    expect(keys.filter((k) => k.startsWith(`idle:${pods[2]}:`))).toHaveLength(0);
  }, 60_000);
});
