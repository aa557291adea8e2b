// How handlers answer: ephemeral by default, errors as sentences (never a stack trace), every
// unexpected failure logged with its name and message only.
import type { RespondArguments, RespondFn } from '@slack/bolt';
import { isPodbayError } from '../services/errors.ts';
import type { HandlerDeps } from './deps.ts';
import { escSentence, type Message } from './views/blocks.ts';
import { errorMessage, usageMessage } from './views/common.ts';
import { describe } from './work.ts';

type AckWithMessage = (msg?: RespondArguments) => Promise<void>;

/**
 * A message's plain-text fallback made safe to send, as its blocks are: names and labels come from
 * people (and from pods made outside podbay), so <!channel>, links and control characters are
 * neutralised; podbay's own mentions stay. Every message podbay sends goes through here.
 */
export function outgoing(msg: Message): Message {
  return { text: escSentence(msg.text), blocks: msg.blocks };
}

/** A message as an ephemeral reply (never replacing what was clicked unless asked). */
export function ephemeral(msg: Message | string, replaceOriginal = false): RespondArguments {
  const m = outgoing(
    typeof msg === 'string'
      ? { text: msg, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: msg } }] }
      : msg,
  );
  return { response_type: 'ephemeral', replace_original: replaceOriginal, text: m.text, blocks: m.blocks };
}

export async function ackUsage(
  ack: AckWithMessage,
  command: string,
  help: string,
  problem?: string,
): Promise<void> {
  await ack(ephemeral(usageMessage(command, help, problem)));
}

/** respond() that logs instead of throwing (an expired or overused response_url must not crash a task). */
export async function safeRespond(
  deps: Pick<HandlerDeps, 'logger'>,
  respond: RespondFn,
  msg: RespondArguments,
): Promise<boolean> {
  try {
    await respond(msg);
    return true;
  } catch (e) {
    deps.logger.warn({ err: describe(e) }, 'could not answer through response_url');
    return false;
  }
}

/** Runs the work; any failure becomes an ephemeral error message. */
export async function withErrors(
  deps: Pick<HandlerDeps, 'logger'> & { metrics?: HandlerDeps['metrics'] },
  respond: RespondFn,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (e) {
    if (!isPodbayError(e)) deps.logger.error({ err: describe(e) }, 'unexpected error in a Slack handler');
    deps.metrics?.errors.inc({ code: isPodbayError(e) ? e.code : 'UNEXPECTED' });
    await safeRespond(deps, respond, ephemeral(errorMessage(e)));
  }
}

/**
 * The usual shape of a command that needs RunPod: ack now (Slack's 3 s), then build the answer as
 * tracked work and send it through response_url; a failure becomes an ephemeral error message.
 */
export async function ackThenAnswer(
  deps: Pick<HandlerDeps, 'logger' | 'work'>,
  ack: () => Promise<void>,
  respond: RespondFn,
  name: string,
  build: () => Promise<Message>,
): Promise<void> {
  await ack();
  deps.work.run(name, () =>
    withErrors(deps, respond, async () => {
      await safeRespond(deps, respond, ephemeral(await build()));
    }),
  );
}
