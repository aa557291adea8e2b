// Identifiers shared by views (which put them on buttons and modals) and actions (which listen for them).
// Kept short: Slack caps action_id / block_id / callback_id at 255 characters.

export const COMMANDS = {
  gpu: '/gpu',
  pod: '/pod',
  volume: '/volume',
  endpoint: '/endpoint',
  spend: '/spend',
  podbay: '/podbay',
} as const;

export const ACTIONS = {
  /** Pod row buttons; value = pod id. */
  podStop: 'pod.stop',
  podResume: 'pod.resume',
  podTerminate: 'pod.terminate',
  podStatus: 'pod.status',
  /** After an unknown create outcome: value = the exact pod name (or id) to look up. */
  podCheck: 'pod.check',
  /** Opens the create modal; value = JSON prefill (GPU, count, env defaults). */
  podCreateOpen: 'pod.create.open',
  /** Pod list pages; value = JSON { s: scope, p: page }. */
  podListPrev: 'pod.list.prev',
  podListNext: 'pod.list.next',
  /** Confirmed deletes from a typed command; value = JSON { id: exact id, why: reason or null }. */
  volumeDelete: 'volume.delete',
  endpointDelete: 'endpoint.delete',
  /** Approval request buttons; value = the request id and nothing else. */
  approvalApprove: 'approval.approve',
  approvalDeny: 'approval.deny',
  approvalWithdraw: 'approval.withdraw',
  /** Alert buttons; value = the alert's key and nothing else (the alert is looked up). */
  alertStop: 'alert.stop',
  alertSnooze1h: 'alert.snooze.1h',
  alertSnooze4h: 'alert.snooze.4h',
  alertKeep: 'alert.keep',
  alertTerminate: 'alert.terminate',
  alertExtend2h: 'alert.extend.2h',
  alertExtend8h: 'alert.extend.8h',
  alertResume: 'alert.resume',
  alertRecreate: 'alert.recreate',
  alertDismiss: 'alert.dismiss',
  /** Home tab: opens the "which GPU" question modal (no value). */
  homeAskGpu: 'home.gpu.ask',
} as const;

/** Modal callback ids. */
export const VIEWS = {
  podCreate: 'pod.create',
  /** The Deny reason modal; private_metadata = the request id (looked up again on submit). */
  approvalDeny: 'approval.deny',
  /** "Why?" before a gated action is sent for approval; private_metadata = the pod id (re-resolved). */
  approvalReason: 'approval.reason',
  /** The Home tab's "Ask which GPU" question; the answer is sent to the person by DM. */
  homeAskGpu: 'home.gpu.ask',
} as const;

/** Slack events podbay subscribes to (manifest: settings.event_subscriptions.bot_events). */
export const EVENTS = {
  appHomeOpened: 'app_home_opened',
} as const;

/** Input of the Home tab's "which GPU" modal. */
export const HOME = {
  question: { block: 'home_gpu_question', action: 'home_gpu_question' },
} as const;

/** Inputs of the Deny modal. */
export const DENY = {
  reason: { block: 'deny_reason', action: 'deny_reason' },
} as const;

/** Input of the "why" modal before a request. */
export const ASK = {
  reason: { block: 'ask_reason', action: 'ask_reason' },
} as const;

/** Block / action ids inside the create-pod modal (stable across views.update, so Slack keeps what was typed). */
export const CREATE = {
  label: { block: 'label', action: 'label' },
  gpu: { block: 'gpu', action: 'pod.create.gpu' },
  count: { block: 'count', action: 'pod.create.count' },
  kind: { block: 'kind', action: 'pod.create.kind' },
  bid: { block: 'bid', action: 'bid' },
  image: { block: 'image', action: 'image' },
  template: { block: 'template', action: 'template' },
  disk: { block: 'disk', action: 'disk' },
  volume: { block: 'volume', action: 'volume' },
  networkVolume: { block: 'network_volume', action: 'network_volume' },
  /** "secret" in the action id tells the console to mask what is typed. */
  env: { block: 'env', action: 'env.secret' },
  ports: { block: 'ports', action: 'ports' },
  /** stop_after: how long until podbay stops the pod ("8h"; "none"; empty = the role's default). */
  stopAfter: { block: 'stop_after', action: 'stop_after' },
  /** Why the pod is needed, for approvers (shown when the policy has approval rules). */
  justification: { block: 'justification', action: 'justification' },
  quote: { block: 'quote' },
} as const;

/** Modal inputs whose change asks for a fresh quote (dispatch_action). */
export const QUOTE_INPUTS: readonly string[] = [CREATE.gpu.action, CREATE.count.action, CREATE.kind.action];
