// The lease across a pause: a holder whose process stalls (a long GC, a stalled network) stops
// posting before its lease could run out, so a new holder and the old one never both post.
import { afterEach, describe, expect, it } from 'vitest';
import { AlertDelivery } from '../../src/services/alert-delivery.ts';
import { AlertJobs, DEFAULT_LEASE_MS } from '../../src/services/alert-jobs.ts';
import { AlertScan } from '../../src/services/alert-scan.ts';
import { parsePolicy } from '../../src/services/policy-file.ts';
import { policyStop } from '../../src/services/policy-stop.ts';
import { type AlertWorld, alertWorld, IDLE_30M, POLICY_HEAD, RecordingAlerts } from './world.ts';

let w: AlertWorld | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('the scheduler lease across a pause', () => {
  it('a paused holder posts nothing once its lease may be gone; the next holder posts each alert once', async () => {
    w = await alertWorld(IDLE_30M);
    const world = w;
    const parsed = parsePolicy(`${POLICY_HEAD}${IDLE_30M}`, 'p.yml');
    if (!parsed.ok) throw new Error('policy');
    const replica = (holder: string, mono: () => number) => {
      const slack = new RecordingAlerts();
      const delivery = new AlertDelivery({
        store: world.store,
        logger: world.t.log.logger,
        nowMs: () => world.clock.now().getTime(),
      });
      delivery.setNotifier(slack);
      const scan = new AlertScan({
        runpod: world.t.api,
        store: world.store,
        policy: parsed.policy,
        timeZone: 'UTC',
        logger: world.t.log.logger,
        stop: policyStop({ runpod: world.t.api, store: world.store, clock: world.clock }),
      });
      const jobs = new AlertJobs({
        scan,
        delivery,
        store: world.store,
        runpod: world.t.api,
        logger: world.t.log.logger,
        timeZone: 'UTC',
        holder,
        monotonic: mono,
      });
      delivery.mayPost = () => jobs.isLeader;
      return { slack, jobs, delivery, scan };
    };
    let monoA = 0;
    let monoB = 0;
    const a = replica('A', () => monoA);
    const b = replica('B', () => monoB);
    const step = (sec: number) => {
      world.t.twin.control.advance(sec);
      monoA += sec * 1000;
      monoB += sec * 1000;
    };
    const minute = async (who: Array<typeof a>) => {
      step(60);
      for (const r of who) await r.jobs.tick(world.clock.now());
    };
    await world.pod('idle');
    for (let i = 0; i < 2; i++) await minute([a, b]);
    const second = await world.pod('idle');
    for (let i = 0; i < 30; i++) await minute([a, b]);
    expect(a.slack.channelPosts('idle')).toHaveLength(1);
    expect(b.jobs.isLeader).toBe(false);
    // A scans (the second pod's alert is written), then stalls before delivering: its clock runs
    // past the lease's margin while the lease has not yet ended, so B cannot take it either.
    step(60);
    await a.jobs.lead(world.clock.now());
    const r = await a.scan.scan(world.clock.now());
    expect(r.opened.map((x) => x.pod?.id)).toEqual([second]);
    step(26);
    expect(a.jobs.isLeader).toBe(false);
    await a.delivery.flush();
    expect(a.slack.channelPosts('idle')).toHaveLength(1);
    // Past the lease's end B takes over and delivers it; A, resumed, finds the lease gone.
    step(DEFAULT_LEASE_MS / 1000);
    for (let i = 0; i < 5; i++) await minute([b, a]);
    expect(b.jobs.isLeader).toBe(true);
    expect(a.slack.channelPosts('idle')).toHaveLength(1);
    expect(b.slack.channelPosts('idle').map((x) => x.pod?.id)).toEqual([second]);
  });
});
