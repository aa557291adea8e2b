// How a use case asks the rules (access.ts) and hands gated actions to approvals: services hold a
// Guard and call these two functions, so no service decides access on its own.
import type { AccessControl, Action, Resource } from './access.ts';
import type { ApprovalKind, ApprovalRecord, ApprovalService, OpenRequest } from './approvals.ts';
import type { Requester } from './policy.ts';

export interface Guard {
  /** Absent: everything is allowed (tests of the use cases alone). */
  access?: AccessControl;
  /** Absent: gated actions are refused with the rule (no one could approve them). */
  approvals?: ApprovalService;
}

/** Where a request came from and what the requester said, carried into an approval request. */
export interface RequestContext {
  justification?: string | null;
  origin?: { channel: string | null; ts?: string };
  /** Set when an approver already said yes: the action runs without asking again. */
  approvedBy?: Requester;
}

export async function authorize(
  guard: Guard,
  requester: Requester,
  action: Action,
  resource: Resource = {},
  target = '',
): Promise<void> {
  await guard.access?.authorize(requester, action, resource, target);
}

/** The approval rule for a destructive action, or null when it may run now. */
export function approvalRule(
  guard: Guard,
  action: 'pod.terminate' | 'volume.delete' | 'endpoint.delete',
  ctx: RequestContext,
): string | null {
  if (ctx.approvedBy) return null;
  return guard.access?.approvalFor(action) ?? null;
}

/** Opens the approval request for a gated action. */
export async function askApproval(
  guard: Guard,
  input: Omit<OpenRequest, 'justification' | 'origin'> & { kind: ApprovalKind },
  ctx: RequestContext,
): Promise<ApprovalRecord | null> {
  if (!guard.approvals) return null;
  return guard.approvals.open({
    ...input,
    ...(ctx.justification !== undefined ? { justification: ctx.justification } : {}),
    ...(ctx.origin ? { origin: ctx.origin } : {}),
  });
}

/** The sentence a requester sees when a request was sent for approval. */
export function sentForApproval(req: ApprovalRecord | null, what: string, rule: string): string {
  if (!req) return `${what} needs approval (${rule}), and no approvals are set up here.`;
  const where = req.payload.message ? ` in <#${req.payload.message.channel}>` : '';
  return `Sent for approval${where}: ${what} (${rule}). You will hear back here and by DM.`;
}

export type GatedAction = 'pod.terminate' | 'volume.delete' | 'endpoint.delete';

/**
 * For a destructive action: when the policy gates it (and no approver said yes yet), opens the
 * request and returns the sentence for the requester; null when the action may run now.
 */
export async function requestIfGated(
  guard: Guard,
  kind: GatedAction,
  ctx: RequestContext,
  input: Omit<OpenRequest, 'kind' | 'justification' | 'origin' | 'rule' | 'quote'>,
  onceApproved: string,
): Promise<string | null> {
  const rule = approvalRule(guard, kind, ctx);
  if (!rule) return null;
  const opened = await askApproval(guard, { ...input, kind, quote: null, rule }, ctx);
  return sentForApproval(opened, onceApproved, rule);
}
