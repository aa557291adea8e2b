// The Postgres store as replicas use it: two stores (two pools, as two processes would have) on one
// schema race for the same records and exactly one wins each race; stores opening at once on a fresh
// schema migrate it once. Runs against the real server in PODBAY_TEST_DATABASE_URL (skipped, with one
// line from global-setup, when it is unset); the start-up checks need no server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { start } from '../../src/main.ts';
import type { CreateIntent, PendingRequest } from '../../src/services/ports.ts';
import { PG_MIGRATIONS } from '../../src/store/pg-migrations.ts';
import { describeTarget, openPostgresStore, type PostgresStore } from '../../src/store/postgres.ts';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { InMemoryRunpod } from '../fakes/runpod-memory.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../slack/harness.ts';
import { captureLogger } from '../support/capture-logger.ts';
import {
  adminQuery,
  dropSchema,
  newSchemaName,
  openTestPostgresStore,
  TEST_DATABASE_URL,
  testDatabaseUrl,
} from '../support/postgres.ts';

const RACERS = 24;

const pending = (over: Partial<PendingRequest> = {}): PendingRequest => ({
  id: 'req-1',
  kind: 'pod.create',
  userId: 'U1',
  teamId: 'T1',
  payload: { name: 'ana-big-abc123', gpuCount: 8 },
  status: 'pending',
  reason: 'over $5/h',
  decidedBy: null,
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

const intent = (over: Partial<CreateIntent> = {}): CreateIntent => ({
  key: 'form:V1',
  userId: 'U1',
  podName: null,
  channel: 'C1',
  messageTs: '1.2',
  status: 'pending',
  createdAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

/** i-th racer's store: alternate between the two replicas. */
const pick = <T>(pair: readonly [T, T], i: number): T => pair[i % 2] as T;

describe.skipIf(!TEST_DATABASE_URL)('Postgres store: two replicas on one schema', () => {
  let schema: string;
  let replicas: [PostgresStore, PostgresStore];
  const opened: PostgresStore[] = [];
  const schemas: string[] = [];

  async function twoReplicas(): Promise<[PostgresStore, PostgresStore]> {
    schema = newSchemaName();
    schemas.push(schema);
    const a = await openTestPostgresStore({ schema, dropOnClose: false });
    opened.push(a);
    const b = await openTestPostgresStore({ schema, dropOnClose: false });
    opened.push(b);
    return [a, b];
  }

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    for (const s of schemas.splice(0)) await dropSchema(s);
  });

  it('transitionPending: of many approvers and deniers on both replicas exactly one wins', async () => {
    replicas = await twoReplicas();
    await replicas[0].createPending(pending());
    const results = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        pick(replicas, i).transitionPending('req-1', 'pending', {
          to: i % 3 === 0 ? 'denied' : 'approved',
          at: `2026-11-26T10:05:${String(i).padStart(2, '0')}.000Z`,
          decidedBy: `U${i}`,
        }),
      ),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    const stored = await replicas[1].getPending('req-1');
    expect(stored).toEqual(winners[0]);
    expect(stored?.status).not.toBe('pending');
  });

  it('claimCreate: of one submission delivered to both replicas at once exactly one claims it', async () => {
    replicas = await twoReplicas();
    const results = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => pick(replicas, i).claimCreate(intent({ userId: `U${i}` }))),
    );
    expect(results.filter((r) => r === null)).toHaveLength(1);
    const winner = results.indexOf(null);
    // Every loser is shown the winner's intent.
    for (const r of results) if (r !== null) expect(r).toEqual(intent({ userId: `U${winner}` }));
    expect(await replicas[0].listCreates('pending')).toEqual([intent({ userId: `U${winner}` })]);
  });

  it('kvPut with an expected version: one writer wins, from absent and from a version read', async () => {
    replicas = await twoReplicas();
    const fromAbsent = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => pick(replicas, i).kvPut('alert', 'ep', { by: i }, null)),
    );
    expect(fromAbsent.filter((v) => v !== null)).toEqual([1]);
    const fromOne = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => pick(replicas, i).kvPut('alert', 'ep', { by: i, n: 2 }, 1)),
    );
    expect(fromOne.filter((v) => v !== null)).toEqual([2]);
    const winner = fromOne.findIndex((v) => v !== null);
    expect(await replicas[1].kvGet('alert', 'ep')).toEqual({
      key: 'ep',
      value: { by: winner, n: 2 },
      version: 2,
    });
  });

  it('kvPutMany on both replicas at once: every write counts, no deadlock', async () => {
    replicas = await twoReplicas();
    const keys = Array.from({ length: 50 }, (_, i) => `p${i}`);
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        pick(replicas, i).kvPutMany(
          'samples',
          (i % 2 ? [...keys].reverse() : keys).map((key) => ({ key, value: [i] })),
        ),
      ),
    );
    const all = await replicas[0].kvList('samples');
    expect(all).toHaveLength(50);
    expect(all.every((r) => r.version === 8)).toBe(true);
  });

  it('acquireLease: of many replicas asking at once one holds it; a takeover race has one winner too', async () => {
    replicas = await twoReplicas();
    const first = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        pick(replicas, i).acquireLease('scheduler', `H${i}`, 1_000, 30_000),
      ),
    );
    expect(first.filter(Boolean)).toHaveLength(1);
    const holder = `H${first.indexOf(true)}`;
    const firstToken = await replicas[0].leaseToken('scheduler', holder);
    expect(firstToken).not.toBeNull();
    // The lease ran out (its holder paused): everyone, the old holder included, asks at once.
    const second = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        pick(replicas, i).acquireLease('scheduler', `H${i}`, 31_000, 30_000),
      ),
    );
    expect(second.filter(Boolean)).toHaveLength(1);
    const next = `H${second.indexOf(true)}`;
    const nextToken = await replicas[1].leaseToken('scheduler', next);
    if (next === holder) expect(nextToken).toBe(firstToken);
    else {
      expect(nextToken).toBeGreaterThan(firstToken as number);
      expect(await replicas[1].leaseToken('scheduler', holder)).toBeNull();
    }
  });

  it('fencing: the token stays while its holder renews, grows when the lease changes hands, also after a release', async () => {
    replicas = await twoReplicas();
    const [a, b] = replicas;
    expect(await a.takeLease('scheduler', 'A', 0, 10_000)).not.toBeNull();
    const t1 = (await a.leaseToken('scheduler', 'A')) as number;
    expect(await a.takeLease('scheduler', 'A', 5_000, 10_000)).toBe(t1); // renewed
    expect(await b.takeLease('scheduler', 'B', 6_000, 10_000)).toBeNull(); // still A's
    const t2 = (await b.takeLease('scheduler', 'B', 15_000, 10_000)) as number; // ran out
    expect(t2).toBeGreaterThan(t1);
    expect(await a.leaseToken('scheduler', 'A')).toBeNull();
    await b.releaseLease('scheduler', 'B');
    const t3 = (await a.takeLease('scheduler', 'A', 16_000, 10_000)) as number;
    expect(t3).toBeGreaterThan(t2);
  });

  it('two stores opening a fresh schema at once migrate it once', async () => {
    schema = newSchemaName();
    schemas.push(schema);
    const stores = await Promise.all(
      Array.from({ length: 4 }, () => openTestPostgresStore({ schema, dropOnClose: false })),
    );
    opened.push(...stores);
    const rows = await adminQuery<{ version: number; n: string }>(
      `SELECT version, COUNT(*) AS n FROM ${schema}.schema_migrations GROUP BY version ORDER BY version`,
    );
    expect(rows.map((r) => [r.version, Number(r.n)])).toEqual(PG_MIGRATIONS.map((m) => [m.version, 1]));
    for (const s of stores) expect(await s.migrationVersions()).toEqual(PG_MIGRATIONS.map((m) => m.version));
    // All of them work on the same tables.
    await stores[0]?.kvPut('x', 'k', 1);
    expect(await stores[3]?.kvGet('x', 'k')).toEqual({ key: 'k', value: 1, version: 1 });
  });

  it('reopening is idempotent and keeps the data; an upgrade applies only the missing migrations', async () => {
    schema = newSchemaName();
    schemas.push(schema);
    const next = { version: 1000, name: 'a later migration', sql: 'CREATE TABLE later (id TEXT)' };
    const first = await openTestPostgresStore({ schema, dropOnClose: false });
    await first.createPending(pending());
    await first.close();
    const upgraded = await openTestPostgresStore({
      schema,
      dropOnClose: false,
      migrations: [...PG_MIGRATIONS, next],
    });
    opened.push(upgraded);
    expect(await upgraded.migrationVersions()).toEqual([...PG_MIGRATIONS.map((m) => m.version), 1000]);
    expect(await upgraded.getPending('req-1')).toEqual(pending());
    // An older podbay refuses the database a newer one wrote.
    await expect(openTestPostgresStore({ schema, dropOnClose: false })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringContaining('newer podbay (schema version 1000)'),
    });
  });

  it('the audit log refuses changes and removals, even from outside podbay', async () => {
    const store = await openTestPostgresStore();
    opened.push(store);
    const a = await store.appendAudit({
      at: '2026-11-26T10:00:00.000Z',
      userId: 'U1',
      teamId: null,
      action: 'pod.stop',
      target: 'pod1',
      outcome: 'done',
      detail: 'Stopped.',
      data: { z: 1, a: [1, 'x'] },
    });
    const b = await store.appendAudit({ ...a, detail: 'Again.' });
    expect(b.seq).toBeGreaterThan(a.seq);
    const s = store.schema as string;
    await expect(adminQuery(`UPDATE ${s}.audit_log SET detail = 'x'`)).rejects.toThrow(/append-only/);
    await expect(adminQuery(`DELETE FROM ${s}.audit_log`)).rejects.toThrow(/append-only/);
    await expect(adminQuery(`TRUNCATE ${s}.audit_log`)).rejects.toThrow(/append-only/);
    expect((await store.listAudit()).map((e) => e.detail)).toEqual(['Again.', 'Stopped.']);
  });

  it('pending requests created in the same instant list newest first across replicas', async () => {
    replicas = await twoReplicas();
    await replicas[0].createPending(pending({ id: 'a' }));
    await replicas[1].createPending(pending({ id: 'b' }));
    await replicas[0].createPending(pending({ id: 'c' }));
    expect((await replicas[1].listPending()).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    await expect(replicas[1].createPending(pending({ id: 'a' }))).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('Postgres store: start-up', () => {
  it('an unreachable server stops opening with an error naming the host, never the password', async () => {
    const url = 'postgres://pguser:s3cret-pass-word@127.0.0.1:1/podbay';
    const err = await openPostgresStore(url, { connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    const text = `${(err as Error).message} ${(err as { hint?: string }).hint}`;
    expect(text).toContain('cannot reach its Postgres database at 127.0.0.1:1/podbay');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('pguser');
  });

  it('names the target without user or password', () => {
    expect(describeTarget('postgresql://u:p%40ss@db.internal:6543/prod?sslmode=require')).toBe(
      'db.internal:6543/prod',
    );
    expect(describeTarget('postgres://localhost/test')).toBe('localhost:5432/test');
    expect(describeTarget('postgres:///test?host=/var/run/postgresql')).toBe('/var/run/postgresql:5432/test');
  });

  it('refuses a schema name it would have to quote', async () => {
    await expect(openPostgresStore('postgres://127.0.0.1:1/x', { schema: 'a; DROP' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });

  it('DATABASE_URL: a postgres:// URL chooses Postgres; anything else is refused without echoing it; its password is a secret', () => {
    const url = 'postgres://podbay:pa%24%24word-123@db.internal:5432/podbay';
    const c = loadConfig({ DATABASE_URL: url }, '/nonexistent');
    expect(c.databaseUrl).toBe(url);
    expect(c.secrets).toEqual(expect.arrayContaining([url, 'pa%24%24word-123', 'pa$$word-123']));
    expect(loadConfig({}, '/nonexistent').databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgresql://h/db' }, '/nonexistent').databaseUrl).toBe(
      'postgresql://h/db',
    );
    let err: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://root:hunter2-secret@h/db' }, '/nonexistent');
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toContain('DATABASE_URL: expected a Postgres URL');
    expect((err as Error).message).not.toContain('hunter2-secret');
  });

  it('start() with an unreachable DATABASE_URL stops, naming the host and not the password', async () => {
    const err = await startAndStop('postgres://podbay:s3cret-pass-word@127.0.0.1:1/podbay').catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((err as Error).message).toContain('127.0.0.1:1/podbay');
    expect((err as Error).message).not.toContain('s3cret');
  });
});

/** Starts podbay in HTTP mode (any free port) on DATABASE_URL, RunPod and Slack faked; stops it again. */
async function startAndStop(databaseUrl: string): Promise<void> {
  const fake = await new SlackFake().start();
  try {
    const running = await start({
      env: {
        DATABASE_URL: databaseUrl,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        PODBAY_DB_PATH: ':memory:',
      },
      cwd: mkdtempSync(join(tmpdir(), 'podbay-pg-start-')),
      host: '127.0.0.1',
      port: 0,
      signals: false,
      logger: captureLogger([BOT_TOKEN, SIGNING_SECRET], 'warn').logger,
      runpod: new InMemoryRunpod(),
      shutdownGraceMs: 500,
    });
    expect(running.mode).toBe('http');
    await running.stop('test over');
  } finally {
    await fake.close();
  }
}

describe.skipIf(!TEST_DATABASE_URL)('Postgres store: start() on DATABASE_URL', () => {
  it('start() opens the Postgres store when DATABASE_URL is set', async () => {
    const schema = newSchemaName();
    // The schema comes from the URL's options (search_path), as an operator could set it.
    const url = new URL(testDatabaseUrl());
    url.searchParams.set('options', `-c search_path=${schema}`);
    await adminQuery(`CREATE SCHEMA ${schema}`);
    try {
      await startAndStop(url.toString());
      const rows = await adminQuery<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`);
      expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    } finally {
      await dropSchema(schema);
    }
  });
});
