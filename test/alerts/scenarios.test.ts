// The twin's utilisation scenarios under a fake clock (the twin's, moved a minute per scan): which
// pods alert, how often, and what the ladder, snooze, keep, lifetimes, spot interruptions,
// budgets and runway do. Each case asserts on what Slack would be sent and on the twin's pods.
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/services/alert-model.ts';
import { ADAPTERS } from '../runpod/adapters.ts';
import { type AlertWorld, alertWorld, IDLE_30M, OWNER } from './world.ts';

let w: AlertWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ADMIN = { userId: 'U0ADMIN', teamId: 'T1' };

describe.each(ADAPTERS.filter((a) => a.mode !== 'auto'))('idle pods ($mode)', ({ mode }) => {
  it('a busy pod never alerts; a bursty pod whose idle stretches are shorter than the window never alerts', async () => {
    w = await alertWorld(IDLE_30M, { api: mode });
    await w.pod('busy');
    await w.pod('bursty');
    const reports = await w.minutes(180);
    expect(reports.length).toBe(180);
    expect(w.slack.posts).toEqual([]);
    // The scan did look: both pods were sampled and running every time.
    expect(reports.every((r) => r.running === 2)).toBe(true);
  });

  it('an idle pod alerts once per episode, in the channel and by DM, and the message says when it is busy again', async () => {
    w = await alertWorld(IDLE_30M, { api: mode });
    const id = await w.pod('idle');
    await w.minutes(29);
    expect(w.slack.posts).toEqual([]);
    await w.minutes(2);
    expect(w.slack.channelPosts('idle')).toHaveLength(1);
    const first = w.slack.channelPosts('idle')[0] as Alert;
    expect(w.slack.posts.map((p) => p.to).sort()).toEqual(['C0ALERTS', OWNER.userId]);
    expect(first.pod?.id).toBe(id);
    await w.minutes(90);
    expect(w.slack.channelPosts('idle')).toHaveLength(1); // still the same episode
    w.t.twin.control.setScenario(id, 'busy');
    await w.minutes(2);
    const shown = w.slack.shown(first.key);
    expect(shown?.open).toBe(false);
    expect(shown?.notes.map((n) => n.text).join(' ')).toMatch(/Busy again/);
    w.t.twin.control.setScenario(id, 'idle');
    await w.minutes(35);
    expect(w.slack.channelPosts('idle')).toHaveLength(2); // a new episode, a new alert
  });
});

describe('the ladder, snooze and keep', () => {
  it('without auto_stop_after, an idle pod is never stopped', async () => {
    w = await alertWorld(IDLE_30M);
    const id = await w.pod('idle');
    await w.minutes(300);
    expect((await w.t.api.getPod(id))?.status).toBe('RUNNING');
    expect(w.slack.channelPosts('idle')).toHaveLength(1);
  });

  it('with auto_stop_after, the stop comes after the warning and a last warning, and is audited as the policy’s', async () => {
    w = await alertWorld(`
alerts:
  channel: C0ALERTS
  idle: { gpu_util_below: 5, for: 30m, auto_stop_after: 1h }
`);
    const id = await w.pod('idle');
    await w.minutes(31);
    const key = (w.slack.channelPosts('idle')[0] as Alert).key;
    await w.minutes(40);
    expect(w.slack.shown(key)?.stage).toBe('warning');
    expect((await w.t.api.getPod(id))?.status).toBe('RUNNING');
    await w.minutes(10); // 15 minutes before the stop: the last warning
    expect(w.slack.shown(key)?.stage).toBe('last-warning');
    expect((await w.t.api.getPod(id))?.status).toBe('RUNNING');
    await w.minutes(10);
    expect((await w.t.api.getPod(id))?.status).toBe('EXITED');
    const last = w.slack.shown(key);
    expect(last?.stage).toBe('stopped');
    expect(last?.open).toBe(false);
    const audit = await w.store.listAudit({ limit: 10 });
    expect(audit.find((e) => e.action === 'pod.stop' && e.target === id)?.userId).toBeNull();
    // A stop by the policy is not a spot interruption or a new alert.
    await w.minutes(5);
    expect(w.slack.channelPosts()).toHaveLength(1);
  });

  it('snooze holds off the automatic stop until the snooze is over, and the message says who snoozed', async () => {
    w = await alertWorld(`
alerts:
  channel: C0ALERTS
  idle: { gpu_util_below: 5, for: 30m, auto_stop_after: 30m }
`);
    const id = await w.pod('idle');
    await w.minutes(31);
    const key = (w.slack.channelPosts('idle')[0] as Alert).key;
    const r = await w.actions.snooze(key, 4 * 3_600_000, OWNER);
    expect(r.ok).toBe(true);
    expect(w.slack.shown(key)?.notes.at(-1)?.text).toMatch(/Snoozed 4h by <@U0OWNER>/);
    await w.minutes(4 * 60 - 5);
    expect((await w.t.api.getPod(id))?.status).toBe('RUNNING');
    await w.minutes(25);
    expect((await w.t.api.getPod(id))?.status).toBe('EXITED');
    expect(w.slack.channelPosts('idle')).toHaveLength(1);
  });

  it('keep running closes the alert and exempts the pod for a day; someone else than the owner needs to be allowed', async () => {
    w = await alertWorld(IDLE_30M);
    const id = await w.pod('idle');
    await w.minutes(31);
    const key = (w.slack.channelPosts('idle')[0] as Alert).key;
    await w.actions.keep(key, ADMIN);
    expect(w.slack.shown(key)?.stage).toBe('kept');
    await w.minutes(23 * 60);
    expect(w.slack.channelPosts('idle')).toHaveLength(1);
    await w.minutes(90);
    expect(w.slack.channelPosts('idle')).toHaveLength(2); // the day is over: idle again is alerted
    expect((await w.t.api.getPod(id))?.status).toBe('RUNNING');
  });

  it('Stop now stops the pod and says who did it', async () => {
    w = await alertWorld(IDLE_30M);
    const id = await w.pod('idle');
    await w.minutes(31);
    const key = (w.slack.channelPosts('idle')[0] as Alert).key;
    const r = await w.actions.stop(key, OWNER);
    expect(r.message).toMatch(/Stopped/);
    expect((await w.t.api.getPod(id))?.status).toBe('EXITED');
    expect(w.slack.shown(key)?.notes.at(-1)?.text).toBe('Stopped by <@U0OWNER>.');
  });
});

describe('spot interruptions and lifetimes', () => {
  it('a spot pod interrupted is reported at the next scan, with the current minimum bid; a stop through podbay is not', async () => {
    w = await alertWorld(IDLE_30M);
    const spot = await w.pod('busy', { spot: true });
    const other = await w.pod('busy', { spot: true });
    await w.minutes(2);
    w.t.twin.control.interruptSpot(spot);
    await w.pods.stop(other, OWNER);
    await w.minutes(1);
    const spots = w.slack.channelPosts('spot');
    expect(spots).toHaveLength(1);
    const a = spots[0] as Extract<Alert, { kind: 'spot' }>;
    expect(a.pod?.id).toBe(spot);
    expect(a.facts.minBidPerGpu).toBeGreaterThan(0);
    expect(a.facts.onDemandPerHr).toBeGreaterThan(0);
    await w.minutes(10);
    expect(w.slack.channelPosts('spot')).toHaveLength(1);
    const r = await w.actions.recreate(a.key, OWNER);
    expect(r.message).toMatch(/pod|creat/i);
    const all = await w.t.api.listPods();
    expect(all.filter((p) => p.kind === 'on-demand')).toHaveLength(1);
  });

  it('a lifetime warns 15 minutes ahead with Extend, stops on time, and Extend moves it', async () => {
    w = await alertWorld(IDLE_30M);
    const id = await w.pod('busy', { name: 'owner-train-1' });
    await w.lifetimes.set('owner-train-1', 60 * 60_000, OWNER.userId);
    await w.minutes(44);
    expect(w.slack.channelPosts('lifetime')).toHaveLength(0);
    await w.minutes(2);
    const warn = w.slack.channelPosts('lifetime');
    expect(warn).toHaveLength(1);
    const key = (warn[0] as Alert).key;
    await w.actions.extend(key, 2 * 3_600_000, OWNER);
    await w.minutes(30);
    expect((await w.t.api.getPod(id))?.status).toBe('RUNNING');
    await w.minutes(120);
    expect((await w.t.api.getPod(id))?.status).toBe('EXITED');
    expect(w.slack.shown(key)?.stage).toBe('stopped');
    expect(await w.lifetimes.get('owner-train-1')).toBeNull();
  });
});

describe('two rules due at once', () => {
  it('an idle auto-stop and a lifetime in the same scan stop the pod once, and both alerts say so', async () => {
    w = await alertWorld(`
alerts:
  channel: C0ALERTS
  idle: { gpu_util_below: 5, for: 30m, auto_stop_after: 30m }
`);
    const id = await w.pod('idle', { name: 'owner-both-1' });
    await w.lifetimes.set('owner-both-1', 61 * 60_000, OWNER.userId);
    await w.minutes(75);
    expect((await w.t.api.getPod(id))?.status).toBe('EXITED');
    const stops = (await w.store.listAudit({ limit: 50 })).filter(
      (e) => e.action === 'pod.stop' && e.target === id,
    );
    expect(stops).toHaveLength(1);
    for (const kind of ['idle', 'lifetime'] as const) {
      const a = w.slack.channelPosts(kind)[0] as Alert;
      expect(w.slack.shown(a.key)?.stage, kind).toBe('stopped');
    }
  });
});

describe('without an alerts section', () => {
  it('a lifetime is still enforced, and its warning goes to the owner by DM', async () => {
    w = await alertWorld('');
    const id = await w.pod('idle', { name: 'owner-short-1' });
    await w.lifetimes.set('owner-short-1', 30 * 60_000, OWNER.userId);
    await w.minutes(120);
    expect((await w.t.api.getPod(id))?.status).toBe('EXITED');
    expect(w.slack.posts.map((p) => [p.to, p.alert.kind])).toEqual([[OWNER.userId, 'lifetime']]);
  });
});

describe('budgets and runway', () => {
  it('a daily budget alerts on crossing, closes on recovery, and alerts again on the next crossing', async () => {
    w = await alertWorld(
      `
alerts:
  channel: C0ALERTS
  budgets: { daily: 20 }
`,
      { startTime: '2026-12-03T01:00:00Z' },
    );
    const a = await w.pod('busy');
    await w.minutes(2);
    // One pod for the 23 h left is under $20; three more push the projection over.
    expect(w.slack.channelPosts('budget')).toHaveLength(0);
    const more = [await w.pod('busy'), await w.pod('busy'), await w.pod('busy')];
    await w.minutes(2);
    expect(w.slack.channelPosts('budget')).toHaveLength(1);
    // Hovering just over the line and back near it does not post again.
    await w.minutes(30);
    expect(w.slack.channelPosts('budget')).toHaveLength(1);
    for (const id of [a, ...more]) await w.pods.stop(id, OWNER);
    await w.minutes(2);
    const first = w.slack.channelPosts('budget')[0] as Alert;
    expect(w.slack.shown(first.key)?.stage).toBe('recovered');
    for (const id of [a, ...more]) await w.pods.resume(id, OWNER);
    await w.minutes(3);
    expect(w.slack.channelPosts('budget')).toHaveLength(2);
  });

  it('runway alerts below the line, names the pods without a network volume, and re-arms only after a real recovery', async () => {
    w = await alertWorld(`
alerts:
  channel: C0ALERTS
  runway_below: 48h
`);
    await w.pod('busy');
    await w.pod('busy');
    const rate = (await w.t.api.account()).spendPerHrUsd;
    expect(rate).toBeGreaterThan(0);
    w.t.twin.control.setAccount({ clientBalance: rate * 100 });
    await w.minutes(2);
    expect(w.slack.channelPosts('runway')).toHaveLength(0);
    w.t.twin.control.setAccount({ clientBalance: rate * 30 });
    await w.minutes(1);
    const runway = w.slack.channelPosts('runway');
    expect(runway).toHaveLength(1);
    const r = runway[0] as Extract<Alert, { kind: 'runway' }>;
    expect(r.facts.atRisk).toHaveLength(2);
    expect(r.facts.runsOutAtMs).toBeGreaterThan(w.clock.now().getTime());
    // Back to 50 h: over the line but not a real recovery (the re-arm is at 60 h): nothing new.
    w.t.twin.control.setAccount({ clientBalance: rate * 50 });
    await w.minutes(1);
    w.t.twin.control.setAccount({ clientBalance: rate * 30 });
    await w.minutes(1);
    expect(w.slack.channelPosts('runway')).toHaveLength(1);
    w.t.twin.control.setAccount({ clientBalance: rate * 200 });
    await w.minutes(1);
    expect(w.slack.shown(r.key)?.stage).toBe('recovered');
    w.t.twin.control.setAccount({ clientBalance: rate * 20 });
    await w.minutes(1);
    expect(w.slack.channelPosts('runway')).toHaveLength(2);
  });
});

describe('with RUNPOD_API=v2 (GraphQL switched off)', () => {
  it('says the balance needs GraphQL and checks budgets from REST v2’s spend rate', async () => {
    w = await alertWorld(
      `
alerts:
  channel: C0ALERTS
  budgets: { daily: 5 }
  runway_below: 48h
`,
      { api: 'v2', startTime: '2026-12-03T01:00:00Z' },
    );
    for (let i = 0; i < 3; i++) await w.pod('busy');
    const [first] = await w.minutes(1);
    expect(first?.notes.join(' ')).toMatch(/balance needs RunPod GraphQL: runway was not checked/);
    await w.minutes(2);
    expect(w.slack.channelPosts('budget')).toHaveLength(1);
    expect(w.slack.channelPosts('runway')).toHaveLength(0);
  });
});
