// The seam where approvals plug in: every pod create asks a PolicyGate first.
// The default lets everything through; the approvals feature supplies a real gate.
import type { CloudType, PodKind } from './domain.ts';
import type { PodQuote } from './quote.ts';

/** Who asked podbay to do something. */
export interface Requester {
  /** Slack user id (or "cli:<os user>" from the CLI). */
  userId: string;
  /** Slack team id; null from the CLI or console. */
  teamId: string | null;
  /** Slack handle / display name, used in pod names; the user id is used when absent. */
  handle?: string;
}

/** What the gate sees about a pod create. Env values are never included (only their names). */
export interface PodCreatePolicySubject {
  name: string;
  gpuTypeIds: string[];
  gpuCount: number;
  kind: Exclude<PodKind, 'other'>;
  bidPerGpu: number | null;
  cloudType: CloudType | null;
  dataCenterId: string | null;
  imageName: string | null;
  templateId: string | null;
  networkVolumeId: string | null;
  envKeys: string[];
}

export interface PolicyRequest {
  action: 'pod.create';
  requester: Requester;
  subject: PodCreatePolicySubject;
  /** Price and runway for this pod; null when it could not be worked out. */
  quote: PodQuote | null;
}

export type PolicyDecision =
  | { decision: 'allow' }
  | { decision: 'needs-approval'; reason: string }
  | { decision: 'deny'; reason: string };

export interface PolicyGate {
  check(request: PolicyRequest): Promise<PolicyDecision>;
}

/** The default gate: everything is allowed. */
export const allowAll: PolicyGate = {
  check: async () => ({ decision: 'allow' }),
};
