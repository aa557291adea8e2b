// SIGKILL with requests pending and one mid-execution, then a restart on the same database:
// nothing is lost (pending requests are still there and can be approved) and nothing runs twice
// (the create caught in flight is found by its unique name, not made again).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import { SlackSimulator } from '../../src/sandbox/console/simulator.ts';
import { type FakeMessage, SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import { fixturePayloads } from '../slack/fixtures.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.ts';
import { SignedHttpTransport } from '../slack/http-driver.ts';
import { EXAMPLE_POLICY } from './world.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** Polls until `check` holds (the database and the twin do not emit events). */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('restart with requests pending and one mid-execution', () => {
  let twin: Twin;
  let fake: SlackFake;
  let dir: string;
  let port: number;
  let child: ChildProcess | null = null;
  let output = '';

  async function startChild(): Promise<void> {
    // node itself (not the tsx wrapper), so SIGKILL reaches the process that serves.
    const loader = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    child = spawn(process.execPath, ['--import', loader, join(ROOT, 'src', 'cli.ts'), 'start'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        RUNPOD_GRAPHQL_URL: twin.url,
        // The lost answer below is injected on the GraphQL create.
        RUNPOD_API: 'graphql',
        RUNPOD_TIMEOUT_MS: '30000',
        PODBAY_DB_PATH: join(dir, 'podbay.db'),
        PODBAY_POLICY: join(dir, 'policy.yml'),
        PORT: String(port),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`podbay did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  function kill(): Promise<void> {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  }

  const sim = (userId: string) =>
    new SlackSimulator(
      fake,
      new SignedHttpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET),
      { userId, userName: userId.toLowerCase() },
      fixturePayloads,
    );

  const requestStatus = (podName: string): string | null => {
    const db = new Database(join(dir, 'podbay.db'), { readonly: true, fileMustExist: true });
    try {
      const row = db
        .prepare('SELECT status FROM pending_request WHERE payload LIKE ?')
        .get(`%"target":"${podName}"%`) as { status: string } | undefined;
      return row?.status ?? null;
    } finally {
      db.close();
    }
  };

  const podsNamed = (name: string) =>
    twin.control.summary().pods.filter((p) => p.name === name && p.desiredStatus !== 'TERMINATED');

  /** A row of podbay's database, read as another process would. */
  const row = <T>(sql: string, ...params: unknown[]): T | undefined => {
    const db = new Database(join(dir, 'podbay.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).get(...params) as T | undefined;
    } finally {
      db.close();
    }
  };

  async function ask(label: string): Promise<{ message: FakeMessage; podName: string }> {
    const alice = sim('U0ALICE');
    expect((await alice.command(`/pod create gpu=a100 count=2 for="${label}"`)).ack.status).toBe(200);
    const message = await fake.waitFor(
      () =>
        fake.messages.find(
          (m) => m.channel === 'C0APPROVALS' && m.text.includes(label) && /Approval needed/.test(m.text),
        ),
      30_000,
      `the request for ${label}`,
    );
    return { message, podName: /pod (\S+) at/.exec(message.text)?.[1] ?? '' };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-restart-'));
    writeFileSync(
      join(dir, 'policy.yml'),
      EXAMPLE_POLICY.replace('operator: [U0REQ]', 'operator: [U0ALICE]'),
    );
    twin = await startTwin({ seed: true, realtime: { speed: 30, tickMs: 50 }, createToRunningDelaySec: 6 });
    fake = await new SlackFake().start();
    port = await freePort();
    await startChild();
  }, 60_000);

  afterAll(async () => {
    await kill();
    await twin.close();
    await fake.close();
  });

  it('loses nothing and runs nothing twice', async () => {
    const waiting = await ask('keep-waiting');
    const inflight = await ask('in-flight');
    expect(requestStatus(waiting.podName)).toBe('pending');

    // RunPod makes the pod but its answer never comes: podbay is inside the create when it dies.
    twin.control.failNext('podFindAndDeployOnDemand', 'timeout');
    const ap = sim('U0AP01');
    await ap.click(ap.button(inflight.message, ACTIONS.approvalApprove));
    await until(() => requestStatus(inflight.podName) === 'executing', 30_000, 'the request executing').catch(
      (e) => {
        throw new Error(`${e}: ${requestStatus(inflight.podName)}\n${output.slice(-3000)}`);
      },
    );
    await until(() => podsNamed(inflight.podName).length === 1, 30_000, 'the pod at RunPod');
    await kill();

    await startChild();
    await until(
      () => requestStatus(inflight.podName) === 'done',
      40_000,
      'the in-flight request reconciled',
    ).catch((e) => {
      throw new Error(`${e}\n${output.slice(-3000)}`);
    });
    expect(podsNamed(inflight.podName)).toHaveLength(1);
    expect(requestStatus(waiting.podName)).toBe('pending');
    await until(
      () => /approval requests recovered after a restart/.test(output),
      5000,
      'the recovery logged',
    );

    // The request that waited is still decidable after the restart.
    const ap2 = sim('U0AP02');
    await ap2.click(ap2.button(waiting.message, ACTIONS.approvalApprove));
    await until(() => requestStatus(waiting.podName) === 'done', 40_000, 'the waiting request approved');
    expect(podsNamed(waiting.podName)).toHaveLength(1);
    expect(podsNamed(inflight.podName)).toHaveLength(1);
  }, 120_000);

  it('a plain create caught in flight: found by name after the restart, its message says so', async () => {
    twin.control.failNext('podFindAndDeployOnDemand', 'timeout');
    const alice = sim('U0ALICE');
    expect((await alice.command('/pod create gpu=a6000 for="midflight"')).ack.status).toBe(200);
    const intent = () =>
      row<{ status: string; pod_name: string }>(
        "SELECT status, pod_name FROM create_intent WHERE pod_name LIKE '%midflight%'",
      );
    await until(() => intent()?.status === 'pending', 30_000, 'the create stored before RunPod');
    const name = intent()?.pod_name as string;
    await until(() => podsNamed(name).length === 1, 30_000, 'the pod at RunPod');
    await kill();

    await startChild();
    await until(() => intent()?.status === 'done', 40_000, 'the create reconciled');
    expect(podsNamed(name)).toHaveLength(1);
    const owner = row<{ pod_id: string | null }>('SELECT pod_id FROM pod_ownership WHERE pod_name = ?', name);
    expect(owner?.pod_id).toBe(podsNamed(name)[0]?.id);
    await fake.waitFor(
      () => fake.messages.find((m) => m.text.includes(`${name} was created (found after podbay restarted)`)),
      20_000,
      'the progress message updated',
    );
  }, 120_000);
});
