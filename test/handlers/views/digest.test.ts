// The daily spend digest message: compared with its golden JSON files and checked against Block
// Kit's limits, like every view in views.test.ts. UPDATE_GOLDEN=1 rewrites the golden files (review the diff).
import { describe, expect, it } from 'vitest';
import { golden } from './golden.ts';
import type { Message } from '../../../src/handlers/views/blocks.ts';
import { dayLabel, digestMessage } from '../../../src/handlers/views/digest.ts';
import { checkMessage, LIMITS } from '../../../src/handlers/views/limits.ts';
import { buildDigest, type DayLedger, type PodDaySpend } from '../../../src/services/digest.ts';


const NOW = new Date('2026-11-26T08:00:00.000Z'); // 09:00 in Berlin, Thu 26 Nov
const TZ = 'Europe/Berlin';
const H = 3_600_000;

const pod = (
  name: string,
  owner: string | null,
  usd: number,
  idleUsd = 0,
  runningMs = 24 * H,
): PodDaySpend => ({
  name,
  owner,
  usd,
  idleUsd,
  runningMs,
});

const YESTERDAY: DayLedger = {
  day: '2026-11-25',
  totalUsd: 187.42,
  pods: {
    abc123xyz: pod('alice-llama-eval-k3x9qa', 'U0ALICE', 47.04, 6.5),
    def456: pod('bob-sdxl-train-7hd82k', 'U0BOB', 16.56, 0, 24 * H),
    h100a: pod('carol-h100-finetune', 'U0CAROL', 71.76, 0.75),
    con1: pod('console-box', null, 23.5, 23.5, 20 * H),
    con2: pod('old-notebook', null, 4.2, 1.1, 6 * H),
    al2: pod('alice-embed', 'U0ALICE', 2.94, 0, 3 * H),
    b2: pod('bob-whisper', 'U0BOB', 1.38, 0.4, 2 * H),
    d1: pod('dan-debug', 'U0DAN', 0.98, 0.98, 1 * H),
    d2: pod('dan-test-a', 'U0DAN', 0.69, 0, 1 * H),
    d3: pod('dan-test-b', 'U0DAN', 0.49, 0, 1 * H),
    d4: pod('dan-test-c', 'U0DAN', 0.34, 0, 30 * 60_000),
    d5: pod('dan-test-d', 'U0DAN', 0.2, 0, 15 * 60_000),
  },
};

const WEEK: DayLedger[] = [
  { day: '2026-11-19', totalUsd: 120.1, pods: {} },
  { day: '2026-11-20', totalUsd: 98.35, pods: {} },
  { day: '2026-11-22', totalUsd: 40, pods: {} },
  { day: '2026-11-23', totalUsd: 152.8, pods: {} },
  { day: '2026-11-24', totalUsd: 1234.56, pods: {} },
  YESTERDAY,
  { day: '2026-11-26', totalUsd: 14.03, pods: {} },
];

const RUNNING = [
  {
    id: 'abc123xyz',
    name: 'alice-llama-eval-k3x9qa',
    owner: 'U0ALICE',
    uptimeSeconds: 3 * 86_400 + 7200,
    costPerHr: 0.98,
  },
  { id: 'h100a', name: 'carol-h100-finetune', owner: 'U0CAROL', uptimeSeconds: 30 * 3600, costPerHr: 2.99 },
  { id: 'def456', name: 'bob-sdxl-train-7hd82k', owner: 'U0BOB', uptimeSeconds: 5400, costPerHr: 0.69 },
  { id: 'con1', name: 'console-box', owner: null, uptimeSeconds: 40 * 3600, costPerHr: 0.49 },
  { id: 'd1', name: 'dan-debug', owner: 'U0DAN', uptimeSeconds: 600, costPerHr: 0.2 },
  { id: 'd9', name: 'dan-short', owner: 'U0DAN', uptimeSeconds: 60, costPerHr: 0.2 },
];

const build = (days: DayLedger[], running = RUNNING) =>
  buildDigest({ days, running, now: NOW, timeZone: TZ });

const MESSAGES: Record<string, () => Message> = {
  'digest-week': () => digestMessage(build(WEEK)),
  'digest-empty': () => digestMessage(build([], RUNNING.slice(0, 2))),
  'digest-empty-nothing-running': () => digestMessage(build([], [])),
  'digest-yesterday-missing': () => digestMessage(build(WEEK.filter((d) => d.day !== '2026-11-25'))),
};

// The same golden mechanism as views.test.ts.

describe('digest messages: golden files and Block Kit limits', () => {
  for (const [name, make] of Object.entries(MESSAGES)) {
    it(name, () => {
      const msg = make();
      expect(checkMessage(msg)).toEqual([]);
      expect(msg.text.trim().length).toBeGreaterThan(10);
      golden(name, msg);
    });
  }
});

describe('what the digest says', () => {
  const blocks = (m: Message) => JSON.stringify(m.blocks);

  it('mentions owners, formats money with separators and shows the sparkline', () => {
    const m = digestMessage(build(WEEK));
    expect(blocks(m)).toContain('<@U0ALICE>');
    expect(blocks(m)).toContain('_unattributed_');
    expect(blocks(m)).toContain('$1,234.56');
    expect(blocks(m)).toContain('`▁▁·▁▁█▂`');
    expect(blocks(m)).toContain('…and 2 other pods: $0.54');
    expect(m.text).toContain('$187.42');
  });

  it('an empty ledger says nothing is recorded yet and shows no dollar totals for the past', () => {
    const m = digestMessage(build([], []));
    expect(blocks(m)).toContain('No spend recorded yet');
    expect(blocks(m)).not.toMatch(/Yesterday|Month to date|\$0\.00 /);
  });

  it('a missing yesterday is said, not shown as $0', () => {
    const m = digestMessage(build(WEEK.filter((d) => d.day !== '2026-11-25')));
    expect(blocks(m)).toContain('No spend was recorded for Wed 25 Nov');
    expect(blocks(m)).toContain('*Yesterday*\\nnot recorded');
  });

  it('escapes pod names and odd owner ids, and keeps them short', () => {
    const m = digestMessage(
      build([
        {
          day: '2026-11-25',
          totalUsd: 5,
          pods: { x: pod(`<!channel> ${'x'.repeat(300)}`, '<!here>', 5, 1) },
        },
      ]),
    );
    expect(checkMessage(m)).toEqual([]);
    expect(JSON.stringify(m)).not.toMatch(/<!channel>|<!here>/);
    expect(blocks(m)).toContain('&lt;!channel&gt;');
  });

  it('hundreds of pods, owners and long names stay within the limits', () => {
    const pods: Record<string, PodDaySpend> = {};
    for (let i = 0; i < 400; i++)
      pods[`pod${i}`] = pod(`${'team-experiment-'.repeat(6)}${i}`, `U0USER${i % 60}`, 100 + i, i % 7, 24 * H);
    const running = Array.from({ length: 300 }, (_, i) => ({
      id: `r${i}`,
      name: `${'very-long-running-pod-name-'.repeat(5)}${i}`,
      owner: `U0USER${i}`,
      uptimeSeconds: 1000 * i,
      costPerHr: 12.34,
    }));
    const m = digestMessage(
      buildDigest({ days: [{ day: '2026-11-25', totalUsd: 1e6, pods }], running, now: NOW, timeZone: TZ }),
    );
    expect(checkMessage(m)).toEqual([]);
    expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
  });

  it('labels days by their calendar date', () => {
    expect(dayLabel('2026-11-25')).toBe('Wed 25 Nov');
    expect(dayLabel('2028-02-29', true)).toBe('Tue 29 Feb 2028');
  });
});
