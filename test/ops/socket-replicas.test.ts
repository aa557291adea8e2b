// Two podbay replicas in Socket Mode on one app: Slack spreads envelopes over the app's
// connections, and each envelope is acked once, by the replica that received it, and answered.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPodbay, start } from '../../src/main.ts';
import { createRunpodApi } from '../../src/runpod/index.ts';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { SlackSimulator } from '../../src/sandbox/console/simulator.ts';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { fixturePayloads } from '../slack/fixtures.ts';
import { APP_TOKEN, BOT_TOKEN } from '../slack/harness.ts';
import { FakeSocketServer } from '../slack/socket-fake.ts';

describe('two replicas in Socket Mode', () => {
  let socket: FakeSocketServer;
  let fake: SlackFake;
  let twin: Twin;
  const replicas: RunningPodbay[] = [];

  beforeAll(async () => {
    socket = await new FakeSocketServer().start();
    fake = await new SlackFake({ socketUrl: socket.url }).start();
    twin = await startTwin({ seed: true, createToRunningDelaySec: 6 });
    const dir = mkdtempSync(join(tmpdir(), 'podbay-replicas-'));
    for (let i = 0; i < 2; i++) {
      const logs = captureLogger([BOT_TOKEN, APP_TOKEN]);
      const runpod = createRunpodApi({
        url: twin.url,
        apiKey: undefined,
        timeoutMs: 5000,
        retryBudgetMs: 1000,
        logger: logs.logger,
      });
      replicas.push(
        await start({
          env: {
            SLACK_BOT_TOKEN: BOT_TOKEN,
            SLACK_APP_TOKEN: APP_TOKEN,
            SLACK_API_URL: fake.apiUrl,
            PODBAY_DB_PATH: join(dir, 'podbay.db'),
          },
          cwd: dir,
          signals: false,
          logger: logs.logger,
          runpod,
          shutdownGraceMs: 2000,
        }),
      );
    }
    await fake.waitFor(() => (socket.connections >= 2 ? true : undefined), 10_000, 'two connections');
  }, 30_000);

  afterAll(async () => {
    for (const r of replicas) await r.stop('test over');
    await twin.close();
    await fake.close();
    await socket.close();
  });

  it('each envelope is acked once, over the connection it came on, and both replicas answer', async () => {
    const sim = new SlackSimulator(fake, socket, {}, fixturePayloads);
    const n = 20;
    const results = [];
    for (let i = 0; i < n; i++) results.push(await sim.command(i % 2 ? '/pod help' : '/pod list'));
    expect(results.every((r) => r.ack.status === 200)).toBe(true);
    expect(socket.sent).toHaveLength(n);
    for (const env of socket.sent) {
      const acks = socket.acks.filter((a) => a.envelope_id === env.envelope_id);
      expect(acks, env.envelope_id).toHaveLength(1);
      expect(acks[0]?.connection).toBe(socket.sentOver.get(env.envelope_id));
    }
    // Answers: /pod help in the ack, /pod list through response_url, from whichever replica had it.
    for (const [i, r] of results.entries())
      if (i % 2) expect(r.ack.body).toMatchObject({ response_type: 'ephemeral' });
    await fake.waitFor(
      () => (fake.messages.filter((m) => m.via === 'response_url').length >= n / 2 ? true : undefined),
      15_000,
      'every /pod list answered',
    );
    // Both connections (both replicas) carried envelopes.
    expect(new Set(socket.acks.map((a) => a.connection)).size).toBe(2);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
  });
});
