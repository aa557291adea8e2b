// The Home tab: app_home_opened publishes the person's Home (through the paced refresher), and the
// Home's own entry, "Ask which GPU", opens a one-question modal whose answer arrives by DM (as
// /gpu answers it: at once from the catalog, then updated once with live prices).
import type { BlockButtonAction, SlackActionMiddlewareArgs, webApi } from '@slack/bolt';
import type { HandlerDeps } from '../deps.ts';
import { ACTIONS, EVENTS, HOME, VIEWS } from '../ids.ts';
import { ephemeral, outgoing, safeRespond } from '../reply.ts';
import type { Routes, ViewArgs } from '../routes.ts';
import { type Block, clip, context, esc, type Message } from '../views/blocks.ts';
import { noticeMessage } from '../views/common.ts';
import { gpuAnswerMessage } from '../views/gpu.ts';
import { askGpuModal } from '../views/home.ts';
import { describe } from '../work.ts';

type WebClient = webApi.WebClient;

export const MAX_QUESTION = 500;

/** The answer as a DM: what was asked, then the answer as /gpu gives it. */
function answerDm(question: string, answer: Message): Message {
  const asked: Block = context(`You asked from the Home tab: “${esc(clip(question, 400))}”`);
  return { text: answer.text, blocks: [asked, ...answer.blocks].slice(0, 50) };
}

export function registerHomeTab(routes: Routes, deps: HandlerDeps): void {
  routes.event(EVENTS.appHomeOpened, async ({ event, client }) => {
    if (event.tab !== 'home' || !deps.home) return;
    const shown = (event.view as { private_metadata?: unknown } | undefined)?.private_metadata;
    await deps.home.opened(event.user, typeof shown === 'string' && shown ? shown : null, client);
  });

  routes.action<BlockButtonAction>(
    ACTIONS.homeAskGpu,
    async ({
      ack,
      body,
      client,
      respond,
    }: SlackActionMiddlewareArgs<BlockButtonAction> & { client: WebClient }) => {
      await ack();
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: askGpuModal() as never });
      } catch (e) {
        deps.logger.warn({ err: describe(e) }, 'could not open the GPU question');
        // Slack gives 3 s to open a form after the click; a busy podbay may miss it.
        await safeRespond(deps, respond, ephemeral('The question form could not open in time. Click again.'));
      }
    },
  );

  routes.view(VIEWS.homeAskGpu, async ({ ack, body, view, client }: ViewArgs) => {
    const question = (view.state.values[HOME.question.block]?.[HOME.question.action]?.value ?? '').trim();
    if (!question || question.length > MAX_QUESTION) {
      await ack({
        response_action: 'errors',
        errors: {
          [HOME.question.block]: question
            ? `Ask in fewer words (${MAX_QUESTION} characters at most).`
            : 'Name the model, e.g. llama 3.1 70b awq.',
        },
      });
      return;
    }
    await ack();
    const userId = body.user.id;
    deps.work.run('home gpu question', async () => {
      let first: Message;
      try {
        first = answerDm(question, gpuAnswerMessage(deps.gpu.answerNow(question)));
      } catch (e) {
        deps.logger.error({ err: describe(e) }, 'the GPU advisor failed');
        first = noticeMessage(
          ':thinking_face:',
          'I could not work that out; try naming the model and its size.',
        );
      }
      const sent = outgoing(first);
      const posted = await client.chat
        .postMessage({ channel: userId, text: sent.text, blocks: sent.blocks })
        .catch((e: unknown) => {
          deps.logger.warn({ err: describe(e) }, 'could not send the GPU answer');
          return null;
        });
      if (!posted?.ts || !posted.channel) return;
      // Live prices: the same answer again when nothing changed (then nothing is updated).
      const live = answerDm(question, gpuAnswerMessage(await deps.gpu.answer(question)));
      if (JSON.stringify(live.blocks) === JSON.stringify(first.blocks)) return;
      const next = outgoing(live);
      await client.chat
        .update({ channel: posted.channel, ts: posted.ts, text: next.text, blocks: next.blocks })
        .catch((e: unknown) => deps.logger.warn({ err: describe(e) }, 'could not update the GPU answer'));
    });
  });
}
