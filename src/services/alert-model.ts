// What an alert is, as the store keeps it and views render it: one record per episode (an idle
// stretch, a budget crossing, a spot interruption), updated in place as the episode goes on, with
// the Slack messages it was posted as. Keys are made from the episode's own facts, so a scan run
// again after a crash finds the alert it already wrote instead of making a second one.
import type { PodKind } from './domain.ts';

export const ALERT_NS = 'alert';
/** Pods a person kept running (no idle alert until then): key pod id, value { untilMs, by }. */
export const EXEMPT_NS = 'alert-exempt';

export type AlertKind = 'idle' | 'stopped' | 'spot' | 'lifetime' | 'budget' | 'runway';

export interface MessageRef {
  channel: string;
  ts: string;
}

export interface AlertPod {
  id: string;
  name: string;
  /** "2× RTX A6000". */
  gpus: string;
  gpuCount: number;
  costPerHr: number;
  owner: string | null;
  kind: PodKind;
  networkVolumeId: string | null;
  volumeInGb: number | null;
}

export interface AlertNote {
  atMs: number;
  text: string;
}

export interface IdleFacts {
  idleSinceMs: number;
  /** Money spent while idle so far (this episode). */
  idleUsd: number;
  utilBelowPercent: number;
  forMs: number;
}

export interface StoppedFacts {
  stoppedSinceMs: number;
  /** What the pod's volume disk costs per month while it stays stopped. */
  volumeUsdPerMonth: number;
}

export interface SpotFacts {
  interruptedAtMs: number;
  /** Current minimum spot bid per GPU for this GPU type; null when RunPod did not say. */
  minBidPerGpu: number | null;
  /** On-demand price of the same GPUs per hour (all GPUs); null when not offered. */
  onDemandPerHr: number | null;
  gpuTypeId: string | null;
  imageName: string | null;
}

export interface LifetimeFacts {
  stopAtMs: number;
}

export interface BudgetFacts {
  period: 'daily' | 'monthly';
  /** "2026-12-03" or "2026-12". */
  periodKey: string;
  spentUsd: number;
  projectedUsd: number;
  budgetUsd: number;
  burnPerHr: number;
  reachedAtMs: number | null;
}

export interface RunwayFacts {
  balanceUsd: number;
  burnPerHr: number;
  hours: number | null;
  runsOutAtMs: number | null;
  thresholdMs: number;
  /** Pods without a network volume: RunPod terminates them at a zero balance, and their data is lost. */
  atRisk: Array<{ id: string; name: string; owner: string | null }>;
}

interface AlertBase {
  key: string;
  /** Pod id, or the budget period / "account". */
  subject: string;
  open: boolean;
  openedAtMs: number;
  updatedAtMs: number;
  /** Where the episode stands, e.g. warning, last-warning, stopped, busy, kept, snoozed. */
  stage: string;
  pod: AlertPod | null;
  notes: AlertNote[];
  snoozedUntilMs: number | null;
  /** When podbay stops the pod by itself (the policy's auto_stop_after, or a lifetime). */
  autoStopAtMs: number | null;
  /** The alerts channel, and the owner to DM (null: no DM). */
  channel: string;
  dmTo: string | null;
  messages: { channel: MessageRef | null; dm: MessageRef | null };
  /** A post that began and whose answer was not recorded yet (ms); looked for before posting again. */
  postingSinceMs: { channel: number | null; dm: number | null };
  /** +1 on every change people should see; the message shows `delivered`. */
  revision: number;
  delivered: number;
}

export type Alert =
  | (AlertBase & { kind: 'idle'; facts: IdleFacts })
  | (AlertBase & { kind: 'stopped'; facts: StoppedFacts })
  | (AlertBase & { kind: 'spot'; facts: SpotFacts })
  | (AlertBase & { kind: 'lifetime'; facts: LifetimeFacts })
  | (AlertBase & { kind: 'budget'; facts: BudgetFacts })
  | (AlertBase & { kind: 'runway'; facts: RunwayFacts });

/** A stored alert with the version its next write must match. */
export interface StoredAlert {
  alert: Alert;
  version: number;
}

/** How long closed alerts stay in the store (buttons on old messages still find them). */
export const ALERT_RETENTION_MS = 8 * 86_400_000;

/** The alert, with a note appended and the revision moved on (a change people should see). */
export function noted(a: Alert, atMs: number, text: string, patch: Partial<AlertBase> = {}): Alert {
  const notes = [...a.notes, { atMs, text }].slice(-8);
  return { ...a, ...patch, notes, updatedAtMs: atMs, revision: a.revision + 1 } as Alert;
}
