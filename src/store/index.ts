// Picks the Store for the app: SQLite at config.dbPath, or memory when the file cannot be opened.
import { isPodbayError } from '../services/errors.ts';
import type { Clock, Store } from '../services/ports.ts';
import { MemoryStore } from './memory.ts';
import { SqliteStore } from './sqlite.ts';

export { MemoryStore, createMemoryStore } from './memory.ts';
export { SqliteStore, openSqliteStore } from './sqlite.ts';

export interface OpenedStore {
  store: Store;
  kind: 'sqlite' | 'memory';
  /** Set when SQLite failed and the memory store is used instead (records are lost on restart). */
  warning?: string;
}

/**
 * Opens SQLite at `dbPath` (':memory:' allowed). When that fails and `fallbackToMemory` is true
 * (the default), answers with the memory store and a warning to log; otherwise rethrows.
 */
export function openStore(opts: { dbPath: string; fallbackToMemory?: boolean; clock?: Clock }): OpenedStore {
  try {
    const store = new SqliteStore(
      opts.clock ? { path: opts.dbPath, clock: opts.clock } : { path: opts.dbPath },
    );
    return { store, kind: 'sqlite' };
  } catch (e) {
    if (opts.fallbackToMemory === false) throw e;
    const why = isPodbayError(e) ? e.toUserText() : e instanceof Error ? e.message : String(e);
    return {
      store: new MemoryStore(),
      kind: 'memory',
      warning: `Using an in-memory store; pod owners and the audit log will be lost on restart. ${why}`,
    };
  }
}
