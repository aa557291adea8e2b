// SQLite Store on better-sqlite3: one file (parent dir created), WAL, numbered migrations applied
// in order and recorded, so reopening an up-to-date database changes nothing.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { PodbayError } from '../services/errors.ts';
import {
  type AuditEntry,
  type Clock,
  type PendingRequest,
  type PendingStatus,
  type PodOwnership,
  type Store,
  type StoredAuditEntry,
  systemClock,
  type TransitionChange,
  type CreateIntent,
  type KvRecord,
  type StoredForm,
} from '../services/ports.ts';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from './limits.ts';
import {
  type AuditRow,
  type FormRow,
  type IntentRow,
  type OwnershipRow,
  type PendingRow,
  toAudit,
  toForm,
  toIntent,
  toOwnership,
  toPending,
} from './rows.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export interface SqliteStoreOptions {
  /** File path (config.dbPath), or ':memory:'. */
  path: string;
  /** Stamps applied migrations; default the system clock. */
  clock?: Clock;
  /** Default: all of MIGRATIONS (tests pass a prefix to check upgrades). */
  migrations?: readonly Migration[];
}

/** SQLite keeps JSON as text. */
const JSON_TEXT = (v: string): unknown => JSON.parse(v);
type Audit = AuditRow<string>;
type Pending = PendingRow<string>;

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  readonly path: string;
  private readonly db: Database.Database;
  /** Prepared once per SQL text: preparing costs more than running these small queries. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(opts: SqliteStoreOptions) {
    this.path = opts.path;
    try {
      if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
      this.db = new Database(opts.path);
    } catch (e) {
      throw openError(opts.path, e);
    }
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      // A truncated file can open and still fail on its first real read: find out now, not mid-request.
      const check = String(this.db.pragma('quick_check(1)', { simple: true }));
      if (check !== 'ok') throw new Error(`database disk image is malformed (${check.slice(0, 200)})`);
      migrate(this.db, opts.migrations ?? MIGRATIONS, opts.clock ?? systemClock);
    } catch (e) {
      this.db.close();
      throw openError(opts.path, e);
    }
  }

  private statement(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  /** Applied migration versions, ascending. */
  migrationVersions(): number[] {
    return appliedVersions(this.db);
  }

  /** The journal mode SQLite reports ("wal" for a file database, "memory" for ':memory:'). */
  journalMode(): string {
    return String(this.db.pragma('journal_mode', { simple: true }));
  }

  async savePodOwnership(record: PodOwnership): Promise<void> {
    // REPLACE also removes another row holding the same pod_id (UNIQUE), like the memory store.
    this.statement(
      `INSERT OR REPLACE INTO pod_ownership (pod_name, pod_id, user_id, team_id, created_at)
         VALUES (@podName, @podId, @userId, @teamId, @createdAt)`,
    ).run(record);
  }

  async podOwnershipById(podId: string): Promise<PodOwnership | null> {
    const row = this.statement('SELECT * FROM pod_ownership WHERE pod_id = ?').get(podId) as
      | OwnershipRow
      | undefined;
    return row ? toOwnership(row) : null;
  }

  async podOwnershipByName(podName: string): Promise<PodOwnership | null> {
    const row = this.statement('SELECT * FROM pod_ownership WHERE pod_name = ?').get(podName) as
      | OwnershipRow
      | undefined;
    return row ? toOwnership(row) : null;
  }

  async listPodOwnerships(): Promise<PodOwnership[]> {
    const rows = this.statement('SELECT * FROM pod_ownership ORDER BY pod_name').all() as OwnershipRow[];
    return rows.map(toOwnership);
  }

  async appendAudit(entry: AuditEntry): Promise<StoredAuditEntry> {
    const info = this.statement(
      `INSERT INTO audit_log (at, user_id, team_id, action, target, outcome, detail, data)
         VALUES (@at, @userId, @teamId, @action, @target, @outcome, @detail, @data)`,
    ).run({ ...entry, data: entry.data === undefined ? null : JSON.stringify(entry.data) });
    return { ...entry, seq: Number(info.lastInsertRowid) };
  }

  async listAudit(
    opts: { limit?: number; userId?: string; since?: string } = {},
  ): Promise<StoredAuditEntry[]> {
    const limit = Math.min(Math.max(1, opts.limit ?? AUDIT_DEFAULT_LIMIT), AUDIT_MAX_LIMIT);
    const where: string[] = [];
    const params: Record<string, string | number> = { limit };
    if (opts.userId !== undefined) {
      where.push('user_id = @userId');
      params.userId = opts.userId;
    }
    if (opts.since !== undefined) {
      where.push('at >= @since');
      params.since = opts.since;
    }
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT @limit`;
    return (this.statement(sql).all(params) as Audit[]).map((r) => toAudit(r, JSON_TEXT));
  }

  async createPending(request: PendingRequest): Promise<void> {
    try {
      this.statement(
        `INSERT INTO pending_request (id, kind, user_id, team_id, payload, status, reason, decided_by, created_at, updated_at)
           VALUES (@id, @kind, @userId, @teamId, @payload, @status, @reason, @decidedBy, @createdAt, @updatedAt)`,
      ).run({ ...request, payload: JSON.stringify(request.payload ?? null) });
    } catch (e) {
      if (e instanceof Error && 'code' in e && String(e.code).startsWith('SQLITE_CONSTRAINT')) {
        throw new PodbayError('CONFLICT', `A request with id ${request.id} already exists.`);
      }
      throw e;
    }
  }

  async getPending(id: string): Promise<PendingRequest | null> {
    const row = this.statement('SELECT * FROM pending_request WHERE id = ?').get(id) as Pending | undefined;
    return row ? toPending(row, JSON_TEXT) : null;
  }

  async listPending(opts: { status?: PendingStatus; userId?: string } = {}): Promise<PendingRequest[]> {
    const where: string[] = [];
    const params: Record<string, string> = {};
    if (opts.status !== undefined) {
      where.push('status = @status');
      params.status = opts.status;
    }
    if (opts.userId !== undefined) {
      where.push('user_id = @userId');
      params.userId = opts.userId;
    }
    const sql = `SELECT * FROM pending_request ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC`;
    return (this.statement(sql).all(params) as Pending[]).map((r) => toPending(r, JSON_TEXT));
  }

  async transitionPending(
    id: string,
    from: PendingStatus,
    change: TransitionChange,
  ): Promise<PendingRequest | null> {
    // One UPDATE guarded by the expected status: of two concurrent decisions exactly one matches.
    const info = this.statement(
      `UPDATE pending_request SET status = @to, updated_at = @at,
           reason = CASE WHEN @setReason THEN @reason ELSE reason END,
           decided_by = CASE WHEN @setDecidedBy THEN @decidedBy ELSE decided_by END,
           payload = CASE WHEN @setPayload THEN @payload ELSE payload END
         WHERE id = @id AND status = @from`,
    ).run({
      id,
      from,
      to: change.to,
      at: change.at,
      setReason: change.reason !== undefined ? 1 : 0,
      reason: change.reason ?? null,
      setDecidedBy: change.decidedBy !== undefined ? 1 : 0,
      decidedBy: change.decidedBy ?? null,
      setPayload: change.payload !== undefined ? 1 : 0,
      payload: change.payload !== undefined ? JSON.stringify(change.payload) : null,
    });
    return info.changes === 1 ? this.getPending(id) : null;
  }

  async deletePodOwnership(podName: string): Promise<void> {
    this.statement('DELETE FROM pod_ownership WHERE pod_name = ?').run(podName);
  }

  async claimCreate(intent: CreateIntent): Promise<CreateIntent | null> {
    // INSERT OR IGNORE, then read: of two deliveries at once exactly one inserts.
    const info = this.statement(
      `INSERT OR IGNORE INTO create_intent (key, user_id, pod_name, channel, message_ts, status, created_at)
         VALUES (@key, @userId, @podName, @channel, @messageTs, @status, @createdAt)`,
    ).run(intent);
    if (info.changes === 1) return null;
    const row = this.statement('SELECT * FROM create_intent WHERE key = ?').get(intent.key) as IntentRow;
    return toIntent(row);
  }

  async updateCreate(
    key: string,
    patch: Partial<Pick<CreateIntent, 'podName' | 'channel' | 'messageTs' | 'status'>>,
  ): Promise<void> {
    const cols: Record<string, string> = {
      podName: 'pod_name',
      channel: 'channel',
      messageTs: 'message_ts',
      status: 'status',
    };
    const set = Object.keys(patch).filter((k) => k in cols);
    if (!set.length) return;
    const sql = `UPDATE create_intent SET ${set.map((k) => `${cols[k]} = @${k}`).join(', ')} WHERE key = @key`;
    this.statement(sql).run({ ...patch, key });
  }

  async listCreates(status: CreateIntent['status']): Promise<CreateIntent[]> {
    const rows = this.statement('SELECT * FROM create_intent WHERE status = ? ORDER BY created_at').all(
      status,
    ) as IntentRow[];
    return rows.map(toIntent);
  }

  async saveForm(form: StoredForm): Promise<void> {
    this.statement(
      `INSERT OR REPLACE INTO open_form (view_id, user_id, channel, team_id, quoted, opened_at)
         VALUES (@viewId, @userId, @channel, @teamId, @quoted, @openedAt)`,
    ).run({ ...form, quoted: form.quoted ? JSON.stringify(form.quoted) : null });
  }

  async getForm(viewId: string): Promise<StoredForm | null> {
    const r = this.statement('SELECT * FROM open_form WHERE view_id = ?').get(viewId) as
      | FormRow<string>
      | undefined;
    return r ? toForm(r, JSON_TEXT) : null;
  }

  async deleteForm(viewId: string): Promise<void> {
    this.statement('DELETE FROM open_form WHERE view_id = ?').run(viewId);
  }

  async kvGet(ns: string, key: string): Promise<KvRecord | null> {
    const row = this.statement('SELECT key, value, version FROM kv WHERE ns = ? AND key = ?').get(ns, key) as
      | KvRow
      | undefined;
    return row ? toKv(row) : null;
  }

  async kvList(ns: string): Promise<KvRecord[]> {
    const rows = this.statement('SELECT key, value, version FROM kv WHERE ns = ? ORDER BY key').all(
      ns,
    ) as KvRow[];
    return rows.map(toKv);
  }

  async kvPut(ns: string, key: string, value: unknown, expected?: number | null): Promise<number | null> {
    const text = JSON.stringify(value);
    if (expected === undefined) {
      const row = this.statement(
        `INSERT INTO kv (ns, key, value, version) VALUES (?, ?, ?, 1)
           ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, version = kv.version + 1
           RETURNING version`,
      ).get(ns, key, text) as { version: number };
      return row.version;
    }
    if (expected === null) {
      const info = this.statement(
        'INSERT OR IGNORE INTO kv (ns, key, value, version) VALUES (?, ?, ?, 1)',
      ).run(ns, key, text);
      return info.changes === 1 ? 1 : null;
    }
    // Guarded by the version read: of two concurrent writers exactly one matches.
    const info = this.statement(
      'UPDATE kv SET value = ?, version = version + 1 WHERE ns = ? AND key = ? AND version = ?',
    ).run(text, ns, key, expected);
    return info.changes === 1 ? expected + 1 : null;
  }

  async kvPutMany(ns: string, entries: ReadonlyArray<{ key: string; value: unknown }>): Promise<void> {
    const st = this.statement(
      `INSERT INTO kv (ns, key, value, version) VALUES (?, ?, ?, 1)
         ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, version = kv.version + 1`,
    );
    this.db.transaction(() => {
      for (const e of entries) st.run(ns, e.key, JSON.stringify(e.value));
    })();
  }

  async kvDelete(ns: string, keys: readonly string[]): Promise<void> {
    const st = this.statement('DELETE FROM kv WHERE ns = ? AND key = ?');
    this.db.transaction(() => {
      for (const k of keys) st.run(ns, k);
    })();
  }

  async acquireLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean> {
    // One statement: insert, or take over only when it is ours or has run out.
    const info = this.statement(
      `INSERT INTO lease (name, holder, expires_ms) VALUES (@name, @holder, @until)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms
         WHERE lease.holder = excluded.holder OR lease.expires_ms <= @now`,
    ).run({ name, holder, until: nowMs + ttlMs, now: nowMs });
    return info.changes === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.statement('DELETE FROM lease WHERE name = ? AND holder = ?').run(name, holder);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

interface KvRow {
  key: string;
  value: string;
  version: number;
}

const toKv = (r: KvRow): KvRecord => ({ key: r.key, value: JSON.parse(r.value), version: r.version });

/** Why the database at `path` cannot be used, naming the file (start-up prints it and stops). */
function openError(path: string, e: unknown): PodbayError {
  if (e instanceof PodbayError) {
    return new PodbayError(e.code, `podbay cannot use its database at ${path}: ${e.userMessage}`, {
      ...(e.hint ? { hint: e.hint } : {}),
    });
  }
  const reason = e instanceof Error ? e.message : String(e);
  return new PodbayError('CONFIG_INVALID', `podbay cannot open its database at ${path}: ${reason}.`, {
    hint: 'Check PODBAY_DB_PATH: its folder must be writable and the file a podbay database (move a damaged file aside or restore a backup).',
  });
}

function appliedVersions(db: Database.Database): number[] {
  const rows = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{
    version: number;
  }>;
  return rows.map((r) => r.version);
}

/** Applies, in version order, each migration not yet recorded; each in its own transaction. */
export function migrate(db: Database.Database, migrations: readonly Migration[], clock: Clock): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const known = new Set(sorted.map((m) => m.version));
  const applied = appliedVersions(db);
  const unknown = applied.filter((v) => !known.has(v));
  if (unknown.length) {
    throw new PodbayError(
      'CONFIG_INVALID',
      `The podbay database was written by a newer podbay (schema version ${Math.max(...unknown)}).`,
      { hint: 'Upgrade podbay, or point PODBAY_DB_PATH at another file.' },
    );
  }
  const done = new Set(applied);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const newlyApplied: number[] = [];
  for (const m of sorted) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, clock.now().toISOString());
    })();
    newlyApplied.push(m.version);
  }
  return newlyApplied;
}

/** Opens (creating when needed) the database, applies pending migrations, returns the Store. */
export function openSqliteStore(opts: SqliteStoreOptions): SqliteStore {
  return new SqliteStore(opts);
}
