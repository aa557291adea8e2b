// Table rows as both SQL adapters read them, and their mapping to the port's records. Columns that
// hold JSON come back as text from SQLite and already parsed from Postgres: each adapter passes
// its `json` reader, so the mapping itself is written once.
import type {
  AuditOutcome,
  CreateIntent,
  PendingRequest,
  PendingStatus,
  PodOwnership,
  StoredAuditEntry,
  StoredForm,
} from '../services/ports.ts';

/** How an adapter turns a JSON column's value into data (JSON.parse for SQLite text). */
export type JsonReader<J> = (value: J) => unknown;

export interface OwnershipRow {
  pod_name: string;
  pod_id: string | null;
  user_id: string;
  team_id: string | null;
  created_at: string;
}

export interface AuditRow<J> {
  /** A number from SQLite, a string from Postgres's BIGSERIAL. */
  seq: number | string;
  at: string;
  user_id: string | null;
  team_id: string | null;
  action: string;
  target: string;
  outcome: string;
  detail: string;
  data: J | null;
}

export interface PendingRow<J> {
  id: string;
  kind: string;
  user_id: string;
  team_id: string | null;
  payload: J;
  status: string;
  reason: string | null;
  decided_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface IntentRow {
  key: string;
  user_id: string;
  pod_name: string | null;
  channel: string | null;
  message_ts: string | null;
  status: string;
  created_at: string;
}

export interface FormRow<J> {
  view_id: string;
  user_id: string;
  channel: string;
  team_id: string | null;
  quoted: J | null;
  opened_at: string;
}

export const toOwnership = (r: OwnershipRow): PodOwnership => ({
  podName: r.pod_name,
  podId: r.pod_id,
  userId: r.user_id,
  teamId: r.team_id,
  createdAt: r.created_at,
});

export const toAudit = <J>(r: AuditRow<J>, json: JsonReader<J>): StoredAuditEntry => ({
  seq: Number(r.seq),
  at: r.at,
  userId: r.user_id,
  teamId: r.team_id,
  action: r.action,
  target: r.target,
  outcome: r.outcome as AuditOutcome,
  detail: r.detail,
  ...(r.data ? { data: json(r.data) as Record<string, unknown> } : {}),
});

export const toPending = <J>(r: PendingRow<J>, json: JsonReader<J>): PendingRequest => ({
  id: r.id,
  kind: r.kind,
  userId: r.user_id,
  teamId: r.team_id,
  payload: json(r.payload),
  status: r.status as PendingStatus,
  reason: r.reason,
  decidedBy: r.decided_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toIntent = (r: IntentRow): CreateIntent => ({
  key: r.key,
  userId: r.user_id,
  podName: r.pod_name,
  channel: r.channel,
  messageTs: r.message_ts,
  status: r.status as CreateIntent['status'],
  createdAt: r.created_at,
});

export const toForm = <J>(r: FormRow<J>, json: JsonReader<J>): StoredForm => ({
  viewId: r.view_id,
  userId: r.user_id,
  channel: r.channel,
  teamId: r.team_id,
  quoted: r.quoted ? (json(r.quoted) as StoredForm['quoted']) : null,
  openedAt: r.opened_at,
});
