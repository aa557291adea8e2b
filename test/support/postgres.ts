// The test Postgres: PODBAY_TEST_DATABASE_URL (`.ci/run` sets it). Unset, the Postgres cases are
// skipped (global-setup says so once); set, an unreachable server fails them. Each store a test opens
// lives in a fresh schema of its own (t_<random>), dropped when the store closes, so runs, files and
// tests never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  openPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from '../../src/store/postgres.ts';

export const TEST_DATABASE_URL: string | undefined =
  process.env.PODBAY_TEST_DATABASE_URL?.trim() || undefined;

export const POSTGRES_SKIP_NOTE =
  'PODBAY_TEST_DATABASE_URL is not set: the Postgres store tests are skipped (set it to a postgres:// URL to run them).';

/** The URL, for tests that run only when it is set. */
export function testDatabaseUrl(): string {
  if (!TEST_DATABASE_URL) throw new Error(POSTGRES_SKIP_NOTE);
  return TEST_DATABASE_URL;
}

export const newSchemaName = (): string => `t_${randomBytes(6).toString('hex')}`;

/** Runs `sql` on a connection of its own (outside any store), e.g. to look at what a store wrote. */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<R>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  if (!/^t_[0-9a-f]+$/.test(schema)) throw new Error(`not a test schema: ${schema}`);
  await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
}

/** A store in `schema` (default: a fresh one) whose close() also drops the schema when it made it. */
export async function openTestPostgresStore(
  opts: Omit<PostgresStoreOptions, 'schema'> & { schema?: string; dropOnClose?: boolean } = {},
): Promise<PostgresStore> {
  const { dropOnClose, ...rest } = opts;
  const schema = rest.schema ?? newSchemaName();
  let store: PostgresStore;
  try {
    store = await openPostgresStore(testDatabaseUrl(), {
      connectTimeoutMs: 5000,
      maxConnections: 4,
      ...rest,
      schema,
    });
  } catch (e) {
    if (rest.schema === undefined) await dropSchema(schema).catch(() => {});
    throw e;
  }
  if (dropOnClose ?? rest.schema === undefined) {
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      await dropSchema(schema);
    };
  }
  return store;
}
