// Shared by the alert end-to-end tests (cron-realtime, restart, replicas, slack-429): a policy file with a seconds-long idle rule, podbay as a
// child process (HTTP mode, Web API calls on a SlackFake in the test, RunPod calls on a twin in
// the test, SQLite on a file), and reading what landed in the alerts channel.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { ALERT_EVENT_TYPE } from '../../src/handlers/alert-notifier.ts';
import type { FakeMessage, SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import type { Twin } from '../../src/sandbox/twin/server.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.ts';
import { tapWrite } from '../support/tap.ts';

export const ROOT = join(import.meta.dirname, '..', '..');
export const ALERTS_CHANNEL = 'C0ALERTS';
export const ADMIN_ID = 'U0ADMIN';

/** Every GPU under 5% for 3 s is idle; the scan runs every second (PODBAY_SCAN_CRON below). */
export const IDLE_POLICY = `roles:
  viewer: ["*"]
  operator: [U0OPER]
  admin: [${ADMIN_ID}]
alerts:
  channel: ${ALERTS_CHANNEL}
  idle:
    gpu_util_below: 5%
    for: 3s
`;

export const EVERY_SECOND = '* * * * * *';

export function writePolicy(dir: string, text = IDLE_POLICY): string {
  const path = join(dir, 'policy.yml');
  writeFileSync(path, text);
  return path;
}

/** The alert key a message carries in its metadata, if it is an alert. */
export function alertKey(m: FakeMessage): string | undefined {
  if (m.metadata?.event_type !== ALERT_EVENT_TYPE) return undefined;
  const key = m.metadata.event_payload.key;
  return typeof key === 'string' ? key : undefined;
}

/** Alert messages in a channel (not deleted, not ephemeral). */
export function alertMessages(fake: SlackFake, channel = ALERTS_CHANNEL): FakeMessage[] {
  return fake.messages.filter(
    (m) => m.channel === channel && !m.ephemeral && !m.deleted && alertKey(m) !== undefined,
  );
}

/** How many idle-alert messages name each pod id (`idle:<podId>:<since>`). */
export function idleMessagesByPod(fake: SlackFake, channel = ALERTS_CHANNEL): Map<string, FakeMessage[]> {
  const out = new Map<string, FakeMessage[]>();
  for (const m of alertMessages(fake, channel)) {
    const key = alertKey(m) as string;
    if (!key.startsWith('idle:')) continue;
    const podId = key.split(':')[1] ?? '';
    out.set(podId, [...(out.get(podId) ?? []), m]);
  }
  return out;
}

/** Polls until `check` answers a value (for things that emit no events: a database, the twin). */
export async function until<T>(
  check: () => T | undefined | null | false,
  timeoutMs: number,
  what: string,
  detail: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Twin pods for an alert test: `n` running pods, all busy (past their image pull), none stopped.
 * Answers their ids.
 */
export function busyPods(twin: Twin, n: number): string[] {
  const ids = twin.control.seedPods(n);
  for (const id of ids) {
    const p = twin.state.pods.get(id);
    if (p) p.desiredStatus = 'RUNNING';
    twin.control.setScenario(id, 'busy');
  }
  return ids;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** One row of podbay's database, read as another process would. */
export function dbRow<T>(dbPath: string, sql: string, ...params: unknown[]): T | undefined {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).get(...params) as T | undefined;
  } finally {
    db.close();
  }
}

export function dbRows<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** When the last scan that finished wrote its mark (podbay's kv `scan/last`), or 0. */
export function lastScanMs(dbPath: string): number {
  const r = dbRow<{ value: string }>(dbPath, "SELECT value FROM kv WHERE ns = 'scan' AND key = 'last'");
  return r ? (JSON.parse(r.value) as { atMs: number }).atMs : 0;
}

/** Stored alert episodes: key → the fields delivery works on. */
export function storedAlerts(
  dbPath: string,
): Array<{ key: string; revision: number; delivered: number; channelTs: string | null }> {
  return dbRows<{ key: string; value: string }>(dbPath, "SELECT key, value FROM kv WHERE ns = 'alert'").map(
    (r) => {
      const a = JSON.parse(r.value) as {
        revision: number;
        delivered: number;
        messages: { channel: { ts: string } | null };
      };
      return {
        key: r.key,
        revision: a.revision,
        delivered: a.delivered,
        channelTs: a.messages.channel?.ts ?? null,
      };
    },
  );
}

/**
 * Lets the scheduler's lease of a process that was killed run out now rather than in 30 s
 * (AlertJobs' default lease; `start()` has no option to shorten it). A process started after a
 * SIGKILL has a new holder id, so it waits for the old lease like any other replica would.
 */
export function expireLease(dbPath: string): number {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare("UPDATE lease SET expires_ms = ? WHERE name = 'scheduler'").run(Date.now()).changes;
  } finally {
    db.close();
  }
}

export function leaseHolder(dbPath: string): { holder: string; expires_ms: number } | undefined {
  return dbRow(dbPath, "SELECT holder, expires_ms FROM lease WHERE name = 'scheduler'");
}

/**
 * `podbay start` as its own process (node with the tsx loader, so SIGKILL reaches the process that
 * serves): HTTP mode, Slack at the fake, RunPod at the twin, the database a file in `dir`.
 */
export class PodbayChild {
  proc: ChildProcess | null = null;
  output = '';
  readonly port: Promise<number>;

  constructor(
    private readonly o: {
      dir: string;
      fake: SlackFake;
      twin: Twin;
      dbPath: string;
      policyPath: string;
      scanCron?: string;
      env?: Record<string, string>;
    },
  ) {
    this.port = freePort();
  }

  async start(): Promise<void> {
    const port = await this.port;
    const loader = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const proc = spawn(process.execPath, ['--import', loader, join(ROOT, 'src', 'cli.ts'), 'start'], {
      cwd: this.o.dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: this.o.dir,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: this.o.fake.apiUrl,
        RUNPOD_GRAPHQL_URL: this.o.twin.url,
        RUNPOD_API: 'graphql',
        PODBAY_DB_PATH: this.o.dbPath,
        PODBAY_POLICY: this.o.policyPath,
        PODBAY_SCAN_CRON: this.o.scanCron ?? EVERY_SECOND,
        PORT: String(port),
        LOG_LEVEL: 'info',
        // The suite's other workers share these cores at normal priority: a lowered app thread
        // would wait behind them (on a host of its own, or in its own cgroup, it waits only for acks).
        PODBAY_APP_THREAD_NICE: '0',
        ...this.o.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    const keep = (d: Buffer) => {
      const text = d.toString();
      this.output += text;
      tapWrite(text);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`podbay exited with ${proc.exitCode}:\n${this.output}`);
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (r.ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`podbay did not start:\n${this.output}`);
      await sleep(100);
    }
  }

  get alive(): boolean {
    return this.proc !== null && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.proc;
    this.proc = null;
    if (!c || c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  }

  tail(n = 4000): string {
    return this.output.slice(-n);
  }
}
