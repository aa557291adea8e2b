// The Home tab's publish pacer on a clock moved by hand: changes for one person within the debounce
// make one publish, publishes start at least 600 ms apart (≤ 100 a minute), each person is queued
// once, and someone who just opened the Home goes ahead of background refreshes.
import { describe, expect, it } from 'vitest';
import {
  HOME_DEBOUNCE_MS,
  HOME_PUBLISH_GAP_MS,
  HomePacer,
  type PacerTimers,
} from '../../src/handlers/events/home-pacer.ts';

/** Virtual time: sleep() resolves only when the test moves the clock past it. */
class ManualTimers implements PacerTimers {
  t = 0;
  private readonly sleepers: Array<{ at: number; resolve: () => void }> = [];

  now = (): number => this.t;

  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      this.sleepers.push({ at: this.t + ms, resolve });
    });

  /** Lets every promise chain that can run do so. */
  async settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  }

  /** Moves to the next sleeper's time and wakes it (and any due at the same time); false when none. */
  async step(): Promise<boolean> {
    await this.settle();
    if (!this.sleepers.length) return false;
    this.sleepers.sort((a, b) => a.at - b.at);
    const at = (this.sleepers[0] as { at: number }).at;
    this.t = Math.max(this.t, at);
    const due = this.sleepers.filter((s) => s.at <= this.t);
    for (const s of due) this.sleepers.splice(this.sleepers.indexOf(s), 1);
    for (const s of due) s.resolve();
    await this.settle();
    return true;
  }

  /** Runs until nothing sleeps any more. */
  async runAll(limit = 10_000): Promise<void> {
    for (let i = 0; i < limit; i++) if (!(await this.step())) return;
    throw new Error('the pacer never went quiet');
  }
}

function setup(publishMs = 0) {
  const timers = new ManualTimers();
  const calls: Array<{ user: string; atMs: number }> = [];
  const errors: string[] = [];
  const pacer = new HomePacer(
    async (user) => {
      calls.push({ user, atMs: timers.now() });
      if (publishMs) await timers.sleep(publishMs);
      if (user === 'UFAIL') throw new Error('slack said no');
    },
    { timers, onError: (u) => errors.push(u) },
  );
  return { timers, calls, errors, pacer };
}

describe('HomePacer', () => {
  it('coalesces every change for one person within the debounce into one publish', async () => {
    const { timers, calls, pacer } = setup();
    for (let i = 0; i < 10; i++) {
      pacer.changed('U1');
      timers.t += 100; // changes keep coming within the window
    }
    await timers.runAll();
    expect(calls.map((c) => c.user)).toEqual(['U1']);
    // It waited for the debounce from the first change, not from the last one.
    expect(calls[0]?.atMs).toBe(HOME_DEBOUNCE_MS);
    await pacer.idle();
    // A change after that publish makes another one.
    pacer.changed('U1');
    await timers.runAll();
    expect(calls.map((c) => c.user)).toEqual(['U1', 'U1']);
  });

  it('starts publishes at least 600 ms apart, one at a time, so 500 people stay under 100 a minute', async () => {
    const { timers, calls, pacer } = setup(250);
    const users = Array.from({ length: 500 }, (_, i) => `U${String(i).padStart(4, '0')}`);
    for (const u of users) pacer.changed(u);
    // The same people again while they wait: nobody is queued twice.
    for (const u of users.slice(0, 100)) pacer.changed(u);
    await timers.runAll();
    expect(calls).toHaveLength(500);
    expect(new Set(calls.map((c) => c.user)).size).toBe(500);
    for (let i = 1; i < calls.length; i++) {
      const gap = (calls[i] as { atMs: number }).atMs - (calls[i - 1] as { atMs: number }).atMs;
      expect(gap).toBeGreaterThanOrEqual(HOME_PUBLISH_GAP_MS);
    }
    // In any 60 s window of the virtual clock, at most 100 calls started.
    for (const c of calls) {
      const inWindow = calls.filter((d) => d.atMs >= c.atMs && d.atMs < c.atMs + 60_000).length;
      expect(inWindow).toBeLessThanOrEqual(100);
    }
  });

  it('a slow publish holds the next one back: calls never overlap', async () => {
    const { timers, calls, pacer } = setup(5000);
    pacer.soon('UA');
    pacer.soon('UB');
    await timers.runAll();
    expect(calls.map((c) => c.user)).toEqual(['UA', 'UB']);
    expect((calls[1]?.atMs ?? 0) - (calls[0]?.atMs ?? 0)).toBeGreaterThanOrEqual(5000);
  });

  it('someone who opened the Home goes ahead of queued refreshes, without the debounce', async () => {
    const { timers, calls, pacer } = setup();
    for (const u of ['U1', 'U2', 'U3']) pacer.changed(u);
    // Let the debounce pass and the first refresh start.
    await timers.step();
    await timers.settle();
    pacer.soon('UOPEN');
    await timers.runAll();
    expect(calls.map((c) => c.user)).toEqual(['U1', 'UOPEN', 'U2', 'U3']);
  });

  it('a person already queued is published once, however they were asked for', async () => {
    const { timers, calls, pacer } = setup();
    pacer.soon('U1');
    pacer.soon('U2');
    pacer.soon('U2');
    pacer.changed('U2');
    await timers.runAll();
    expect(calls.map((c) => c.user)).toEqual(['U1', 'U2']);
  });

  it('a failed publish is reported and the next person is still published', async () => {
    const { timers, calls, errors, pacer } = setup();
    pacer.soon('UFAIL');
    pacer.soon('U2');
    await timers.runAll();
    expect(calls.map((c) => c.user)).toEqual(['UFAIL', 'U2']);
    expect(errors).toEqual(['UFAIL']);
  });

  it('after close nothing more is published', async () => {
    const { timers, calls, pacer } = setup();
    pacer.changed('U1');
    pacer.close();
    pacer.soon('U2');
    await timers.runAll();
    expect(calls).toEqual([]);
    expect(pacer.waiting).toBe(0);
  });
});
