// Ports: what the use cases need from the outside world, shaped by those use cases.
// Adapters (runpod/, store/, handlers' notifier) implement them; tests use in-memory ones.
import type {
  Account,
  DataCenter,
  Endpoint,
  EndpointConfig,
  GpuOffer,
  NetworkVolume,
  Pod,
  PodSpec,
  ResumeOptions,
  Template,
} from './domain.ts';

export interface GpuOfferQuery {
  /** GPU count the lowest price and stock are asked for. */
  gpuCount: number;
  /** Only these GPU type ids (all when absent). */
  ids?: string[];
  secureCloud?: boolean;
  dataCenterId?: string;
}

/** Billed spend per resource per time bucket (RunPod's billing records; REST v2 only). */
export interface BillingHistory {
  pods: { podId: string; start: string; end: string; totalUsd: number; gpuUsd: number; diskUsd: number }[];
  volumes: { volumeId: string; start: string; end: string; totalUsd: number }[];
}

export interface BillingQuery {
  start: Date;
  end: Date;
  bucket: 'hour' | 'day';
}

/** One line of a pod's log, as RunPod streams it. Anything the container printed can be in it. */
export interface PodLogLine {
  ts: string;
  source: 'container' | 'system';
  line: string;
}

export interface RunpodApi {
  account(): Promise<Account>;

  listPods(): Promise<Pod[]>;
  /** null when no such pod (or it was terminated). */
  getPod(podId: string): Promise<Pod | null>;
  /**
   * Creates an on-demand or spot pod. Never retried blindly: an unknown outcome is reconciled
   * by looking the pod up by its unique name; throws OUTCOME_UNKNOWN when that is not possible.
   */
  createPod(spec: PodSpec): Promise<Pod>;
  stopPod(podId: string): Promise<void>;
  resumePod(podId: string, opts: ResumeOptions): Promise<void>;
  terminatePod(podId: string): Promise<void>;

  gpuOffers(query: GpuOfferQuery): Promise<GpuOffer[]>;
  dataCenters(opts?: { gpuCount?: number }): Promise<DataCenter[]>;

  listVolumes(): Promise<NetworkVolume[]>;
  createVolume(input: { name: string; sizeGb: number; dataCenterId: string }): Promise<NetworkVolume>;
  /** Rename and/or grow; RunPod volumes never shrink. */
  updateVolume(input: { id: string; name?: string; sizeGb?: number }): Promise<NetworkVolume>;
  deleteVolume(volumeId: string): Promise<void>;

  listEndpoints(): Promise<Endpoint[]>;
  createEndpoint(config: EndpointConfig): Promise<Endpoint>;
  /** Applies a partial change; the adapter re-sends the whole configuration (RunPod replaces it). */
  updateEndpoint(endpointId: string, change: Partial<EndpointConfig>): Promise<Endpoint>;
  deleteEndpoint(endpointId: string): Promise<void>;

  listTemplates(): Promise<Template[]>;

  // Only where the API in use has them (REST v2); callers fall back when absent or refused.
  /** Spend history from RunPod's billing records. */
  billingHistory?(query: BillingQuery): Promise<BillingHistory>;
  /** $/h of what runs now, from the API's own pod and volume costs (no balance needed). */
  spendRate?(): Promise<number>;
  /** The newest `lines` lines of a pod's log (backfill only; the stream is closed after it). */
  podLogs?(podId: string, opts: { lines: number }): Promise<PodLogLine[]>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// --- Store: podbay's own records (who owns which pod, what was done, requests waiting for a decision). ---
// Timestamps are ISO-8601 strings chosen by the caller (services take them from their Clock).

/** Who asked podbay for a pod. Pods made elsewhere have no record and show as unattributed. */
export interface PodOwnership {
  /** Unique pod name made by podbay; the key (a create whose outcome is unknown is matched by name). */
  podName: string;
  /** RunPod pod id; null while the create has not answered yet. */
  podId: string | null;
  /** Slack user id of the requester. */
  userId: string;
  /** Slack team (workspace) id; null from the CLI or console. */
  teamId: string | null;
  createdAt: string;
}

export type AuditOutcome = 'done' | 'noop' | 'needs-approval' | 'denied' | 'failed';

/** One thing a person did through podbay. `detail` is a user sentence; it never carries secret values. */
export interface AuditEntry {
  at: string;
  userId: string | null;
  teamId: string | null;
  /** e.g. "pod.create", "pod.stop", "volume.resize", "endpoint.delete". */
  action: string;
  /** Pod / volume / endpoint id or name the action was about. */
  target: string;
  outcome: AuditOutcome;
  detail: string;
  /**
   * Structured facts, never secret values: parameters (env names only), the quote, the approver,
   * the request id, RunPod ids, a link to the Slack message.
   */
  data?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  /** Increasing sequence number given by the store. */
  seq: number;
}

/**
 * pending → approved → executing → done | failed; pending → denied | expired | withdrawn.
 * "executing" marks a request whose action may have reached RunPod (reconciled after a crash).
 */
export type PendingStatus =
  | 'pending'
  | 'approved'
  | 'executing'
  | 'denied'
  | 'expired'
  | 'withdrawn'
  | 'done'
  | 'failed';

/** A request waiting for a decision (e.g. an expensive pod create that needs approval). */
export interface PendingRequest {
  id: string;
  /** e.g. "pod.create". */
  kind: string;
  userId: string;
  teamId: string | null;
  /** JSON-serializable body; stored as plain text on local disk, so keep secret values out of it. */
  payload: unknown;
  status: PendingStatus;
  /** Why it waits / why it was decided (user sentence). */
  reason: string | null;
  /** Slack user id of whoever decided; null while pending. */
  decidedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * One create as podbay received it, keyed so a second delivery of the same submission (a modal
 * submitted twice, a replayed /pod create) is recognised. Stored before RunPod is called.
 */
export interface CreateIntent {
  /** Idempotency key: the modal's view id, or the command's trigger and text. */
  key: string;
  userId: string;
  /** The unique pod name, once made. */
  podName: string | null;
  /** The progress message, when it was posted. */
  channel: string | null;
  messageTs: string | null;
  /** pending while RunPod may be creating it; then done (created or handed to approvers) or failed. */
  status: 'pending' | 'done' | 'failed';
  createdAt: string;
}

/** An open create form, as podbay opened it (the submission is checked against this, not the client). */
export interface StoredForm {
  viewId: string;
  userId: string;
  /** Where the outcome is posted (the channel the form was opened from). */
  channel: string;
  teamId: string | null;
  /** What the quote in the form was for; null until a price was shown. */
  quoted: { gpuTypeId: string; gpuCount: number; kind: 'on-demand' | 'spot' } | null;
  openedAt: string;
}

export interface TransitionChange {
  to: PendingStatus;
  at: string;
  reason?: string | null;
  decidedBy?: string | null;
  /** Replaces the payload in the same conditional update. */
  payload?: unknown;
}

export interface KvRecord {
  key: string;
  value: unknown;
  /** 1 on the first write, +1 on each. */
  version: number;
}

export interface Store {
  /** Inserts or replaces the ownership record for `podName` (also used to attach the pod id later). */
  savePodOwnership(record: PodOwnership): Promise<void>;
  /** The record for a pod id, or null. */
  podOwnershipById(podId: string): Promise<PodOwnership | null>;
  /** The record for a pod name, or null. */
  podOwnershipByName(podName: string): Promise<PodOwnership | null>;
  /** Every ownership record (a few thousand at most; callers join them with the live pod list). */
  listPodOwnerships(): Promise<PodOwnership[]>;

  appendAudit(entry: AuditEntry): Promise<StoredAuditEntry>;
  /** Newest first. */
  listAudit(opts?: { limit?: number; userId?: string; since?: string }): Promise<StoredAuditEntry[]>;

  /** Inserts a new pending request; CONFLICT when the id exists. */
  createPending(request: PendingRequest): Promise<void>;
  getPending(id: string): Promise<PendingRequest | null>;
  /** Newest first. */
  listPending(opts?: { status?: PendingStatus; userId?: string }): Promise<PendingRequest[]>;
  /**
   * Moves a request from `from` to `to` only if it is still in `from` (two approvers clicking at once:
   * exactly one wins). Returns the updated request, or null when it was not in `from` (or is unknown).
   */
  transitionPending(
    id: string,
    from: PendingStatus,
    change: TransitionChange,
  ): Promise<PendingRequest | null>;

  /** Removes the record for `podName` (a claim whose create never reached RunPod). */
  deletePodOwnership(podName: string): Promise<void>;

  /** Stores the intent unless its key exists; returns the one already there, or null when stored now. */
  claimCreate(intent: CreateIntent): Promise<CreateIntent | null>;
  updateCreate(
    key: string,
    patch: Partial<Pick<CreateIntent, 'podName' | 'channel' | 'messageTs' | 'status'>>,
  ): Promise<void>;
  /** Intents in a status (oldest first). */
  listCreates(status: CreateIntent['status']): Promise<CreateIntent[]>;

  saveForm(form: StoredForm): Promise<void>;
  getForm(viewId: string): Promise<StoredForm | null>;
  deleteForm(viewId: string): Promise<void>;

  /**
   * Small records the scheduler keeps (samples, alert episodes, lifetimes, the spend ledger), by
   * namespace and key. kvPut with `expected` writes only when the stored version is that number
   * (null: only when absent) and answers the new version, or null when someone else wrote first.
   */
  kvGet(ns: string, key: string): Promise<KvRecord | null>;
  kvList(ns: string): Promise<KvRecord[]>;
  kvPut(ns: string, key: string, value: unknown, expected?: number | null): Promise<number | null>;
  /** Many unconditional writes in one transaction (a scan's samples). */
  kvPutMany(ns: string, entries: ReadonlyArray<{ key: string; value: unknown }>): Promise<void>;
  kvDelete(ns: string, keys: readonly string[]): Promise<void>;
  /**
   * Takes or renews the named lease for `holder` until nowMs + ttlMs; true when this holder has it.
   * Another holder's lease is taken only once it has run out, so one process runs the jobs.
   */
  acquireLease(name: string, holder: string, nowMs: number, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;

  close(): Promise<void>;
}

/**
 * Seals values that must wait on disk but never be readable there (a pod's env values while its
 * create waits for approval). open() throws when the text was not sealed by this box.
 */
export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}
