// Approval requests in Slack: the message approvers see (Approve / Deny while pending, who decided
// afterwards), the Deny reason modal, and what the requester is told. Buttons carry the request id only.
import type { ApprovalEvent, ApprovalRecord } from '../../services/approvals.ts';
import { describeStatus } from '../../services/approvals.ts';
import { ACTIONS, ASK, DENY, VIEWS } from '../ids.ts';
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  clip,
  confirmDialog,
  context,
  esc,
  escSentence,
  fieldsSection,
  type Message,
  type ModalView,
  plain,
  section,
} from './blocks.ts';
import { slackDate } from './format.ts';
import { quoteText } from './quote.ts';

const STATUS_ICON: Record<ApprovalRecord['status'], string> = {
  pending: ':raised_hand:',
  approved: ':white_check_mark:',
  executing: ':white_check_mark:',
  done: ':white_check_mark:',
  failed: ':warning:',
  denied: ':no_entry:',
  expired: ':hourglass:',
  withdrawn: ':leftwards_arrow_with_hook:',
};

const when = (iso: string): string => slackDate(Date.parse(iso));

/** Approve (confirmed) and Deny for a pending request; the value is the request id alone. */
export function decisionButtons(requestId: string, summary: string): ButtonElement[] {
  return [
    button(ACTIONS.approvalApprove, 'Approve', requestId, {
      style: 'primary',
      confirm: confirmDialog('Approve this request?', `${clip(summary, 200)} for the requester.`, 'Approve'),
    }),
    button(ACTIONS.approvalDeny, 'Deny', requestId, { style: 'danger' }),
  ];
}

export function withdrawButton(requestId: string): ButtonElement {
  return button(ACTIONS.approvalWithdraw, 'Withdraw request', requestId, {
    confirm: confirmDialog(
      'Withdraw this request?',
      'The approvers will see it was withdrawn.',
      'Withdraw',
      'danger',
    ),
  });
}

/** The request as approvers see it, in any state. */
export function approvalRequestMessage(r: ApprovalRecord): Message {
  const p = r.payload;
  const pending = r.status === 'pending';
  const title = `${STATUS_ICON[r.status]} <@${r.userId}> asks to *${esc(clip(p.summary, 400))}*`;
  const blocks: Block[] = [section(title)];
  const fields = [`*Why approval*\n${escSentence(clip(p.rule, 900))}`];
  fields.push(`*Reason given*\n${p.justification ? esc(clip(p.justification, 900)) : '_none_'}`);
  if (p.quote) fields.push(`*Quote*\n${esc(quoteText(p.quote))}`);
  if (p.params.envKeys && Array.isArray(p.params.envKeys) && p.params.envKeys.length)
    fields.push(`*Env*\n${esc(clip((p.params.envKeys as string[]).join(', '), 300))} (values hidden)`);
  fields.push(pending ? `*Expires*\n${when(p.expiresAt)}` : `*Status*\n${escSentence(describeStatus(r))}`);
  blocks.push(fieldsSection(fields));
  if (pending) {
    blocks.push(actions(`approval:${r.id}`, decisionButtons(r.id, p.summary)));
  } else {
    const outcome = outcomeLine(r);
    if (outcome) blocks.push(section(outcome));
  }
  blocks.push(
    context(
      `Request \`${r.id}\` · asked ${when(r.createdAt)}${p.supersedes ? ` · replaces \`${p.supersedes}\`` : ''}`,
    ),
  );
  const text = `${pending ? 'Approval needed' : describeStatus(r)}: <@${r.userId}> asks to ${p.summary}`;
  return { text: clip(text, 3000), blocks };
}

function outcomeLine(r: ApprovalRecord): string | null {
  const by = r.decidedBy ? `<@${r.decidedBy}>` : 'someone';
  const result = r.payload.result ? ` ${escSentence(clip(r.payload.result, 2000))}` : '';
  switch (r.status) {
    case 'approved':
    case 'executing':
      return `:white_check_mark: Approved by ${by}; running it now.`;
    case 'done':
      return `:white_check_mark: Approved by ${by}.${result}`;
    case 'failed':
      return `:warning: ${r.decidedBy ? `Approved by ${by}, but it did not run.` : 'It did not run.'}${result}`;
    case 'denied':
      return `:no_entry: Denied by ${by}: ${esc(clip(r.reason ?? '', 1500))}`;
    case 'expired':
      return ':hourglass: Expired without a decision; the requester can ask again.';
    case 'withdrawn':
      return ':leftwards_arrow_with_hook: Withdrawn by the requester.';
    default:
      return null;
  }
}

/** What the requester (and the request's thread) is told about a change. */
export function approvalEventText(r: ApprovalRecord, e: ApprovalEvent): string {
  const what = r.payload.summary;
  switch (e.kind) {
    case 'approved':
      return `Your request to ${what} was approved by <@${e.by}>; running it now.`;
    case 'executed':
      return `Done: ${r.payload.result ?? what}`;
    case 'failed':
      return `Your approved request to ${what} did not run: ${r.payload.result ?? 'it failed'}`;
    case 'denied':
      return `Your request to ${what} was denied by <@${e.by}>: ${e.reason}`;
    case 'expired':
      return `Your request to ${what} expired without a decision. Ask again if you still need it.`;
    case 'withdrawn':
      return `You withdrew your request to ${what}.`;
    case 'requoted':
      return `Your request to ${what} went back to the approvers: ${r.payload.result ?? 'the price changed'} (new request ${e.next.id}).`;
  }
}

/** A short message for the requester: the event as text, escaped, with mentions kept. */
export function approvalEventMessage(r: ApprovalRecord, e: ApprovalEvent): Message {
  const text = approvalEventText(r, e);
  // The deny reason is typed by a person: escape it fully; the rest is podbay's own sentence.
  const shown =
    e.kind === 'denied'
      ? `Your request to ${esc(r.payload.summary)} was denied by <@${e.by}>: ${esc(e.reason)}`
      : escSentence(text);
  return { text: clip(text, 3000), blocks: [section(`${STATUS_ICON[r.status]} ${clip(shown, 2900)}`)] };
}

/** The Deny modal: a reason is required (the requester reads it). */
export function denyReasonModal(r: ApprovalRecord): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.approvalDeny,
    private_metadata: r.id,
    title: plain('Deny request'),
    submit: plain('Deny'),
    close: plain('Cancel'),
    blocks: [
      section(`<@${r.userId}> asks to *${esc(clip(r.payload.summary, 400))}*.`),
      {
        type: 'input',
        block_id: DENY.reason.block,
        label: plain('Why do you deny it?'),
        element: {
          type: 'plain_text_input',
          action_id: DENY.reason.action,
          multiline: true,
          max_length: 500,
          placeholder: plain('The requester sees this.'),
        },
      },
    ],
  };
}

/** Before a terminate that needs approval: why (required when the policy says so). */
export function askReasonModal(podId: string, rule: string, required: boolean): ModalView {
  return {
    type: 'modal',
    callback_id: VIEWS.approvalReason,
    private_metadata: podId,
    title: plain('Ask for approval'),
    submit: plain('Send request'),
    close: plain('Cancel'),
    blocks: [
      section(`Terminating pod \`${esc(clip(podId, 100))}\` needs someone else’s approval: ${esc(rule)}.`),
      {
        type: 'input',
        block_id: ASK.reason.block,
        label: plain('Why (for approvers)'),
        optional: !required,
        element: { type: 'plain_text_input', action_id: ASK.reason.action, multiline: true, max_length: 500 },
      },
    ],
  };
}
