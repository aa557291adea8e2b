// The console's `advance <duration>` (the sandbox clock moves on through an injected dependency) and
// messages podbay posts outside #gpu (an alerts channel, a direct message) shown as they land. The
// console runs over the loopback Slack; what podbay would post goes through a real WebClient.
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ADVANCE_NEEDS_SANDBOX,
  type ConsoleOptions,
  PodbayConsole,
} from '../../src/sandbox/console/console.ts';
import { SlackSimulator, type Transport } from '../../src/sandbox/console/simulator.ts';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { ConsoleDriver } from './driver.ts';

const noApp: Transport = {
  command: async () => ({ status: 200, body: null }),
  interaction: async () => ({ status: 200, body: null }),
};

interface Run {
  c: ConsoleDriver;
  fake: SlackFake;
  web: webApi.WebClient;
  done: Promise<void>;
}

const runs: Run[] = [];

async function startConsole(opts: Partial<Pick<ConsoleOptions, 'advance' | 'names'>> = {}): Promise<Run> {
  const fake = await new SlackFake().start();
  const c = new ConsoleDriver();
  const sim = new SlackSimulator(fake, noApp);
  const ui = new PodbayConsole({
    sim,
    fake,
    idle: async () => {},
    input: c.input,
    output: c.output,
    banner: ['podbay console: you are @alice in #gpu.'],
    settleMs: 200,
    ...opts,
  });
  const web = new webApi.WebClient('xoxb-console', {
    slackApiUrl: fake.apiUrl,
    logLevel: webApi.LogLevel.ERROR,
  });
  const run = { c, fake, web, done: ui.run() };
  runs.push(run);
  await c.expect(/podbay> $/);
  return run;
}

afterEach(async () => {
  for (const r of runs.splice(0)) {
    r.c.end();
    await r.done;
    await r.fake.close();
  }
});

describe('console: advance <duration>', () => {
  it('calls the dependency with milliseconds; alerts it causes show, then what it returned', async () => {
    const asked: number[] = [];
    let web: webApi.WebClient | undefined;
    const { c } = await startConsole({
      advance: async (ms) => {
        asked.push(ms);
        if (ms === 45 * 60_000) {
          await web?.chat.postMessage({
            channel: 'C0ALERTS',
            text: ':warning: alice-llama70b-serve has been idle 45m',
          });
          await web?.chat.postMessage({ channel: 'U0ALICE', text: 'Your pod alice-llama70b-serve is idle.' });
        }
        return `Clock moved on ${ms / 1000}s.\nScheduled checks ran.`;
      },
    });
    web = runs[0]?.web;

    c.type('advance 45m');
    await c.expect(/┌─ podbay in #C0ALERTS\n│ ⚠ alice-llama70b-serve has been idle 45m\n└─/);
    await c.expect(/┌─ podbay in a direct message to @alice\n│ Your pod alice-llama70b-serve is idle\.\n└─/);
    await c.expect(/Clock moved on 2700s\.\nScheduled checks ran\.\npodbay> $/);

    c.type('advance 2h');
    await c.expect(/Clock moved on 7200s\.[\s\S]*podbay> $/);
    c.type('ADVANCE 90s');
    await c.expect(/Clock moved on 90s\.[\s\S]*podbay> $/);
    expect(asked).toEqual([2_700_000, 7_200_000, 90_000]);
  });

  it('says how to write a duration, and does not call the dependency, for anything else', async () => {
    const asked: number[] = [];
    const { c } = await startConsole({
      advance: async (ms) => {
        asked.push(ms);
        return 'moved';
      },
    });
    c.type('advance soon');
    await c.expect(
      /“soon” is not a duration\. Usage: advance <duration>, for example advance 90s[^\n]*\npodbay> $/,
    );
    c.type('advance');
    await c.expect(/Usage: advance <duration>[^\n]*\npodbay> $/);
    c.type('advance -5m');
    await c.expect(/is not a duration[^\n]*\npodbay> $/);
    expect(asked).toEqual([]);
  });

  it('a failing dependency is reported on one line and the prompt comes back', async () => {
    const { c } = await startConsole({
      advance: async () => {
        throw new Error('the twin is not running');
      },
    });
    c.type('advance 5m');
    await c.expect(/console: the twin is not running\npodbay> $/);
  });

  it('without the dependency it says advancing needs the sandbox', async () => {
    const { c } = await startConsole();
    c.type('advance 45m');
    await c.expect(new RegExp(`${ADVANCE_NEEDS_SANDBOX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\npodbay> $`));
    expect(ADVANCE_NEEDS_SANDBOX).toMatch(/needs the sandbox/);
  });

  it('is in the help text', async () => {
    const { c } = await startConsole();
    c.type('help');
    await c.expect(/ {2}advance 45m {13}sandbox: move the clock on[^\n]*\n/);
  });
});

describe('console: messages posted outside #gpu', () => {
  it('shows a message to another channel, under its id, as it is posted (while the prompt waits)', async () => {
    const { c, web } = await startConsole();
    await web.chat.postMessage({
      channel: 'C0ALERTS',
      text: 'spend alert',
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: '*Spend* is at 92% of the daily budget' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'budget $200.00/day' }] },
      ],
    });
    await c.expect(
      /┌─ podbay in #C0ALERTS\n│ Spend is at 92% of the daily budget\n│ {3}· budget \$200\.00\/day\n└─\npodbay> $/,
    );
  });

  it('a channel the console knows by name, and a DM, read as Slack shows them', async () => {
    const { c, web } = await startConsole({ names: { C0ALERTS: 'gpu-alerts' } });
    await web.chat.postMessage({ channel: 'C0ALERTS', text: 'pod stopped after 2h idle' });
    await c.expect(/┌─ podbay in #gpu-alerts\n│ pod stopped after 2h idle\n└─/);
    await web.chat.postMessage({ channel: 'U0APPROVER', text: 'a request waits for you' });
    await c.expect(/┌─ podbay in a direct message to @approver\n│ a request waits for you\n└─/);
    await web.chat.postMessage({ channel: 'C0GPU', text: 'in the console channel' });
    await c.expect(/┌─ podbay in #gpu\n│ in the console channel\n└─/);
  });
});
