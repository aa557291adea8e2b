// Numbered schema migrations, applied in order, each once (recorded in schema_migrations).
// Never edit a released migration: add the next number.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'pod ownership and audit log',
    sql: `
      CREATE TABLE pod_ownership (
        pod_name   TEXT PRIMARY KEY,
        pod_id     TEXT UNIQUE,
        user_id    TEXT NOT NULL,
        team_id    TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE audit_log (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        at      TEXT NOT NULL,
        user_id TEXT,
        team_id TEXT,
        action  TEXT NOT NULL,
        target  TEXT NOT NULL,
        outcome TEXT NOT NULL,
        detail  TEXT NOT NULL
      );
      CREATE INDEX audit_log_user ON audit_log (user_id, seq);
      CREATE INDEX audit_log_at ON audit_log (at);
    `,
  },
  {
    version: 2,
    name: 'pending requests',
    sql: `
      CREATE TABLE pending_request (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL,
        user_id    TEXT NOT NULL,
        team_id    TEXT,
        payload    TEXT NOT NULL,
        status     TEXT NOT NULL,
        reason     TEXT,
        decided_by TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX pending_request_status ON pending_request (status, created_at);
    `,
  },
  {
    version: 3,
    name: 'structured audit facts',
    sql: `
      ALTER TABLE audit_log ADD COLUMN data TEXT;
      CREATE INDEX pending_request_user ON pending_request (user_id, status);
    `,
  },
  {
    version: 4,
    name: 'create intents and open forms',
    sql: `
      CREATE TABLE create_intent (
        key        TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL,
        pod_name   TEXT,
        channel    TEXT,
        message_ts TEXT,
        status     TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX create_intent_status ON create_intent (status, created_at);
      CREATE TABLE open_form (
        view_id   TEXT PRIMARY KEY,
        user_id   TEXT NOT NULL,
        channel   TEXT NOT NULL,
        team_id   TEXT,
        quoted    TEXT,
        opened_at TEXT NOT NULL
      );
      CREATE INDEX open_form_opened ON open_form (opened_at);
    `,
  },
  {
    version: 5,
    name: 'scheduler records and leases',
    sql: `
      CREATE TABLE kv (
        ns      TEXT NOT NULL,
        key     TEXT NOT NULL,
        value   TEXT NOT NULL,
        version INTEGER NOT NULL,
        PRIMARY KEY (ns, key)
      );
      CREATE TABLE lease (
        name       TEXT PRIMARY KEY,
        holder     TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
      );
    `,
  },
];
