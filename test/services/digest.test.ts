// The daily digest model: pure, no fakes. Grouping, top-N, idle, running, the week's series and its
// sparkline, month to date, and day boundaries in real time zones (DST, half-hour offsets).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  buildDigest,
  type DayLedger,
  DIGEST_TOP_PODS,
  dayKey,
  type PodDaySpend,
  SPARK_MISSING,
  sparkline,
  startOfDay,
} from '../../src/services/digest.ts';

const pod = (
  name: string,
  owner: string | null,
  usd: number,
  idleUsd = 0,
  runningMs = 3_600_000,
): PodDaySpend => ({
  name,
  owner,
  usd,
  idleUsd,
  runningMs,
});

const ledger = (day: string, totalUsd: number, pods: Record<string, PodDaySpend> = {}): DayLedger => ({
  day,
  totalUsd,
  pods,
});

// 10:00 in Berlin on Thu 26 Nov 2026: yesterday is 25 Nov.
const NOW = new Date('2026-11-26T09:00:00.000Z');
const TZ = 'Europe/Berlin';
const digest = (days: DayLedger[], running: Parameters<typeof buildDigest>[0]['running'] = []) =>
  buildDigest({ days, running, now: NOW, timeZone: TZ });

describe('dayKey', () => {
  const cases: Array<[string, string, string]> = [
    // Asia/Kolkata is UTC+5:30 all year.
    ['2026-11-25T18:29:59.999Z', 'Asia/Kolkata', '2026-11-25'],
    ['2026-11-25T18:30:00.000Z', 'Asia/Kolkata', '2026-11-26'],
    // Los Angeles: PST (−8) before 8 Mar 2026 02:00, PDT (−7) after, PST again from 1 Nov 02:00.
    ['2026-03-08T07:59:59.999Z', 'America/Los_Angeles', '2026-03-07'],
    ['2026-03-08T08:00:00.000Z', 'America/Los_Angeles', '2026-03-08'],
    ['2026-03-09T06:59:59.999Z', 'America/Los_Angeles', '2026-03-08'],
    ['2026-03-09T07:00:00.000Z', 'America/Los_Angeles', '2026-03-09'],
    ['2026-11-02T07:59:59.999Z', 'America/Los_Angeles', '2026-11-01'],
    ['2026-11-02T08:00:00.000Z', 'America/Los_Angeles', '2026-11-02'],
    // The same instant is a different day in different zones.
    ['2026-11-26T03:00:00.000Z', 'UTC', '2026-11-26'],
    ['2026-11-26T03:00:00.000Z', 'America/Los_Angeles', '2026-11-25'],
    ['2026-11-26T03:00:00.000Z', 'Pacific/Kiritimati', '2026-11-26'],
    ['2026-11-26T10:00:00.000Z', 'Pacific/Kiritimati', '2026-11-27'],
    // Year boundary and a leap day.
    ['2027-01-01T04:59:00.000Z', 'America/New_York', '2026-12-31'],
    ['2028-02-29T12:00:00.000Z', 'Asia/Tokyo', '2028-02-29'],
  ];
  for (const [iso, tz, day] of cases)
    it(`${iso} in ${tz} is ${day}`, () => expect(dayKey(new Date(iso), tz)).toBe(day));

  it('rejects an unknown zone', () => expect(() => dayKey(NOW, 'Mars/Olympus')).toThrow(RangeError));
});

describe('startOfDay and addDays', () => {
  it('a DST day in Los Angeles is 23 h in spring and 25 h in autumn', () => {
    const tz = 'America/Los_Angeles';
    expect(startOfDay('2026-03-08', tz).toISOString()).toBe('2026-03-08T08:00:00.000Z');
    expect(startOfDay('2026-03-09', tz).toISOString()).toBe('2026-03-09T07:00:00.000Z');
    expect(startOfDay('2026-11-01', tz).toISOString()).toBe('2026-11-01T07:00:00.000Z');
    expect(startOfDay('2026-11-02', tz).toISOString()).toBe('2026-11-02T08:00:00.000Z');
  });
  it('Kolkata starts its day at 18:30 UTC the day before', () =>
    expect(startOfDay('2026-11-26', 'Asia/Kolkata').toISOString()).toBe('2026-11-25T18:30:00.000Z'));
  it('where DST skips midnight (Santiago), the day starts at 01:00', () =>
    expect(startOfDay('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z'));
  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-11-26', -7)).toBe('2026-11-19');
  });
  it('every instant lies between the start of its day and the start of the next', () => {
    const zones = [
      'UTC',
      'Asia/Kolkata',
      'America/Los_Angeles',
      'Europe/Berlin',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.constantFrom(...zones),
        (t, tz) => {
          const day = dayKey(new Date(t), tz);
          const start = startOfDay(day, tz).getTime();
          const next = startOfDay(addDays(day, 1), tz).getTime();
          return start <= t && t < next && next - start >= 22 * 3_600_000 && next - start <= 26 * 3_600_000;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('the period covered', () => {
  it('yesterday and today follow the configured zone, not UTC', () => {
    // 03:00 UTC on 26 Nov is still 19:00 on 25 Nov in Los Angeles.
    const la = buildDigest({
      days: [],
      running: [],
      now: new Date('2026-11-26T03:00:00Z'),
      timeZone: 'America/Los_Angeles',
    });
    expect(la.period.yesterday).toEqual({
      day: '2026-11-24',
      start: '2026-11-24T08:00:00.000Z',
      end: '2026-11-25T08:00:00.000Z',
    });
    expect(la.period.today).toMatchObject({ day: '2026-11-25', asOfLocal: '19:00' });
    // 19:00 UTC on 25 Nov is already 00:30 on 26 Nov in Kolkata.
    const ist = buildDigest({
      days: [],
      running: [],
      now: new Date('2026-11-25T19:00:00Z'),
      timeZone: 'Asia/Kolkata',
    });
    expect(ist.period.yesterday.day).toBe('2026-11-25');
    expect(ist.period.today).toMatchObject({ day: '2026-11-26', asOfLocal: '00:30' });
  });
  it('the day after a DST change is reported with its real length', () => {
    const m = buildDigest({
      days: [],
      running: [],
      now: new Date('2026-11-02T17:00:00Z'),
      timeZone: 'America/Los_Angeles',
    });
    expect(m.period.yesterday).toEqual({
      day: '2026-11-01',
      start: '2026-11-01T07:00:00.000Z',
      end: '2026-11-02T08:00:00.000Z',
    });
  });
});

describe('an empty ledger', () => {
  it('says so instead of reporting zeros', () => {
    const m = digest([]);
    expect(m.empty).toBe(true);
    expect(m.firstDay).toBeNull();
    expect(m.yesterday).toBeNull();
    expect(m.todaySoFarUsd).toBeNull();
    expect(m.monthToDate.usd).toBeNull();
    expect(m.series.every((p) => p.usd === null)).toBe(true);
    expect(m.sparkline).toBe(SPARK_MISSING.repeat(7));
  });
  it('a ledger of today only is not empty, but has no yesterday', () => {
    const m = digest([ledger('2026-11-26', 3.5)]);
    expect(m.empty).toBe(false);
    expect(m.firstDay).toBe('2026-11-26');
    expect(m.yesterday).toBeNull();
    expect(m.todaySoFarUsd).toBe(3.5);
  });
  it('days after today do not count', () => expect(digest([ledger('2026-11-27', 9)]).empty).toBe(true));
});

describe('yesterday by owner, by pod and idle', () => {
  const y = ledger('2026-11-25', 40, {
    a1: pod('ana-train', 'U0ANA', 12, 2),
    a2: pod('ana-eval', 'U0ANA', 3, 3),
    b1: pod('bob-sdxl', 'U0BOB', 10, 0.5),
    x1: pod('console-box', null, 8, 4),
    x2: pod('old-box', null, 6),
    z1: pod('stopped-all-day', 'U0BOB', 0),
  });

  it('groups by owner, largest first, unattributed pods as one null owner sorted by amount', () => {
    const m = digest([y]);
    expect(m.yesterday?.byOwner.top).toEqual([
      { owner: 'U0ANA', usd: 15, idleUsd: 5, pods: 2 },
      { owner: null, usd: 14, idleUsd: 4, pods: 2 },
      { owner: 'U0BOB', usd: 10, idleUsd: 0.5, pods: 1 },
    ]);
    expect(m.yesterday?.byOwner.others).toBeNull();
  });

  it('sums the pods and keeps the account total apart from them', () => {
    const m = digest([y]);
    expect(m.yesterday).toMatchObject({ totalUsd: 40, podsUsd: 39, notPodsUsd: 1 });
    // A pod that spent nothing is left out.
    expect(m.yesterday?.byPod.top.map((p) => p.id)).toEqual(['a1', 'b1', 'x1', 'x2', 'a2']);
  });

  it('idle: the sum, its share, and the idlest pods first', () => {
    const m = digest([y]);
    expect(m.yesterday?.idle.usd).toBe(9.5);
    expect(m.yesterday?.idle.share).toBeCloseTo(9.5 / 39);
    expect(m.yesterday?.idle.top.map((p) => [p.name, p.idleUsd])).toEqual([
      ['console-box', 4],
      ['ana-eval', 3],
      ['ana-train', 2],
      ['bob-sdxl', 0.5],
    ]);
    expect(m.yesterday?.idle.others).toBeNull();
  });

  it('keeps the top 10 pods and sums the rest as others', () => {
    const pods: Record<string, PodDaySpend> = {};
    for (let i = 1; i <= 14; i++) pods[`p${i}`] = pod(`pod-${i}`, `U0USER${i % 3}`, i, i / 10);
    const m = digest([ledger('2026-11-25', 105, pods)]);
    expect(m.yesterday?.byPod.top).toHaveLength(DIGEST_TOP_PODS);
    expect(m.yesterday?.byPod.top[0]).toMatchObject({ id: 'p14', usd: 14 });
    expect(m.yesterday?.byPod.top.at(-1)).toMatchObject({ id: 'p5', usd: 5 });
    expect(m.yesterday?.byPod.others).toEqual({ count: 4, usd: 1 + 2 + 3 + 4 });
    expect(m.yesterday?.idle.top).toHaveLength(5);
    expect(m.yesterday?.idle.others).toEqual({ count: 9, usd: 4.5 });
  });

  it('rounds to cents only after summing', () => {
    const m = digest([
      ledger('2026-11-25', 0.03, {
        a: pod('a', 'U0A', 0.004),
        b: pod('b', 'U0A', 0.004),
        c: pod('c', 'U0A', 0.004),
      }),
    ]);
    expect(m.yesterday?.podsUsd).toBe(0.01);
    expect(m.yesterday?.byOwner.top[0]?.usd).toBe(0.01);
  });

  it('no pods yesterday: an account total with empty lists, and no idle share', () => {
    const m = digest([ledger('2026-11-25', 2)]);
    expect(m.yesterday).toMatchObject({
      totalUsd: 2,
      podsUsd: 0,
      notPodsUsd: 2,
      idle: { usd: 0, share: null },
    });
    expect(m.yesterday?.byOwner.top).toEqual([]);
  });
});

describe('running now', () => {
  it('the five longest-running pods with their price; count and $/h over all of them', () => {
    const running = Array.from({ length: 7 }, (_, i) => ({
      id: `r${i}`,
      name: `run-${i}`,
      owner: i % 2 ? 'U0ANA' : null,
      uptimeSeconds: (i + 1) * 3600,
      costPerHr: 0.5,
    }));
    const m = digest([], running);
    expect(m.running.count).toBe(7);
    expect(m.running.perHrUsd).toBe(3.5);
    expect(m.running.longest.map((p) => p.id)).toEqual(['r6', 'r5', 'r4', 'r3', 'r2']);
    expect(m.running.longest[0]).toMatchObject({
      uptimeSeconds: 7 * 3600,
      costPerHr: 0.5,
      sinceStartUsd: 3.5,
    });
  });
});

describe('the week and the month', () => {
  it('seven days ending yesterday, oldest first; missing days are null, not 0', () => {
    const m = digest([
      ledger('2026-11-19', 10),
      ledger('2026-11-21', 0),
      ledger('2026-11-22', 40),
      ledger('2026-11-25', 80),
      ledger('2026-11-26', 5), // today: not part of the week
      ledger('2026-11-10', 999), // before the week
    ]);
    expect(m.series).toEqual([
      { day: '2026-11-19', usd: 10 },
      { day: '2026-11-20', usd: null },
      { day: '2026-11-21', usd: 0 },
      { day: '2026-11-22', usd: 40 },
      { day: '2026-11-23', usd: null },
      { day: '2026-11-24', usd: null },
      { day: '2026-11-25', usd: 80 },
    ]);
    expect(m.sparkline).toBe('▁·▁▄··█');
  });

  it('month to date: the month’s recorded days through today, and how many are missing', () => {
    const m = digest([
      ledger('2026-10-31', 500),
      ledger('2026-11-01', 10),
      ledger('2026-11-25', 20.5),
      ledger('2026-11-26', 1.25),
    ]);
    expect(m.monthToDate).toEqual({
      from: '2026-11-01',
      through: '2026-11-26',
      usd: 31.75,
      daysRecorded: 3,
      days: 26,
    });
  });

  it('on the 1st, the month so far is today', () => {
    const m = buildDigest({
      days: [ledger('2026-11-30', 50), ledger('2026-12-01', 2)],
      running: [],
      now: new Date('2026-12-01T08:00:00Z'),
      timeZone: TZ,
    });
    expect(m.period.yesterday.day).toBe('2026-11-30');
    expect(m.yesterday?.totalUsd).toBe(50);
    expect(m.monthToDate).toEqual({
      from: '2026-12-01',
      through: '2026-12-01',
      usd: 2,
      daysRecorded: 1,
      days: 1,
    });
  });

  it('the zone decides which ledger is yesterday', () => {
    const days = [ledger('2026-11-24', 1), ledger('2026-11-25', 2)];
    const now = new Date('2026-11-26T03:00:00Z');
    expect(buildDigest({ days, running: [], now, timeZone: 'UTC' }).yesterday?.totalUsd).toBe(2);
    expect(buildDigest({ days, running: [], now, timeZone: 'America/Los_Angeles' }).yesterday?.totalUsd).toBe(
      1,
    );
  });
});

describe('sparkline', () => {
  it('scales from $0 to the highest value over eight bars', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5])).toBe('███');
  });
  it('all zero is flat, all missing is dots, and a missing day never looks like $0', () => {
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([null, null])).toBe('··');
    expect(sparkline([null, 0, 10])).toBe('·▁█');
  });
  it('a tiny day still shows as the lowest bar', () => expect(sparkline([0.01, 100])).toBe('▁█'));
});
