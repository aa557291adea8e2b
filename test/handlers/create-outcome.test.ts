// A create that succeeded is never reported as failed: a garbled answer to the create or to a status
// read while following ends with exactly one pod and a message that says it runs. When the outcome
// is truly unknown, the message offers "Check again" (a lookup by name), never "Try again".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import type { FakeMessage } from '../../src/sandbox/console/slack-fake.ts';
import { type Harness, startPodbay } from '../slack/harness.ts';

describe('create outcomes over signed HTTP with the twin’s faults', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startPodbay();
  });
  afterAll(() => h.close());

  const named = (label: string) => h.twin.control.summary().pods.filter((p) => p.name.includes(label));

  async function createAndWait(label: string, until: RegExp): Promise<FakeMessage> {
    const { ack } = await h.sim.command(`/pod create gpu=a6000 for="${label}"`);
    expect(ack.status).toBe(200);
    return h.fake.waitFor(
      () =>
        h.fake.visibleMessages().find((m) => m.text.includes(label) && until.test(JSON.stringify(m.blocks))),
      30_000,
      `${label}: ${until}`,
    );
  }

  for (const variant of ['shape', 'truncated'] as const) {
    it(`a ${variant} answer to the create: one pod, and the message says it runs`, async () => {
      const label = `garbled-${variant}`;
      h.twin.control.failNext('podFindAndDeployOnDemand', 'malformed', 1, { malformed: variant });
      const m = await createAndWait(label, /\*Connect\*|Next step/);
      expect(JSON.stringify(m.blocks)).toContain('*Connect*');
      expect(h.sim.buttons(m).map((b) => b.text)).not.toContain('Try again');
      expect(named(label)).toHaveLength(1);
    });
  }

  it('a garbled status read while following does not turn into "failed"', async () => {
    const label = 'garbled-status';
    h.twin.control.failNext('pod', 'malformed', 3, { malformed: 'shape' });
    const m = await createAndWait(label, /\*Connect\*|Next step/);
    expect(JSON.stringify(m.blocks)).toContain('*Connect*');
    expect(named(label)).toHaveLength(1);
  });

  it('a truly unknown outcome offers Check again, which finds the pod by name', async () => {
    const label = 'lost-answer';
    // The create is applied but its answer is garbled, and every lookup fails for a while.
    h.twin.control.failNext('podFindAndDeployOnDemand', 'malformed', 1, { malformed: 'truncated' });
    h.twin.control.failNext('myself', 'http5xx', 50);
    const m = await createAndWait(label, /Check again|\*Connect\*/);
    const buttons = h.sim.buttons(m);
    expect(buttons.map((b) => b.text)).toContain('Check again');
    expect(buttons.map((b) => b.text)).not.toContain('Try again');
    expect(m.text).toMatch(/could not confirm whether/);
    h.twin.control.clearFaults();
    const before = h.fake.messages.length;
    await h.sim.click(h.sim.button(m, ACTIONS.podCheck));
    const status = await h.fake.waitFor(
      () => h.fake.messages.slice(before).find((x) => x.text.includes(label)),
      8000,
      'the pod found by name',
    );
    expect(status.ephemeral).toBe(true);
    expect(named(label)).toHaveLength(1);
  });
});
