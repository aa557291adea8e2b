// /pod logs <pod> [lines]: the newest lines of a pod's container log, as an ephemeral code block
// (only the person who asked sees it: a log can hold anything the container printed).
import type { RespondFn } from '@slack/bolt';
import {
  DEFAULT_LOG_LINES,
  MAX_LOG_LINES,
  type PodLogService,
  type PodLogTail,
} from '../../services/pod-logs.ts';
import type { HandlerDeps } from '../deps.ts';
import { ephemeral, safeRespond } from '../reply.ts';
import { type Block, context, esc, type Message, section } from '../views/blocks.ts';
import { parseIntIn, type Usage, usage } from './args.ts';

export const POD_LOGS_HELP = `/pod logs <pod> [lines]     the newest lines of its container log, only to you (default ${DEFAULT_LOG_LINES}, up to ${MAX_LOG_LINES})`;

export type PodLogsCommand = { kind: 'logs'; ref: string; lines: number };

/** The words after `/pod logs`. */
export function parsePodLogs(words: string[]): PodLogsCommand | Usage {
  const [ref, count, ...extra] = words;
  if (!ref?.trim()) return usage('Which pod? `/pod logs <pod id or name> [lines]`');
  if (extra.length) return usage('`/pod logs` takes a pod and, optionally, a number of lines.');
  if (ref.length > 200) return usage('Which pod? `/pod logs <pod id or name> [lines]`');
  if (count === undefined) return { kind: 'logs', ref: ref.trim(), lines: DEFAULT_LOG_LINES };
  const lines = parseIntIn(count, 1, MAX_LOG_LINES);
  if (lines === null) return usage(`The number of lines is 1 to ${MAX_LOG_LINES}.`);
  return { kind: 'logs', ref: ref.trim(), lines };
}

/** Room for log text in one section: 3000 characters less the fences and a little slack. */
const BLOCK_CHARS = 2_950;
const LINE_CHARS = 400;

/** One log line made safe for a mrkdwn code block: escaped, no fence breaking out, bounded. */
function codeLine(line: string): string {
  const flat = line.replace(/\t/g, '  ').replace(/[\r\n]+/g, ' ');
  const cut = flat.length > LINE_CHARS ? `${flat.slice(0, LINE_CHARS - 1)}…` : flat;
  return esc(cut).replace(/```/g, 'ˋˋˋ');
}

export function podLogsMessage(t: PodLogTail): Message {
  const name = esc(t.pod.name);
  if (!t.lines.length) {
    const why =
      t.pod.status === 'RUNNING' ? 'it has printed nothing yet' : `it is ${t.pod.status.toLowerCase()}`;
    return {
      text: `No log lines for pod ${t.pod.name}.`,
      blocks: [section(`No log lines for *${name}* (\`${t.pod.id}\`): ${why}.`)],
    };
  }
  // Newest lines first until the block is full, then back in time order.
  const kept: string[] = [];
  let size = 0;
  for (let i = t.lines.length - 1; i >= 0; i--) {
    const l = codeLine(t.lines[i]?.line ?? '');
    if (size + l.length + 1 > BLOCK_CHARS) break;
    kept.unshift(l);
    size += l.length + 1;
  }
  const dropped = t.lines.length - kept.length;
  const blocks: Block[] = [
    section(
      `Last ${kept.length} log line${kept.length === 1 ? '' : 's'} of *${name}* (\`${t.pod.id}\`), only to you:`,
    ),
    section(`\`\`\`${kept.join('\n')}\`\`\``),
  ];
  const notes = ['Container log from RunPod, oldest first.'];
  if (dropped > 0)
    notes.push(`${dropped} older line${dropped === 1 ? '' : 's'} did not fit in one Slack message.`);
  if (t.lines.length < t.asked && dropped === 0)
    notes.push(`You asked for ${t.asked}; that is all there is.`);
  blocks.push(context(notes.join(' ')));
  return { text: `Last ${kept.length} log lines of pod ${t.pod.name}.`, blocks };
}

/** What the handler needs beyond the usual deps (main.ts hands it in as `podLogs`). */
export type PodLogsDeps = HandlerDeps & { podLogs?: PodLogService };

export async function showPodLogs(deps: PodLogsDeps, respond: RespondFn, cmd: PodLogsCommand): Promise<void> {
  if (!deps.podLogs) {
    await safeRespond(deps, respond, ephemeral('Pod logs are not available in this podbay.'));
    return;
  }
  const tail = await deps.podLogs.tail(cmd.ref, cmd.lines);
  await safeRespond(deps, respond, ephemeral(podLogsMessage(tail)));
}
