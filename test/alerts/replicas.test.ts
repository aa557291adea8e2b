// Two podbay processes on one SQLite database: only the holder of the scheduler's lease scans and
// posts. A is `podbay start` as a child process; B is start() in this process on the same file (its
// own store, its own clock). While A lives, B holds no lease and posts nothing, and each idle alert
// is posted once. A SIGKILLed keeps its lease until it runs out: B stands by, then takes over once
// its clock is past the lease (AlertJobs' lease is 30 s and start() has no option to shorten
// it, so B's clock is moved on instead of the test waiting). B stopped releases the lease: a third
// process, C, takes over at its next scan.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPodbay, start } from '../../src/main.ts';
import { createRunpodApi } from '../../src/runpod/index.ts';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';
import {
  alertKey,
  alertMessages,
  busyPods,
  EVERY_SECOND,
  idleMessagesByPod,
  lastScanMs,
  leaseHolder,
  PodbayChild,
  sleep,
  until,
  writePolicy,
} from './e2e-world.ts';
import { DEFAULT_LEASE_MS } from '../../src/services/alert-jobs.ts';

const LEASE_MS = DEFAULT_LEASE_MS;

describe('two podbay processes on one database', () => {
  let twin: Twin;
  let fake: SlackFake;
  let dir: string;
  let dbPath: string;
  let policyPath: string;
  let pods: string[];
  let a: PodbayChild;
  let c: PodbayChild | undefined;
  let b: RunningPodbay | undefined;
  let bLogs: CapturedLogger;
  /** B's clock runs this far ahead of the wall clock. */
  let bOffsetMs = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podbay-alerts-replicas-'));
    dbPath = join(dir, 'podbay.db');
    policyPath = writePolicy(dir);
    twin = await startTwin({ seed: false, realtime: true });
    fake = await new SlackFake().start();
    pods = busyPods(twin, 6);
    a = new PodbayChild({ dir, fake, twin, dbPath, policyPath });
  });

  afterAll(async () => {
    await a?.kill();
    await c?.kill();
    await b?.stop('test over');
    await twin?.close();
    await fake?.close();
  });

  async function startB(): Promise<RunningPodbay> {
    bLogs = captureLogger([BOT_TOKEN, SIGNING_SECRET], 'info');
    const runpod = createRunpodApi({
      url: twin.url,
      apiKey: undefined,
      timeoutMs: 5000,
      retryBudgetMs: 1000,
      logger: bLogs.logger,
    });
    return start({
      env: {
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PODBAY_DB_PATH: dbPath,
        PODBAY_POLICY: policyPath,
        PODBAY_SCAN_CRON: EVERY_SECOND,
        LOG_LEVEL: 'info',
      },
      cwd: dir,
      host: '127.0.0.1',
      port: 0,
      signals: false,
      logger: bLogs.logger,
      runpod,
      clock: { now: () => new Date(Date.now() + bOffsetMs) },
      shutdownGraceMs: 2000,
    });
  }

  const idleCount = (podId: string) => idleMessagesByPod(fake).get(podId)?.length ?? 0;
  const idlePosts = () =>
    fake
      .callsTo('chat.postMessage')
      .filter((call) =>
        String((call.args.metadata as { event_payload?: { key?: unknown } })?.event_payload?.key).startsWith(
          'idle:',
        ),
      );
  const detail = () => `A:\n${a.tail(2000)}\nB:\n${bLogs?.text().slice(-2000) ?? ''}`;

  /** Watches for `ms`: B never leads and the lease stays with `holder`. */
  async function bStandsBy(holder: string, ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      expect(b?.alertJobs.isLeader, 'B leads while another holds the lease').toBe(false);
      expect(leaseHolder(dbPath)?.holder).toBe(holder);
      await sleep(100);
    }
  }

  it('while A is alive B holds no lease, and each idle alert is posted once', async () => {
    await a.start();
    const holderA = (await until(() => leaseHolder(dbPath), 20_000, 'A taking the lease', detail)).holder;
    b = await startB();
    const [p0, p1, p2] = pods as [string, string, string];
    for (const id of [p0, p1, p2]) twin.control.setScenario(id, 'idle');

    await until(() => [p0, p1, p2].every((id) => idleCount(id) > 0), 20_000, 'three idle alerts', detail);
    // Several more scans by both: still A's lease, nothing posted twice.
    await bStandsBy(holderA, 3000);
    for (const id of [p0, p1, p2]) expect(idleCount(id), id).toBe(1);
    expect(idlePosts()).toHaveLength(3);
    expect(
      alertMessages(fake)
        .map(alertKey)
        .every((k) => k?.startsWith('idle:')),
    ).toBe(true);
  }, 60_000);

  it('A killed: B waits while the lease is valid, then takes over once it has run out', async () => {
    const holderA = leaseHolder(dbPath)?.holder as string;
    const leaseUntil = leaseHolder(dbPath)?.expires_ms as number;
    await a.kill();
    const p3 = pods[3] as string;
    twin.control.setScenario(p3, 'idle');

    // The dead process's lease has time left: B does not take it, p3 is not reported yet.
    await bStandsBy(holderA, 4000);
    expect(idleCount(p3)).toBe(0);

    // B's clock passes the end of the lease: at its next scan B takes it over and reports p3.
    bOffsetMs = leaseUntil - Date.now() + 1000;
    expect(bOffsetMs).toBeLessThanOrEqual(LEASE_MS + 1000);
    await until(() => b?.alertJobs.isLeader, 10_000, 'B leading', detail);
    expect(leaseHolder(dbPath)?.holder).not.toBe(holderA);
    await until(() => idleCount(p3) > 0, 20_000, 'the idle alert for p3, from B', detail);
    const settled = Date.now() + bOffsetMs;
    await until(() => lastScanMs(dbPath) > settled + 3000, 15_000, 'three more scans by B', detail);
    for (const id of pods.slice(0, 4)) expect(idleCount(id), id).toBe(1);
    expect(idlePosts()).toHaveLength(4);
  }, 60_000);

  it('B stopped: its lease is released and C takes over at its next scan', async () => {
    const holderB = leaseHolder(dbPath)?.holder as string;
    c = new PodbayChild({ dir, fake, twin, dbPath, policyPath });
    await c.start();
    // C stands by while B holds the lease.
    const end = Date.now() + 2000;
    while (Date.now() < end) {
      expect(leaseHolder(dbPath)?.holder).toBe(holderB);
      await sleep(100);
    }
    await b?.stop('replaced');
    b = undefined;
    const holderC = (
      await until(
        () => {
          const l = leaseHolder(dbPath);
          return l && l.holder !== holderB ? l : undefined;
        },
        10_000,
        'C taking the released lease',
        () => c?.tail() ?? '',
      )
    ).holder;
    const p4 = pods[4] as string;
    twin.control.setScenario(p4, 'idle');
    await until(
      () => idleCount(p4) > 0,
      20_000,
      'the idle alert for p4, from C',
      () => c?.tail() ?? '',
    );
    const settled = Date.now();
    await until(() => lastScanMs(dbPath) > settled + 3000, 15_000, 'three more scans by C');
    expect(leaseHolder(dbPath)?.holder).toBe(holderC);
    for (const id of pods.slice(0, 5)) expect(idleCount(id), id).toBe(1);
    expect(idleCount(pods[5] as string)).toBe(0);
    expect(idlePosts()).toHaveLength(5);
  }, 60_000);
});
