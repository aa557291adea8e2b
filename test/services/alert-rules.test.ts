// The pure pieces of alerts: the idle verdict from samples, projections with hysteresis, and
// days and months in a time zone.
import { describe, expect, it } from 'vitest';
import { crossing, project, runway } from '../../src/services/budget.ts';
import { appendSample, idleVerdict, type Sample } from '../../src/services/idle.ts';
import { dayKey, endOfDayMs, endOfMonthMs, isTimeZone } from '../../src/services/zoned-time.ts';

const MIN = 60_000;
const rule = { utilBelowPercent: 5, forMs: 30 * MIN, maxGapMs: 3 * MIN };
const series = (utils: Array<number | null>, stepMs = MIN): Sample[] => utils.map((u, i) => [i * stepMs, u]);

describe('idleVerdict', () => {
  it('idle only when every sample over the whole window is below the line', () => {
    const s = series(Array(31).fill(1));
    expect(idleVerdict(s, 30 * MIN, rule)).toEqual({ state: 'idle', sinceMs: 0 });
    expect(idleVerdict(s.slice(1), 30 * MIN, rule)).toEqual({ state: 'quiet', sinceMs: MIN });
  });
  it('a busy sample ends it; an unknown sample or a gap restarts the stretch', () => {
    expect(idleVerdict(series([...Array(30).fill(1), 50]), 30 * MIN, rule)).toEqual({ state: 'busy' });
    const withNull = series([...Array(10).fill(1), null, ...Array(20).fill(1)]);
    expect(idleVerdict(withNull, 30 * MIN, rule).state).toBe('quiet');
    const gap: Sample[] = [
      ...series(Array(10).fill(1)),
      ...series(Array(21).fill(1)).map(([t, u]) => [t + 14 * MIN, u] as Sample),
    ];
    expect(idleVerdict(gap, 34 * MIN, rule).state).toBe('quiet');
    expect(idleVerdict(series([1, null]), MIN, rule)).toEqual({ state: 'unknown' });
    // The newest sample is older than the gap allowed: unknown, not idle.
    expect(idleVerdict(series(Array(40).fill(1)), 50 * MIN, rule)).toEqual({ state: 'unknown' });
    expect(idleVerdict([], 0, rule)).toEqual({ state: 'unknown' });
  });
  it('appendSample keeps a bounded window and one sample per instant', () => {
    let s: Sample[] = [];
    for (let i = 0; i < 100; i++) s = appendSample(s, [i * MIN, 1], 33 * MIN);
    expect(s).toHaveLength(34);
    expect(s[0]?.[0]).toBe(66 * MIN);
    expect(appendSample(s, [99 * MIN, 7], 33 * MIN).at(-1)).toEqual([99 * MIN, 7]);
    expect(appendSample(s, [99 * MIN, 7], 33 * MIN)).toHaveLength(34);
  });
});

describe('budgets and runway', () => {
  it('projects the period from what was spent and the burn rate', () => {
    const p = project(100, 10, 300, 0, 24 * 3_600_000);
    expect(p.projectedUsd).toBe(340);
    expect(p.reachedAtMs).toBe(20 * 3_600_000);
    expect(project(100, 0, 300, 0, 3_600_000).reachedAtMs).toBeNull();
    expect(runway(100, 4, 0)).toEqual({
      balanceUsd: 100,
      burnPerHr: 4,
      hours: 25,
      runsOutAtMs: 25 * 3_600_000,
    });
    expect(runway(100, 0, 0).hours).toBeNull();
  });
  it('fires on crossing, stays quiet while the value hovers, re-arms only after recovery', () => {
    let armed = true;
    const fired: number[] = [];
    const values = [290, 301, 299, 302, 280, 271, 260, 305];
    for (const [i, v] of values.entries()) {
      const step = crossing(armed, v > 300, v < 270);
      armed = step.armed;
      if (step.fire) fired.push(i);
    }
    expect(fired).toEqual([1, 7]);
  });
});

describe('days in a time zone', () => {
  it('ends days and months at local midnight, across DST', () => {
    const la = 'America/Los_Angeles';
    expect(new Date(endOfDayMs(new Date('2026-03-07T12:00:00Z'), la)).toISOString()).toBe(
      '2026-03-08T08:00:00.000Z',
    );
    expect(new Date(endOfDayMs(new Date('2026-03-08T12:00:00Z'), la)).toISOString()).toBe(
      '2026-03-09T07:00:00.000Z',
    );
    expect(new Date(endOfMonthMs(new Date('2026-03-08T12:00:00Z'), 'Asia/Kolkata')).toISOString()).toBe(
      '2026-03-31T18:30:00.000Z',
    );
    expect(new Date(endOfMonthMs(new Date('2026-12-31T23:00:00Z'), 'UTC')).toISOString()).toBe(
      '2027-01-01T00:00:00.000Z',
    );
    expect(dayKey(new Date('2026-12-03T20:00:00Z'), 'Asia/Kolkata')).toBe('2026-12-04');
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Base')).toBe(false);
  });
});
