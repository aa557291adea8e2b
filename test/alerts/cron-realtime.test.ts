// The real cron wiring in real time: podbay started over HTTP with a policy whose idle rule is 3 s
// and PODBAY_SCAN_CRON with a seconds field, the twin's clock following the wall clock. A pod that
// goes idle is reported in the alerts channel; "Stop now" on the alert, clicked through Slack's
// action path by an admin, stops the pod in the twin and the alert message says who stopped it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import { type Harness, startPodbay } from '../slack/harness.ts';
import {
  ADMIN_ID,
  ALERTS_CHANNEL,
  alertKey,
  alertMessages,
  busyPods,
  EVERY_SECOND,
  idleMessagesByPod,
  until,
  writePolicy,
} from './e2e-world.ts';

describe('alert scan on a seconds cron, in real time', () => {
  let h: Harness;
  let pods: string[];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-alerts-cron-'));
    h = await startPodbay({
      twin: { seed: false, realtime: true },
      env: { PODBAY_POLICY: writePolicy(dir), PODBAY_SCAN_CRON: EVERY_SECOND },
      start: { alertMaxGapMs: 5000 },
    });
    pods = busyPods(h.twin, 3);
  });
  afterAll(() => h?.close());

  it('reports the pod that goes idle, and Stop now stops it and says who did', async () => {
    const [busyA, target, busyB] = pods as [string, string, string];
    h.twin.control.setScenario(target, 'idle');

    const alert = await h.fake.waitFor(
      () => alertMessages(h.fake).find((m) => alertKey(m)?.startsWith(`idle:${target}:`)),
      20_000,
      'the idle alert in the alerts channel',
    );
    expect(alert.channel).toBe(ALERTS_CHANNEL);
    expect(alert.text).toMatch(/idle/i);
    const name = h.twin.control.pod(target)?.name as string;
    expect(alert.text + JSON.stringify(alert.blocks)).toContain(name);

    const stop = h.sim.button(alert, ACTIONS.alertStop);
    expect(stop.value).toBe(alertKey(alert));

    // Someone who may only look is refused privately; the pod keeps running and the alert stays open.
    h.sim.actAs('U0VIEW', 'viewer');
    const seen = h.fake.messages.length;
    expect((await h.sim.click(stop)).status).toBe(200);
    const refusal = await h.fake.waitFor(
      () => h.fake.messages.slice(seen).find((m) => m.ephemeral && m.user === 'U0VIEW'),
      15_000,
      'the refusal to the viewer',
    );
    expect(refusal.text).toMatch(new RegExp(`You can.t stop ${name}: that needs the operator or admin role`));
    expect(h.twin.control.pod(target)?.desiredStatus).toBe('RUNNING');
    expect(h.sim.buttons(h.fake.message(alert.id) ?? alert).length).toBeGreaterThan(0);

    h.sim.actAs(ADMIN_ID, 'admin');
    expect((await h.sim.click(stop)).status).toBe(200);

    await until(
      () => h.twin.control.pod(target)?.desiredStatus === 'EXITED',
      15_000,
      'the pod stopped in the twin',
    );
    const updated = await h.fake.waitFor(
      () => {
        const m = h.fake.message(alert.id);
        return m && m.version > 0 && m.text.includes(`Stopped by <@${ADMIN_ID}>`) ? m : undefined;
      },
      15_000,
      'the alert message saying who stopped the pod',
    );
    // Closed: the buttons are gone, and it is the same message, not a new one.
    expect(h.sim.buttons(updated)).toEqual([]);
    const shown = JSON.stringify(updated.blocks);
    expect(shown).toContain(`Stopped by <@${ADMIN_ID}>`);

    // Only the idle pod was reported (the busy ones scanned all along), and once.
    const byPod = idleMessagesByPod(h.fake);
    expect([...byPod.keys()]).toEqual([target]);
    expect(byPod.get(target)).toHaveLength(1);
    expect(h.twin.control.pod(busyA)?.desiredStatus).toBe('RUNNING');
    expect(h.twin.control.pod(busyB)?.desiredStatus).toBe('RUNNING');
  }, 60_000);
});
