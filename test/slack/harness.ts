// Starts podbay for end-to-end tests: HTTP (or Socket Mode) on loopback, Web API calls landing on
// the SlackFake, the RunPod twin behind (fast simulated time), and a logger that keeps every line.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningPodbay, type StartOptions, start } from '../../src/main.ts';
import { createRunpodApi } from '../../src/runpod/index.ts';
import { SlackSimulator, type Transport } from '../../src/sandbox/console/simulator.ts';
import { type FakeMessage, SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { startTwin, type Twin, type TwinOptions } from '../../src/sandbox/twin/server.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';
import { fixturePayloads } from './fixtures.ts';
import { SignedHttpTransport } from './http-driver.ts';
import {
  SLACK_APP_TOKEN_SECRET,
  SLACK_BOT_TOKEN_SECRET,
  SLACK_SIGNING_SECRET_VALUE,
} from '../support/secrets.ts';

export const BOT_TOKEN = SLACK_BOT_TOKEN_SECRET;
export const SIGNING_SECRET = SLACK_SIGNING_SECRET_VALUE;
export const APP_TOKEN = SLACK_APP_TOKEN_SECRET;

export interface Harness {
  fake: SlackFake;
  twin: Twin;
  running: RunningPodbay;
  sim: SlackSimulator;
  logs: CapturedLogger;
  close(): Promise<void>;
}

export interface HarnessOptions {
  mode?: 'http' | 'socket';
  twin?: TwinOptions;
  start?: Partial<StartOptions>;
  /** Socket Mode: the WebSocket URL apps.connections.open answers. */
  socketUrl?: string;
  /** Socket Mode: how requests reach the app (the fake socket server). */
  transport?: Transport;
  /** More settings (e.g. PODBAY_POLICY). */
  env?: Record<string, string>;
  /** The Slack fake's own options (user groups, a free plan). */
  fake?: import('../../src/sandbox/console/slack-fake.ts').SlackFakeOptions;
}

export async function startPodbay(o: HarnessOptions = {}): Promise<Harness & { transport: Transport }> {
  const mode = o.mode ?? 'http';
  const fake = await new SlackFake({ ...o.fake, ...(o.socketUrl ? { socketUrl: o.socketUrl } : {}) }).start();
  const twin = await startTwin({
    seed: true,
    createToRunningDelaySec: 6,
    realtime: { speed: 30, tickMs: 50 },
    ...o.twin,
  });
  const logs = captureLogger([BOT_TOKEN, SIGNING_SECRET, APP_TOKEN], 'debug');
  const runpod = createRunpodApi({
    url: twin.url,
    apiKey: undefined,
    timeoutMs: 5000,
    retryBudgetMs: 1000,
    logger: logs.logger,
  });
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: fake.apiUrl,
    PODBAY_DB_PATH: ':memory:',
    LOG_LEVEL: 'debug',
    ...o.env,
  };
  if (mode === 'http') env.SLACK_SIGNING_SECRET = SIGNING_SECRET;
  else env.SLACK_APP_TOKEN = APP_TOKEN;
  const running = await start({
    env,
    cwd: mkdtempSync(join(tmpdir(), 'podbay-e2e-')),
    host: '127.0.0.1',
    port: 0,
    signals: false,
    logger: logs.logger,
    runpod,
    follow: { intervalSec: 0.1, timeoutSec: 120 },
    shutdownGraceMs: 2000,
    ...o.start,
  });
  const transport =
    o.transport ?? new SignedHttpTransport(`http://127.0.0.1:${running.port}/slack/events`, SIGNING_SECRET);
  const sim = new SlackSimulator(fake, transport, {}, fixturePayloads);
  return {
    fake,
    twin,
    running,
    sim,
    logs,
    transport,
    close: async () => {
      await running.stop('test over');
      await twin.close();
      await fake.close();
    },
  };
}

/** Waits for a message (new or updated) whose text matches. */
export function messageMatching(fake: SlackFake, re: RegExp, timeoutMs = 8000): Promise<FakeMessage> {
  return fake.waitFor(
    () => fake.visibleMessages().find((m) => re.test(m.text)),
    timeoutMs,
    `a message matching ${re}`,
  );
}

/** Everything Slack received from podbay, as one string (for secret scans). */
export function everythingSlackSaw(fake: SlackFake): string {
  return JSON.stringify({ messages: fake.messages, views: fake.views.map((v) => v.view), calls: fake.calls });
}
