// Shared by the HA tests: podbay replicas as child processes (e2e-world's PodbayChild) on one
// Postgres schema, chosen through DATABASE_URL's `options=-c search_path=<schema>` (the schema is
// made here first: podbay creates only its tables), a connection of the test's own to read what
// the replicas wrote, and the replicas' own /readyz and /metrics.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SignedHttpTransport } from '../slack/http-driver.ts';
import { SIGNING_SECRET } from '../slack/harness.ts';
import { adminQuery, dropSchema, newSchemaName, testDatabaseUrl } from '../support/postgres.ts';

/** A fresh schema and the DATABASE_URL that puts a podbay process in it. */
export async function freshSchemaUrl(): Promise<{ schema: string; url: string }> {
  const schema = newSchemaName();
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const url = new URL(testDatabaseUrl());
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { schema, url: url.toString() };
}

/** PODBAY_SECRET_KEY: the same 32 bytes on every replica. */
export const sharedSecretKey = (): string => randomBytes(32).toString('base64');

export interface StoredAlert {
  key: string;
  revision: number;
  delivered: number;
  channelTs: string | null;
}

/** The test's own connection to the replicas' schema. */
export class SchemaDb {
  private constructor(
    private readonly client: pg.Client,
    readonly schema: string,
  ) {}

  static async open(schema: string): Promise<SchemaDb> {
    const client = new pg.Client({
      connectionString: testDatabaseUrl(),
      connectionTimeoutMillis: 5000,
      options: `-c search_path=${schema}`,
    });
    await client.connect();
    return new SchemaDb(client, schema);
  }

  async rows<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return (await this.client.query<R>(sql, values)).rows;
  }

  /** The scheduler's lease row(s): holder id and expiry (epoch ms). */
  async leases(): Promise<Array<{ name: string; holder: string; expiresMs: number; fencing: number }>> {
    return (
      await this.rows<{ name: string; holder: string; expires_ms: string; fencing: string }>(
        'SELECT name, holder, expires_ms, fencing FROM lease ORDER BY name',
      )
    ).map((r) => ({
      name: r.name,
      holder: r.holder,
      expiresMs: Number(r.expires_ms),
      fencing: Number(r.fencing),
    }));
  }

  async schedulerLease(): Promise<{ holder: string; expiresMs: number; fencing: number } | undefined> {
    return (await this.leases()).find((l) => l.name === 'scheduler');
  }

  /** When the last finished scan wrote its mark (kv scan/last), or 0. */
  async lastScanMs(): Promise<number> {
    const r = await this.rows<{ value: { atMs: number } }>(
      "SELECT value FROM kv WHERE ns = 'scan' AND key = 'last'",
    );
    return r[0]?.value.atMs ?? 0;
  }

  async storedAlerts(): Promise<StoredAlert[]> {
    const r = await this.rows<{
      key: string;
      value: { revision: number; delivered: number; messages: { channel: { ts: string } | null } };
    }>("SELECT key, value FROM kv WHERE ns = 'alert' ORDER BY key");
    return r.map(({ key, value }) => ({
      key,
      revision: value.revision,
      delivered: value.delivered,
      channelTs: value.messages.channel?.ts ?? null,
    }));
  }

  async close(drop = true): Promise<void> {
    await this.client.end().catch(() => {});
    if (drop) await dropSchema(this.schema);
  }
}

/** What a replica's /readyz says of the lease: 'holder' or 'standby' (undefined when it does not answer). */
export async function leaseState(port: number): Promise<string | undefined> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) });
    const body = (await r.json()) as { checks?: { lease?: { detail?: string } } };
    return body.checks?.lease?.detail;
  } catch {
    return undefined;
  }
}

/**
 * The sum of a metric's samples on a replica's /metrics whose labels include `labels`
 * (e.g. podbay_scan_seconds_count {outcome: 'done'}). 0 when there is none.
 */
export async function metricValue(
  port: number,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = new Map<string, string>();
    for (const l of (m[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      have.set(l[1] as string, l[2] as string);
    if (Object.entries(labels).every(([k, v]) => have.get(k) === v)) sum += Number(m[4]);
  }
  return sum;
}

/** Signed HTTP, as Slack sends it, to one replica's /slack/events. */
export const transportTo = (port: number): SignedHttpTransport =>
  new SignedHttpTransport(`http://127.0.0.1:${port}/slack/events`, SIGNING_SECRET);

/** Polls an async `check` until it answers a value, or throws after `timeoutMs` with `detail()`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  what: string,
  detail: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${detail()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
