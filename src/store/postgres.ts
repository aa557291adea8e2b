// Postgres Store on pg: what two or more replicas share. Opening connects and applies the numbered
// migrations of pg-migrations.ts in one transaction under an advisory lock, so replicas starting
// together migrate once. Every guarded write is one conditional statement, so across replicas
// exactly one of two racing writers wins. JSON columns use the `json` type: checked on the way in,
// kept as written (key order, any string) and parsed by pg on the way out.
import pg from 'pg';
import { PodbayError } from '../services/errors.ts';
import {
  type AuditEntry,
  type Clock,
  type CreateIntent,
  type KvRecord,
  type PendingRequest,
  type PendingStatus,
  type PodOwnership,
  type Store,
  type StoredAuditEntry,
  type StoredForm,
  systemClock,
  type TransitionChange,
} from '../services/ports.ts';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from './limits.ts';
import type { Migration } from './migrations.ts';
import { PG_MIGRATIONS } from './pg-migrations.ts';
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

export interface PostgresStoreOptions {
  /** Every table lives in this schema (created when missing); default: the server's search_path. */
  schema?: string;
  /** Stamps applied migrations; default the system clock. */
  clock?: Clock;
  /** Default: all of PG_MIGRATIONS (tests pass a prefix to check upgrades). */
  migrations?: readonly Migration[];
  /** Connections in the pool (default 10). */
  maxConnections?: number;
  /** How long to wait for a connection, start-up included (default 10 s). */
  connectTimeoutMs?: number;
  /** A pooled idle connection failed (server restart, network): the next query reconnects. */
  onIdleError?: (err: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Postgres hands JSON columns back parsed. */
const JSON_VALUE = <T>(v: T): unknown => v;
type Audit = AuditRow<Record<string, unknown>>;
type Pending = PendingRow<unknown>;

interface KvRow {
  key: string;
  value: unknown;
  version: number;
}

const toKv = (r: KvRow): KvRecord => ({ key: r.key, value: r.value, version: r.version });

/** JSON text for a json column (undefined is stored as null, as JSON has no undefined). */
const json = (v: unknown): string => JSON.stringify(v) ?? 'null';

const PENDING_COLS =
  'id, kind, user_id, team_id, payload, status, reason, decided_by, created_at, updated_at';
const INTENT_COLS = 'key, user_id, pod_name, channel, message_ts, status, created_at';

export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  /** host:port/database, never the user or password: safe to log. */
  readonly target: string;
  readonly schema: string | undefined;
  private readonly pool: pg.Pool;
  private closed = false;

  /** Use openPostgresStore: the store is ready only once its migrations ran. */
  private constructor(pool: pg.Pool, target: string, schema: string | undefined) {
    this.pool = pool;
    this.target = target;
    this.schema = schema;
  }

  /** @internal Connects, migrates and answers the store; see openPostgresStore. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const target = describeTarget(url);
    const schema = opts.schema;
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new PodbayError(
        'CONFIG_INVALID',
        `"${schema}" is not a schema name podbay uses (lower-case letters, digits and _, at most 63).`,
      );
    }
    let pool: pg.Pool;
    try {
      pool = new pg.Pool({
        connectionString: url,
        application_name: 'podbay',
        max: opts.maxConnections ?? 10,
        connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
        ...(schema ? { options: `-c search_path=${schema}` } : {}),
      });
    } catch (e) {
      throw openError(target, url, e);
    }
    // Without a listener, an idle connection's error (the server restarting) would end the process.
    pool.on('error', (err) => opts.onIdleError?.(err));
    try {
      await migrate(pool, schema, opts.migrations ?? PG_MIGRATIONS, opts.clock ?? systemClock);
    } catch (e) {
      await pool.end().catch(() => {});
      throw openError(target, url, e);
    }
    return new PostgresStore(pool, target, schema);
  }

  // Unnamed statements: named (prepared) ones break behind a transaction-pooling proxy (PgBouncer).
  private async q<R extends pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return this.pool.query<R>(text, values);
  }

  /** Runs `work` in one transaction on one pooled connection. */
  private async tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await work(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  /** Applied migration versions, ascending. */
  async migrationVersions(): Promise<number[]> {
    const r = await this.pool.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    return r.rows.map((row) => row.version);
  }

  async savePodOwnership(record: PodOwnership): Promise<void> {
    // As SQLite's INSERT OR REPLACE: another record holding the same pod id goes (pod_id is UNIQUE).
    // Two statements in one transaction: in a single one the unique check would still see the old row.
    await this.tx(async (c) => {
      if (record.podId !== null) {
        await c.query('DELETE FROM pod_ownership WHERE pod_id = $1 AND pod_name <> $2', [
          record.podId,
          record.podName,
        ]);
      }
      await c.query(
        `INSERT INTO pod_ownership (pod_name, pod_id, user_id, team_id, created_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (pod_name) DO UPDATE SET pod_id = excluded.pod_id, user_id = excluded.user_id,
             team_id = excluded.team_id, created_at = excluded.created_at`,
        [record.podName, record.podId, record.userId, record.teamId, record.createdAt],
      );
    });
  }

  async podOwnershipById(podId: string): Promise<PodOwnership | null> {
    const r = await this.q<OwnershipRow>('SELECT * FROM pod_ownership WHERE pod_id = $1', [podId]);
    return r.rows[0] ? toOwnership(r.rows[0]) : null;
  }

  async podOwnershipByName(podName: string): Promise<PodOwnership | null> {
    const r = await this.q<OwnershipRow>('SELECT * FROM pod_ownership WHERE pod_name = $1', [podName]);
    return r.rows[0] ? toOwnership(r.rows[0]) : null;
  }

  async listPodOwnerships(): Promise<PodOwnership[]> {
    const r = await this.q<OwnershipRow>('SELECT * FROM pod_ownership ORDER BY pod_name');
    return r.rows.map(toOwnership);
  }

  async appendAudit(entry: AuditEntry): Promise<StoredAuditEntry> {
    const r = await this.q<{ seq: string }>(
      `INSERT INTO audit_log (at, user_id, team_id, action, target, outcome, detail, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq`,
      [
        entry.at,
        entry.userId,
        entry.teamId,
        entry.action,
        entry.target,
        entry.outcome,
        entry.detail,
        entry.data === undefined ? null : json(entry.data),
      ],
    );
    return { ...structuredClone(entry), seq: Number(r.rows[0]?.seq) };
  }

  async listAudit(
    opts: { limit?: number; userId?: string; since?: string } = {},
  ): Promise<StoredAuditEntry[]> {
    const limit = Math.min(Math.max(1, opts.limit ?? AUDIT_DEFAULT_LIMIT), AUDIT_MAX_LIMIT);
    const where: string[] = [];
    const values: unknown[] = [];
    if (opts.userId !== undefined) {
      values.push(opts.userId);
      where.push(`user_id = $${values.length}`);
    }
    if (opts.since !== undefined) {
      values.push(opts.since);
      where.push(`at >= $${values.length}`);
    }
    values.push(limit);
    const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${values.length}`;
    return (await this.q<Audit>(sql, values)).rows.map((r) => toAudit(r, JSON_VALUE));
  }

  async createPending(request: PendingRequest): Promise<void> {
    try {
      await this.q(
        `INSERT INTO pending_request (${PENDING_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          request.id,
          request.kind,
          request.userId,
          request.teamId,
          json(request.payload ?? null),
          request.status,
          request.reason,
          request.decidedBy,
          request.createdAt,
          request.updatedAt,
        ],
      );
    } catch (e) {
      if (pgCode(e) === '23505') {
        throw new PodbayError('CONFLICT', `A request with id ${request.id} already exists.`);
      }
      throw e;
    }
  }

  async getPending(id: string): Promise<PendingRequest | null> {
    const r = await this.q<Pending>(`SELECT ${PENDING_COLS} FROM pending_request WHERE id = $1`, [id]);
    return r.rows[0] ? toPending(r.rows[0], JSON_VALUE) : null;
  }

  async listPending(opts: { status?: PendingStatus; userId?: string } = {}): Promise<PendingRequest[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (opts.status !== undefined) {
      values.push(opts.status);
      where.push(`status = $${values.length}`);
    }
    if (opts.userId !== undefined) {
      values.push(opts.userId);
      where.push(`user_id = $${values.length}`);
    }
    const sql = `SELECT ${PENDING_COLS} FROM pending_request ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, ins DESC`;
    return (await this.q<Pending>(sql, values)).rows.map((r) => toPending(r, JSON_VALUE));
  }

  async transitionPending(
    id: string,
    from: PendingStatus,
    change: TransitionChange,
  ): Promise<PendingRequest | null> {
    // One UPDATE guarded by the expected status. Under READ COMMITTED a second writer waits for the
    // first, re-reads the row and no longer matches: of two decisions, on any replicas, one wins.
    const values: unknown[] = [id, from, change.to, change.at];
    const set = ['status = $3', 'updated_at = $4'];
    const add = (col: string, v: unknown) => {
      values.push(v);
      set.push(`${col} = $${values.length}`);
    };
    if (change.reason !== undefined) add('reason', change.reason);
    if (change.decidedBy !== undefined) add('decided_by', change.decidedBy);
    if (change.payload !== undefined) add('payload', json(change.payload));
    const r = await this.q<Pending>(
      `UPDATE pending_request SET ${set.join(', ')} WHERE id = $1 AND status = $2 RETURNING ${PENDING_COLS}`,
      values,
    );
    return r.rows[0] ? toPending(r.rows[0], JSON_VALUE) : null;
  }

  async deletePodOwnership(podName: string): Promise<void> {
    await this.q('DELETE FROM pod_ownership WHERE pod_name = $1', [podName]);
  }

  async claimCreate(intent: CreateIntent): Promise<CreateIntent | null> {
    // ON CONFLICT DO NOTHING waits for a concurrent insert of the key to commit: exactly one inserts.
    const ins = await this.q(
      `INSERT INTO create_intent (${INTENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
      [
        intent.key,
        intent.userId,
        intent.podName,
        intent.channel,
        intent.messageTs,
        intent.status,
        intent.createdAt,
      ],
    );
    if (ins.rowCount === 1) return null;
    // A new statement, so a new snapshot: it sees the row the conflict was with.
    const r = await this.q<IntentRow>(`SELECT ${INTENT_COLS} FROM create_intent WHERE key = $1`, [
      intent.key,
    ]);
    if (!r.rows[0]) throw new Error(`create intent ${intent.key} conflicted but is gone`);
    return toIntent(r.rows[0]);
  }

  async updateCreate(
    key: string,
    patch: Partial<Pick<CreateIntent, 'podName' | 'channel' | 'messageTs' | 'status'>>,
  ): Promise<void> {
    const cols = { podName: 'pod_name', channel: 'channel', messageTs: 'message_ts', status: 'status' };
    const values: unknown[] = [key];
    const set: string[] = [];
    for (const [k, col] of Object.entries(cols)) {
      if (!(k in patch)) continue;
      values.push((patch as Record<string, unknown>)[k] ?? null);
      set.push(`${col} = $${values.length}`);
    }
    if (!set.length) return;
    await this.q(`UPDATE create_intent SET ${set.join(', ')} WHERE key = $1`, values);
  }

  async listCreates(status: CreateIntent['status']): Promise<CreateIntent[]> {
    const r = await this.q<IntentRow>(
      `SELECT ${INTENT_COLS} FROM create_intent WHERE status = $1 ORDER BY created_at, ins`,
      [status],
    );
    return r.rows.map(toIntent);
  }

  async saveForm(form: StoredForm): Promise<void> {
    await this.q(
      `INSERT INTO open_form (view_id, user_id, channel, team_id, quoted, opened_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (view_id) DO UPDATE SET user_id = excluded.user_id, channel = excluded.channel,
           team_id = excluded.team_id, quoted = excluded.quoted, opened_at = excluded.opened_at`,
      [
        form.viewId,
        form.userId,
        form.channel,
        form.teamId,
        form.quoted ? json(form.quoted) : null,
        form.openedAt,
      ],
    );
  }

  async getForm(viewId: string): Promise<StoredForm | null> {
    const r = await this.q<FormRow<StoredForm['quoted']>>('SELECT * FROM open_form WHERE view_id = $1', [
      viewId,
    ]);
    const f = r.rows[0];
    return f ? toForm(f, JSON_VALUE) : null;
  }

  async deleteForm(viewId: string): Promise<void> {
    await this.q('DELETE FROM open_form WHERE view_id = $1', [viewId]);
  }

  async kvGet(ns: string, key: string): Promise<KvRecord | null> {
    const r = await this.q<KvRow>('SELECT key, value, version FROM kv WHERE ns = $1 AND key = $2', [ns, key]);
    return r.rows[0] ? toKv(r.rows[0]) : null;
  }

  async kvList(ns: string): Promise<KvRecord[]> {
    const r = await this.q<KvRow>('SELECT key, value, version FROM kv WHERE ns = $1 ORDER BY key', [ns]);
    return r.rows.map(toKv);
  }

  async kvPut(ns: string, key: string, value: unknown, expected?: number | null): Promise<number | null> {
    const text = json(value);
    if (expected === undefined) {
      const r = await this.q<{ version: number }>(
        `INSERT INTO kv (ns, key, value, version) VALUES ($1, $2, $3, 1)
           ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, version = kv.version + 1
           RETURNING version`,
        [ns, key, text],
      );
      return r.rows[0]?.version ?? null;
    }
    if (expected === null) {
      const r = await this.q<{ version: number }>(
        `INSERT INTO kv (ns, key, value, version) VALUES ($1, $2, $3, 1)
           ON CONFLICT (ns, key) DO NOTHING RETURNING version`,
        [ns, key, text],
      );
      return r.rows[0]?.version ?? null;
    }
    // Guarded by the version read: a second writer waits, re-reads the row and no longer matches.
    const r = await this.q<{ version: number }>(
      `UPDATE kv SET value = $3, version = version + 1 WHERE ns = $1 AND key = $2 AND version = $4
         RETURNING version`,
      [ns, key, text, expected],
    );
    return r.rows[0]?.version ?? null;
  }

  async kvPutMany(ns: string, entries: ReadonlyArray<{ key: string; value: unknown }>): Promise<void> {
    if (!entries.length) return;
    // Rows are locked in key order, so two writers of overlapping batches cannot deadlock.
    const sorted = entries
      .map((e, i) => ({ key: e.key, text: json(e.value), i }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
    const upsert = `INSERT INTO kv (ns, key, value, version) VALUES ($1, $2, $3, 1)
       ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, version = kv.version + 1`;
    if (new Set(sorted.map((e) => e.key)).size === sorted.length) {
      // Distinct keys (a scan's samples): one statement, atomic by itself.
      await this.q(
        `INSERT INTO kv (ns, key, value, version)
           SELECT $1, k, v::json, 1 FROM unnest($2::text[], $3::text[]) AS t (k, v)
           ON CONFLICT (ns, key) DO UPDATE SET value = excluded.value, version = kv.version + 1`,
        [ns, sorted.map((e) => e.key), sorted.map((e) => e.text)],
      );
      return;
    }
    // A key written twice counts twice, as one write after the other does.
    await this.tx(async (c) => {
      for (const e of sorted) await c.query(upsert, [ns, e.key, e.text]);
    });
  }

  async kvDelete(ns: string, keys: readonly string[]): Promise<void> {
    if (!keys.length) return;
    await this.q('DELETE FROM kv WHERE ns = $1 AND key = ANY($2::text[])', [ns, [...keys]]);
  }

  async acquireLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean> {
    return (await this.takeLease(name, holder, nowMs, ttlMs)) !== null;
  }

  /**
   * One statement: insert, or take over only when it is ours or has run out. Answers the fencing
   * token (it grows each time the lease changes hands), or null when another holder has it.
   */
  async takeLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<number | null> {
    const r = await this.q<{ fencing: string }>(
      `INSERT INTO lease (name, holder, expires_ms) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms,
           fencing = CASE WHEN lease.holder = excluded.holder THEN lease.fencing ELSE nextval('lease_fencing') END
         WHERE lease.holder = excluded.holder OR lease.expires_ms <= $4
         RETURNING fencing`,
      [name, holder, nowMs + ttlMs, nowMs],
    );
    return r.rows[0] ? Number(r.rows[0].fencing) : null;
  }

  /** The fencing token of `holder`'s lease, or null when the lease is not (or no longer) its. */
  async leaseToken(name: string, holder: string): Promise<number | null> {
    const r = await this.q<{ fencing: string }>('SELECT fencing FROM lease WHERE name = $1 AND holder = $2', [
      name,
      holder,
    ]);
    return r.rows[0] ? Number(r.rows[0].fencing) : null;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.q('DELETE FROM lease WHERE name = $1 AND holder = $2', [name, holder]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * Applies, in version order, each migration not yet recorded: all in one transaction holding an
 * advisory lock for this schema, so of replicas starting at once one migrates and the others,
 * once it commits, find nothing left to do. The schema itself is created under the same lock.
 */
async function migrate(
  pool: pg.Pool,
  schema: string | undefined,
  migrations: readonly Migration[],
  clock: Clock,
): Promise<number[]> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `podbay.migrate:${schema ?? ''}`,
    ]);
    if (schema) await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const applied = (
      await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
    ).rows.map((r) => r.version);
    const sorted = [...migrations].sort((a, b) => a.version - b.version);
    const known = new Set(sorted.map((m) => m.version));
    const unknown = applied.filter((v) => !known.has(v));
    if (unknown.length) {
      throw new PodbayError(
        'CONFIG_INVALID',
        `The podbay database was written by a newer podbay (schema version ${Math.max(...unknown)}).`,
        { hint: 'Upgrade podbay, or point DATABASE_URL at another database.' },
      );
    }
    const done = new Set(applied);
    const newlyApplied: number[] = [];
    for (const m of sorted) {
      if (done.has(m.version)) continue;
      await c.query(m.sql);
      await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        clock.now().toISOString(),
      ]);
      newlyApplied.push(m.version);
    }
    await c.query('COMMIT');
    return newlyApplied;
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

const pgCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string'
    ? (e as { code: string }).code
    : undefined;

/** host:port/database of a postgres:// URL, without user or password. */
export function describeTarget(url: string): string {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    const port = u.port || u.searchParams.get('port') || '5432';
    const db = decodeURIComponent(u.pathname.replace(/^\//, '')) || u.searchParams.get('dbname') || '';
    return `${host}:${port}${db ? `/${db}` : ''}`;
  } catch {
    return 'the server in DATABASE_URL';
  }
}

/** Why the database at `target` cannot be used, naming the server but never the password. */
function openError(target: string, url: string, e: unknown): PodbayError {
  const scrub = (s: string) => scrubUrl(s, url);
  if (e instanceof PodbayError) {
    return new PodbayError(
      e.code,
      `podbay cannot use its Postgres database at ${target}: ${scrub(e.userMessage)}`,
      {
        ...(e.hint ? { hint: e.hint } : {}),
      },
    );
  }
  const reason = scrub(e instanceof Error ? e.message || pgCode(e) || e.name : String(e));
  const unreachable =
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(
      pgCode(e) ?? '',
    ) || /timeout/i.test(reason);
  return new PodbayError(
    'CONFIG_INVALID',
    unreachable
      ? `podbay cannot reach its Postgres database at ${target}: ${reason}.`
      : `podbay cannot open its Postgres database at ${target}: ${reason}.`,
    {
      hint: unreachable
        ? 'Check DATABASE_URL and that the server is running and reachable from here.'
        : 'Check DATABASE_URL: the user needs to log in and to create tables in the database (or schema).',
    },
  );
}

/** `text` without the URL, its user info or its password, whichever it contains. */
function scrubUrl(text: string, url: string): string {
  let out = text.split(url).join('[DATABASE_URL]');
  try {
    const u = new URL(url);
    const password = decodeURIComponent(u.password);
    if (u.password) out = out.split(u.password).join('[REDACTED]');
    if (password) out = out.split(password).join('[REDACTED]');
  } catch {
    // Not a URL: nothing more to take out.
  }
  return out;
}

/** Connects to Postgres at `url`, applies pending migrations (once across replicas), answers the Store. */
export async function openPostgresStore(
  url: string,
  opts: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  return PostgresStore.open(url, opts);
}
