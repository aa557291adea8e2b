// /gpu: "which GPU for this model", answered in the ack (catalog + price snapshot, no I/O), then
// updated once with live prices; /gpu prices and /gpu stock from RunPod.
import type { Answer } from '../../catalog/answer.ts';
import type { HandlerDeps } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { COMMANDS } from '../ids.ts';
import { ackThenAnswer, ackUsage, ephemeral, safeRespond } from '../reply.ts';
import type { Message } from '../views/blocks.ts';
import { gpuAnswerMessage, gpuPricesMessage, gpuStockMessage } from '../views/gpu.ts';
import { describe } from '../work.ts';
import { tokenize, type Usage, usage } from './args.ts';

export const GPU_HELP = `/gpu <model and needs>    which GPU fits, what it costs, with a Create pod button
    e.g. /gpu 70b awq   /gpu llama 3.1 8b 32k context   /gpu qwen2.5 72b fp8 16 users
/gpu prices [gpu]         $ per GPU per hour (on-demand and spot), e.g. /gpu prices a6000
/gpu stock [gpu]          availability by data center`;

export type GpuCommand =
  | { kind: 'ask'; question: string }
  | { kind: 'prices'; gpu: string | undefined }
  | { kind: 'stock'; gpu: string | undefined };

export function parseGpu(text: string): GpuCommand | Usage {
  const words = tokenize(text);
  if (words === null) return usage('A quote is not closed.');
  if (words.length === 0) return usage('Ask about a model, e.g. `/gpu 70b awq`.');
  const first = (words[0] ?? '').toLowerCase();
  if (first === 'help' && words.length === 1) return usage();
  if (first === 'prices' || first === 'price' || first === 'stock') {
    const gpu = words.slice(1).join(' ').trim();
    if (gpu.length > 60) return usage('That GPU name is too long.');
    return { kind: first === 'stock' ? 'stock' : 'prices', gpu: gpu || undefined };
  }
  const question = words.join(' ').trim();
  if (question.length > 500) return usage('Ask in fewer words (500 characters at most).');
  return { kind: 'ask', question };
}

/** Answers are immutable; each is rendered once. */
const renderedAnswers = new WeakMap<Answer, Message>();
function rendered(a: Answer): Message {
  let m = renderedAnswers.get(a);
  if (!m) {
    m = gpuAnswerMessage(a);
    renderedAnswers.set(a, m);
  }
  return m;
}

export function registerGpuCommand(app: Routes, deps: HandlerDeps): void {
  app.command(COMMANDS.gpu, async ({ command, ack, respond }) => {
    const parsed = parseGpu(command.text);
    if (parsed.kind === 'usage') return ackUsage(ack, COMMANDS.gpu, GPU_HELP, parsed.problem);
    if (parsed.kind === 'ask') {
      let now: Answer;
      try {
        now = deps.gpu.answerNow(parsed.question);
      } catch (e) {
        deps.logger.error({ err: describe(e) }, 'the GPU advisor failed');
        return ackUsage(
          ack,
          COMMANDS.gpu,
          GPU_HELP,
          'I could not work that out; try naming the model and its size.',
        );
      }
      await ack(ephemeral(rendered(now)));
      deps.work.run('/gpu live prices', async () => {
        const live = await deps.gpu.answer(parsed.question);
        // The same prices give the same Answer: nothing to update (response_url has 5 uses).
        if (live === now) return;
        const next = rendered(live);
        if (JSON.stringify(next.blocks) !== JSON.stringify(rendered(now).blocks))
          await safeRespond(deps, respond, ephemeral(next, true));
      });
      return;
    }
    await ackThenAnswer(deps, ack, respond, `/gpu ${parsed.kind}`, async () =>
      parsed.kind === 'prices'
        ? gpuPricesMessage(await deps.gpu.prices(parsed.gpu), parsed.gpu)
        : gpuStockMessage(await deps.gpu.stock(parsed.gpu), parsed.gpu),
    );
  });
}
