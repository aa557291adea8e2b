// Approve, Deny (with a reason modal) and Withdraw. The click's value is only a request id: the
// service looks the request up and checks the person who clicked (never who posted the message).
import type { BlockButtonAction, RespondFn, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import type { DecisionResult, MessageRef } from '../../services/approvals.ts';
import { type HandlerDeps, requesterOf } from '../deps.ts';
import { ACTIONS, ASK, DENY, VIEWS } from '../ids.ts';
import { ephemeral, outgoing, safeRespond, withErrors } from '../reply.ts';
import type { Routes, ViewArgs } from '../routes.ts';
import { denyReasonModal } from '../views/approvals.ts';
import type { Message } from '../views/blocks.ts';
import { errorMessage, noticeMessage } from '../views/common.ts';
import { podActionMessage } from '../views/pods.ts';
import { describe } from '../work.ts';

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & { client: webApi.WebClient };

/** The message a button was clicked on (a decision counts only on the request's own message). */
function clickedOn(body: BlockButtonAction): MessageRef | undefined {
  const c = body.container as { message_ts?: string; channel_id?: string } | undefined;
  const ts = c?.message_ts ?? body.message?.ts;
  const channel = c?.channel_id ?? body.channel?.id;
  return ts && channel ? { channel, ts } : undefined;
}

const ICON: Record<DecisionResult['outcome'], string> = {
  done: ':white_check_mark:',
  failed: ':warning:',
  denied: ':no_entry:',
  withdrawn: ':leftwards_arrow_with_hook:',
  requoted: ':raised_hand:',
  expired: ':hourglass:',
  refused: ':no_entry_sign:',
};

async function tell(deps: HandlerDeps, respond: RespondFn, r: DecisionResult): Promise<void> {
  await safeRespond(deps, respond, ephemeral(noticeMessage(ICON[r.outcome], r.message)));
}

export function registerApprovalButtons(app: Routes, deps: HandlerDeps): void {
  const approvals = deps.approvals;

  app.action<BlockButtonAction>(
    ACTIONS.approvalApprove,
    async ({ ack, body, action, respond }: ButtonArgs) => {
      await ack();
      const approver = requesterOf(body.user, body.team?.id ?? body.user.team_id);
      deps.work.run('approve click', () =>
        withErrors(deps, respond, async () => {
          if (!approvals)
            return tell(deps, respond, { outcome: 'refused', message: 'Approvals are not set up here.' });
          await tell(deps, respond, await approvals.approve(action.value ?? '', approver, clickedOn(body)));
        }),
      );
    },
  );

  app.action<BlockButtonAction>(
    ACTIONS.approvalDeny,
    async ({ ack, body, action, client, respond }: ButtonArgs) => {
      await ack();
      const id = action.value ?? '';
      // The modal must open within the trigger's 3 s, so only the store is read first; the decider is
      // checked when the reason is submitted.
      const req = approvals ? await approvals.get(id) : null;
      const mayDecide =
        req !== null &&
        req.userId !== body.user.id &&
        deps.access?.quickAllows(body.user.id, 'approval.decide') !== false;
      if (req?.status !== 'pending' || !mayDecide) {
        const approver = requesterOf(body.user, body.team?.id ?? body.user.team_id);
        deps.work.run('deny click', () =>
          withErrors(deps, respond, async () => {
            if (!approvals) return;
            // Refused and audited by the same checks a decision goes through.
            const r = await approvals.refusal(id, approver, 'approval.deny', clickedOn(body));
            await tell(deps, respond, r ?? { outcome: 'refused', message: 'Click Deny again.' });
          }),
        );
        return;
      }
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: denyReasonModal(req) });
      } catch (e) {
        deps.logger.warn({ err: describe(e) }, 'could not open the deny form');
        await safeRespond(
          deps,
          respond,
          ephemeral('The deny form could not open in time. Click Deny again.'),
        );
      }
    },
  );

  app.action<BlockButtonAction>(
    ACTIONS.approvalWithdraw,
    async ({ ack, body, action, respond }: ButtonArgs) => {
      await ack();
      const requester = requesterOf(body.user, body.team?.id ?? body.user.team_id);
      deps.work.run('withdraw click', () =>
        withErrors(deps, respond, async () => {
          if (!approvals) return;
          await tell(deps, respond, await approvals.withdraw(action.value ?? '', requester));
        }),
      );
    },
  );

  // The "why" form before a terminate goes to approvers: the service re-resolves the pod by id,
  // checks the person who submitted and opens the request.
  app.view(VIEWS.approvalReason, async ({ ack, body, view, client }: ViewArgs) => {
    const why = view.state.values[ASK.reason.block]?.[ASK.reason.action]?.value?.trim() ?? '';
    if (!why && deps.access?.policy.approvals.requireReason) {
      await ack({
        response_action: 'errors',
        errors: { [ASK.reason.block]: 'Say why: the approvers read it.' },
      });
      return;
    }
    await ack();
    const requester = requesterOf(body.user, body.team?.id ?? body.user.team_id);
    deps.work.run('terminate request', async () => {
      let msg: Message;
      try {
        msg = podActionMessage(
          await deps.pods.terminate(view.private_metadata, requester, { justification: why || null }),
        );
      } catch (e) {
        msg = errorMessage(e);
      }
      await client.chat
        .postMessage({ channel: body.user.id, ...outgoing(msg) })
        .catch((e: unknown) => deps.logger.warn({ err: describe(e) }, 'could not tell the requester'));
    });
  });

  app.view(VIEWS.approvalDeny, async ({ ack, body, view, client }: ViewArgs) => {
    const reason = view.state.values[DENY.reason.block]?.[DENY.reason.action]?.value?.trim() ?? '';
    if (!reason) {
      await ack({
        response_action: 'errors',
        errors: { [DENY.reason.block]: 'Say why: the requester reads it.' },
      });
      return;
    }
    await ack();
    const approver = requesterOf(body.user, body.team?.id ?? body.user.team_id);
    deps.work.run('deny submit', async () => {
      if (!approvals) return;
      const r = await approvals.deny(view.private_metadata, approver, reason);
      if (r.outcome === 'denied') return;
      // A refusal has no response_url here: tell the person who submitted by DM.
      const msg = outgoing(noticeMessage(ICON[r.outcome], r.message));
      await client.chat
        .postMessage({ channel: body.user.id, text: msg.text, blocks: msg.blocks })
        .catch((e: unknown) => deps.logger.warn({ err: describe(e) }, 'could not tell the decider'));
    });
  });
}
