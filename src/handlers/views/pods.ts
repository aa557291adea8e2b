// Pod messages: the paginated list, one pod's status, "which pod did you mean", action outcomes.
import type { PodStatus } from '../../services/domain.ts';
import type { PodConnection } from '../../services/pod-progress.ts';
import type { OwnedPod, PodActionResult, PodDetails, PodScope } from '../../services/pods.ts';
import { ACTIONS } from '../ids.ts';
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  clip,
  confirmDialog,
  context,
  divider,
  esc,
  escSentence,
  fieldsSection,
  header,
  type Message,
  section,
} from './blocks.ts';
import { duration, gpuLabel, owner, perHour, plural, STATUS_ICON, outcomeIcon } from './format.ts';

/** Pods per page: 2 blocks each keeps a page far under Slack's 50 blocks and ~12k characters. */
export const POD_PAGE_SIZE = 10;
/** Candidates shown when a reference matches several pods. */
export const MAX_CHOICES = 15;

export type PodAction = 'stop' | 'resume' | 'terminate';

const STOPPABLE: PodStatus[] = ['RUNNING', 'CREATED', 'RESTARTING'];
const RESUMABLE: PodStatus[] = ['EXITED', 'PAUSED'];

export function stopButton(pod: { id: string; name: string }): ButtonElement {
  return button(ACTIONS.podStop, 'Stop', pod.id, {
    confirm: confirmDialog(
      `Stop ${pod.name}?`,
      'Billing for the GPU stops. The volume disk is kept; the container disk is reset.',
      'Stop pod',
      'danger',
    ),
  });
}

export function resumeButton(pod: { id: string; name: string }): ButtonElement {
  return button(ACTIONS.podResume, 'Resume', pod.id, {
    style: 'primary',
    confirm: confirmDialog(
      `Resume ${pod.name}?`,
      'The pod starts again and is billed by the hour while it runs.',
      'Resume pod',
    ),
  });
}

export function terminateButton(pod: { id: string; name: string }): ButtonElement {
  return button(ACTIONS.podTerminate, 'Terminate', pod.id, {
    style: 'danger',
    confirm: confirmDialog(
      `Terminate ${pod.name}?`,
      'The pod and its disks are deleted for good (network volumes stay).',
      'Terminate',
      'danger',
    ),
  });
}

/** The buttons that make sense for a pod in its current status. */
export function podButtons(pod: OwnedPod, withStatus = true): ButtonElement[] {
  const out: ButtonElement[] = [];
  if (withStatus) out.push(button(ACTIONS.podStatus, 'Status', pod.id));
  if (STOPPABLE.includes(pod.status)) out.push(stopButton(pod));
  if (RESUMABLE.includes(pod.status)) out.push(resumeButton(pod));
  if (pod.status !== 'TERMINATED') out.push(terminateButton(pod));
  return out;
}

function podLine(pod: OwnedPod): string {
  const kind = pod.kind === 'other' ? '' : ` · ${pod.kind}`;
  const cost = pod.status === 'RUNNING' ? perHour(pod.costPerHr) : `${perHour(pod.costPerHr)} when running`;
  return (
    `${STATUS_ICON[pod.status]} *${esc(clip(pod.name, 120))}* · ${pod.status.toLowerCase()}\n` +
    `${esc(gpuLabel(pod.gpuCount, pod.gpuName))}${kind} · ${cost} · owner ${owner(pod.owner?.userId)}\n` +
    `\`${esc(pod.id)}\``
  );
}

export interface PodListModel {
  pods: OwnedPod[];
  scope: PodScope;
  /** 0-based page. */
  page: number;
  userId: string;
}

export function podListMessage(m: PodListModel): Message {
  const total = m.pods.length;
  const pages = Math.max(1, Math.ceil(total / POD_PAGE_SIZE));
  const page = Math.min(Math.max(0, m.page), pages - 1);
  const slice = m.pods.slice(page * POD_PAGE_SIZE, (page + 1) * POD_PAGE_SIZE);
  const running = m.pods.filter((p) => p.status === 'RUNNING');
  const perHr = running.reduce((s, p) => s + p.costPerHr, 0);
  const whose = m.scope === 'mine' ? 'Your pods' : 'All pods';

  if (total === 0) {
    const text =
      m.scope === 'mine'
        ? 'You have no pods. `/pod list all` shows everyone’s; `/pod create` makes one.'
        : 'There are no pods. `/pod create` makes one.';
    return { text: text.replace(/`/g, ''), blocks: [section(text)] };
  }

  const blocks: Block[] = [
    header(whose),
    context(
      `${plural(total, 'pod')} · ${running.length} running · ${perHour(perHr)}` +
        (pages > 1 ? ` · page ${page + 1} of ${pages}` : ''),
    ),
  ];
  for (const pod of slice) {
    blocks.push(section(podLine(pod)));
    blocks.push(actions(undefined, podButtons(pod)));
  }
  if (pages > 1) {
    const nav: ButtonElement[] = [];
    if (page > 0)
      nav.push(button(ACTIONS.podListPrev, '‹ Previous', JSON.stringify({ s: m.scope, p: page - 1 })));
    if (page < pages - 1)
      nav.push(button(ACTIONS.podListNext, 'Next ›', JSON.stringify({ s: m.scope, p: page + 1 })));
    blocks.push(divider(), actions('pod-list-nav', nav));
  }
  const names = slice.map((p) => `${p.name} (${p.status.toLowerCase()})`).join(', ');
  const text = `${whose}: ${plural(total, 'pod')}, ${running.length} running, ${perHour(perHr)}. ${names}`;
  return { text: clip(text, 3000), blocks };
}

export function connectionLines(connections: PodConnection[]): string[] {
  return connections.map((c) => {
    const where = c.proxyUrl ?? c.publicAddress ?? 'not exposed publicly';
    return `• ${c.privatePort}/${esc(c.type)} → ${esc(where)}`;
  });
}

const PHASE_TEXT: Record<PodDetails['phase'], string> = {
  starting: 'starting (placed, container not started yet)',
  pulling: 'pulling the image',
  running: 'running',
  stopped: 'stopped',
  failed: 'failed',
  gone: 'gone',
};

export function podStatusMessage(pod: PodDetails): Message {
  const fields = [
    `*Status*\n${STATUS_ICON[pod.status]} ${PHASE_TEXT[pod.phase]}`,
    `*GPU*\n${esc(gpuLabel(pod.gpuCount, pod.gpuName))}`,
    `*Cost*\n${perHour(pod.costPerHr)} · ${pod.kind}`,
    `*Owner*\n${owner(pod.owner?.userId)}`,
    `*Image*\n${esc(clip(pod.imageName ?? pod.templateId ?? '—', 200))}`,
    `*Disk*\n${pod.containerDiskInGb ?? 0} GB container · ${pod.volumeInGb ?? 0} GB volume${
      pod.networkVolumeId ? ` · network volume \`${esc(pod.networkVolumeId)}\`` : ''
    }`,
  ];
  if (pod.runtime) {
    const util = pod.runtime.gpus
      .map((g) => (g.utilPercent === null ? '—' : `${Math.round(g.utilPercent)}%`))
      .join(' / ');
    fields.push(`*Uptime*\n${duration(pod.runtime.uptimeSeconds)}`, `*GPU use*\n${util || '—'}`);
  }
  if (pod.location) fields.push(`*Location*\n${esc(pod.location)}`);
  if (pod.envKeys.length) fields.push(`*Env*\n${esc(clip(pod.envKeys.join(', '), 500))} (values hidden)`);

  const blocks: Block[] = [header(clip(pod.name, 150)), section(`\`${esc(pod.id)}\``), fieldsSection(fields)];
  const conn = connectionLines(pod.connections);
  if (conn.length) blocks.push(section(`*Connect*\n${clip(conn.join('\n'), 2900)}`));
  const buttons = podButtons(pod, false);
  if (buttons.length) blocks.push(actions(undefined, buttons));
  const text = `${pod.name} (${pod.id}): ${PHASE_TEXT[pod.phase]}, ${gpuLabel(pod.gpuCount, pod.gpuName)}, ${perHour(pod.costPerHr)}, owner ${pod.owner?.userId ?? 'unattributed'}.`;
  return { text, blocks };
}

/** A typed `/pod terminate` never deletes at once: it shows the pod and a Terminate button that asks again. */
export function podTerminateConfirmMessage(pod: OwnedPod): Message {
  const line = `Terminate *${esc(clip(pod.name, 150))}* (\`${esc(pod.id)}\`, ${esc(gpuLabel(pod.gpuCount, pod.gpuName))}, owner ${owner(pod.owner?.userId)})? Terminating deletes the pod and its disks for good; network volumes stay. Stopping keeps the volume and stops GPU billing.`;
  const buttons: ButtonElement[] = [terminateButton(pod)];
  if (STOPPABLE.includes(pod.status)) buttons.push(stopButton(pod));
  return {
    text: `Confirm: terminate ${pod.name} (${pod.id})? Press Terminate to delete it for good.`,
    blocks: [section(clip(line, 3000)), actions(undefined, buttons)],
  };
}

/** A typed name matched only part of a pod's name: show the pod and ask, with the exact id on the button. */
export function podPartialMatchMessage(ref: string, pod: OwnedPod, action: PodAction): Message {
  const b = actionButton(pod, action);
  b.text.text = clip(`${b.text.text} ${pod.name}`, 75);
  return {
    text: clip(`“${ref}” matches ${pod.name} (${pod.id}). ${action} it? Press the button to confirm.`, 3000),
    blocks: [
      section(`“${esc(clip(ref, 100))}” matches part of this pod’s name. Did you mean it?`),
      section(podLine(pod), b),
    ],
  };
}

function actionButton(pod: OwnedPod, action: PodAction | 'status'): ButtonElement {
  return action === 'stop'
    ? stopButton(pod)
    : action === 'resume'
      ? resumeButton(pod)
      : action === 'terminate'
        ? terminateButton(pod)
        : button(ACTIONS.podStatus, 'Status', pod.id);
}

/** "More than one pod matches": one button per candidate, doing what was asked. */
export function podChoiceMessage(ref: string, candidates: OwnedPod[], action: PodAction | 'status'): Message {
  const shown = candidates.slice(0, MAX_CHOICES);
  const verb = action === 'status' ? 'show' : action;
  const blocks: Block[] = [
    section(`More than one pod matches “${esc(clip(ref, 100))}”. Which one do you want to ${verb}?`),
  ];
  for (const pod of shown) {
    const b = actionButton(pod, action);
    b.text.text = clip(`${b.text.text} this one`, 75);
    blocks.push(section(podLine(pod), b));
  }
  if (candidates.length > shown.length)
    blocks.push(context(`…and ${candidates.length - shown.length} more. Use the pod id to be exact.`));
  const text = `More than one pod matches "${ref}": ${candidates.map((p) => `${p.name} (${p.id})`).join(', ')}`;
  return { text: clip(text, 3000), blocks };
}

export function podActionMessage(result: PodActionResult): Message {
  const icon = outcomeIcon(result.outcome);
  const blocks: Block[] = [section(`${icon} ${escSentence(result.message)}`)];
  const pod = result.pod;
  if (pod && result.outcome !== 'needs-approval') {
    const buttons = podButtons(pod, true).filter(
      (b) => b.action_id !== ACTIONS.podTerminate || pod.status !== 'TERMINATED',
    );
    if (buttons.length && pod.status !== 'TERMINATED') blocks.push(actions(undefined, buttons));
  }
  return { text: clip(result.message, 3000), blocks };
}
