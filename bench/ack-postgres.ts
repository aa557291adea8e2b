// Postgres for bench/ack: whether podbay can be run on it, and a fresh, empty database per run.
// Runs only when PODBAY_BENCH_DATABASE_URL is set and podbay's config takes DATABASE_URL; each podbay
// run gets its own database (CREATE DATABASE podbay_bench_<pid>_<n>), dropped afterwards, so no run
// sees another's rows and nothing is left behind. Where CREATE DATABASE is not allowed, a fresh schema
// (search_path through the URL's `options`) is used instead and dropped with CASCADE.
import { loadConfig } from '../src/config.ts';

export interface BenchDatabase {
  /** The URL podbay gets as DATABASE_URL. */
  url: string;
  /** Tables podbay created there (proof that it used Postgres). */
  tables(): Promise<number>;
  drop(): Promise<void>;
}

type PgClient = {
  connect(): Promise<void>;
  query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
};
type PgModule = { default: { Client: new (o: { connectionString: string }) => PgClient } };

/** Why Postgres cannot be benchmarked here, or null when it can. */
export async function postgresUnavailable(baseUrl: string | undefined): Promise<string | null> {
  if (!baseUrl) return 'PODBAY_BENCH_DATABASE_URL is not set';
  const env = { SLACK_BOT_TOKEN: 'xoxb-check', SLACK_SIGNING_SECRET: 'check-secret', DATABASE_URL: baseUrl };
  try {
    const config = loadConfig(env, '/nonexistent');
    if (!JSON.stringify({ ...config, secrets: [] }).includes(baseUrl))
      return "podbay's config does not take DATABASE_URL yet (src/config.ts ignores it)";
  } catch (e) {
    return `podbay's config refuses DATABASE_URL: ${(e as Error).message
      .split('\n')
      .slice(1)
      .join(' ')
      .replace(/^\s*- /, '')
      .trim()}`;
  }
  try {
    await import('pg');
  } catch {
    return 'the pg package is not installed';
  }
  try {
    const c = await client(baseUrl);
    await c.query('select 1');
    await c.end();
  } catch (e) {
    return `PODBAY_BENCH_DATABASE_URL is not reachable (${(e as Error).message})`;
  }
  return null;
}

async function client(url: string): Promise<PgClient> {
  const pg = (await import('pg')) as unknown as PgModule;
  const c = new pg.default.Client({ connectionString: url });
  await c.connect();
  return c;
}

let made = 0;

export async function freshDatabase(baseUrl: string): Promise<BenchDatabase> {
  const name = `podbay_bench_${process.pid}_${++made}`;
  const admin = await client(baseUrl);
  try {
    await admin.query(`create database ${name}`);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    const countIn = async () => {
      const c = await client(url.toString());
      try {
        const r = await c.query(
          `select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog','information_schema')`,
        );
        return Number(r.rows[0]?.n ?? 0);
      } finally {
        await c.end();
      }
    };
    return {
      url: url.toString(),
      tables: countIn,
      drop: async () => {
        const c = await client(baseUrl);
        try {
          await c.query(`drop database if exists ${name} with (force)`);
        } finally {
          await c.end();
        }
      },
    };
  } catch (e) {
    if (!/permission denied/i.test((e as Error).message)) throw e;
    // No CREATE DATABASE: a schema of our own, first on podbay's search_path.
    await admin.query(`create schema ${name}`);
    const url = new URL(baseUrl);
    url.searchParams.set('options', `-c search_path=${name}`);
    return {
      url: url.toString(),
      tables: async () => {
        const c = await client(baseUrl);
        try {
          const r = await c.query(
            'select count(*)::int as n from information_schema.tables where table_schema = $1',
            [name],
          );
          return Number(r.rows[0]?.n ?? 0);
        } finally {
          await c.end();
        }
      },
      drop: async () => {
        const c = await client(baseUrl);
        try {
          await c.query(`drop schema if exists ${name} cascade`);
        } finally {
          await c.end();
        }
      },
    };
  } finally {
    await admin.end();
  }
}
