// Numbered Postgres schema migrations, applied in order, each once (recorded in schema_migrations)
// under an advisory lock, so replicas starting together migrate once. A list of its own (SQLite's is
// in migrations.ts): the same tables, in Postgres SQL. Never edit a released migration: add the next
// number. Text that is ordered or compared (names, keys, ISO timestamps) uses the "C" collation, so
// it sorts by code point as SQLite and the memory store do, whatever the database's locale.
import type { Migration } from './migrations.ts';

export const PG_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'podbay records: ownership, audit, pending requests, creates, forms, kv, lease',
    sql: `
      CREATE TABLE pod_ownership (
        pod_name   TEXT COLLATE "C" PRIMARY KEY,
        pod_id     TEXT UNIQUE,
        user_id    TEXT NOT NULL,
        team_id    TEXT,
        created_at TEXT NOT NULL
      );

      -- Append-only: rows are numbered by a sequence and never changed or removed (the triggers refuse).
      CREATE TABLE audit_log (
        seq     BIGSERIAL PRIMARY KEY,
        at      TEXT COLLATE "C" NOT NULL,
        user_id TEXT,
        team_id TEXT,
        action  TEXT NOT NULL,
        target  TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail  TEXT NOT NULL,
        data    JSON
      );
      CREATE INDEX audit_log_user ON audit_log (user_id, seq);
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
        END
      $$;
      CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

      -- ins keeps the insertion order (SQLite's rowid) for rows created in the same instant.
      CREATE TABLE pending_request (
        id         TEXT PRIMARY KEY,
        ins        BIGSERIAL NOT NULL,
        kind       TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        team_id    TEXT,
        payload    JSON NOT NULL,
        status     TEXT NOT NULL,
        reason     TEXT,
        decided_by TEXT,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX pending_request_status ON pending_request (status, created_at);
      CREATE INDEX pending_request_user ON pending_request (user_id, status);

      CREATE TABLE create_intent (
        key        TEXT PRIMARY KEY,
        ins        BIGSERIAL NOT NULL,
        user_id    TEXT NOT NULL,
        pod_name   TEXT,
        channel    TEXT,
        message_ts TEXT,
        status     TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX create_intent_status ON create_intent (status, created_at);

      CREATE TABLE open_form (
        view_id   TEXT PRIMARY KEY,
        user_id   TEXT NOT NULL,
        channel   TEXT NOT NULL,
        team_id   TEXT,
        quoted    JSON,
        opened_at TEXT COLLATE "C" NOT NULL
      );
      CREATE INDEX open_form_opened ON open_form (opened_at);

      CREATE TABLE kv (
        ns      TEXT COLLATE "C" NOT NULL,
        key     TEXT COLLATE "C" NOT NULL,
        value   JSON NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (ns, key)
      );

      -- fencing: a token that grows every time the lease changes hands (from a sequence, so it keeps
      -- growing after a release deletes the row); a holder passes it along to prove it is current.
      CREATE SEQUENCE lease_fencing;
      CREATE TABLE lease (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_ms BIGINT NOT NULL,
        fencing    BIGINT NOT NULL DEFAULT nextval('lease_fencing')
      );
    `,
  },
];
