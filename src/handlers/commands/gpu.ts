// /gpu: "which GPU for this model", answered in the ack (catalog + price snapshot, no I/O), then
// updated once with live prices; /gpu prices and /gpu stock from RunPod.
import type { SlackViewMiddlewareArgs, ViewSubmitAction, webApi } from '@slack/bolt';
import type { Answer } from '../../catalog/answer.ts';
import type { CreateEndpointRequest } from '../../services/endpoints.ts';
import { type HandlerDeps, requesterOf } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { COMMANDS } from '../ids.ts';
import { ackThenAnswer, ackUsage, ephemeral, safeRespond } from '../reply.ts';
import type { Message } from '../views/blocks.ts';
import type { ModalView } from '../views/blocks.ts';
import { plain, section } from '../views/blocks.ts';
import { endpointActionMessage } from '../views/endpoints.ts';
import { gpuAnswerMessage, gpuPricesMessage, gpuStockMessage } from '../views/gpu.ts';
import {
  type EndpointPrefill,
  endpointModal,
  gpuServerlessMessage,
  SERVERLESS,
} from '../views/gpu-serverless.ts';
import { describe } from '../work.ts';
import { tokenize, type Usage, usage } from './args.ts';

export const GPU_HELP = `/gpu <model and needs>    which GPU fits, what it costs, with a Create pod button
    e.g. /gpu 70b awq   /gpu llama 3.1 8b 32k context   /gpu qwen2.5 72b fp8 16 users
/gpu prices [gpu]         $ per GPU per hour (on-demand and spot), e.g. /gpu prices a6000
/gpu stock [gpu]          availability by data center
/gpu serverless <model> [load]   serverless pool, $/s and $/month, with a Create endpoint button
    e.g. /gpu serverless llama 3.1 8b 2000 requests/day 3 s each idle 10 s 1 active worker`;

export type GpuCommand =
  | { kind: 'ask'; question: string }
  | { kind: 'prices'; gpu: string | undefined }
  | { kind: 'stock'; gpu: string | undefined }
  | { kind: 'serverless'; question: string };

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
  if (first === 'serverless') {
    const question = words.slice(1).join(' ').trim();
    if (!question) return usage('Name the model, e.g. `/gpu serverless llama 3.1 8b 2000 requests/day`.');
    if (question.length > 500) return usage('Ask in fewer words (500 characters at most).');
    return { kind: 'serverless', question };
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
  registerServerlessEndpointFlow(app, deps);
  app.command(COMMANDS.gpu, async ({ command, ack, respond }) => {
    const parsed = parseGpu(command.text);
    if (parsed.kind === 'usage') return ackUsage(ack, COMMANDS.gpu, GPU_HELP, parsed.problem);
    if (parsed.kind === 'serverless') {
      // Pure and quick (catalog + cached prices): answered in the ack.
      await ack(ephemeral(gpuServerlessMessage(deps.gpu.serverless(parsed.question))));
      return;
    }
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

type WebClient = webApi.WebClient;

const int = (v: string | undefined, min: number, max: number): number | null => {
  const n = Number((v ?? '').trim());
  return Number.isInteger(n) && n >= min && n <= max ? n : null;
};

/** The endpoint form's values → a create request, or the per-field errors Slack shows. */
export function readEndpointForm(
  values: Record<string, Record<string, { value?: string | null }>>,
): { ok: true; request: CreateEndpointRequest } | { ok: false; errors: Record<string, string> } {
  const v = (ids: { block: string; action: string }) => values[ids.block]?.[ids.action]?.value ?? undefined;
  const errors: Record<string, string> = {};
  const name = (v(SERVERLESS.name) ?? '').trim();
  if (!name || name.length > 100) errors[SERVERLESS.name.block] = 'A name of 1 to 100 characters.';
  const templateId = (v(SERVERLESS.template) ?? '').trim();
  if (!/^[\w-]{1,100}$/.test(templateId))
    errors[SERVERLESS.template.block] = 'The id of a serverless template.';
  const pools = (v(SERVERLESS.pools) ?? '')
    .split(',')
    .map((p) => p.trim().toUpperCase())
    .filter(Boolean);
  if (!pools.length || pools.some((p) => !/^[A-Z]+_\d+(?:_PRO)?$/.test(p)))
    errors[SERVERLESS.pools.block] = 'Pool ids such as AMPERE_48,ADA_48_PRO.';
  const gpuCount = int(v(SERVERLESS.gpus), 1, 8);
  if (gpuCount === null) errors[SERVERLESS.gpus.block] = '1 to 8.';
  const workersMin = int(v(SERVERLESS.workersMin), 0, 100);
  if (workersMin === null) errors[SERVERLESS.workersMin.block] = '0 to 100.';
  const workersMax = int(v(SERVERLESS.workersMax), 1, 100);
  if (workersMax === null || (workersMin !== null && workersMax < workersMin))
    errors[SERVERLESS.workersMax.block] = 'At least the min workers, at most 100.';
  const idle = int(v(SERVERLESS.idle), 1, 3600);
  if (idle === null) errors[SERVERLESS.idle.block] = '1 to 3600 seconds.';
  if (Object.keys(errors).length) return { ok: false, errors };
  return {
    ok: true,
    request: {
      name,
      templateId,
      gpuPoolIds: pools,
      gpuCount: gpuCount!,
      workersMin: workersMin!,
      workersMax: workersMax!,
      idleTimeoutSec: idle!,
    },
  };
}

const resultModal = (text: string): ModalView => ({
  type: 'modal',
  callback_id: `${SERVERLESS.modal}.done`,
  title: plain('Create endpoint'),
  close: plain('Close'),
  blocks: [section(text)],
});

/** "Create endpoint" on a /gpu serverless answer: the endpoint form, prefilled, then the endpoint service. */
export function registerServerlessEndpointFlow(app: Routes, deps: HandlerDeps): void {
  app.action(new RegExp(`^${SERVERLESS.createOpen.replace(/\./g, '\\.')}\\.\\d+$`), async (args) => {
    await args.ack();
    const body = args.body as { trigger_id?: string };
    const value = (args.payload as { value?: string }).value ?? '{}';
    let prefill: EndpointPrefill;
    try {
      prefill = JSON.parse(value) as EndpointPrefill;
    } catch {
      return;
    }
    if (!body.trigger_id) return;
    try {
      await (args.client as WebClient).views.open({
        trigger_id: body.trigger_id,
        view: endpointModal(prefill) as never,
      });
    } catch (e) {
      deps.logger.warn({ err: describe(e) }, 'could not open the endpoint form');
      // Slack gives 3 s to open a form after the click; a busy podbay may miss it.
      await safeRespond(
        deps,
        args.respond,
        ephemeral('The endpoint form could not open in time. Click Create endpoint again.'),
      );
    }
  });
  app.view(SERVERLESS.modal, async (args) => {
    const { ack, body, view, client } = args as SlackViewMiddlewareArgs<ViewSubmitAction> & {
      client: WebClient;
    };
    const form = readEndpointForm(view.state.values as never);
    if (!form.ok) {
      await ack({ response_action: 'errors', errors: form.errors });
      return;
    }
    await ack({
      response_action: 'update',
      view: resultModal(':hourglass_flowing_sand: Creating the endpoint…') as never,
    });
    const requester = requesterOf(body.user, body.team?.id ?? body.user.team_id);
    deps.work.run('endpoint create', async () => {
      const msg = endpointActionMessage(await deps.endpoints.create(form.request, requester));
      await client.views.update({ view_id: view.id, view: resultModal(msg.text) as never });
    });
  });
}
