// One contract, every adapter: the memory store, SQLite and (when PODBAY_TEST_DATABASE_URL is set)
// Postgres, each test in a fresh schema of its own, must answer the same.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PendingRequest, PodOwnership, Store } from '../../src/services/ports.ts';
import { openStore } from '../../src/store/index.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { openTestPostgresStore, TEST_DATABASE_URL } from '../support/postgres.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'podbay-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const adapters: Array<[string, () => Store | Promise<Store>]> = [
  ['memory', () => new MemoryStore()],
  ['sqlite', () => new SqliteStore({ path: join(dir, 'nested', 'podbay.db') })],
  // Set and unreachable: every Postgres case fails (opening the store throws); unset: not run.
  ...(TEST_DATABASE_URL
    ? [['postgres', () => openTestPostgresStore()] as [string, () => Promise<Store>]]
    : []),
];

const owner = (over: Partial<PodOwnership> = {}): PodOwnership => ({
  podName: 'ana-llama-abc123',
  podId: 'pod1',
  userId: 'U1',
  teamId: 'T1',
  createdAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

const pending = (over: Partial<PendingRequest> = {}): PendingRequest => ({
  id: 'req-1',
  kind: 'pod.create',
  userId: 'U1',
  teamId: 'T1',
  payload: { name: 'ana-big-abc123', gpuCount: 8, nested: { ok: true } },
  status: 'pending',
  reason: 'over $5/h',
  decidedBy: null,
  createdAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  ...over,
});

describe.each(adapters)('Store contract: %s', (_name, make) => {
  let store: Store;
  beforeEach(async () => {
    store = await make();
  });
  afterEach(async () => {
    await store?.close();
  });

  it('records pod ownership and finds it by id and by name', async () => {
    await store.savePodOwnership(owner());
    expect(await store.podOwnershipById('pod1')).toEqual(owner());
    expect(await store.podOwnershipByName('ana-llama-abc123')).toEqual(owner());
    expect(await store.podOwnershipById('nope')).toBeNull();
    expect(await store.podOwnershipByName('nope')).toBeNull();
  });

  it('keeps a claim without pod id and attaches the id later (same name)', async () => {
    await store.savePodOwnership(owner({ podId: null }));
    expect(await store.podOwnershipById('pod1')).toBeNull();
    await store.savePodOwnership(owner({ podId: 'pod1' }));
    expect(await store.listPodOwnerships()).toEqual([owner()]);
  });

  it('gives one pod id to one record only', async () => {
    await store.savePodOwnership(owner({ podName: 'a' }));
    await store.savePodOwnership(owner({ podName: 'b', userId: 'U2' }));
    const all = await store.listPodOwnerships();
    expect(all.map((r) => [r.podName, r.userId])).toEqual([['b', 'U2']]);
  });

  it('lists ownership records by name', async () => {
    await store.savePodOwnership(owner({ podName: 'zed', podId: 'p2' }));
    await store.savePodOwnership(owner({ podName: 'amy', podId: 'p1', teamId: null }));
    expect((await store.listPodOwnerships()).map((r) => r.podName)).toEqual(['amy', 'zed']);
    expect((await store.podOwnershipById('p1'))?.teamId).toBeNull();
  });

  it('appends audit entries with increasing seq and lists newest first, filtered', async () => {
    const base = {
      teamId: 'T1',
      action: 'pod.stop',
      target: 'pod1',
      outcome: 'done' as const,
      detail: 'Stopped.',
    };
    const a = await store.appendAudit({ ...base, at: '2026-11-26T10:00:00.000Z', userId: 'U1' });
    const b = await store.appendAudit({ ...base, at: '2026-11-26T11:00:00.000Z', userId: 'U2' });
    const c = await store.appendAudit({
      ...base,
      at: '2026-11-26T12:00:00.000Z',
      userId: 'U1',
      outcome: 'noop',
    });
    expect(b.seq).toBeGreaterThan(a.seq);
    expect(c.seq).toBeGreaterThan(b.seq);
    expect((await store.listAudit()).map((e) => e.seq)).toEqual([c.seq, b.seq, a.seq]);
    expect((await store.listAudit({ userId: 'U1' })).map((e) => e.seq)).toEqual([c.seq, a.seq]);
    expect((await store.listAudit({ since: '2026-11-26T11:00:00.000Z' })).map((e) => e.seq)).toEqual([
      c.seq,
      b.seq,
    ]);
    expect(await store.listAudit({ limit: 1 })).toEqual([
      { ...base, at: '2026-11-26T12:00:00.000Z', userId: 'U1', outcome: 'noop', seq: c.seq },
    ]);
  });

  it('stores pending requests with their JSON payload', async () => {
    await store.createPending(pending());
    expect(await store.getPending('req-1')).toEqual(pending());
    expect(await store.getPending('nope')).toBeNull();
  });

  it('refuses a second pending request with the same id (CONFLICT)', async () => {
    await store.createPending(pending());
    await expect(store.createPending(pending())).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('lists pending requests newest first, by status and user', async () => {
    await store.createPending(pending({ id: 'a', createdAt: '2026-11-26T09:00:00.000Z' }));
    await store.createPending(pending({ id: 'b', createdAt: '2026-11-26T10:00:00.000Z', userId: 'U2' }));
    await store.createPending(pending({ id: 'c', createdAt: '2026-11-26T10:00:00.000Z', status: 'denied' }));
    expect((await store.listPending()).map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect((await store.listPending({ status: 'pending' })).map((r) => r.id)).toEqual(['b', 'a']);
    expect((await store.listPending({ userId: 'U1' })).map((r) => r.id)).toEqual(['c', 'a']);
  });

  it('moves a pending request only from the expected status (one of two approvers wins)', async () => {
    await store.createPending(pending());
    const first = await store.transitionPending('req-1', 'pending', {
      to: 'approved',
      at: '2026-11-26T10:05:00.000Z',
      decidedBy: 'U9',
    });
    const second = await store.transitionPending('req-1', 'pending', {
      to: 'denied',
      at: '2026-11-26T10:05:01.000Z',
      decidedBy: 'U8',
      reason: 'too big',
    });
    expect(first).toMatchObject({
      status: 'approved',
      decidedBy: 'U9',
      reason: 'over $5/h',
      updatedAt: '2026-11-26T10:05:00.000Z',
    });
    expect(second).toBeNull();
    expect(await store.getPending('req-1')).toMatchObject({ status: 'approved', decidedBy: 'U9' });
    expect(await store.transitionPending('missing', 'pending', { to: 'done', at: 'x' })).toBeNull();
    expect(
      await store.transitionPending('req-1', 'approved', { to: 'done', at: 'y', reason: null }),
    ).toMatchObject({
      status: 'done',
      reason: null,
      decidedBy: 'U9',
    });
  });

  it('hands out copies: changing a returned record does not change the store', async () => {
    await store.createPending(pending());
    const got = await store.getPending('req-1');
    (got?.payload as { gpuCount: number }).gpuCount = 1;
    expect(await store.getPending('req-1')).toEqual(pending());
  });
});

describe.each(adapters)('Store contract, creates and forms: %s', (_name, make) => {
  let store: Store;
  beforeEach(async () => {
    store = await make();
  });
  afterEach(async () => {
    await store?.close();
  });

  const intent = (over: Partial<import('../../src/services/ports.ts').CreateIntent> = {}) => ({
    key: 'form:V1',
    userId: 'U1',
    podName: null,
    channel: 'C1',
    messageTs: '1.2',
    status: 'pending' as const,
    createdAt: '2026-11-26T10:00:00.000Z',
    ...over,
  });

  it('claims a create once: the second claim of a key gets the first one back', async () => {
    expect(await store.claimCreate(intent())).toBeNull();
    await store.updateCreate('form:V1', { podName: 'ana-x-1', status: 'done' });
    expect(await store.claimCreate(intent({ userId: 'U2' }))).toEqual(
      intent({ podName: 'ana-x-1', status: 'done' }),
    );
    expect(await store.listCreates('done')).toEqual([intent({ podName: 'ana-x-1', status: 'done' })]);
    expect(await store.listCreates('pending')).toEqual([]);
  });

  it('of many claims at once exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claimCreate(intent())));
    expect(results.filter((r) => r === null)).toHaveLength(1);
  });

  it('keeps open forms by view id until deleted', async () => {
    const form = {
      viewId: 'V1',
      userId: 'U1',
      channel: 'C1',
      teamId: 'T1',
      quoted: { gpuTypeId: 'NVIDIA RTX A6000', gpuCount: 2, kind: 'on-demand' as const },
      openedAt: '2026-11-26T10:00:00.000Z',
    };
    await store.saveForm(form);
    expect(await store.getForm('V1')).toEqual(form);
    await store.saveForm({ ...form, quoted: null });
    expect((await store.getForm('V1'))?.quoted).toBeNull();
    await store.deleteForm('V1');
    expect(await store.getForm('V1')).toBeNull();
  });

  it('deletes an ownership claim', async () => {
    await store.savePodOwnership(owner());
    await store.deletePodOwnership(owner().podName);
    expect(await store.podOwnershipByName(owner().podName)).toBeNull();
  });
});

describe.each(adapters)('Store contract, scheduler records and the lease: %s', (_name, make) => {
  let store: Store;
  beforeEach(async () => {
    store = await make();
  });
  afterEach(async () => {
    await store?.close();
  });

  it('kv: versions count up, a guarded write wins only against the version it read', async () => {
    expect(await store.kvGet('alert', 'a')).toBeNull();
    expect(await store.kvPut('alert', 'a', { n: 1 }, null)).toBe(1);
    expect(await store.kvPut('alert', 'a', { n: 9 }, null)).toBeNull(); // exists already
    expect(await store.kvPut('alert', 'a', { n: 2 }, 1)).toBe(2);
    expect(await store.kvPut('alert', 'a', { n: 3 }, 1)).toBeNull(); // someone wrote version 2
    expect(await store.kvGet('alert', 'a')).toEqual({ key: 'a', value: { n: 2 }, version: 2 });
    expect(await store.kvPut('alert', 'a', { n: 4 })).toBe(3); // unconditional
    // Two writers with the same read version: exactly one wins.
    const both = await Promise.all([
      store.kvPut('alert', 'a', { w: 1 }, 3),
      store.kvPut('alert', 'a', { w: 2 }, 3),
    ]);
    expect(both.filter((v) => v !== null)).toEqual([4]);
  });

  it('kv: namespaces are apart; lists come in key order; many at once; deletes', async () => {
    await store.kvPutMany('samples', [
      { key: 'p2', value: [[1, 2]] },
      { key: 'p1', value: [[1, null]] },
    ]);
    await store.kvPut('seen', 'p1', { status: 'RUNNING' });
    expect((await store.kvList('samples')).map((r) => [r.key, r.value])).toEqual([
      ['p1', [[1, null]]],
      ['p2', [[1, 2]]],
    ]);
    await store.kvPutMany('samples', [{ key: 'p1', value: [[2, 3]] }]);
    expect(await store.kvGet('samples', 'p1')).toEqual({ key: 'p1', value: [[2, 3]], version: 2 });
    await store.kvDelete('samples', ['p1', 'nope']);
    expect((await store.kvList('samples')).map((r) => r.key)).toEqual(['p2']);
    expect((await store.kvList('seen')).map((r) => r.key)).toEqual(['p1']);
    expect(await store.kvList('empty')).toEqual([]);
  });

  it('kv: lists come in code-point order of the keys, whatever the database locale', async () => {
    for (const key of ['b', 'B', 'a', '_', 'A1', 'é', 'a-2', 'a.1']) await store.kvPut('order', key, key);
    expect((await store.kvList('order')).map((r) => r.key)).toEqual([
      'A1',
      'B',
      '_',
      'a',
      'a-2',
      'a.1',
      'b',
      'é',
    ]);
  });

  it('kv: values come back equal (nested, unicode, NUL, big and small numbers, null members)', async () => {
    const value = {
      z: 1,
      a: [1.5, -2, 1e21, 5e-324, null, true, 'ünï \u0000 "q" \\ 🚀'],
      nested: { empty: {}, list: [], n: null },
    };
    expect(await store.kvPut('json', 'v', value)).toBe(1);
    const got = await store.kvGet('json', 'v');
    expect(got?.value).toEqual(value);
    expect(Object.keys(got?.value as object)).toEqual(['z', 'a', 'nested']);
    await store.kvPutMany('json', [{ key: 'w', value }]);
    expect((await store.kvGet('json', 'w'))?.value).toEqual(value);
  });

  it('lease: one holder at a time; renewed by its holder; taken over only once it has run out; released', async () => {
    expect(await store.acquireLease('scheduler', 'A', 1_000, 30_000)).toBe(true);
    expect(await store.acquireLease('scheduler', 'B', 2_000, 30_000)).toBe(false);
    expect(await store.acquireLease('scheduler', 'A', 20_000, 30_000)).toBe(true); // renewed to 50 000
    expect(await store.acquireLease('scheduler', 'B', 40_000, 30_000)).toBe(false);
    expect(await store.acquireLease('scheduler', 'B', 50_000, 30_000)).toBe(true); // ran out
    expect(await store.acquireLease('scheduler', 'A', 50_001, 30_000)).toBe(false);
    expect(await store.acquireLease('other', 'A', 50_001, 30_000)).toBe(true); // another lease
    await store.releaseLease('scheduler', 'A'); // not A's: nothing happens
    expect(await store.acquireLease('scheduler', 'A', 50_002, 30_000)).toBe(false);
    await store.releaseLease('scheduler', 'B');
    expect(await store.acquireLease('scheduler', 'A', 50_003, 30_000)).toBe(true);
  });
});

describe('SQLite store', () => {
  it('creates the parent folder, uses WAL and applies every migration in order', async () => {
    const path = join(dir, 'a', 'b', 'podbay.db');
    const store = new SqliteStore({ path });
    expect(existsSync(path)).toBe(true);
    expect(store.journalMode()).toBe('wal');
    expect(store.migrationVersions()).toEqual(MIGRATIONS.map((m) => m.version));
    await store.close();
  });

  it('reopening is idempotent and keeps the data', async () => {
    const path = join(dir, 'podbay.db');
    const first = new SqliteStore({ path });
    await first.savePodOwnership(owner());
    await first.close();
    const second = new SqliteStore({ path });
    expect(second.migrationVersions()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await second.listPodOwnerships()).toEqual([owner()]);
    await second.close();
    const raw = new Database(path, { readonly: true });
    const rows = raw
      .prepare('SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version')
      .all() as Array<{
      version: number;
      n: number;
    }>;
    raw.close();
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(rows).toHaveLength(MIGRATIONS.length);
  });

  it('upgrades an older database by applying only the missing migrations', async () => {
    const path = join(dir, 'old.db');
    const old = new SqliteStore({ path, migrations: MIGRATIONS.slice(0, 1) });
    expect(old.migrationVersions()).toEqual([1]);
    await old.savePodOwnership(owner());
    await old.close();
    const upgraded = new SqliteStore({ path });
    expect(upgraded.migrationVersions()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await upgraded.listPodOwnerships()).toEqual([owner()]);
    await upgraded.createPending(pending());
    expect(await upgraded.getPending('req-1')).toEqual(pending());
    await upgraded.close();
  });

  it('refuses a database written by a newer podbay', async () => {
    const path = join(dir, 'new.db');
    const store = new SqliteStore({
      path,
      migrations: [...MIGRATIONS, { version: 99, name: 'future', sql: 'SELECT 1' }],
    });
    await store.close();
    expect(() => new SqliteStore({ path })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('openStore never falls back to memory: a path it cannot create fails, naming it', async () => {
    const blocked = join(dir, 'file');
    const s1 = new SqliteStore({ path: blocked });
    await s1.close();
    // A path under a regular file cannot be created.
    const bad = join(blocked, 'x', 'podbay.db');
    expect(() => openStore({ dbPath: bad })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(bad) }),
    );
    const ok = openStore({ dbPath: join(dir, 'ok.db') });
    expect(ok.store).toBeInstanceOf(SqliteStore);
    await ok.store.close();
  });
});
