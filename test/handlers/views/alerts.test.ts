// Alert messages: one golden file per kind and stage, Block Kit's limits, buttons only while open
// and carrying the alert key alone, and names that cannot inject Slack markup.
import { describe, expect, it } from 'vitest';
import { alertMessage } from '../../../src/handlers/views/alerts.ts';
import { checkMessage } from '../../../src/handlers/views/limits.ts';
import type { Alert } from '../../../src/services/alert-model.ts';
import { golden } from './golden.ts';

const T0 = Date.parse('2026-12-03T09:00:00Z');
const MIN = 60_000;
const pod = {
  id: 'pod1',
  name: 'ana-llama-eval-x1y2',
  gpus: '2× RTX A6000',
  gpuCount: 2,
  costPerHr: 0.98,
  owner: 'U0ANA',
  kind: 'on-demand' as const,
  networkVolumeId: null,
  volumeInGb: 50,
};
const base = {
  subject: 'pod1',
  open: true,
  openedAtMs: T0,
  updatedAtMs: T0 + 45 * MIN,
  pod,
  notes: [],
  snoozedUntilMs: null,
  autoStopAtMs: null,
  channel: 'C0ALERTS',
  dmTo: 'U0ANA',
  messages: { channel: null, dm: null },
  postingSinceMs: { channel: null, dm: null },
  revision: 1,
  delivered: 0,
};

const ALERTS: Record<string, Alert> = {
  'alert-idle-warning': {
    ...base,
    key: 'idle:pod1:1',
    kind: 'idle',
    stage: 'warning',
    autoStopAtMs: T0 + 2 * 60 * MIN,
    facts: { idleSinceMs: T0 - 30 * MIN, idleUsd: 1.23, utilBelowPercent: 5, forMs: 30 * MIN },
  },
  'alert-idle-stopped': {
    ...base,
    key: 'idle:pod1:1',
    kind: 'idle',
    stage: 'stopped',
    open: false,
    notes: [
      { atMs: T0 + 10 * MIN, text: 'Snoozed 1h by <@U0ANA>, until Thu 3 Dec, 10:10 UTC.' },
      { atMs: T0 + 80 * MIN, text: 'Stopped by <@U0BOB>.' },
    ],
    facts: { idleSinceMs: T0 - 30 * MIN, idleUsd: 2.01, utilBelowPercent: 5, forMs: 30 * MIN },
  },
  'alert-stopped': {
    ...base,
    key: 'stopped:pod1:1',
    kind: 'stopped',
    stage: 'proposed',
    facts: { stoppedSinceMs: T0 - 8 * 24 * 60 * MIN, volumeUsdPerMonth: 10 },
  },
  'alert-spot': {
    ...base,
    key: 'spot:pod1:1',
    kind: 'spot',
    stage: 'interrupted',
    facts: {
      interruptedAtMs: T0,
      minBidPerGpu: 0.25,
      onDemandPerHr: 0.98,
      gpuTypeId: 'NVIDIA RTX A6000',
      imageName: 'img:1',
    },
  },
  'alert-lifetime': {
    ...base,
    key: 'lifetime:ana-llama-eval-x1y2:1',
    kind: 'lifetime',
    stage: 'warning',
    autoStopAtMs: T0 + 15 * MIN,
    notes: [{ atMs: T0, text: 'This pod stops in 15m (its lifetime).' }],
    facts: { stopAtMs: T0 + 15 * MIN },
  },
  'alert-budget': {
    ...base,
    key: 'budget:daily:2026-12-03:1',
    kind: 'budget',
    subject: 'daily:2026-12-03',
    stage: 'over',
    pod: null,
    dmTo: null,
    facts: {
      period: 'daily',
      periodKey: '2026-12-03',
      spentUsd: 120,
      projectedUsd: 410.5,
      budgetUsd: 300,
      burnPerHr: 19.4,
      reachedAtMs: T0 + 9 * 60 * MIN,
    },
  },
  'alert-runway': {
    ...base,
    key: 'runway:account:1',
    kind: 'runway',
    subject: 'account',
    stage: 'low',
    pod: null,
    dmTo: null,
    facts: {
      balanceUsd: 400,
      burnPerHr: 12.5,
      hours: 32,
      runsOutAtMs: T0 + 32 * 60 * MIN,
      thresholdMs: 48 * 60 * MIN,
      atRisk: [{ id: 'pod1', name: 'ana-llama-eval-x1y2', owner: 'U0ANA' }],
    },
  },
};

describe('alert messages', () => {
  for (const [name, alert] of Object.entries(ALERTS)) {
    it(name, () => {
      const msg = alertMessage(alert, 'UTC');
      expect(checkMessage(msg)).toEqual([]);
      const buttons = msg.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : []));
      if (alert.open) expect(buttons.length).toBeGreaterThan(0);
      else expect(buttons).toEqual([]);
      for (const b of buttons) expect(b.type === 'button' && b.value).toBe(alert.key);
      golden(name, msg);
    });
  }

  it('a pod name with Slack markup is shown as text', () => {
    const a = ALERTS['alert-idle-warning'] as Alert;
    const msg = alertMessage({ ...a, pod: { ...pod, name: '<!channel> *x* <@U0EVIL>' } }, 'UTC');
    // Every mrkdwn text (plain_text is never read as markup).
    const mrkdwn: string[] = [];
    JSON.stringify(msg.blocks, (_k, v: unknown) => {
      const o = v as { type?: string; text?: unknown };
      if (o && o.type === 'mrkdwn' && typeof o.text === 'string') mrkdwn.push(o.text);
      return v;
    });
    expect(mrkdwn.join('\n')).toContain('&lt;!channel&gt;');
    expect(mrkdwn.join('\n')).not.toContain('<!channel>');
    expect(mrkdwn.join('\n')).not.toContain('<@U0EVIL>');
  });

  it('times are written in PODBAY_TZ', () => {
    const a = ALERTS['alert-lifetime'] as Alert;
    expect(JSON.stringify(alertMessage(a, 'Asia/Kolkata').blocks)).toMatch(/14:45 GMT\+5:30/);
  });
});
