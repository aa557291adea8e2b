// The create flow: open the modal inside the trigger's 3 s (before any RunPod call), fill in the
// quote and network volumes afterwards, re-quote when GPU / count / pricing change, then on submit
// create the pod (or hand it to the approval policy) and follow it in one message until it runs.
import type {
  BlockAction,
  BlockButtonAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import type { SubmittedChoice } from '../../services/create-forms.ts';
import { asPodbayError, isPodbayError } from '../../services/errors.ts';
import type { StoredForm } from '../../services/ports.ts';
import type { FollowResult, PodProgressUpdate } from '../../services/pod-progress.ts';
import { NoCapacityError } from '../../services/pod-capacity.ts';
import { type CreatePodRequest, roleLifetime } from '../../services/pod-request.ts';
import { NO_LIFETIME, parseStopAfter } from '../../services/pod-rules.ts';
import { formatDuration } from '../../services/policy-units.ts';
import { CreateOutcomeUnknownError, type Requester } from '../../services/pods.ts';
import type { PodQuote, QuoteInput } from '../../services/quote.ts';
import { type HandlerDeps, requesterOf } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { ACTIONS, CREATE, QUOTE_INPUTS, VIEWS } from '../ids.ts';
import { ephemeral, outgoing, safeRespond } from '../reply.ts';
import type { Block, Message, ModalView } from '../views/blocks.ts';
import { usd } from '../views/format.ts';
import {
  type ApprovalHint,
  sentForApprovalView,
  type CreateMetadata,
  type CreatePrefill,
  createPodModal,
  DEFAULT_DISK_GB,
  DEFAULT_IMAGE,
  DEFAULT_PORTS,
  type QuoteState,
  quoteBlocks,
  type VolumeChoice,
} from '../views/create-modal.ts';
import { type ProgressModel, type ProgressState, progressMessage } from '../views/progress.ts';
import { describe } from '../work.ts';
import { readCreateForm, readQuoteInput, type StateValues } from './create-form.ts';

type WebClient = webApi.WebClient;

// ---- opening the modal ----------------------------------------------------------------------------

/**
 * What podbay knows about each open create form, so every update is built from the whole picture
 * (volumes and the newest quote) and updates of one form never overtake each other.
 */
interface FormState {
  prefill: CreatePrefill;
  meta: CreateMetadata;
  volumes: VolumeChoice[] | null;
  quote: QuoteState;
  /** Increases with every quote asked for; an older answer is dropped. */
  seq: number;
  chain: Promise<void>;
  openedMs: number;
  /** The requester's role default lifetime as shown in the form's hint (see roleLifetimeOf). */
  roleLifetime: string | undefined;
}

const FORM_TTL_MS = 60 * 60 * 1000;
const formsByDeps = new WeakMap<HandlerDeps, Map<string, FormState>>();

function forms(deps: HandlerDeps): Map<string, FormState> {
  let m = formsByDeps.get(deps);
  if (!m) {
    m = new Map();
    formsByDeps.set(deps, m);
  }
  const now = Date.now();
  for (const [id, f] of m) if (now - f.openedMs > FORM_TTL_MS) m.delete(id);
  return m;
}

/** Queues an update of a form after the ones already queued. */
function queueUpdate(
  deps: HandlerDeps,
  client: WebClient,
  viewId: string,
  form: FormState,
  change: () => Promise<boolean>,
): void {
  const run = async () => {
    if (!(await change())) return;
    const view = createPodModal({
      prefill: form.prefill,
      gpus: deps.gpu.choices(),
      volumes: form.volumes,
      quote: form.quote,
      metadata: form.meta,
      ...approvalHint(deps),
      ...(form.roleLifetime ? { roleLifetime: form.roleLifetime } : {}),
    });
    await updateView(deps, client, viewId, undefined, view);
  };
  const next = form.chain.then(run, run);
  form.chain = next.catch(() => undefined);
  deps.work.run('create form update', () => next);
}

export async function openCreateModal(
  deps: HandlerDeps,
  client: WebClient,
  triggerId: string,
  given: CreatePrefill,
  meta: CreateMetadata,
  userId: string,
  respond?: RespondFn,
): Promise<void> {
  const gpus = deps.gpu.choices();
  // The role's default lifetime, known at once unless a user group needs looking up (3 s).
  const role = roleLifetimeOf(deps, userId);
  const prefill =
    given.stopAfter === undefined && role !== undefined && role !== 'unknown'
      ? { ...given, stopAfter: role }
      : given;
  const lifetime = role !== undefined ? { roleLifetime: role } : {};
  const quote: QuoteState = prefill.gpuTypeId
    ? { state: 'loading' }
    : { state: 'incomplete', message: 'Pick a GPU type to see the price.' };
  let viewId: string | undefined;
  try {
    const res = await client.views.open({
      trigger_id: triggerId,
      view: createPodModal({
        prefill,
        gpus,
        volumes: null,
        quote,
        metadata: meta,
        ...approvalHint(deps),
        ...lifetime,
      }),
    });
    viewId = res.view?.id;
  } catch (e) {
    deps.logger.warn({ err: describe(e) }, 'could not open the create form');
    if (respond)
      await safeRespond(
        deps,
        respond,
        ephemeral('The create form could not open in time. Run `/pod create` again.'),
      );
    return;
  }
  if (!viewId) return;
  const form: FormState = {
    prefill,
    meta,
    volumes: null,
    quote,
    seq: 0,
    chain: Promise.resolve(),
    openedMs: Date.now(),
    roleLifetime: role,
  };
  forms(deps).set(viewId, form);
  // podbay's own record of the form: the submission is checked against it.
  const id = viewId;
  await deps.forms?.opened({ viewId: id, userId, channel: meta.channel, teamId: meta.team ?? null });
  // Now the slow part, from RunPod: the network volumes and the price.
  const seq = form.seq;
  queueUpdate(deps, client, viewId, form, async () => {
    const [volumes, q] = await Promise.all([loadVolumes(deps), quoteFor(deps, prefill)]);
    form.volumes = volumes;
    if (form.seq === seq) {
      form.quote = q;
      await recordQuoted(
        deps,
        id,
        q,
        prefill.gpuTypeId
          ? {
              gpuTypeId: prefill.gpuTypeId,
              gpuCount: prefill.gpuCount ?? 1,
              kind: prefill.kind ?? 'on-demand',
            }
          : null,
      );
    }
    return true;
  });
}

/** Stores what the form's quote is for, so a submission can be held to it. */
async function recordQuoted(
  deps: HandlerDeps,
  viewId: string,
  q: QuoteState,
  choice: SubmittedChoice | null,
): Promise<void> {
  await deps.forms
    ?.quoted(viewId, q.state === 'ready' ? choice : null)
    .catch((e: unknown) =>
      deps.logger.warn({ err: describe(e) }, 'could not record the quote of a create form'),
    );
}

/**
 * The policy's default lifetime for this user's role ("8h"), from the roles known without asking
 * Slack: 'unknown' when a user group would need looking up and the policy has some default;
 * undefined when there is none (or no policy).
 */
function roleLifetimeOf(deps: HandlerDeps, userId: string): string | undefined {
  const access = deps.access;
  if (!access || !Object.values(access.policy.lifetimes).some((ms) => ms !== null)) return undefined;
  const roles = access.roles.peek(userId);
  if (roles === null) return 'unknown';
  const d = roleLifetime(access.policy.lifetimes, roles);
  return d ? formatDuration(d.ms) : undefined;
}

/** The justification field and its hint, when the policy sends some creates for approval. */
function approvalHint(deps: HandlerDeps): { approvals?: ApprovalHint } {
  const p = deps.access?.policy;
  if (!p) return {};
  const q = p.requireApproval;
  const parts: string[] = [];
  if (q.podCreateAbovePerHour !== null) parts.push(`above ${usd(q.podCreateAbovePerHour)}/h`);
  if (q.gpuCountAbove !== null) parts.push(`with more than ${q.gpuCountAbove} GPUs`);
  if (!parts.length) return {};
  return {
    approvals: {
      rule: `Pods ${parts.join(' or ')} need approval; approvers read this.`,
      reasonRequired: p.approvals.requireReason,
    },
  };
}

/** Whether the create in the form will need approval, from the quote the form shows. */
function formNeedsApproval(deps: HandlerDeps, form: FormState | undefined, gpuCount: number): boolean {
  const q = deps.access?.policy.requireApproval;
  if (!q) return false;
  if (q.gpuCountAbove !== null && gpuCount > q.gpuCountAbove) return true;
  if (q.podCreateAbovePerHour === null) return false;
  const quote = form?.quote.state === 'ready' ? form.quote.quote : null;
  return quote?.perHourUsd == null || quote.perHourUsd > q.podCreateAbovePerHour;
}

async function loadVolumes(deps: HandlerDeps): Promise<VolumeChoice[] | null> {
  try {
    const vols = await deps.volumes.list();
    return vols.map((v) => ({ id: v.id, name: v.name, sizeGb: v.sizeGb, dataCenterId: v.dataCenterId }));
  } catch (e) {
    deps.logger.warn({ err: describe(e) }, 'could not list network volumes for the create form');
    return null;
  }
}

async function quoteFor(
  deps: HandlerDeps,
  p: { gpuTypeId?: string; gpuCount?: number; kind?: 'on-demand' | 'spot'; bidPerGpu?: number },
): Promise<QuoteState> {
  if (!p.gpuTypeId) return { state: 'incomplete', message: 'Pick a GPU type to see the price.' };
  try {
    const input: QuoteInput = {
      gpuTypeIds: [p.gpuTypeId],
      gpuCount: p.gpuCount ?? 1,
      kind: p.kind ?? 'on-demand',
    };
    if (p.kind === 'spot' && p.bidPerGpu) input.bidPerGpu = p.bidPerGpu;
    const quote = await deps.pods.quote(input);
    return { state: 'ready', quote };
  } catch (e) {
    return { state: 'error', message: `No price right now: ${asPodbayError(e).userMessage}` };
  }
}

async function updateView(
  deps: HandlerDeps,
  client: WebClient,
  viewId: string,
  hash: string | undefined,
  view: ModalView,
) {
  try {
    await client.views.update(hash ? { view_id: viewId, hash, view } : { view_id: viewId, view });
  } catch (e) {
    // hash_conflict: the person changed something meanwhile and a newer update is on its way.
    deps.logger.debug({ err: describe(e) }, 'create form update skipped');
  }
}

function parseMeta(raw: string | undefined, fallbackChannel: string): CreateMetadata {
  try {
    const m = JSON.parse(raw ?? '{}') as Partial<CreateMetadata>;
    if (typeof m.channel === 'string' && m.channel)
      return typeof m.team === 'string' ? { channel: m.channel, team: m.team } : { channel: m.channel };
  } catch {
    // fall through
  }
  return { channel: fallbackChannel };
}

/** The open view with its quote block replaced (everything else, including what was typed, stays). */
function withQuote(view: NonNullable<BlockAction['view']>, q: QuoteState): ModalView {
  const blocks = (view.blocks as Block[]).map((b) =>
    b.block_id === CREATE.quote.block ? (quoteBlocks(q)[0] as Block) : b,
  );
  const out: ModalView = {
    type: 'modal',
    callback_id: view.callback_id,
    title: { type: 'plain_text', text: view.title.text },
    private_metadata: view.private_metadata,
    blocks,
  };
  if (view.submit) out.submit = { type: 'plain_text', text: view.submit.text };
  if (view.close) out.close = { type: 'plain_text', text: view.close.text };
  return out;
}

// ---- create and follow ------------------------------------------------------------------------------

/** Fills the gaps of a prefill (from /pod create arguments or a retry button) to a full request. */
export function requestFromPrefill(
  p: CreatePrefill & { gpuTypeId: string },
  gpuName: string,
): CreatePodRequest {
  const r: CreatePodRequest = {
    label: p.label ?? gpuName,
    gpuTypeIds: [p.gpuTypeId],
    gpuCount: p.gpuCount ?? 1,
    kind: p.kind ?? 'on-demand',
    containerDiskInGb: p.diskGb ?? DEFAULT_DISK_GB,
    ports: p.ports ?? DEFAULT_PORTS,
  };
  if (p.templateId) r.templateId = p.templateId;
  else r.imageName = p.image ?? DEFAULT_IMAGE;
  if (p.bidPerGpu !== undefined && r.kind === 'spot') r.bidPerGpu = p.bidPerGpu;
  if (p.volumeGb) {
    r.volumeInGb = p.volumeGb;
    r.volumeMountPath = '/workspace';
  }
  if (p.networkVolumeId) r.networkVolumeId = p.networkVolumeId;
  // Absent: the role's default (decided by the service); "none": no lifetime.
  if (p.stopAfter !== undefined) r.lifetimeMs = parseStopAfter(p.stopAfter);
  return r;
}

/** The choices of a request, as a prefill to try again with (env values never carried). */
function retryPrefill(r: CreatePodRequest): CreatePrefill {
  const p: CreatePrefill = { label: r.label, gpuCount: r.gpuCount, kind: r.kind };
  if (r.gpuTypeIds[0]) p.gpuTypeId = r.gpuTypeIds[0];
  if (r.bidPerGpu !== undefined) p.bidPerGpu = r.bidPerGpu;
  if (r.imageName) p.image = r.imageName;
  if (r.templateId) p.templateId = r.templateId;
  if (r.containerDiskInGb !== undefined) p.diskGb = r.containerDiskInGb;
  if (r.volumeInGb !== undefined) p.volumeGb = r.volumeInGb;
  if (r.networkVolumeId) p.networkVolumeId = r.networkVolumeId;
  if (r.ports) p.ports = r.ports;
  if (r.lifetimeMs === null) p.stopAfter = NO_LIFETIME;
  else if (r.lifetimeMs !== undefined) p.stopAfter = formatDuration(r.lifetimeMs);
  return p;
}

/** One message that is posted once and then updated: chat.postMessage/chat.update, or the response_url. */
class ProgressMessage {
  private where: { channel: string; ts: string } | null = null;
  private viaRespond = false;

  /** Where the message was posted (null while not posted, or when it went through response_url). */
  get location(): { channel: string; ts: string } | null {
    return this.where;
  }

  constructor(
    private readonly deps: HandlerDeps,
    private readonly client: WebClient,
    private readonly channel: string,
    private readonly userId: string,
    private readonly respond: RespondFn | null,
  ) {}

  async show(shown: Message): Promise<void> {
    const msg = outgoing(shown);
    try {
      if (this.where) {
        await this.client.chat.update({
          channel: this.where.channel,
          ts: this.where.ts,
          text: msg.text,
          blocks: msg.blocks,
        });
        return;
      }
      if (this.viaRespond && this.respond) {
        await safeRespond(this.deps, this.respond, ephemeral(shown, true));
        return;
      }
      for (const channel of [this.channel, this.userId]) {
        try {
          const res = await this.client.chat.postMessage({ channel, text: msg.text, blocks: msg.blocks });
          if (res.ts && res.channel) {
            this.where = { channel: res.channel, ts: res.ts };
            return;
          }
        } catch (e) {
          // not_in_channel / channel_not_found (private channel, DM): try the next place.
          this.deps.logger.info(
            { err: describe(e) },
            'could not post the pod progress message here; trying the next place',
          );
        }
      }
      if (this.respond) {
        this.viaRespond = true;
        await safeRespond(this.deps, this.respond, ephemeral(shown));
      }
    } catch (e) {
      this.deps.logger.warn({ err: describe(e) }, 'could not update the pod progress message');
    }
  }
}

export async function startCreate(
  deps: HandlerDeps,
  client: WebClient,
  prefill: CreatePrefill & { gpuTypeId: string },
  request: CreatePodRequest | null,
  requester: Requester,
  meta: CreateMetadata,
  signal: AbortSignal,
  more: { respond?: RespondFn | null; justification?: string | null; idempotencyKey?: string } = {},
): Promise<void> {
  const respond = more.respond ?? null;
  const gpuName = deps.gpu.displayName(prefill.gpuTypeId);
  const req = request ?? requestFromPrefill(prefill, gpuName);
  const model: ProgressModel = {
    name: req.label,
    podId: null,
    requesterId: requester.userId,
    summary: `${req.gpuCount}× ${gpuName} · ${req.kind}`,
    quote: null,
    envKeys: (req.env ?? []).map((e) => e.key),
    state: { phase: 'submitted' },
  };
  const progress = new ProgressMessage(deps, client, meta.channel, requester.userId, respond);
  const show = (state: ProgressState, patch: Partial<ProgressModel> = {}) => {
    Object.assign(model, patch, { state });
    return progress.show(progressMessage(model));
  };
  await show({ phase: 'submitted' });

  let quote: PodQuote | null = null;
  try {
    const result = await deps.pods.create(req, requester, {
      justification: more.justification ?? null,
      origin: progress.location ?? { channel: meta.channel },
      progress: progress.location,
      ...(more.idempotencyKey ? { idempotencyKey: more.idempotencyKey } : {}),
    });
    if (result.outcome === 'duplicate')
      return void (await show({ phase: 'denied', message: result.message }, { name: result.name }));
    if (result.outcome !== 'denied') quote = result.quote;
    if (result.outcome === 'needs-approval')
      return void (await show(
        { phase: 'needs-approval', message: result.message, requestId: result.requestId },
        { name: result.name, quote },
      ));
    if (result.outcome === 'denied')
      return void (await show({ phase: 'denied', message: result.message }, { name: result.name }));
    await show(
      { phase: 'starting', message: result.message },
      { name: result.pod.name, podId: result.pod.id, quote },
    );
    // The later messages replace the create's: they keep saying when podbay stops the pod.
    const note = result.lifetime ? ` It ${result.lifetime.note}.` : '';
    const followed = await deps.pods.follow(result.pod.id, {
      signal,
      ...(deps.follow?.intervalSec !== undefined ? { intervalSec: deps.follow.intervalSec } : {}),
      ...(deps.follow?.timeoutSec !== undefined ? { timeoutSec: deps.follow.timeoutSec } : {}),
      onUpdate: (u: PodProgressUpdate) => {
        if (u.phase === 'starting' || u.phase === 'pulling')
          return show({ phase: u.phase, message: `${u.message}${note}` });
      },
    });
    await show(finalState(followed, req, result.pod.id, note));
  } catch (e) {
    const err = asPodbayError(e);
    if (!isPodbayError(e)) deps.logger.error({ err: describe(e) }, 'pod create failed unexpectedly');
    if (e instanceof CreateOutcomeUnknownError) {
      await show(
        {
          phase: 'failed',
          reason: err.userMessage,
          nextStep: err.hint ?? '',
          alternatives: [],
          retry: null,
          check: e.podName,
        },
        { name: e.podName, quote },
      );
      return;
    }
    const alternatives = e instanceof NoCapacityError ? e.alternatives : [];
    const nextStep =
      alternatives.length > 0
        ? 'Pick another GPU type below (the form opens with your other choices kept), or try again later.'
        : (err.hint ?? 'Check the choices and try again.');
    await show(
      { phase: 'failed', reason: err.userMessage, nextStep, alternatives, retry: retryPrefill(req) },
      { quote },
    );
  }
}

function finalState(r: FollowResult, req: CreatePodRequest, podId: string, note = ''): ProgressState {
  if (r.outcome === 'running')
    return {
      phase: 'running',
      message: `${r.message}${note}`,
      connections: r.connections,
      costPerHr: r.pod.costPerHr,
    };
  // A timeout says nothing about the pod: offer to look again, not to create a second one.
  if (r.phase === 'timeout')
    return {
      phase: 'failed',
      reason: r.reason,
      nextStep: r.nextStep,
      alternatives: [],
      retry: null,
      check: podId,
    };
  return {
    phase: 'failed',
    reason: r.reason,
    nextStep: r.nextStep,
    alternatives: [],
    retry: retryPrefill(req),
  };
}

// ---- listeners ---------------------------------------------------------------------------------------

function parsePrefill(raw: string | undefined): CreatePrefill {
  try {
    const v = JSON.parse(raw ?? '{}') as Record<string, unknown>;
    const p: CreatePrefill = {};
    const str = (k: string) =>
      typeof v[k] === 'string' && (v[k] as string).length <= 300 ? (v[k] as string) : undefined;
    const num = (k: string) =>
      typeof v[k] === 'number' && Number.isFinite(v[k]) ? (v[k] as number) : undefined;
    const set = <K extends keyof CreatePrefill>(k: K, val: CreatePrefill[K] | undefined) => {
      if (val !== undefined) p[k] = val;
    };
    set('label', str('label'));
    set('gpuTypeId', str('gpuTypeId'));
    set('gpuCount', num('gpuCount'));
    set('kind', v.kind === 'spot' ? 'spot' : v.kind === 'on-demand' ? 'on-demand' : undefined);
    set('bidPerGpu', num('bidPerGpu'));
    set('image', str('image'));
    set('templateId', str('templateId'));
    set('diskGb', num('diskGb'));
    set('volumeGb', num('volumeGb'));
    set('networkVolumeId', str('networkVolumeId'));
    set('env', str('env'));
    set('ports', str('ports'));
    set('stopAfter', str('stopAfter'));
    return p;
  } catch {
    return {};
  }
}

export function registerCreateFlow(app: Routes, deps: HandlerDeps): void {
  // "Create pod" buttons (on /gpu options and on a failed create): open the modal prefilled.
  app.action<BlockButtonAction>(
    new RegExp(`^${ACTIONS.podCreateOpen.replace(/\./g, '\\.')}(\\.\\d+)?$`),
    async ({
      ack,
      body,
      action,
      client,
      respond,
    }: SlackActionMiddlewareArgs<BlockButtonAction> & { client: WebClient }) => {
      await ack();
      const channel = body.channel?.id ?? (body.container?.channel_id as string | undefined) ?? body.user.id;
      const team = body.team?.id ?? body.user.team_id;
      await openCreateModal(
        deps,
        client,
        body.trigger_id,
        parsePrefill(action.value),
        team ? { channel, team } : { channel },
        body.user.id,
        respond,
      );
    },
  );

  // GPU, count or pricing changed inside the modal: a fresh quote.
  for (const actionId of QUOTE_INPUTS) {
    app.action<BlockAction>(
      actionId,
      async ({ ack, body, client }: SlackActionMiddlewareArgs<BlockAction> & { client: WebClient }) => {
        await ack();
        const view = body.view;
        if (!view) return;
        const values = view.state.values as StateValues;
        const input = readQuoteInput(values);
        const form = forms(deps).get(view.id);
        const compute = (): Promise<QuoteState> =>
          'missing' in input
            ? Promise.resolve({ state: 'incomplete', message: input.missing })
            : quoteFor(deps, {
                gpuTypeId: input.gpuTypeIds[0] as string,
                gpuCount: input.gpuCount,
                kind: input.kind,
                ...(input.bidPerGpu !== undefined ? { bidPerGpu: input.bidPerGpu } : {}),
              });
        const choice: SubmittedChoice | null =
          'missing' in input
            ? null
            : { gpuTypeId: input.gpuTypeIds[0] as string, gpuCount: input.gpuCount, kind: input.kind };
        if (!form) {
          // Opened by another podbay process (or before a restart): update what Slack sent us.
          deps.work.run('create form: re-quote', async () => {
            const q = await compute();
            await recordQuoted(deps, view.id, q, choice);
            await updateView(deps, client, view.id, view.hash, withQuote(view, q));
          });
          return;
        }
        const seq = ++form.seq;
        const pending = compute();
        queueUpdate(deps, client, view.id, form, async () => {
          const q = await pending;
          if (seq !== form.seq) return false;
          form.quote = q;
          await recordQuoted(deps, view.id, q, choice);
          return true;
        });
      },
    );
  }

  app.view(
    VIEWS.podCreate,
    async ({
      ack,
      body,
      view,
      client,
    }: SlackViewMiddlewareArgs<ViewSubmitAction> & { client: WebClient }) => {
      const form = readCreateForm(view.state.values as StateValues, {
        reasonRequired: deps.access?.policy.approvals.requireReason ?? false,
      });
      if (!form.ok) {
        await ack({ response_action: 'errors', errors: form.errors });
        return;
      }
      const open = forms(deps).get(view.id);
      const request = form.request;
      // Held to podbay's own record of the form: who opened it, where the outcome goes, what was quoted.
      let stored: StoredForm | null = null;
      if (deps.forms) {
        try {
          stored = await deps.forms.check(view.id, body.user.id, {
            gpuTypeId: request.gpuTypeIds[0] as string,
            gpuCount: request.gpuCount,
            kind: request.kind,
          });
        } catch (e) {
          const err = asPodbayError(e);
          const block = err.code === 'CONFLICT' ? CREATE.gpu.block : CREATE.label.block;
          await ack({ response_action: 'errors', errors: { [block]: err.toUserText() } });
          return;
        }
        await deps.forms.done(view.id);
      }
      if (formNeedsApproval(deps, open, request.gpuCount)) {
        // Say so on submit; the request itself is made (with a fresh quote) after the ack.
        await ack({
          response_action: 'update',
          view: sentForApprovalView(deps.access?.policy.approvals.channel ?? null),
        });
      } else {
        await ack();
      }
      const requester = requesterOf(body.user, body.team?.id ?? body.user.team_id);
      const meta: CreateMetadata = stored
        ? { channel: stored.channel, ...(stored.teamId ? { team: stored.teamId } : {}) }
        : parseMeta(view.private_metadata, body.user.id);
      forms(deps).delete(view.id);
      const gpuTypeId = request.gpuTypeIds[0] as string;
      deps.work.run('pod create', (signal) =>
        startCreate(deps, client, { gpuTypeId }, request, requester, meta, signal, {
          justification: form.justification,
          idempotencyKey: `form:${view.id}`,
        }),
      );
    },
  );
}
