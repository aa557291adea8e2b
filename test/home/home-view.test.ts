// The Home view alone (pure): long lists are cut with "and N more" and stay within the Home tab's
// 100 blocks; names from people are escaped; a person without a role is told who can give one.
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import { HOME_MAX, homeView } from '../../src/handlers/views/home.ts';
import { checkHome, LIMITS } from '../../src/handlers/views/limits.ts';
import type { HomeModel, HomePod, HomeRequest } from '../../src/services/home.ts';

const NOW = Date.parse('2026-11-26T12:00:00.000Z');

function pod(i: number, over: Partial<HomePod> = {}): HomePod {
  return {
    id: `pod${String(i).padStart(6, '0')}`,
    name: `ops-pod-${i}`,
    status: 'RUNNING',
    kind: 'on-demand',
    gpuCount: 8,
    gpuName: 'H100 SXM',
    costPerHr: 21.52,
    activity: { state: 'idle', utilPercent: 0, sampleAtMs: NOW, idleSinceMs: NOW - 3_600_000 },
    ...over,
  };
}

function request(i: number, requesterId: string): HomeRequest {
  return {
    id: `apr_${String(i).padStart(20, '0')}`,
    kind: 'pod.create',
    target: `ops-big-${i}`,
    summary: `create 8× H100 SXM on-demand pod ops-big-${i} at $21.52/h ${'with a long reason '.repeat(20)}`,
    requesterId,
    rule: 'it costs $21.52/h, above the $1.00/h that needs approval; it has 8 GPUs, more than the 4 that need approval',
    justification: 'x'.repeat(500),
    perHourUsd: 21.52,
    createdAt: new Date(NOW - i * 60_000).toISOString(),
    expiresAt: new Date(NOW + 3_600_000).toISOString(),
  };
}

function model(over: Partial<HomeModel> = {}): HomeModel {
  return {
    userId: 'U0ADMIN',
    atMs: NOW,
    timeZone: 'UTC',
    roles: ['operator', 'approver', 'admin'],
    may: { createPods: true, actOnPods: true, decide: true },
    helpers: ['U0ADMIN'],
    pods: [],
    perHourUsd: 0,
    idleRule: { utilBelowPercent: 10, forMs: 1_800_000 },
    toDecide: [],
    approvalsChannel: 'C0APPROVALS',
    mine: [],
    alerts: [],
    spend: { day: '2026-11-26', timeZone: 'UTC', today: null, month: null, asOfMs: null },
    chart: null,
    ...over,
  };
}

const text = (v: unknown) => JSON.stringify(v);

describe('homeView', () => {
  it('cuts every list and stays within 100 blocks, however much there is', () => {
    const pods = Array.from({ length: 40 }, (_, i) => pod(i));
    const toDecide = Array.from({ length: 30 }, (_, i) => request(i, 'U0OPS'));
    const mine = Array.from({ length: 12 }, (_, i) => request(100 + i, 'U0ADMIN'));
    const v = homeView(model({ pods, toDecide, mine, perHourUsd: 860.8 }));
    expect(v.blocks.length).toBeLessThanOrEqual(LIMITS.homeBlocks);
    expect(checkHome(v)).toEqual([]);
    expect(text(v)).toContain(`and ${40 - HOME_MAX.pods} more — \`/pod list mine\``);
    expect(text(v)).toContain(`and ${30 - HOME_MAX.toDecide} more — in <#C0APPROVALS>`);
    expect(text(v)).toContain(`and ${12 - HOME_MAX.mine} more`);
    expect(
      v.blocks.filter((b) => b.type === 'actions' && b.block_id?.startsWith('home-approval:')),
    ).toHaveLength(HOME_MAX.toDecide);
  });

  it('the same model renders the same view (so an unchanged Home is not published again)', () => {
    const m = model({ pods: [pod(1)], toDecide: [request(1, 'U0OPS')] });
    expect(text(homeView(m))).toBe(text(homeView(structuredClone(m))));
  });

  it('escapes names that came from people wherever Slack reads mrkdwn', () => {
    const v = homeView(model({ pods: [pod(1, { name: '<!channel> *gotcha*' })] }));
    const mrkdwn: string[] = [];
    JSON.stringify(v, (_k, val: unknown) => {
      const o = val as { type?: unknown; text?: unknown };
      if (o && o.type === 'mrkdwn' && typeof o.text === 'string') mrkdwn.push(o.text);
      return val;
    });
    expect(mrkdwn.join('\n')).not.toContain('<!channel>');
    expect(mrkdwn.join('\n')).toContain('&lt;!channel&gt;');
  });

  it('offers Terminate only while no request to terminate the pod is waiting', () => {
    const p = pod(1);
    const asked: HomeRequest = { ...request(1, 'U0ADMIN'), kind: 'pod.terminate', target: p.id };
    const v = homeView(model({ pods: [p], mine: [asked] }));
    const podActions = v.blocks.find((b) => b.block_id === `home-pod:${p.id}`);
    expect(text(podActions)).toContain(ACTIONS.podStop);
    expect(text(podActions)).not.toContain(ACTIONS.podTerminate);
    expect(text(v)).toContain('you asked to terminate it');
  });

  it('someone without a role is told who can give one, and gets no buttons', () => {
    const v = homeView(model({ roles: [], may: { createPods: false, actOnPods: false, decide: false } }));
    expect(checkHome(v)).toEqual([]);
    expect(text(v)).toContain('no role in podbay');
    expect(text(v)).toContain('<@U0ADMIN>');
    expect(v.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('the limit checker refuses a Home over 100 blocks, or one with a title', () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    expect(checkHome({ type: 'home', blocks })).toEqual(['blocks: 101 > 100']);
    expect(checkHome({ type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] })).toEqual([
      'type: must be home',
      'title: a Home tab has none',
    ]);
  });
});

describe('homeView: the spend chart', () => {
  it('shows the latest digest’s chart as an image of the uploaded file, with its alt text', () => {
    const v = homeView(
      model({
        chart: {
          fileId: 'F0CHART0001',
          alt: 'Spend per day: $1,234 total; ana 60 %',
          title: 'Spend per day, 2026-10-27 – 2026-11-25',
        },
      }),
    );
    const images = v.blocks.filter((b) => b.type === 'image');
    expect(images).toEqual([
      expect.objectContaining({
        slack_file: { id: 'F0CHART0001' },
        alt_text: 'Spend per day: $1,234 total; ana 60 %',
      }),
    ]);
    expect(checkHome(v)).toEqual([]);
    expect(homeView(model()).blocks.some((b) => b.type === 'image')).toBe(false);
  });
});
