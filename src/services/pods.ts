// Pod use cases: list with owners, resolve a reference, status, quote, create (policy seam,
// ownership recorded), stop / resume / terminate that re-read the pod and only act when it makes sense.
import { AUDIT_NOT_WRITTEN, recordAudit } from './audit.ts';
import type { Pod } from './domain.ts';
import { noCapacityError } from './pod-capacity.ts';
import {
  type CreatePodRequest,
  lifetimeNote,
  policySubject,
  roleLifetime,
  toPodSpec,
  validateCreatePodRequest,
} from './pod-request.ts';
import { asPodbayError, PodbayError } from './errors.ts';
import { type IdSource, randomIds } from './ids.ts';
import type { Lifetime, LifetimeService } from './lifetimes.ts';
import { isSafePodName, makePodName } from './naming.ts';
import { matchOwners } from './ownership.ts';
import {
  type FollowOptions,
  type FollowResult,
  followPod,
  type PodConnection,
  type PodPhase,
  podConnections,
  podPhase,
} from './pod-progress.ts';
import { allowAll, type PolicyGate, type Requester } from './policy.ts';
import {
  askApproval,
  authorize,
  type Guard,
  type RequestContext,
  requestIfGated,
  sentForApproval,
} from './guard.ts';
import type { Logger } from '../logger.ts';
import { formatDuration } from './policy-units.ts';
import type { Clock, CreateIntent, PodOwnership, RunpodApi, Store } from './ports.ts';
import { minimumBid, type PodQuote, type QuoteInput, quotePod } from './quote.ts';

export type { Requester } from './policy.ts';

/** Who a pod belongs to in podbay's records. */
export interface PodOwner {
  userId: string;
  teamId: string | null;
}

/** A pod with its owner; owner null = unattributed (made outside podbay, or before it kept records). */
export type OwnedPod = Pod & { owner: PodOwner | null };

export type PodScope = 'mine' | 'all';

export type ResolveResult =
  | {
      kind: 'found';
      pod: OwnedPod /** 'partial': by a prefix or part of the name (ask before acting). */;
      match: 'exact' | 'partial';
    }
  | { kind: 'ambiguous'; ref: string; candidates: OwnedPod[] }
  | { kind: 'none'; ref: string };

/** A pod with what a person wants to see about it now. */
export type PodDetails = OwnedPod & { phase: Exclude<PodPhase, 'timeout'>; connections: PodConnection[] };

export type StatusResult =
  | { kind: 'found'; pod: PodDetails }
  | { kind: 'ambiguous'; ref: string; candidates: OwnedPod[] }
  | { kind: 'none'; ref: string };

export type CreatePodResult =
  | {
      outcome: 'created';
      pod: OwnedPod;
      quote: PodQuote | null;
      message: string;
      /** The lifetime recorded for the pod (podbay stops it then); absent when it has none. */
      lifetime?: CreatedLifetime;
    }
  | {
      outcome: 'needs-approval';
      name: string;
      reason: string;
      quote: PodQuote | null;
      message: string;
      /** The approval request, when one was opened. */
      requestId: string | null;
    }
  | { outcome: 'denied'; name: string; reason: string; message: string }
  /** The same submission arrived again (a modal submitted twice, a replayed command): nothing new. */
  | { outcome: 'duplicate'; name: string; message: string };

/** What podbay found of creates that were in flight when it stopped. */
export interface RecoveredCreate {
  intent: CreateIntent;
  /** The pod, when RunPod has it; null when the create never reached RunPod. */
  pod: OwnedPod | null;
}

export interface CreatePodOptions extends RequestContext {
  /**
   * The submission's identity (view id, or trigger and text): a second create with the same key
   * creates nothing. Stored, with the pod name and `progress`, before RunPod is called.
   */
  idempotencyKey?: string;
  /** The message that follows this create (updated at start if podbay stopped mid-create). */
  progress?: { channel: string; ts: string } | null;
  /** Use this name instead of making one (an approved request keeps the name it was shown with). */
  name?: string;
  /**
   * Who set the request's `lifetimeMs` (default: the requester); "policy" when an approved request
   * carries the role default it was asked with.
   */
  lifetimeSetBy?: string;
}

/** A created pod's recorded lifetime; `note` reads "stops automatically at 20:00 UTC (stop_after 8h)". */
export type CreatedLifetime = Lifetime & { ms: number; note: string };

/** A create's lifetime once decided: how long, and who set it (a user id, or "policy"). */
interface ChosenLifetime {
  ms: number;
  setBy: string;
}

/** Result of stop / resume / terminate: 'noop' when the pod was already in the wanted state. */
export interface PodActionResult {
  outcome: 'done' | 'noop' | 'needs-approval';
  message: string;
  pod?: OwnedPod;
}

export interface ResumeRequestOptions {
  /** Spot pods: USD per GPU per hour; default the current minimum bid for the pod's GPU type + $0.01. */
  bidPerGpu?: number;
  /** Default: the pod's GPU count. */
  gpuCount?: number;
}

/** A GPU type suggested when the asked one has no capacity. */
/** Several pods match a reference given to stop/resume/terminate; handlers offer a choice. */
export class AmbiguousPodError extends PodbayError {
  readonly candidates: OwnedPod[];
  constructor(ref: string, candidates: OwnedPod[]) {
    super('INVALID_REQUEST', `More than one pod matches "${ref}".`, {
      hint: `Use the full name or the pod id: ${candidates
        .slice(0, 5)
        .map((c) => `${c.name} (${c.id})`)
        .join(', ')}${candidates.length > 5 ? ', …' : ''}.`,
    });
    this.name = 'AmbiguousPodError';
    this.candidates = candidates;
  }
}

/** Failures after which RunPod may have created the pod anyway. */
const MAY_HAVE_CREATED: ReadonlySet<string> = new Set([
  'OUTCOME_UNKNOWN',
  'BAD_RESPONSE',
  'TIMEOUT',
  'RUNPOD_UNAVAILABLE',
]);

/** RunPod's answer to a create was lost and the pod is not (yet) listed: offer to check, never to retry. */
export class CreateOutcomeUnknownError extends PodbayError {
  constructor(readonly podName: string) {
    super('OUTCOME_UNKNOWN', `podbay could not confirm whether ${podName} was created.`, {
      hint: 'RunPod may still be placing it. “Check again” looks it up by name; creating it again could make a second pod.',
    });
    this.name = 'CreateOutcomeUnknownError';
  }
}

export interface PodServiceDeps {
  runpod: RunpodApi;
  store: Store;
  clock: Clock;
  /** Default: allowAll (or `guard.access` when given). */
  policy?: PolicyGate;
  /** Who may do what, and where gated actions go for approval (default: everything allowed). */
  guard?: Guard;
  /** Default: randomIds. */
  ids?: IdSource;
  /** Where failures the create carries on after (a missing quote) are reported. */
  logger?: Pick<Logger, 'warn'>;
  /** Where pod lifetimes (stop_after) are kept; absent: no role defaults, and a stop_after is refused. */
  lifetimes?: LifetimeService;
}

const STATUS_RANK: Record<Pod['status'], number> = {
  RUNNING: 0,
  CREATED: 1,
  RESTARTING: 1,
  EXITED: 2,
  PAUSED: 2,
  DEAD: 3,
  TERMINATED: 4,
};

const money = (n: number) => `$${n.toFixed(2)}`;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
/** Spot resumes bid this much above the current minimum so they are not outbid at once. */
export const SPOT_BID_MARGIN = 0.01;

/** "2× RTX A6000" (or "1 GPU" before placement): how messages name a pod's GPUs. */
export function describeGpus(pod: Pod): string {
  if (!pod.gpuName) return pod.gpuCount ? `${pod.gpuCount} GPU${pod.gpuCount > 1 ? 's' : ''}` : 'no GPU';
  return `${pod.gpuCount > 1 ? `${pod.gpuCount}× ` : ''}${pod.gpuName}`;
}

export class PodService {
  private readonly runpod: RunpodApi;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly policy: PolicyGate;
  private readonly ids: IdSource;
  private readonly guard: Guard;
  private readonly logger: Pick<Logger, 'warn'> | undefined;
  private readonly lifetimes: LifetimeService | undefined;

  constructor(deps: PodServiceDeps) {
    this.runpod = deps.runpod;
    this.store = deps.store;
    this.clock = deps.clock;
    this.guard = deps.guard ?? {};
    this.policy = deps.policy ?? deps.guard?.access ?? allowAll;
    this.ids = deps.ids ?? randomIds;
    this.logger = deps.logger;
    this.lifetimes = deps.lifetimes;
  }

  /** Live pods (terminated ones left out) with owners; running first, then by name. */
  async list(opts: { scope: PodScope; userId: string }): Promise<OwnedPod[]> {
    const [pods, records] = await Promise.all([this.runpod.listPods(), this.store.listPodOwnerships()]);
    const owned = await this.attach(
      pods.filter((p) => p.status !== 'TERMINATED'),
      records,
    );
    const visible = opts.scope === 'mine' ? owned.filter((p) => p.owner?.userId === opts.userId) : owned;
    return visible.sort(
      (a, b) =>
        STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
        a.name.localeCompare(b.name) ||
        a.id.localeCompare(b.id),
    );
  }

  /** By exact id, else exact name, else a unique case-insensitive prefix, else a unique substring of the name. */
  async resolve(ref: string, opts: { exact?: boolean } = {}): Promise<ResolveResult> {
    const wanted = ref.trim();
    if (!wanted) return { kind: 'none', ref };
    const pods = await this.list({ scope: 'all', userId: '' });
    const pick = (matches: OwnedPod[], match: 'exact' | 'partial'): ResolveResult | null => {
      const [first] = matches;
      if (!first) return null;
      return matches.length === 1
        ? { kind: 'found', pod: first, match }
        : { kind: 'ambiguous', ref: wanted, candidates: matches };
    };
    const lower = wanted.toLowerCase();
    const exact =
      pick(
        pods.filter((p) => p.id === wanted),
        'exact',
      ) ??
      pick(
        pods.filter((p) => p.name === wanted),
        'exact',
      );
    // Buttons carry exact ids: they never fall through to a part of a name.
    if (exact || opts.exact) return exact ?? { kind: 'none', ref: wanted };
    return (
      pick(
        pods.filter((p) => p.name.toLowerCase() === lower),
        'exact',
      ) ??
      pick(
        pods.filter((p) => p.name.toLowerCase().startsWith(lower)),
        'partial',
      ) ??
      pick(
        pods.filter((p) => p.name.toLowerCase().includes(lower)),
        'partial',
      ) ?? { kind: 'none', ref: wanted }
    );
  }

  /** resolve() plus the phase and connection details. */
  async status(ref: string, opts: { exact?: boolean } = {}): Promise<StatusResult> {
    const r = await this.resolve(ref, opts);
    if (r.kind !== 'found') return r;
    const phase = podPhase(r.pod);
    return {
      kind: 'found',
      pod: { ...r.pod, phase, connections: phase === 'running' ? podConnections(r.pod) : [] },
    };
  }

  /** $/h, $/day, balance, runway now and after this pod (see quote.ts). */
  async quote(spec: QuoteInput): Promise<PodQuote> {
    return quotePod(this.runpod, spec);
  }

  /**
   * Validates, names the pod, asks the policy gate, creates it on RunPod and records the owner
   * before returning. Throws NoCapacityError (code NO_CAPACITY) with alternatives when RunPod has no
   * machine; INVALID_REQUEST for bad input; other PodbayErrors from RunPod as they come.
   */
  async create(
    request: CreatePodRequest,
    requester: Requester,
    opts: CreatePodOptions = {},
  ): Promise<CreatePodResult> {
    const key = opts.idempotencyKey;
    if (!key) return this.createOnce(request, requester, opts);
    validateCreatePodRequest(request);
    const name =
      opts.name ??
      makePodName({ handle: requester.handle ?? requester.userId, label: request.label }, this.ids);
    const existing = await this.store.claimCreate({
      key,
      userId: requester.userId,
      podName: name,
      channel: opts.progress?.channel ?? null,
      messageTs: opts.progress?.ts ?? null,
      status: 'pending',
      createdAt: this.clock.now().toISOString(),
    });
    if (existing) {
      const first = existing.podName ?? name;
      return {
        outcome: 'duplicate',
        name: first,
        message: `This create was already received (${first}); podbay makes it once.`,
      };
    }
    try {
      const r = await this.createOnce(request, requester, { ...opts, name });
      await this.store.updateCreate(key, { status: 'done' });
      return r;
    } catch (e) {
      // An unknown outcome stays pending: the next start looks for the pod by its name.
      if (!(e instanceof CreateOutcomeUnknownError)) await this.store.updateCreate(key, { status: 'failed' });
      throw e;
    }
  }

  /**
   * At start: creates that were in flight when podbay stopped are matched with RunPod's pods by
   * their unique names (ownership completed, audited), and name claims whose pod never appeared
   * are removed. Returns the in-flight ones, so their progress messages can be updated.
   */
  async recoverCreates(): Promise<RecoveredCreate[]> {
    const [intents, records] = await Promise.all([
      this.store.listCreates('pending'),
      this.store.listPodOwnerships(),
    ]);
    const claims = records.filter((r) => r.podId === null);
    if (!intents.length && !claims.length) return [];
    const pods = await this.list({ scope: 'all', userId: '' });
    const byName = new Map(pods.map((p) => [p.name, p]));
    const out: RecoveredCreate[] = [];
    for (const intent of intents) {
      const pod = intent.podName ? (byName.get(intent.podName) ?? null) : null;
      await this.store.updateCreate(intent.key, { status: pod ? 'done' : 'failed' });
      const who: Requester = { userId: intent.userId, teamId: null };
      const target = pod?.id ?? intent.podName ?? intent.key;
      if (pod)
        await this.audit(
          who,
          'pod.create',
          target,
          'done',
          `Created ${pod.name} (found after podbay restarted).`,
          podFacts(pod),
        );
      else
        await this.audit(
          who,
          'pod.create',
          target,
          'failed',
          'podbay stopped before RunPod confirmed the create; no such pod exists.',
        );
      out.push({ intent, pod });
    }
    for (const claim of claims) {
      const pod = byName.get(claim.podName);
      if (pod) await this.store.savePodOwnership({ ...claim, podId: pod.id });
      else await this.store.deletePodOwnership(claim.podName);
    }
    return out;
  }

  private async createOnce(
    request: CreatePodRequest,
    requester: Requester,
    opts: CreatePodOptions,
  ): Promise<CreatePodResult> {
    validateCreatePodRequest(request);
    if (!opts.approvedBy) await authorize(this.guard, requester, 'pod.create', {}, request.label);
    if (opts.name !== undefined && !isSafePodName(opts.name)) {
      throw new PodbayError(
        'INVALID_REQUEST',
        'A pod name uses lowercase letters, digits and dashes (at most 60).',
      );
    }
    const name =
      opts.name ??
      makePodName({ handle: requester.handle ?? requester.userId, label: request.label }, this.ids);
    const lifetime = await this.lifetimeFor(request, requester, opts);

    let quote: PodQuote | null = null;
    try {
      quote = await this.quote(request);
    } catch (e) {
      // A missing price must not block a create; the gate decides with quote = null.
      const err = asPodbayError(e);
      this.logger?.warn(
        { podName: name, gpuTypeId: request.gpuTypeIds[0], code: err.code },
        'no quote for a create; going on without a price',
      );
    }
    let bidPerGpu = request.bidPerGpu;
    if (request.kind === 'spot' && bidPerGpu === undefined) {
      const floor = quote?.minimumBidPerGpu ?? null;
      if (floor === null) {
        throw new PodbayError('INVALID_REQUEST', 'RunPod gave no current spot price for that GPU type.', {
          hint: 'Give a bid in $ per GPU per hour, or create an on-demand pod.',
        });
      }
      bidPerGpu = round4(floor + SPOT_BID_MARGIN);
    }

    const spec = toPodSpec(request, name, bidPerGpu);
    const subject = policySubject(spec);
    // What the audit keeps of a create: the subject (env names only), the quote, the approver.
    const facts = (extra: Record<string, unknown> = {}) => ({
      podName: name,
      params: subject,
      quote: quote ? { perHourUsd: quote.perHourUsd, perDayUsd: quote.perDayUsd } : null,
      ...(opts.approvedBy ? { approvedBy: opts.approvedBy.userId } : {}),
      ...(lifetime ? { lifetimeMs: lifetime.ms, lifetimeSetBy: lifetime.setBy } : {}),
      ...extra,
    });
    const target = name;
    if (!opts.approvedBy) {
      const decision = await this.policy.check({ action: 'pod.create', requester, subject, quote });
      if (decision.decision === 'needs-approval') {
        const what = `${request.gpuCount}× ${quote?.gpuDisplayName ?? request.gpuTypeIds[0]} ${request.kind} pod ${name}`;
        const { env, ...plain } = request;
        const opened = await askApproval(
          this.guard,
          {
            kind: 'pod.create',
            requester,
            target: name,
            targetName: name,
            summary: `create ${what}${quote?.perHourUsd != null ? ` at ${money(quote.perHourUsd)}/h` : ''}${lifetime ? `, stop_after ${formatDuration(lifetime.ms)}` : ''}`,
            params: {
              // The lifetime as decided now (the role default included; null: none), so the approved
              // create runs with what the approvers saw.
              request: {
                ...plain,
                ...(bidPerGpu !== undefined ? { bidPerGpu } : {}),
                lifetimeMs: lifetime?.ms ?? null,
              },
              podName: name,
              envKeys: (env ?? []).map((e) => e.key),
              handle: requester.handle ?? null,
              ...(lifetime ? { lifetimeSetBy: lifetime.setBy } : {}),
            },
            ...(env?.length ? { secrets: env } : {}),
            quote,
            rule: decision.reason,
          },
          opts,
        );
        if (!opened)
          await this.audit(requester, 'pod.create', target, 'needs-approval', decision.reason, facts());
        return {
          outcome: 'needs-approval',
          name,
          reason: decision.reason,
          quote,
          message: sentForApproval(opened, `${name} is created once someone approves`, decision.reason),
          requestId: opened?.id ?? null,
        };
      }
      if (decision.decision === 'deny') {
        await this.audit(requester, 'pod.create', target, 'denied', decision.reason, facts());
        return {
          outcome: 'denied',
          name,
          reason: decision.reason,
          message: `${name} was not created: ${decision.reason}`,
        };
      }
    }

    // Claim the name first: if RunPod's answer is lost, the pod is still found (by name) and attributed.
    const record: PodOwnership = {
      podName: name,
      podId: null,
      userId: requester.userId,
      teamId: requester.teamId,
      createdAt: this.clock.now().toISOString(),
    };
    await this.store.savePodOwnership(record);

    let pod: Pod;
    try {
      pod = await this.runpod.createPod(spec);
    } catch (e) {
      const err = asPodbayError(e);
      // A lost or garbled answer may hide a pod that runs and bills: look for it by its unique name.
      const found = MAY_HAVE_CREATED.has(err.code) ? await this.findByName(name).catch(() => null) : null;
      if (!found) {
        const unknown = err.code === 'OUTCOME_UNKNOWN' || err.code === 'BAD_RESPONSE';
        await this.audit(
          requester,
          'pod.create',
          target,
          'failed',
          err.userMessage,
          facts({ error: err.code }),
        );
        if (err.code === 'NO_CAPACITY') throw await noCapacityError(this.runpod, request);
        if (unknown) throw new CreateOutcomeUnknownError(name);
        throw err;
      }
      pod = found;
    }
    try {
      await this.store.savePodOwnership({ ...record, podId: pod.id });
    } catch {
      // The pod exists: do not report a failed create. The name claim above still attributes it
      // (list() attaches the id when it next sees the pod).
    }
    const approved = opts.approvedBy ? ` (approved by <@${opts.approvedBy.userId}>)` : '';
    const price = quote?.perHourUsd != null ? ` at about ${money(quote.perHourUsd)}/h` : '';
    const what = `${request.gpuCount > 1 ? `${request.gpuCount}× ` : ''}${quote?.gpuDisplayName ?? request.gpuTypeIds[0]}`;
    const recorded = lifetime ? await this.recordLifetime(pod.name || name, lifetime) : null;
    const life: CreatedLifetime | null =
      recorded && lifetime
        ? {
            ...recorded,
            ms: lifetime.ms,
            note: lifetimeNote(recorded.stopAtMs, lifetime.ms, this.clock.now().getTime()),
          }
        : null;
    const lifeNote = !lifetime
      ? ''
      : life
        ? ` It ${life.note}.`
        : ` podbay could not record its lifetime (stop_after ${formatDuration(lifetime.ms)}): stop it yourself when you are done.`;
    const message = `Created ${name} (${what}, ${request.kind}${request.kind === 'spot' ? ` bid ${money(bidPerGpu ?? 0)}/GPU/h` : ''})${price}${approved}.${lifeNote}`;
    const audited = await this.audit(
      requester,
      'pod.create',
      pod.id,
      'done',
      message,
      facts({ runpodId: pod.id, ...(life ? { stopAtMs: life.stopAtMs } : {}) }),
    );
    return {
      outcome: 'created',
      pod: { ...pod, owner: { userId: requester.userId, teamId: requester.teamId } },
      quote,
      // The audit log would not know this pod was created: the person should.
      message: audited ? message : `${message} ${AUDIT_NOT_WRITTEN}`,
      ...(life ? { lifetime: life } : {}),
    };
  }

  /**
   * The lifetime a create gets: the request's own (null: none), else the default of the
   * requester's role (see roleLifetime). Without a LifetimeService (tests, tools) there are no
   * role defaults, and a request's own stop_after is refused rather than silently dropped.
   */
  private async lifetimeFor(
    request: CreatePodRequest,
    requester: Requester,
    opts: CreatePodOptions,
  ): Promise<ChosenLifetime | null> {
    if (request.lifetimeMs === null) return null;
    if (request.lifetimeMs !== undefined) {
      if (!this.lifetimes)
        throw new PodbayError(
          'INVALID_REQUEST',
          'podbay here keeps no pod lifetimes, so stop_after cannot be honoured.',
          {
            hint: 'Leave stop_after out and stop the pod yourself.',
          },
        );
      return { ms: request.lifetimeMs, setBy: opts.lifetimeSetBy ?? requester.userId };
    }
    const access = this.guard.access;
    if (!this.lifetimes || !access) return null;
    const d = roleLifetime(access.policy.lifetimes, await access.roles.of(requester.userId));
    return d ? { ms: d.ms, setBy: 'policy' } : null;
  }

  /** Records a created pod's lifetime; null (logged) when the store fails: the pod exists all the same. */
  private async recordLifetime(podName: string, lifetime: ChosenLifetime): Promise<Lifetime | null> {
    try {
      return (await this.lifetimes?.set(podName, lifetime.ms, lifetime.setBy)) ?? null;
    } catch (e) {
      this.logger?.warn(
        { podName, code: asPodbayError(e).code },
        'could not record the lifetime of a created pod',
      );
      return null;
    }
  }

  /**
   * After a restart found an approved create's pod: records the lifetime the request carried,
   * unless one is recorded already (it then counts from now, not from the create).
   */
  async keepLifetime(podName: string, lifetimeMs: number, setBy: string): Promise<Lifetime | null> {
    if (!this.lifetimes) return null;
    return (await this.lifetimes.get(podName)) ?? this.recordLifetime(podName, { ms: lifetimeMs, setBy });
  }

  /** Stops a running pod; 'noop' when already stopped. NOT_FOUND / AmbiguousPodError for a bad ref. */
  async stop(ref: string, requester: Requester): Promise<PodActionResult> {
    const pod = await this.target(ref);
    if (!pod) throw notFound(ref);
    await this.authorizeOn(requester, 'pod.stop', pod);
    if (pod.status === 'EXITED' || pod.status === 'PAUSED') {
      return this.noop(requester, 'pod.stop', pod, `${pod.name} is already stopped.`);
    }
    if (pod.status === 'TERMINATED')
      return this.noop(requester, 'pod.stop', pod, `${pod.name} is terminated; nothing to stop.`);
    if (pod.status === 'DEAD') {
      return this.noop(
        requester,
        'pod.stop',
        pod,
        `${pod.name} is dead, so there is nothing to stop; terminate it to clean up.`,
      );
    }
    await this.runpod.stopPod(pod.id);
    const after = (await this.fresh(pod.id)) ?? { ...pod, status: 'EXITED' as const, runtime: null };
    const message = `Stopped ${pod.name}. The GPU is released; the volume disk is kept and the container disk is wiped.`;
    await this.audit(requester, 'pod.stop', pod.id, 'done', message, podFacts(pod));
    return { outcome: 'done', message, pod: after };
  }

  /** Resumes a stopped pod (spot pods with a bid); 'noop' when it is already running or starting. */
  async resume(ref: string, requester: Requester, opts: ResumeRequestOptions = {}): Promise<PodActionResult> {
    const pod = await this.target(ref);
    if (!pod) throw notFound(ref);
    await this.authorizeOn(requester, 'pod.resume', pod);
    if (pod.status === 'RUNNING' && pod.runtime) {
      return this.noop(requester, 'pod.resume', pod, `${pod.name} is already running.`);
    }
    if (pod.status === 'RUNNING' || pod.status === 'CREATED' || pod.status === 'RESTARTING') {
      return this.noop(requester, 'pod.resume', pod, `${pod.name} is already starting.`);
    }
    if (pod.status === 'TERMINATED' || pod.status === 'DEAD') {
      throw new PodbayError(
        'CONFLICT',
        `${pod.name} is ${pod.status === 'DEAD' ? 'dead' : 'terminated'} and cannot be resumed.`,
        {
          hint: 'Create a new pod instead.',
        },
      );
    }
    if (
      opts.gpuCount !== undefined &&
      (!Number.isInteger(opts.gpuCount) || opts.gpuCount < 1 || opts.gpuCount > 16)
    ) {
      throw new PodbayError('INVALID_REQUEST', 'GPU count for a resume is a whole number from 1 to 16.');
    }
    if (opts.bidPerGpu !== undefined && !(opts.bidPerGpu > 0 && opts.bidPerGpu <= 1000)) {
      throw new PodbayError('INVALID_REQUEST', 'A spot bid is a positive $ per GPU per hour.');
    }
    const gpuCount = opts.gpuCount ?? Math.max(1, pod.gpuCount);
    let bidNote = '';
    try {
      if (pod.kind === 'spot') {
        const bidPerGpu = opts.bidPerGpu ?? (await this.defaultResumeBid(pod, gpuCount));
        bidNote = ` with a bid of ${money(bidPerGpu)}/GPU/h`;
        await this.runpod.resumePod(pod.id, { kind: 'spot', gpuCount, bidPerGpu });
      } else {
        await this.runpod.resumePod(pod.id, { kind: 'on-demand', gpuCount });
      }
    } catch (e) {
      const err = asPodbayError(e);
      await this.audit(requester, 'pod.resume', pod.id, 'failed', err.userMessage);
      if (err.code === 'NO_CAPACITY') {
        throw new PodbayError('NO_CAPACITY', `The machine ${pod.name} lives on has no free GPU right now.`, {
          hint: 'Try again later, or create a new pod on another GPU type (a network volume keeps your data).',
        });
      }
      throw err;
    }
    const after = (await this.fresh(pod.id)) ?? pod;
    const message = `Resuming ${pod.name} (${describeGpus(pod)})${bidNote}; it takes a minute or two to come up.`;
    await this.audit(requester, 'pod.resume', pod.id, 'done', message, podFacts(pod));
    return { outcome: 'done', message, pod: after };
  }

  /** Terminates a pod for good; 'noop' when it is already gone. */
  async terminate(ref: string, requester: Requester, ctx: RequestContext = {}): Promise<PodActionResult> {
    const pod = await this.target(ref);
    if (!pod || pod.status === 'TERMINATED') {
      const name = pod?.name ?? ref;
      const message = pod
        ? `${name} is already gone.`
        : `There is no pod "${name}": it is already gone (or the name is mistyped).`;
      await this.audit(requester, 'pod.terminate', pod?.id ?? ref, 'noop', message);
      return pod ? { outcome: 'noop', message, pod } : { outcome: 'noop', message };
    }
    if (!ctx.approvedBy) await this.authorizeOn(requester, 'pod.terminate', pod);
    const gated = await requestIfGated(
      this.guard,
      'pod.terminate',
      ctx,
      {
        requester,
        target: pod.id,
        targetName: pod.name,
        summary: `terminate ${pod.name} (${describeGpus(pod)}, ${money(pod.costPerHr)}/h)`,
        params: { podId: pod.id, podName: pod.name, owner: pod.owner?.userId ?? null },
      },
      `${pod.name} is terminated once someone approves`,
    );
    if (gated) return { outcome: 'needs-approval', message: gated, pod };
    await this.runpod.terminatePod(pod.id);
    const approved = ctx.approvedBy ? ` (approved by <@${ctx.approvedBy.userId}>)` : '';
    const message = `Terminated ${pod.name}${approved}. Its container and volume disks are deleted; network volumes are kept.`;
    await this.audit(requester, 'pod.terminate', pod.id, 'done', message, {
      ...podFacts(pod),
      ...(ctx.approvedBy ? { approvedBy: ctx.approvedBy.userId } : {}),
    });
    return { outcome: 'done', message, pod: { ...pod, status: 'TERMINATED', runtime: null } };
  }

  /** Follows a pod until it runs or fails (see pod-progress.ts); uses this service's RunPod port and clock. */
  async follow(podId: string, opts: Omit<FollowOptions, 'runpod'> = {}): Promise<FollowResult> {
    return followPod(podId, { clock: this.clock, ...opts, runpod: this.runpod });
  }

  /** A pod by its exact unique name (live, not terminated), for reconciling an approved create. */
  async findByName(name: string): Promise<OwnedPod | null> {
    const pods = await this.list({ scope: 'all', userId: '' });
    return pods.find((p) => p.name === name) ?? null;
  }

  /** Live pods of one user and what they cost per hour (the policy's caps). */
  async usage(userId: string): Promise<{ pods: number; costPerHr: number }> {
    const mine = await this.list({ scope: 'mine', userId });
    const live = mine.filter((p) => p.status !== 'TERMINATED' && p.status !== 'DEAD');
    const running = live.filter(
      (p) => p.status === 'RUNNING' || p.status === 'CREATED' || p.status === 'RESTARTING',
    );
    return { pods: live.length, costPerHr: running.reduce((a, p) => a + p.costPerHr, 0) };
  }

  // --- helpers ---

  private authorizeOn(
    requester: Requester,
    action: 'pod.stop' | 'pod.resume' | 'pod.terminate',
    pod: OwnedPod,
  ) {
    return authorize(
      this.guard,
      requester,
      action,
      { owner: pod.owner?.userId ?? null, name: pod.name },
      pod.id,
    );
  }

  /** Owners joined onto pods (see ownership.ts); a record matched by name gets the pod id stored. */
  private async attach(pods: Pod[], records: PodOwnership[]): Promise<OwnedPod[]> {
    const matches = matchOwners(pods, records);
    const out: OwnedPod[] = [];
    for (const [i, pod] of pods.entries()) {
      const m = matches[i];
      const rec = m?.record ?? null;
      if (rec && m?.byNameOnly) {
        // A create whose answer was lost: now we know the id.
        await this.store.savePodOwnership({ ...rec, podId: pod.id }).catch(() => undefined);
      }
      out.push({ ...pod, owner: rec ? { userId: rec.userId, teamId: rec.teamId } : null });
    }
    return out;
  }

  private async withOwner(pod: Pod): Promise<OwnedPod> {
    const rec =
      (await this.store.podOwnershipById(pod.id)) ?? (await this.store.podOwnershipByName(pod.name));
    const owner =
      rec && (rec.podId === null || rec.podId === pod.id) ? { userId: rec.userId, teamId: rec.teamId } : null;
    return { ...pod, owner };
  }

  private async fresh(podId: string): Promise<OwnedPod | null> {
    const pod = await this.runpod.getPod(podId);
    return pod ? this.withOwner(pod) : null;
  }

  /**
   * The pod an exact id or name means, re-read right now; null when none. Acting never goes by a
   * part of a name: callers resolve() first and ask the person when the match was partial.
   */
  private async target(ref: string): Promise<OwnedPod | null> {
    const wanted = ref.trim();
    if (!wanted) throw new PodbayError('INVALID_REQUEST', 'Say which pod: its name or id.');
    const r = await this.resolve(wanted, { exact: true });
    if (r.kind === 'ambiguous') throw new AmbiguousPodError(wanted, r.candidates);
    if (r.kind === 'found') {
      // The list may be a moment old: read the pod itself before acting on it.
      return (await this.fresh(r.pod.id)) ?? { ...r.pod, status: 'TERMINATED', runtime: null };
    }
    // Not listed: it may still be readable by id (a pod RunPod has not listed yet).
    let direct: Pod | null = null;
    try {
      direct = await this.runpod.getPod(wanted);
    } catch (e) {
      const err = asPodbayError(e);
      if (err.code !== 'NOT_FOUND' && err.code !== 'INVALID_REQUEST' && err.code !== 'BAD_RESPONSE')
        throw err;
    }
    return direct ? this.withOwner(direct) : null;
  }

  private async noop(
    requester: Requester,
    action: string,
    pod: OwnedPod,
    message: string,
  ): Promise<PodActionResult> {
    await this.audit(requester, action, pod.id, 'noop', message);
    return { outcome: 'noop', message, pod };
  }

  private async audit(
    requester: Requester,
    action: string,
    target: string,
    outcome: 'done' | 'noop' | 'needs-approval' | 'denied' | 'failed',
    detail: string,
    data?: Record<string, unknown>,
  ): Promise<boolean> {
    return recordAudit(this.store, this.clock, {
      requester,
      action,
      target,
      outcome,
      detail,
      ...(data ? { data } : {}),
    });
  }

  /** Current minimum spot bid for the pod's GPU type, plus a small margin. */
  private async defaultResumeBid(pod: Pod, gpuCount: number): Promise<number> {
    const offers = await this.runpod.gpuOffers({ gpuCount });
    const gpu = pod.gpuName?.toLowerCase();
    const offer = gpu
      ? offers.find((o) => o.displayName.toLowerCase() === gpu || o.id.toLowerCase() === gpu)
      : undefined;
    const floor = minimumBid(offer ?? null);
    if (floor === null) {
      throw new PodbayError(
        'INVALID_REQUEST',
        `RunPod gave no current spot price for ${pod.gpuName ?? 'this pod’s GPU'}.`,
        {
          hint: 'Resume with a bid in $ per GPU per hour.',
        },
      );
    }
    return round4(floor + SPOT_BID_MARGIN);
  }
}

function podFacts(pod: OwnedPod): Record<string, unknown> {
  return { podName: pod.name, runpodId: pod.id, owner: pod.owner?.userId ?? null, costPerHr: pod.costPerHr };
}

function notFound(ref: string): PodbayError {
  return new PodbayError('NOT_FOUND', `There is no pod "${ref}" (it may have been terminated).`, {
    hint: 'List pods to see their names and ids.',
  });
}
