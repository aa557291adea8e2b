// Four-eyes approvals, one flow for every gated action: request → decision → execution.
// A request holds the exact parameters and quote; its id is all a button carries. Every decision
// is one conditional update in the store, so double clicks, two approvers at once, replays and
// forged values change nothing. The action runs once: "executing" is recorded before RunPod is
// called, and a request caught there by a crash is reconciled at start, never run twice.
import { recordAudit } from './audit.ts';
import type { AccessControl } from './access.ts';
import { PodbayError } from './errors.ts';
import { randomIds } from './ids.ts';
import type { Requester } from './policy.ts';
import { dollars, percent } from './policy-units.ts';
import type { Clock, PendingRequest, PendingStatus, SecretBox, Store } from './ports.ts';
import type { PodQuote } from './quote.ts';

/** A Slack message: where a request is posted, or where a button was clicked. */
export interface MessageRef {
  channel: string;
  ts: string;
}

export const APPROVAL_KINDS = ['pod.create', 'pod.terminate', 'volume.delete', 'endpoint.delete'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

const ID = /^apr_[a-z0-9]{20}$/;

/** What a request stores (no secret values: those are sealed in `sealed`). */
export interface ApprovalPayload {
  /** RunPod id or the unique name the action is about. */
  target: string;
  /** For people: "pod alice-llama-x1y2", "volume models". */
  targetName: string;
  /** What will happen, one line. */
  summary: string;
  /** Kind-specific parameters for the executor. */
  params: Record<string, unknown>;
  /** Sealed secret parameters (pod env values), or null. */
  sealed: string | null;
  quote: PodQuote | null;
  /** Why approval is needed (the policy rule). */
  rule: string;
  justification: string | null;
  /** Where the requester asked, and the message that said "sent for approval" (updated on the outcome). */
  origin: { channel: string | null; ts?: string };
  /** The request's message in the approvals channel, once posted. */
  message: { channel: string; ts: string } | null;
  expiresAt: string;
  /** What happened in the end (user sentence). */
  result: string | null;
  /** RunPod id the execution produced or acted on. */
  runpodId: string | null;
  /** The request this one replaced after a re-quote. */
  supersedes: string | null;
}

export type ApprovalRecord = Omit<PendingRequest, 'payload' | 'kind'> & {
  kind: ApprovalKind;
  payload: ApprovalPayload;
};

export interface ExecOutcome {
  message: string;
  runpodId: string | null;
}

export interface ApprovalExecutor {
  /** Runs the approved action; `secrets` are the unsealed secret parameters. */
  execute(req: ApprovalRecord, secrets: unknown, approver: Requester): Promise<ExecOutcome>;
  /** After a crash during execution: what happened, or null when it did not happen. */
  reconcile(req: ApprovalRecord): Promise<ExecOutcome | null>;
  /** A fresh quote before a create runs (null when there is no price to compare). */
  requote?(req: ApprovalRecord): Promise<PodQuote | null>;
}

export type ApprovalEvent =
  | { kind: 'approved'; by: string }
  | { kind: 'executed'; by: string }
  | { kind: 'failed'; by: string | null }
  | { kind: 'denied'; by: string; reason: string }
  | { kind: 'expired' }
  | { kind: 'withdrawn' }
  | { kind: 'requoted'; next: ApprovalRecord };

/** Slack side: posts and updates request messages and tells the requester (handlers implement it). */
export interface ApprovalNotifier {
  posted(req: ApprovalRecord): Promise<{ channel: string; ts: string } | null>;
  changed(req: ApprovalRecord, event: ApprovalEvent): Promise<void>;
}

export const nullNotifier: ApprovalNotifier = { posted: async () => null, changed: async () => {} };

export interface OpenRequest {
  kind: ApprovalKind;
  requester: Requester;
  target: string;
  targetName: string;
  summary: string;
  params: Record<string, unknown>;
  secrets?: unknown;
  quote: PodQuote | null;
  rule: string;
  justification?: string | null;
  origin?: { channel: string | null; ts?: string };
  supersedes?: string;
}

export type DecisionResult =
  | {
      outcome: 'done' | 'failed' | 'denied' | 'withdrawn' | 'requoted' | 'expired';
      message: string;
      request: ApprovalRecord;
    }
  | { outcome: 'refused'; message: string };

export interface ApprovalServiceDeps {
  store: Store;
  clock: Clock;
  access: AccessControl;
  secrets: SecretBox;
  notifier?: ApprovalNotifier;
  /** Default: crypto-random. */
  newId?: () => string;
}

/** A one-time request id: "apr_" and 20 random characters. */
export function newApprovalId(): string {
  return `apr_${randomIds.suffix(20)}`;
}

const MAX_REASON = 500;
/** An execution whose outcome was unknown is looked at again after this long. */
const STALE_EXECUTING_MS = 2 * 60_000;

export class ApprovalService {
  private readonly executors = new Map<ApprovalKind, ApprovalExecutor>();
  private notifier: ApprovalNotifier;

  constructor(private readonly deps: ApprovalServiceDeps) {
    this.notifier = deps.notifier ?? nullNotifier;
  }

  get policy() {
    return this.deps.access.policy;
  }

  /** The Slack side is made after the services; main binds it here. */
  setNotifier(n: ApprovalNotifier): void {
    this.notifier = n;
  }

  register(kind: ApprovalKind, executor: ApprovalExecutor): void {
    this.executors.set(kind, executor);
  }

  /** Records a request, posts it for approvers and audits it. */
  async open(input: OpenRequest): Promise<ApprovalRecord> {
    const p = this.policy.approvals;
    const justification = input.justification?.trim().slice(0, MAX_REASON) || null;
    if (p.requireReason && !justification) {
      throw new PodbayError('INVALID_REQUEST', 'This request needs a reason for the approvers.', {
        hint: 'Say why you need it (the policy sets approvals.require_reason).',
      });
    }
    const now = this.deps.clock.now();
    const payload: ApprovalPayload = {
      target: input.target,
      targetName: input.targetName,
      summary: input.summary,
      params: input.params,
      sealed: input.secrets === undefined ? null : this.deps.secrets.seal(JSON.stringify(input.secrets)),
      quote: input.quote,
      rule: input.rule,
      justification,
      origin: input.origin ?? { channel: null },
      message: null,
      expiresAt: new Date(now.getTime() + p.ttlMs).toISOString(),
      result: null,
      runpodId: null,
      supersedes: input.supersedes ?? null,
    };
    const record: ApprovalRecord = {
      id: (this.deps.newId ?? newApprovalId)(),
      kind: input.kind,
      userId: input.requester.userId,
      teamId: input.requester.teamId,
      payload,
      status: 'pending',
      reason: input.rule,
      decidedBy: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    await this.deps.store.createPending(record);
    await this.audit(
      input.requester,
      record,
      'needs-approval',
      `Asked for approval: ${input.summary} (${input.rule}).`,
    );
    return this.post(record);
  }

  /** A request as stored, or null (also for anything that is not a request id). */
  async get(id: string): Promise<ApprovalRecord | null> {
    if (!ID.test(id)) return null;
    const r = await this.deps.store.getPending(id);
    return r && isApproval(r) ? r : null;
  }

  /** Pending requests, newest first (optionally one requester's). */
  async pending(userId?: string): Promise<ApprovalRecord[]> {
    const rows = await this.deps.store.listPending(
      userId === undefined ? { status: 'pending' } : { status: 'pending', userId },
    );
    return rows.filter(isApproval);
  }

  /** `clickedOn`: the message the button was on; it must be the request's own message. */
  async approve(id: string, approver: Requester, clickedOn?: MessageRef): Promise<DecisionResult> {
    const checked = await this.checkDecider(id, approver, 'approval.approve', clickedOn);
    if ('refused' in checked) return checked.refused;
    const won = await this.transition(checked.req, 'pending', { to: 'approved', decidedBy: approver.userId });
    if (!won) return this.lost(id, approver, 'approval.approve');
    await this.audit(approver, won, 'done', `Approved ${won.payload.summary} for <@${won.userId}>.`);
    await this.notifier.changed(won, { kind: 'approved', by: approver.userId });
    return this.run(won, approver);
  }

  async deny(
    id: string,
    approver: Requester,
    reason: string,
    clickedOn?: MessageRef,
  ): Promise<DecisionResult> {
    const why = reason.trim().slice(0, MAX_REASON);
    if (!why) return { outcome: 'refused', message: 'Say why you deny it: the requester will read it.' };
    const checked = await this.checkDecider(id, approver, 'approval.deny', clickedOn);
    if ('refused' in checked) return checked.refused;
    const won = await this.transition(checked.req, 'pending', {
      to: 'denied',
      decidedBy: approver.userId,
      reason: why,
    });
    if (!won) return this.lost(id, approver, 'approval.deny');
    await this.audit(approver, won, 'denied', `Denied ${won.payload.summary} for <@${won.userId}>: ${why}`);
    await this.notifier.changed(won, { kind: 'denied', by: approver.userId, reason: why });
    return { outcome: 'denied', message: `You denied ${won.payload.summary}.`, request: won };
  }

  /** Why this person may not decide this request now (refused and audited), or null when they may. */
  async refusal(
    id: string,
    decider: Requester,
    action: string,
    clickedOn?: MessageRef,
  ): Promise<DecisionResult | null> {
    const checked = await this.checkDecider(id, decider, action, clickedOn);
    return 'refused' in checked ? checked.refused : null;
  }

  async withdraw(id: string, requester: Requester): Promise<DecisionResult> {
    const req = await this.get(id);
    if (!req || req.userId !== requester.userId) {
      await this.refusedAudit(
        requester,
        id,
        'approval.withdraw',
        req ? 'not the requester' : 'no such request',
      );
      return { outcome: 'refused', message: 'Only the person who asked can withdraw a request.' };
    }
    const won = await this.transition(req, 'pending', { to: 'withdrawn', decidedBy: requester.userId });
    if (!won)
      return {
        outcome: 'refused',
        message: `That request is ${await this.statusWords(id)}; nothing to withdraw.`,
      };
    await this.audit(requester, won, 'noop', `Withdrew the request for ${won.payload.summary}.`);
    await this.notifier.changed(won, { kind: 'withdrawn' });
    return { outcome: 'withdrawn', message: `Withdrawn: ${won.payload.summary}.`, request: won };
  }

  /**
   * Marks every pending request past its TTL as expired (and says so), and looks again at requests
   * left executing by an unknown outcome for a while. Returns how many expired.
   */
  async expireDue(): Promise<number> {
    const now = this.deps.clock.now();
    const iso = now.toISOString();
    let n = 0;
    for (const req of await this.pending()) {
      if (req.payload.expiresAt > iso) continue;
      if (await this.expire(req)) n++;
    }
    const stale = new Date(now.getTime() - STALE_EXECUTING_MS).toISOString();
    for (const row of await this.deps.store.listPending({ status: 'executing' })) {
      if (!isApproval(row) || row.updatedAt > stale) continue;
      await this.reconcile(row, { userId: row.decidedBy ?? 'podbay', teamId: row.teamId });
    }
    return n;
  }

  /**
   * At start: posts requests whose message was never posted, runs approved ones that had not
   * started, and reconciles those caught executing (by what RunPod shows) so nothing runs twice.
   */
  async recover(): Promise<{ posted: number; resumed: number; reconciled: number }> {
    const out = { posted: 0, resumed: 0, reconciled: 0 };
    for (const req of await this.pending()) {
      if (req.payload.message === null) {
        await this.post(req);
        out.posted++;
      }
    }
    for (const status of ['approved', 'executing'] as const) {
      for (const row of await this.deps.store.listPending({ status })) {
        if (!isApproval(row)) continue;
        const approver: Requester = { userId: row.decidedBy ?? 'podbay', teamId: row.teamId };
        if (status === 'approved') {
          await this.run(row, approver);
          out.resumed++;
        } else {
          await this.reconcile(row, approver);
          out.reconciled++;
        }
      }
    }
    return out;
  }

  // ---- the steps ------------------------------------------------------------------------------

  private async post(req: ApprovalRecord): Promise<ApprovalRecord> {
    let where: { channel: string; ts: string } | null = null;
    try {
      where = await this.notifier.posted(req);
    } catch {
      where = null;
    }
    if (!where) return req;
    const next = { ...req.payload, message: where };
    return (await this.transition(req, 'pending', { to: 'pending', payload: next })) ?? req;
  }

  private async run(req: ApprovalRecord, approver: Requester): Promise<DecisionResult> {
    const exec = this.executors.get(req.kind);
    if (!exec)
      return this.finish(
        req,
        'approved',
        'failed',
        `podbay cannot run ${req.kind} requests.`,
        null,
        approver,
      );
    if (exec.requote && req.payload.quote?.perHourUsd != null) {
      let fresh: PodQuote | null = null;
      try {
        fresh = await exec.requote(req);
      } catch {
        fresh = null; // no fresh price: the approved one stands
      }
      const was = req.payload.quote.perHourUsd;
      const tol = this.policy.approvals.requoteTolerance;
      if (fresh?.perHourUsd != null && fresh.perHourUsd > was * (1 + tol) + 1e-9) {
        return this.requote(req, fresh, approver);
      }
    }
    const started = await this.transition(req, 'approved', { to: 'executing' });
    if (!started)
      return { outcome: 'refused', message: `That request is ${await this.statusWords(req.id)}.` };
    let secrets: unknown = null;
    try {
      secrets = started.payload.sealed ? JSON.parse(this.deps.secrets.open(started.payload.sealed)) : null;
    } catch {
      return this.finish(
        started,
        'executing',
        'failed',
        'Its secret values could not be read back (the key changed); nothing was created. Ask again.',
        null,
        approver,
      );
    }
    try {
      const out = await exec.execute(started, secrets, approver);
      return this.finish(started, 'executing', 'done', out.message, out.runpodId, approver);
    } catch (e) {
      const msg = e instanceof PodbayError ? e.toUserText() : 'Something went wrong on our side.';
      // An unknown outcome stays "executing": the start-up reconcile looks at RunPod before anything reruns.
      if (e instanceof PodbayError && e.code === 'OUTCOME_UNKNOWN')
        return { outcome: 'refused', message: msg };
      return this.finish(started, 'executing', 'failed', msg, null, approver);
    }
  }

  private async reconcile(req: ApprovalRecord, approver: Requester): Promise<void> {
    const exec = this.executors.get(req.kind);
    if (!exec) return;
    let seen: ExecOutcome | null;
    try {
      seen = await exec.reconcile(req);
    } catch {
      return; // RunPod unreachable: stay "executing" and look again at the next start
    }
    if (seen) {
      await this.finish(req, 'executing', 'done', seen.message, seen.runpodId, approver);
      return;
    }
    // It never reached RunPod: run it now, once (back to approved, then the normal path).
    const back = await this.transition(req, 'executing', { to: 'approved' });
    if (back) await this.run(back, approver);
  }

  private async requote(req: ApprovalRecord, fresh: PodQuote, approver: Requester): Promise<DecisionResult> {
    const was = req.payload.quote?.perHourUsd ?? 0;
    const now = fresh.perHourUsd ?? 0;
    const why = `the price rose from ${dollars(was)}/h to ${dollars(now)}/h since it was approved (more than ${percent(this.policy.approvals.requoteTolerance)})`;
    const closed = await this.transition(req, 'approved', {
      to: 'failed',
      reason: why,
      payload: { ...req.payload, result: `Sent back for approval: ${why}.` },
    });
    if (!closed) return { outcome: 'refused', message: `That request is ${await this.statusWords(req.id)}.` };
    const requester: Requester = { userId: req.userId, teamId: req.teamId };
    const next = await this.open({
      kind: req.kind,
      requester,
      target: req.payload.target,
      targetName: req.payload.targetName,
      summary: req.payload.summary,
      params: req.payload.params,
      ...(req.payload.sealed
        ? { secrets: JSON.parse(this.deps.secrets.open(req.payload.sealed)) as unknown }
        : {}),
      quote: fresh,
      rule: `${req.payload.rule}; ${why}`,
      justification: req.payload.justification,
      origin: req.payload.origin,
      supersedes: req.id,
    });
    await this.audit(approver, closed, 'needs-approval', `Sent back for approval: ${why}.`);
    await this.notifier.changed(closed, { kind: 'requoted', next });
    return { outcome: 'requoted', message: `Not run: ${why}. It is back with the approvers.`, request: next };
  }

  private async finish(
    req: ApprovalRecord,
    from: PendingStatus,
    to: 'done' | 'failed',
    message: string,
    runpodId: string | null,
    approver: Requester,
  ): Promise<DecisionResult> {
    const payload = { ...req.payload, result: message, runpodId };
    const ended = (await this.transition(req, from, { to, payload })) ?? { ...req, status: to, payload };
    const requester: Requester = { userId: req.userId, teamId: req.teamId };
    await this.audit(requester, ended, to === 'done' ? 'done' : 'failed', message, approver.userId);
    await this.notifier.changed(
      ended,
      to === 'done' ? { kind: 'executed', by: approver.userId } : { kind: 'failed', by: approver.userId },
    );
    return { outcome: to, message, request: ended };
  }

  private async expire(req: ApprovalRecord): Promise<boolean> {
    const won = await this.transition(req, 'pending', { to: 'expired', reason: 'no decision in time' });
    if (!won) return false;
    await this.audit(null, won, 'noop', `Expired without a decision: ${won.payload.summary}.`);
    await this.notifier.changed(won, { kind: 'expired' });
    return true;
  }

  /** Who may decide: a known pending request, not expired, not their own, approver or admin role. */
  private async checkDecider(
    id: string,
    approver: Requester,
    action: string,
    clickedOn?: MessageRef,
  ): Promise<{ req: ApprovalRecord } | { refused: DecisionResult }> {
    const refuse = async (why: string, message: string) => {
      await this.refusedAudit(approver, id, action, why);
      return { refused: { outcome: 'refused' as const, message } };
    };
    const req = await this.get(id);
    if (!req) return refuse('no such request', 'That request does not exist; nothing was changed.');
    const home = req.payload.message;
    if (clickedOn && home && (clickedOn.channel !== home.channel || clickedOn.ts !== home.ts))
      return refuse(
        'button not on the request’s message',
        'That button does not belong to this request; nothing was changed.',
      );
    if (req.status !== 'pending')
      return { refused: { outcome: 'refused', message: `That request is ${describeStatus(req)}.` } };
    if (req.payload.expiresAt <= this.deps.clock.now().toISOString()) {
      await this.expire(req);
      return refuse('expired', 'That request has expired; the requester can ask again.');
    }
    if (req.userId === approver.userId)
      return refuse('self-approval', 'You cannot decide your own request: someone else has to.');
    try {
      await this.deps.access.authorize(approver, 'approval.decide', { name: req.payload.summary }, req.id);
    } catch (e) {
      if (e instanceof PodbayError) return { refused: { outcome: 'refused', message: e.toUserText() } };
      throw e;
    }
    return { req };
  }

  private async lost(id: string, who: Requester, action: string): Promise<DecisionResult> {
    const words = await this.statusWords(id);
    await this.refusedAudit(who, id, action, `already ${words}`);
    return { outcome: 'refused', message: `Someone was quicker: that request is ${words}.` };
  }

  private async statusWords(id: string): Promise<string> {
    const r = await this.get(id);
    return r ? describeStatus(r) : 'gone';
  }

  private async transition(
    req: ApprovalRecord,
    from: PendingStatus,
    change: { to: PendingStatus; decidedBy?: string; reason?: string; payload?: ApprovalPayload },
  ): Promise<ApprovalRecord | null> {
    const r = await this.deps.store.transitionPending(req.id, from, {
      ...change,
      at: this.deps.clock.now().toISOString(),
    });
    return r && isApproval(r) ? r : null;
  }

  private async audit(
    who: Requester | null,
    req: ApprovalRecord,
    outcome: 'done' | 'noop' | 'needs-approval' | 'denied' | 'failed',
    detail: string,
    approvedBy?: string,
  ): Promise<void> {
    const p = req.payload;
    await recordAudit(this.deps.store, this.deps.clock, {
      requester: who,
      action: req.kind,
      target: p.runpodId ?? p.target,
      outcome,
      detail,
      data: {
        requestId: req.id,
        status: req.status,
        requester: req.userId,
        ...(req.decidedBy ? { decidedBy: req.decidedBy } : {}),
        ...(approvedBy ? { approvedBy } : {}),
        params: p.params,
        quote: p.quote
          ? { perHourUsd: p.quote.perHourUsd, perDayUsd: p.quote.perDayUsd, gpuCount: p.quote.gpuCount }
          : null,
        ...(p.runpodId ? { runpodId: p.runpodId } : {}),
        ...(p.message ? { slackMessage: slackLink(p.message) } : {}),
      },
    });
  }

  private async refusedAudit(who: Requester, id: string, action: string, why: string): Promise<void> {
    await recordAudit(this.deps.store, this.deps.clock, {
      requester: who,
      action,
      target: ID.test(id) ? id : 'forged-value',
      outcome: 'denied',
      detail: `Refused: ${why}.`,
      data: { requestId: ID.test(id) ? id : null },
    });
  }
}

export function describeStatus(r: ApprovalRecord): string {
  const by = r.decidedBy ? ` by <@${r.decidedBy}>` : '';
  switch (r.status) {
    case 'pending':
      return 'waiting for a decision';
    case 'approved':
    case 'executing':
      return `approved${by} and running`;
    case 'done':
      return `approved${by} and done`;
    case 'failed':
      return `approved${by}, but it failed`;
    case 'denied':
      return `denied${by}`;
    case 'expired':
      return 'expired';
    case 'withdrawn':
      return 'withdrawn';
  }
}

function isApproval(r: PendingRequest): r is ApprovalRecord {
  const p = r.payload as Partial<ApprovalPayload> | null;
  return (
    (APPROVAL_KINDS as readonly string[]).includes(r.kind) &&
    typeof p === 'object' &&
    p !== null &&
    typeof p.summary === 'string' &&
    typeof p.expiresAt === 'string'
  );
}

/** Slack's permalink form for a message (opens it in the workspace the reader is signed in to). */
export function slackLink(m: MessageRef): string {
  return `https://slack.com/archives/${m.channel}/p${m.ts.replace('.', '')}`;
}
