// After a restart: the progress messages of creates that were in flight say what became of them.
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { podConnections, podPhase } from '../services/pod-progress.ts';
import type { OwnedPod, PodDetails, RecoveredCreate } from '../services/pods.ts';
import { outgoing } from './reply.ts';
import { noticeMessage } from './views/common.ts';
import { podStatusMessage } from './views/pods.ts';
import { describe } from './work.ts';

export async function reportRecoveredCreates(
  client: webApi.WebClient,
  recovered: readonly RecoveredCreate[],
  logger: Logger,
): Promise<void> {
  for (const { intent, pod } of recovered) {
    if (!intent.channel || !intent.messageTs) continue;
    const name = intent.podName ?? 'the pod';
    const msg = pod
      ? podStatusMessage(details(pod))
      : noticeMessage(
          ':warning:',
          `podbay restarted before RunPod confirmed ${name}. RunPod has no such pod, so it was not created and nothing is billed. \`/pod create\` makes it again.`,
        );
    const text = pod ? `${name} was created (found after podbay restarted). ${msg.text}` : msg.text;
    await client.chat
      .update({ channel: intent.channel, ts: intent.messageTs, ...outgoing({ text, blocks: msg.blocks }) })
      .catch((e: unknown) =>
        logger.warn({ err: describe(e) }, 'could not update a create message after a restart'),
      );
  }
}

function details(pod: OwnedPod): PodDetails {
  const phase = podPhase(pod);
  return {
    ...pod,
    phase,
    connections: phase === 'running' ? podConnections(pod) : [],
  };
}
