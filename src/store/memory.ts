// In-memory Store: tests, and the fallback when the SQLite file cannot be opened.
// Values are copied in and out so callers cannot change stored records by accident.
import { PodbayError } from '../services/errors.ts';
import type {
  AuditEntry,
  PendingRequest,
  PendingStatus,
  TransitionChange,
  CreateIntent,
  KvRecord,
  StoredForm,
  PodOwnership,
  Store,
  StoredAuditEntry,
} from '../services/ports.ts';
import { AUDIT_DEFAULT_LIMIT, AUDIT_MAX_LIMIT } from './limits.ts';

const copy = <T>(v: T): T => structuredClone(v);

export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly owners = new Map<string, PodOwnership>();
  private readonly audit: StoredAuditEntry[] = [];
  private readonly pending = new Map<string, PendingRequest>();
  private readonly creates = new Map<string, CreateIntent>();
  private readonly forms = new Map<string, StoredForm>();
  private readonly kv = new Map<string, Map<string, { value: string; version: number }>>();
  private readonly leases = new Map<string, { holder: string; expiresMs: number }>();
  private seq = 0;

  async savePodOwnership(record: PodOwnership): Promise<void> {
    // Same rule as SQLite's UNIQUE(pod_id): a pod id belongs to one record.
    if (record.podId !== null) {
      for (const [name, r] of this.owners)
        if (r.podId === record.podId && name !== record.podName) this.owners.delete(name);
    }
    this.owners.set(record.podName, copy(record));
  }

  async podOwnershipById(podId: string): Promise<PodOwnership | null> {
    for (const r of this.owners.values()) if (r.podId === podId) return copy(r);
    return null;
  }

  async podOwnershipByName(podName: string): Promise<PodOwnership | null> {
    const r = this.owners.get(podName);
    return r ? copy(r) : null;
  }

  async listPodOwnerships(): Promise<PodOwnership[]> {
    return [...this.owners.values()].map(copy).sort((a, b) => a.podName.localeCompare(b.podName));
  }

  async appendAudit(entry: AuditEntry): Promise<StoredAuditEntry> {
    const stored = { ...copy(entry), seq: ++this.seq };
    this.audit.push(stored);
    return copy(stored);
  }

  async listAudit(
    opts: { limit?: number; userId?: string; since?: string } = {},
  ): Promise<StoredAuditEntry[]> {
    const limit = Math.min(Math.max(1, opts.limit ?? AUDIT_DEFAULT_LIMIT), AUDIT_MAX_LIMIT);
    const out: StoredAuditEntry[] = [];
    for (let i = this.audit.length - 1; i >= 0 && out.length < limit; i--) {
      const e = this.audit[i];
      if (!e) continue;
      if (opts.userId !== undefined && e.userId !== opts.userId) continue;
      if (opts.since !== undefined && e.at < opts.since) continue;
      out.push(copy(e));
    }
    return out;
  }

  async createPending(request: PendingRequest): Promise<void> {
    if (this.pending.has(request.id)) {
      throw new PodbayError('CONFLICT', `A request with id ${request.id} already exists.`);
    }
    this.pending.set(request.id, copy(request));
  }

  async getPending(id: string): Promise<PendingRequest | null> {
    const r = this.pending.get(id);
    return r ? copy(r) : null;
  }

  async listPending(opts: { status?: PendingStatus; userId?: string } = {}): Promise<PendingRequest[]> {
    return [...this.pending.values()]
      .map((r, i) => ({ r, i }))
      .filter(
        ({ r }) =>
          (opts.status === undefined || r.status === opts.status) &&
          (opts.userId === undefined || r.userId === opts.userId),
      )
      .sort((a, b) => (a.r.createdAt === b.r.createdAt ? b.i - a.i : a.r.createdAt < b.r.createdAt ? 1 : -1))
      .map(({ r }) => copy(r));
  }

  async transitionPending(
    id: string,
    from: PendingStatus,
    change: TransitionChange,
  ): Promise<PendingRequest | null> {
    const r = this.pending.get(id);
    if (!r || r.status !== from) return null;
    r.status = change.to;
    r.updatedAt = change.at;
    if (change.reason !== undefined) r.reason = change.reason;
    if (change.decidedBy !== undefined) r.decidedBy = change.decidedBy;
    if (change.payload !== undefined) r.payload = copy(change.payload);
    return copy(r);
  }

  async deletePodOwnership(podName: string): Promise<void> {
    this.owners.delete(podName);
  }

  async claimCreate(intent: CreateIntent): Promise<CreateIntent | null> {
    const had = this.creates.get(intent.key);
    if (had) return copy(had);
    this.creates.set(intent.key, copy(intent));
    return null;
  }

  async updateCreate(
    key: string,
    patch: Partial<Pick<CreateIntent, 'podName' | 'channel' | 'messageTs' | 'status'>>,
  ): Promise<void> {
    const c = this.creates.get(key);
    if (c) Object.assign(c, patch);
  }

  async listCreates(status: CreateIntent['status']): Promise<CreateIntent[]> {
    return [...this.creates.values()].filter((c) => c.status === status).map(copy);
  }

  async saveForm(form: StoredForm): Promise<void> {
    this.forms.set(form.viewId, copy(form));
  }

  async getForm(viewId: string): Promise<StoredForm | null> {
    const f = this.forms.get(viewId);
    return f ? copy(f) : null;
  }

  async deleteForm(viewId: string): Promise<void> {
    this.forms.delete(viewId);
  }

  private space(ns: string): Map<string, { value: string; version: number }> {
    let m = this.kv.get(ns);
    if (!m) {
      m = new Map();
      this.kv.set(ns, m);
    }
    return m;
  }

  async kvGet(ns: string, key: string): Promise<KvRecord | null> {
    const r = this.kv.get(ns)?.get(key);
    return r ? { key, value: JSON.parse(r.value), version: r.version } : null;
  }

  async kvList(ns: string): Promise<KvRecord[]> {
    const m = this.kv.get(ns);
    if (!m) return [];
    return [...m.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, r]) => ({ key, value: JSON.parse(r.value), version: r.version }));
  }

  async kvPut(ns: string, key: string, value: unknown, expected?: number | null): Promise<number | null> {
    const m = this.space(ns);
    const cur = m.get(key);
    if (expected === null && cur) return null;
    if (typeof expected === 'number' && cur?.version !== expected) return null;
    const version = (cur?.version ?? 0) + 1;
    m.set(key, { value: JSON.stringify(value), version });
    return version;
  }

  async kvPutMany(ns: string, entries: ReadonlyArray<{ key: string; value: unknown }>): Promise<void> {
    for (const e of entries) await this.kvPut(ns, e.key, e.value);
  }

  async kvDelete(ns: string, keys: readonly string[]): Promise<void> {
    const m = this.kv.get(ns);
    for (const k of keys) m?.delete(k);
  }

  async acquireLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean> {
    const cur = this.leases.get(name);
    if (cur && cur.holder !== holder && cur.expiresMs > nowMs) return false;
    this.leases.set(name, { holder, expiresMs: nowMs + ttlMs });
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }

  async close(): Promise<void> {}
}

export function createMemoryStore(): MemoryStore {
  return new MemoryStore();
}
