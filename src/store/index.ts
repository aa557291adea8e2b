// Picks the Store for the app: Postgres when DATABASE_URL is set (openPostgresStore, shared by replicas),
// otherwise SQLite at config.dbPath (':memory:' only when asked for). A file that
// cannot be opened stops start-up with its path and the reason: falling back to memory would lose
// pod owners and the audit log at the next restart without anyone noticing.
import { resolve } from 'node:path';
import type { Clock, Store } from '../services/ports.ts';
import { openPostgresStore } from './postgres.ts';
import { SqliteStore } from './sqlite.ts';

export { MemoryStore, createMemoryStore } from './memory.ts';
export { SqliteStore, openSqliteStore } from './sqlite.ts';
export { PostgresStore, openPostgresStore, type PostgresStoreOptions } from './postgres.ts';

export interface OpenedStore {
  store: Store;
}

/** Opens SQLite at `dbPath` (':memory:' allowed); throws a PodbayError naming the file when it cannot. */
export function openStore(opts: { dbPath: string; clock?: Clock }): OpenedStore {
  const store = new SqliteStore(
    opts.clock ? { path: opts.dbPath, clock: opts.clock } : { path: opts.dbPath },
  );
  return { store };
}

/**
 * The store the settings name: Postgres at `databaseUrl` when set, else SQLite at `dbPath` (a path
 * relative to `cwd`, or ':memory:'). Start-up and the CLI open it the same way.
 */
export async function openConfiguredStore(opts: {
  databaseUrl: string | undefined;
  dbPath: string;
  cwd: string;
  clock?: Clock;
  onIdleError?: (err: Error) => void;
}): Promise<Store> {
  const clock = opts.clock ? { clock: opts.clock } : {};
  if (opts.databaseUrl)
    return openPostgresStore(opts.databaseUrl, {
      ...clock,
      ...(opts.onIdleError ? { onIdleError: opts.onIdleError } : {}),
    });
  const dbPath = opts.dbPath === ':memory:' ? ':memory:' : resolve(opts.cwd, opts.dbPath);
  return openStore({ dbPath, ...clock }).store;
}

/** Where failed writes are reported (pino's logger fits). */
export interface StoreFailureLog {
  error(obj: Record<string, unknown>, msg: string): void;
}

/** What a failed call was about, for the methods whose arguments say it without secret values. */
const CONTEXT: Record<string, (args: unknown[]) => Record<string, unknown>> = {
  savePodOwnership: ([r]) => pick(r, ['podName', 'podId']),
  appendAudit: ([e]) => pick(e, ['action', 'target', 'outcome']),
  createPending: ([r]) => ({ ...pick(r, ['kind']), requestId: (r as { id?: unknown })?.id }),
  transitionPending: ([id, from, change]) => ({ requestId: id, from, to: (change as { to?: unknown })?.to }),
};

/**
 * The store, with every failed call logged with what it was about. Some callers deliberately carry
 * on after a failed write (the pod exists, the action happened): without this the failure is silent.
 * The error still reaches the caller. A proxy, so methods the port gains later are covered too.
 */
export function logStoreFailures<S extends Store>(store: S, log: StoreFailureLog): S {
  const report = (op: string, args: unknown[], e: unknown) => {
    log.error({ op, ...CONTEXT[op]?.(args), err: errorFacts(e) }, `podbay's database refused ${op}`);
  };
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'close') return value;
      return (...args: unknown[]) => {
        try {
          const out: unknown = value.apply(target, args);
          if (out instanceof Promise)
            return out.catch((e: unknown) => {
              report(prop, args, e);
              throw e;
            });
          return out;
        } catch (e) {
          report(prop, args, e);
          throw e;
        }
      };
    },
  });
}

function pick(o: unknown, keys: string[]): Record<string, unknown> {
  const src = (typeof o === 'object' && o !== null ? o : {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, src[k]]));
}

/** Name, code and message only: never the record that was being written. */
function errorFacts(e: unknown): { name: string; code?: string; message: string } {
  if (!(e instanceof Error)) return { name: 'non-error', message: String(e) };
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string'
    ? { name: e.name, code, message: e.message }
    : { name: e.name, message: e.message };
}
