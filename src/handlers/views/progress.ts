// The one message that follows a pod create: submitted → starting → pulling → running (with how to
// connect), or failed with the reason and a next step. Env values never appear, only their names.
import type { PodConnection } from '../../services/pod-progress.ts';
import type { GpuAlternative } from '../../services/pod-capacity.ts';
import type { PodQuote } from '../../services/quote.ts';
import { ACTIONS } from '../ids.ts';
import {
  actions,
  type Block,
  type ButtonElement,
  button,
  clip,
  context,
  esc,
  escSentence,
  type Message,
  section,
} from './blocks.ts';
import type { CreatePrefill } from './create-modal.ts';
import { owner, usd } from './format.ts';
import { connectionLines, stopButton, terminateButton } from './pods.ts';
import { quoteText } from './quote.ts';
import { withdrawButton } from './approvals.ts';

export type ProgressState =
  | { phase: 'submitted' }
  | { phase: 'starting' | 'pulling'; message: string }
  | { phase: 'running'; message: string; connections: PodConnection[]; costPerHr: number | null }
  | {
      phase: 'failed';
      reason: string;
      nextStep: string;
      alternatives: GpuAlternative[];
      /** Opens the modal again with the same choices (never env values). */
      retry: CreatePrefill | null;
      /** When the outcome is unknown: the pod name or id "Check again" looks up (never "Try again"). */
      check?: string;
    }
  | { phase: 'needs-approval'; message: string; requestId: string | null }
  | { phase: 'denied'; message: string };

export interface ProgressModel {
  /** The pod name once known, else what it is for. */
  name: string;
  podId: string | null;
  requesterId: string;
  /** e.g. "2× RTX A6000 · spot". */
  summary: string;
  quote: PodQuote | null;
  envKeys: string[];
  state: ProgressState;
}

const ICON: Record<ProgressState['phase'], string> = {
  submitted: ':hourglass_flowing_sand:',
  starting: ':hourglass_flowing_sand:',
  pulling: ':package:',
  running: ':large_green_circle:',
  failed: ':x:',
  'needs-approval': ':raised_hand:',
  denied: ':no_entry:',
};

function headline(m: ProgressModel): string {
  const s = m.state;
  switch (s.phase) {
    case 'submitted':
      return 'Creating the pod…';
    case 'starting':
    case 'pulling':
    case 'running':
    case 'needs-approval':
    case 'denied':
      return s.message;
    case 'failed':
      return s.reason;
  }
}

/**
 * Value for a "Create pod" button: the prefill as JSON, capped under Slack's 2000 chars. A prefill's
 * env holds only defaults podbay wrote (e.g. TENSOR_PARALLEL_SIZE=2), never what a person typed.
 */
export function prefillValue(p: CreatePrefill): string {
  const json = JSON.stringify(p);
  return json.length <= 2000 ? json : JSON.stringify({ gpuTypeId: p.gpuTypeId, gpuCount: p.gpuCount });
}

export function progressMessage(m: ProgressModel): Message {
  const s = m.state;
  const title = `${ICON[s.phase]} *${esc(clip(m.name, 120))}* · ${esc(m.summary)} · for ${owner(m.requesterId)}`;
  const blocks: Block[] = [section(`${title}\n${escSentence(clip(headline(m), 2500))}`)];
  const facts: string[] = [];
  if (m.podId) facts.push(`pod \`${esc(m.podId)}\``);
  if (m.quote) facts.push(esc(quoteText(m.quote)));
  if (m.envKeys.length) facts.push(`env ${esc(clip(m.envKeys.join(', '), 300))} (values hidden)`);
  if (facts.length) blocks.push(context(clip(facts.join(' · '), 3000)));

  if (s.phase === 'running') {
    const lines = connectionLines(s.connections);
    blocks.push(
      section(
        lines.length
          ? `*Connect*\n${clip(lines.join('\n'), 2900)}`
          : 'No ports are exposed; connect through the RunPod console.',
      ),
    );
    if (m.podId) {
      const pod = { id: m.podId, name: m.name };
      blocks.push(actions(undefined, [stopButton(pod), terminateButton(pod)]));
    }
  }
  if (s.phase === 'needs-approval' && s.requestId) {
    blocks.push(actions(undefined, [withdrawButton(s.requestId)]));
  }
  if (s.phase === 'failed') {
    blocks.push(section(`*Next step:* ${esc(clip(s.nextStep, 2800))}`));
    const buttons: ButtonElement[] = [];
    s.alternatives.slice(0, 3).forEach((alt, i) => {
      const price = alt.onDemandPricePerGpuHr === null ? '' : ` · ${usd(alt.onDemandPricePerGpuHr)}/GPU/h`;
      const prefill: CreatePrefill = { ...(s.retry ?? {}), gpuTypeId: alt.gpuTypeId };
      buttons.push(
        button(
          `${ACTIONS.podCreateOpen}.${i}`,
          `Create with ${alt.displayName}${price}`,
          prefillValue(prefill),
        ),
      );
    });
    if (s.check) buttons.push(button(ACTIONS.podCheck, 'Check again', s.check, { style: 'primary' }));
    else if (!buttons.length && s.retry)
      buttons.push(button(ACTIONS.podCreateOpen, 'Try again', prefillValue(s.retry)));
    if (buttons.length) {
      blocks.push(actions(undefined, buttons));
      if (m.envKeys.length)
        blocks.push(context('Environment variables are not carried over; enter them again.'));
    }
  }

  const head = headline(m);
  const text = `${head.includes(m.name) ? head : `${m.name}: ${head}`}${s.phase === 'failed' ? ` Next step: ${s.nextStep}` : ''}`;
  return { text: clip(text, 3000), blocks };
}
