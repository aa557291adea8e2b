// The alerts block as a person writes it (README, examples/alerts.yml, errors with line and
// column), and the rules the scenarios do not reach: a pod still pulling its image is not idle, a
// pod stopped for long gets one terminate proposal, and the digest is posted once a day.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/services/alert-model.ts';
import { parsePolicy } from '../../src/services/policy-file.ts';
import { type AlertWorld, alertWorld, IDLE_30M, OWNER } from './world.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE = readFileSync(join(ROOT, 'examples', 'alerts.yml'), 'utf8');

let w: AlertWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('the alerts block', () => {
  it('is accepted exactly as the README shows it (examples/alerts.yml)', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`\`\`\`yaml\n${EXAMPLE}\`\`\``);
    const r = parsePolicy(EXAMPLE, 'alerts.yml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.alerts).toEqual({
      channel: 'C0ALERTS',
      idle: { utilBelowPercent: 5, forMs: 30 * 60_000, autoStopAfterMs: 2 * 3_600_000 },
      stoppedLongerThanMs: 7 * 86_400_000,
      budgets: { daily: 300, monthly: 6000 },
      runwayBelowMs: 48 * 3_600_000,
      digestChannel: 'C0DIGEST',
      dmOwner: true,
    });
    expect(r.policy.lifetimes.operator).toBe(12 * 3_600_000);
  });

  it('a wrong value is reported with its line, column and what was expected', () => {
    const r = parsePolicy(
      EXAMPLE.replace('for: 30m', 'for: soon').replace('daily: 300', 'daily: lots'),
      'p.yml',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.map((p) => `${p.line}:${p.column} ${p.key}: ${p.message}`);
    expect(text).toEqual([
      '5:10 alerts.idle.for: expected a duration like 90s, 30m, 1h or 2d',
      '9:12 alerts.budgets.daily: expected an amount in dollars, e.g. 1.00',
    ]);
    const typo = parsePolicy(EXAMPLE.replace('runway_below', 'runaway_below'), 'p.yml');
    expect(typo.ok).toBe(false);
  });
});

describe('rules', () => {
  it('a pod still pulling its image is not idle; its window starts when it runs', async () => {
    w = await alertWorld(IDLE_30M, { pullSec: 40 * 60 });
    await w.pod('idle');
    await w.minutes(45); // 40 minutes pulling, 5 running
    expect(w.slack.posts).toEqual([]);
    await w.minutes(20);
    expect(w.slack.posts).toEqual([]);
    await w.minutes(8);
    expect(w.slack.channelPosts('idle')).toHaveLength(1);
  });

  it('a pod stopped longer than the policy says gets one terminate proposal with its volume cost', async () => {
    w = await alertWorld(`
alerts:
  channel: C0ALERTS
  stopped_longer_than: 2h
`);
    const id = await w.pod('busy');
    await w.minutes(1);
    await w.pods.stop(id, OWNER);
    await w.minutes(119);
    expect(w.slack.channelPosts('stopped')).toHaveLength(0);
    await w.minutes(2);
    await w.minutes(600);
    const props = w.slack.channelPosts('stopped');
    expect(props).toHaveLength(1);
    const a = props[0] as Extract<Alert, { kind: 'stopped' }>;
    expect((await w.t.api.getPod(id))?.volumeInGb).toBe(20);
    expect(a.facts.volumeUsdPerMonth).toBeCloseTo(20 * 0.2, 5);
    // Keep it: closed for everyone, and not proposed again for this stopped stretch.
    await w.actions.dismiss(a.key, OWNER);
    await w.minutes(120);
    expect(w.slack.channelPosts('stopped')).toHaveLength(1);
    expect(w.slack.shown(a.key)?.open).toBe(false);
  });

  it('the digest is posted once a day, from the spend the scans recorded', async () => {
    w = await alertWorld(IDLE_30M, { startTime: '2026-12-02T22:00:00Z' });
    await w.pod('busy');
    await w.pod('idle');
    await w.minutes(180); // across midnight: yesterday has two hours of spend
    expect(await w.jobs.digest(w.clock.now())).toBe(true);
    expect(await w.jobs.digest(w.clock.now())).toBe(false); // once per day
    expect(w.slack.digests).toHaveLength(1);
    const d = w.slack.digests[0] as {
      yesterday: {
        totalUsd: number;
        byOwner: { top: Array<{ owner: string | null; usd: number }> };
        idle: { usd: number };
      };
    };
    expect(d.yesterday.totalUsd).toBeGreaterThan(0);
    expect(d.yesterday.byOwner.top[0]?.owner).toBe(OWNER.userId);
    expect(d.yesterday.idle.usd).toBeGreaterThan(0);
  });
});
