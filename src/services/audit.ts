// The audit log: what people did through podbay. Entries never carry secret values.
import type { Requester } from './policy.ts';
import { type AuditOutcome, type Clock, type Store, type StoredAuditEntry, systemClock } from './ports.ts';

export interface AuditInput {
  requester: Requester | null;
  action: string;
  target: string;
  outcome: AuditOutcome;
  detail: string;
  data?: Record<string, unknown>;
}

/** Added to what the person is told when the action happened but its audit entry was not written. */
export const AUDIT_NOT_WRITTEN =
  '(podbay could not write this to its audit log: its database refused the write. The action itself happened.)';

/**
 * Writes one entry. The action it records has already happened, so a failing store must not turn
 * it into an error for the person: it answers false instead, for the caller to say so. The failure
 * itself is logged, with the action and target, by the store podbay runs on (logStoreFailures).
 */
export async function recordAudit(
  store: Store | undefined,
  clock: Clock,
  entry: AuditInput,
): Promise<boolean> {
  if (!store) return false;
  try {
    await store.appendAudit({
      at: clock.now().toISOString(),
      userId: entry.requester?.userId ?? null,
      teamId: entry.requester?.teamId ?? null,
      action: entry.action,
      target: entry.target,
      outcome: entry.outcome,
      detail: entry.detail,
      ...(entry.data ? { data: entry.data } : {}),
    });
    return true;
  } catch {
    return false;
  }
}

export class AuditService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Newest first; `limit` default 20, at most 200. */
  async recent(opts: { limit?: number; userId?: string } = {}): Promise<StoredAuditEntry[]> {
    const limit = Math.min(Math.max(1, opts.limit ?? 20), 200);
    return this.store.listAudit(opts.userId === undefined ? { limit } : { limit, userId: opts.userId });
  }

  /** Entries of the last `ms` milliseconds (by this service's clock), newest first, at most `limit`. */
  async within(ms: number, limit?: number): Promise<StoredAuditEntry[]> {
    return this.since(new Date(this.clock.now().getTime() - ms).toISOString(), limit);
  }

  /** Entries at or after `sinceIso`, newest first, at most `limit`. */
  async since(sinceIso: string, limit = 100_000): Promise<StoredAuditEntry[]> {
    return this.store.listAudit({ since: sinceIso, limit });
  }
}
