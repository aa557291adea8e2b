// Pod row buttons (status, stop, resume, terminate) and list pages. A click re-reads the pod in the
// service and acts only when the action still makes sense; a repeat click says so instead of failing.
import type { BlockButtonAction, RespondFn, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import { AmbiguousPodError, type PodScope, type Requester } from '../../services/pods.ts';
import { type HandlerDeps, requesterOf } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { ACTIONS } from '../ids.ts';
import { ephemeral, safeRespond, withErrors } from '../reply.ts';
import { askReasonModal } from '../views/approvals.ts';
import { noticeMessage } from '../views/common.ts';
import { describe } from '../work.ts';
import {
  type PodAction,
  podActionMessage,
  podChoiceMessage,
  podListMessage,
  podPartialMatchMessage,
  podStatusMessage,
  podTerminateConfirmMessage,
} from '../views/pods.ts';

export async function showPodList(
  deps: HandlerDeps,
  respond: RespondFn,
  q: { scope: PodScope; page: number; userId: string },
  replaceOriginal = false,
): Promise<void> {
  const pods = await deps.pods.list({ scope: q.scope, userId: q.userId });
  await safeRespond(deps, respond, ephemeral(podListMessage({ pods, ...q }), replaceOriginal));
}

export async function showPodStatus(
  deps: HandlerDeps,
  respond: RespondFn,
  ref: string,
  fromClick: boolean,
): Promise<void> {
  // A button carries an exact id; typed text may be part of a name.
  const r = await deps.pods.status(ref, { exact: fromClick });
  if (r.kind === 'found') await safeRespond(deps, respond, ephemeral(podStatusMessage(r.pod)));
  else if (r.kind === 'ambiguous')
    await safeRespond(deps, respond, ephemeral(podChoiceMessage(ref, r.candidates, 'status')));
  else
    await safeRespond(
      deps,
      respond,
      ephemeral(noticeMessage(':mag:', `No pod matches “${ref}”. /pod list shows the pods there are.`)),
    );
}

/** Typed terminate: show the pod with a Terminate button (which asks once more); never delete at once. */
export async function confirmTerminate(deps: HandlerDeps, respond: RespondFn, ref: string): Promise<void> {
  const r = await deps.pods.resolve(ref);
  if (r.kind === 'found') await safeRespond(deps, respond, ephemeral(podTerminateConfirmMessage(r.pod)));
  else if (r.kind === 'ambiguous')
    await safeRespond(deps, respond, ephemeral(podChoiceMessage(ref, r.candidates, 'terminate')));
  else
    await safeRespond(
      deps,
      respond,
      ephemeral(
        noticeMessage(
          ':mag:',
          `No pod matches “${ref}”; it may be gone already. /pod list shows the pods there are.`,
        ),
      ),
    );
}

export async function runPodAction(
  deps: HandlerDeps,
  respond: RespondFn,
  action: PodAction,
  ref: string,
  requester: Requester,
  fromClick: boolean,
): Promise<void> {
  let target = ref;
  if (!fromClick) {
    // Typed: an exact id or name acts; part of a name only shows the pod and asks.
    const r = await deps.pods.resolve(ref);
    if (r.kind === 'ambiguous')
      return void (await safeRespond(deps, respond, ephemeral(podChoiceMessage(ref, r.candidates, action))));
    if (r.kind === 'found' && r.match === 'partial')
      return void (await safeRespond(deps, respond, ephemeral(podPartialMatchMessage(ref, r.pod, action))));
    if (r.kind === 'found') target = r.pod.id;
  }
  try {
    const result =
      action === 'stop'
        ? await deps.pods.stop(target, requester)
        : action === 'resume'
          ? await deps.pods.resume(target, requester)
          : await deps.pods.terminate(target, requester);
    await safeRespond(deps, respond, ephemeral(podActionMessage(result)));
  } catch (e) {
    if (e instanceof AmbiguousPodError) {
      await safeRespond(deps, respond, ephemeral(podChoiceMessage(ref, e.candidates, action)));
      return;
    }
    throw e;
  }
}

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & { client: unknown };

function podIdOf(args: ButtonArgs): string {
  return (args.action.value ?? '').trim();
}

export function registerPodButtons(app: Routes, deps: HandlerDeps): void {
  const act = (action: PodAction) => async (args: ButtonArgs) => {
    await args.ack();
    const { body, respond } = args;
    const rule = action === 'terminate' ? deps.access?.approvalFor('pod.terminate') : null;
    if (rule && podIdOf(args) && deps.access?.quickAllows(body.user.id, 'pod.terminate') !== false) {
      // Goes to approvers: ask why first (the trigger lives 3 s, so before any RunPod call).
      const required = deps.access?.policy.approvals.requireReason ?? false;
      const opened = await (args.client as webApi.WebClient).views
        .open({ trigger_id: body.trigger_id, view: askReasonModal(podIdOf(args), rule, required) })
        .then(() => true)
        .catch((e: unknown) => {
          deps.logger.warn({ err: describe(e) }, 'could not open the reason form');
          return false;
        });
      if (opened) return;
    }
    const requester = requesterOf(body.user, body.team?.id ?? body.user.team_id);
    const podId = podIdOf(args);
    deps.work.run(`pod ${action} click`, () =>
      withErrors(deps, respond, async () => {
        if (!podId)
          return void (await safeRespond(deps, respond, ephemeral('That button has no pod on it.')));
        await runPodAction(deps, respond, action, podId, requester, true);
      }),
    );
  };
  app.action<BlockButtonAction>(ACTIONS.podStop, act('stop'));
  app.action<BlockButtonAction>(ACTIONS.podResume, act('resume'));
  app.action<BlockButtonAction>(ACTIONS.podTerminate, act('terminate'));

  // After an unknown create outcome: look the pod up by its exact name (or id), never create again.
  app.action<BlockButtonAction>(ACTIONS.podCheck, async (args) => {
    await args.ack();
    const ref = podIdOf(args);
    deps.work.run('pod check click', () =>
      withErrors(deps, args.respond, async () => {
        const r = await deps.pods.status(ref, { exact: true });
        const msg =
          r.kind === 'found'
            ? podStatusMessage(r.pod)
            : noticeMessage(
                ':mag:',
                `RunPod has no pod named “${ref}”, so it was not created and nothing is billed. \`/pod create\` makes a new one.`,
              );
        await safeRespond(deps, args.respond, ephemeral(msg));
      }),
    );
  });

  app.action<BlockButtonAction>(ACTIONS.podStatus, async (args) => {
    await args.ack();
    const podId = podIdOf(args);
    deps.work.run('pod status click', () =>
      withErrors(deps, args.respond, () => showPodStatus(deps, args.respond, podId, true)),
    );
  });

  const page = async (args: ButtonArgs) => {
    await args.ack();
    let q: { s?: unknown; p?: unknown } = {};
    try {
      q = JSON.parse(args.action.value ?? '{}') as typeof q;
    } catch {
      // a damaged value falls back to the first page of all pods
    }
    const scope: PodScope = q.s === 'mine' ? 'mine' : 'all';
    const p = typeof q.p === 'number' && Number.isInteger(q.p) && q.p >= 0 ? q.p : 0;
    deps.work.run('pod list page', () =>
      withErrors(deps, args.respond, () =>
        showPodList(deps, args.respond, { scope, page: p, userId: args.body.user.id }, true),
      ),
    );
  };
  app.action<BlockButtonAction>(ACTIONS.podListPrev, page);
  app.action<BlockButtonAction>(ACTIONS.podListNext, page);
}
