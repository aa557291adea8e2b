// Typed access to alert episodes in the store. Every change is a compare-and-set on the record's
// version, so a scan and a button click (or two podbay processes) never overwrite each other.
import { ALERT_NS, ALERT_RETENTION_MS, type Alert, type StoredAlert } from './alert-model.ts';
import { PodbayError } from './errors.ts';
import type { Store } from './ports.ts';

export class AlertStore {
  constructor(private readonly store: Store) {}

  async list(): Promise<StoredAlert[]> {
    return (await this.store.kvList(ALERT_NS)).map((r) => ({ alert: r.value as Alert, version: r.version }));
  }

  async get(key: string): Promise<StoredAlert | null> {
    const r = await this.store.kvGet(ALERT_NS, key);
    return r ? { alert: r.value as Alert, version: r.version } : null;
  }

  /** Writes a new episode; false when one with this key exists already. */
  async create(alert: Alert): Promise<boolean> {
    return (await this.store.kvPut(ALERT_NS, alert.key, alert, null)) !== null;
  }

  /** Writes `next` over the version read; false when someone else wrote in between. */
  async replace(prev: StoredAlert, next: Alert): Promise<boolean> {
    return (await this.store.kvPut(ALERT_NS, next.key, next, prev.version)) !== null;
  }

  /**
   * Reads, changes and writes one alert, again on a conflict. `change` answers null to leave it.
   * Answers the written alert, or null when there is no such alert or nothing changed.
   */
  async update(key: string, change: (a: Alert) => Alert | null): Promise<Alert | null> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const cur = await this.get(key);
      if (!cur) return null;
      const next = change(cur.alert);
      if (!next) return null;
      if (await this.replace(cur, next)) return next;
    }
    throw new PodbayError('CONFLICT', 'The alert kept changing while podbay updated it; try again.');
  }

  /** Removes closed, delivered episodes older than the retention. */
  async prune(all: readonly StoredAlert[], nowMs: number): Promise<number> {
    const old = all
      .filter(
        ({ alert: a }) => !a.open && a.delivered >= a.revision && nowMs - a.updatedAtMs > ALERT_RETENTION_MS,
      )
      .map(({ alert: a }) => a.key);
    if (old.length) await this.store.kvDelete(ALERT_NS, old);
    return old.length;
  }
}
