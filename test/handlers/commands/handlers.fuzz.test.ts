// The slash-command handlers, fuzzed through Bolt: random and mutated texts as real command bodies.
// Every one is acked, nothing throws out of a listener, each reply is a usage message or a real
// answer, and the loopback Slack accepted every message (it refuses what breaks Block Kit limits).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/handlers/ids.ts';
import { type InProc, startInProcess } from '../inproc.ts';
import { commandText } from './corpus.ts';

const RUNS_PER_COMMAND = 1000;

describe('slash-command handlers under fuzzing (through Bolt)', () => {
  let t: InProc;
  beforeAll(async () => {
    t = await startInProcess();
  });
  afterAll(() => t.close());

  for (const command of Object.values(COMMANDS)) {
    it(`${command}: acked, answered with usage or a real answer, within limits`, async () => {
      await fc.assert(
        fc.asyncProperty(commandText(command), async (text) => {
          const before = t.fake.messages.length;
          const { ack, message } = await t.sim.command(`${command} ${text}`);
          if (ack.status !== 200) return false;
          await t.idle();
          const replies = t.fake.messages.slice(before);
          if (message) {
            // Answered in the ack: a usage message, or /gpu's answer.
            return message === replies[0] && (/usage|Usage/.test(message.text) || command === COMMANDS.gpu);
          }
          // Acked empty: a real answer (or an error sentence) arrived afterwards, or a modal opened.
          return replies.length > 0 || t.sim.openView() !== undefined;
        }),
        { numRuns: RUNS_PER_COMMAND },
      );
      for (const v of t.fake.views) if (!v.closed) t.sim.cancel(v);
    }, 60_000);
  }

  it('Slack refused nothing and no listener failed unexpectedly', () => {
    expect(t.fake.rejections).toEqual([]);
    const errors = t.logs.lines.filter((l) => /"level":50/.test(l));
    expect(errors).toEqual([]);
  });

  it('no reply shows a stack trace', () => {
    const all = JSON.stringify(t.fake.messages);
    expect(all).not.toMatch(/\bat \w+ \(|\.ts:\d+:\d+|Error: /);
  });
});
