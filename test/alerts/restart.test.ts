// SIGKILL of a podbay process while its scans run, at several points, then a restart on the same
// SQLite file: every idle pod ends up with exactly one alert message in the channel, none missing.
// Kill points: early (samples written, no alert yet); mid-tick with a post that reached Slack but
// whose answer podbay never got (the other alerts stored, not yet posted); mid-delivery (some
// alerts posted, the rest not). The child is `podbay start` in HTTP mode; its Web API calls land
// on the SlackFake here and its RunPod calls on the twin here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import {
  alertKey,
  alertMessages,
  busyPods,
  expireLease,
  idleMessagesByPod,
  lastScanMs,
  PodbayChild,
  storedAlerts,
  until,
  writePolicy,
} from './e2e-world.ts';

describe('killed during scans, restarted on the same database', () => {
  let twin: Twin;
  let fake: SlackFake;
  let child: PodbayChild;
  let dbPath: string;
  let idle: string[];
  let busy: string[];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-alerts-restart-'));
    dbPath = join(dir, 'podbay.db');
    twin = await startTwin({ seed: false, realtime: true });
    fake = await new SlackFake().start();
    const pods = busyPods(twin, 5);
    idle = pods.slice(0, 4);
    busy = pods.slice(4);
    for (const id of idle) twin.control.setScenario(id, 'idle');
    child = new PodbayChild({ dir, fake, twin, dbPath, policyPath: writePolicy(dir) });
  });

  afterAll(async () => {
    await child?.kill();
    await twin?.close();
    await fake?.close();
  });

  /** SIGKILL, then its lease runs out (see expireLease: it would within 30 s). */
  async function crash(): Promise<void> {
    await child.kill();
    expect(expireLease(dbPath)).toBe(1);
  }

  const idleKeys = () => alertMessages(fake).filter((m) => alertKey(m)?.startsWith('idle:'));

  it('posts each idle alert exactly once across three SIGKILLs', async () => {
    const log = () => child.tail();

    // 1. Early: killed right after its first scan wrote samples, before any pod was idle long enough.
    await child.start();
    await until(() => lastScanMs(dbPath) > 0, 20_000, 'the first scan', log);
    await crash();

    // 2. Mid-tick: the first alert post reaches Slack, but podbay dies before the answer comes
    //    back; the other alerts are stored and not posted yet.
    const release = fake.hold('chat.postMessage');
    await child.start();
    await until(() => fake.heldCalls.includes('chat.postMessage'), 20_000, 'the first alert post', log);
    const storedAtKill = storedAlerts(dbPath);
    expect(storedAtKill.filter((a) => a.key.startsWith('idle:')).length).toBeGreaterThanOrEqual(1);
    await crash();
    release();
    // Slack still handles the request it got: the message exists, podbay never learnt its ts.
    await fake.waitFor(() => idleKeys().length === 1, 5000, 'the post whose answer was lost');
    expect(storedAlerts(dbPath).every((a) => a.channelTs === null)).toBe(true);

    // 3. Mid-delivery: posts go out one a second; killed once one more has landed.
    await child.start();
    await fake.waitFor(() => idleKeys().length >= 2, 20_000, 'a second alert posted');
    await crash();
    const landedBeforeLastKill = idleKeys().length;

    // 4. Up again: it delivers what is missing and nothing twice.
    await child.start();
    await until(
      () => idleMessagesByPod(fake).size === idle.length,
      30_000,
      'an alert for every idle pod',
      () => `${JSON.stringify(idleKeys().map(alertKey))}\n${log()}`,
    );
    await until(
      () => {
        const s = storedAlerts(dbPath);
        return s.length === idle.length && s.every((a) => a.delivered >= a.revision && a.channelTs);
      },
      15_000,
      'every stored alert delivered',
    );
    const settled = Date.now();
    await until(() => lastScanMs(dbPath) > settled + 3000, 15_000, 'three more scans', log);

    const byPod = idleMessagesByPod(fake);
    expect([...byPod.keys()].sort()).toEqual([...idle].sort());
    for (const id of idle) expect(byPod.get(id), `alert messages for ${id}`).toHaveLength(1);
    for (const id of busy) expect(byPod.has(id)).toBe(false);
    // Each stored alert points at the one message that carries its key (the lost answer was found
    // in the channel history, not posted again).
    const stored = storedAlerts(dbPath);
    for (const m of idleKeys()) expect(stored.find((a) => a.key === alertKey(m))?.channelTs).toBe(m.ts);
    // The third kill came mid-delivery (not after everything was posted).
    expect(landedBeforeLastKill).toBeLessThan(idle.length);
    expect(child.alive).toBe(true);
  }, 150_000);
});
