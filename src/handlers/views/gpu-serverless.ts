// /gpu serverless: the pools that fit, per-second prices and the monthly cost, each with a "Create endpoint"
// button that opens the endpoint form prefilled (pool, GPUs per worker, workers, idle timeout).
import type { ServerlessAnswer, ServerlessOption } from '../../catalog/serverless.ts';
import { serverlessText } from '../../catalog/serverless.ts';
import {
  type Block,
  button,
  clip,
  context,
  esc,
  header,
  type InputBlock,
  type Message,
  type ModalView,
  plain,
  section,
} from './blocks.ts';
import { usd } from './format.ts';

export const SERVERLESS = {
  /** Button prefix; the option index follows (".0"). */
  createOpen: 'gpu.serverless.create',
  modal: 'gpu.serverless.endpoint',
  name: { block: 'sl_name', action: 'sl_name' },
  template: { block: 'sl_template', action: 'sl_template' },
  pools: { block: 'sl_pools', action: 'sl_pools' },
  gpus: { block: 'sl_gpus', action: 'sl_gpus' },
  workersMin: { block: 'sl_wmin', action: 'sl_wmin' },
  workersMax: { block: 'sl_wmax', action: 'sl_wmax' },
  idle: { block: 'sl_idle', action: 'sl_idle' },
} as const;

export const MAX_SERVERLESS_OPTIONS = 3;

/** What the endpoint form starts from (the button's value). */
export interface EndpointPrefill {
  name: string;
  gpuPoolIds: string[];
  gpuCount: number;
  workersMin: number;
  workersMax: number;
  idleTimeoutSec: number;
  /** The model, so the form can say which image/template to pick. */
  model: string | null;
}

export function endpointPrefill(s: ServerlessAnswer, o: ServerlessOption): EndpointPrefill {
  const base = (s.model?.name ?? 'endpoint')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    name: clip(`${base}-serverless`, 60),
    gpuPoolIds: o.endpoint.gpuPoolIds,
    gpuCount: o.endpoint.gpuCount,
    workersMin: o.endpoint.workersMin,
    workersMax: o.endpoint.workersMax,
    idleTimeoutSec: o.endpoint.idleTimeoutSec,
    model: s.model?.repo ?? s.model?.name ?? null,
  };
}

const perSec = (n: number): string => `$${n.toFixed(5)}/s`;

function optionBlock(s: ServerlessAnswer, o: ServerlessOption, i: number): Block {
  const line =
    `*${o.rank}. ${esc(o.label)}* × ${o.gpusPerWorker} GPU${o.gpusPerWorker > 1 ? 's' : ''} per worker — ` +
    `*${usd(o.usdPerMonth)}/month*\nflex ${perSec(o.flexUsdPerSec)} · active ${perSec(o.activeUsdPerSec)} per GPU (${o.priceSource}) · ` +
    `${o.perGpuNeedGiB.toFixed(1)} of ${o.budgetGiB.toFixed(1)} GiB per GPU · ${o.secondsPerRequest} s per request · ` +
    `${Math.round(o.flexSecondsPerDay).toLocaleString('en-US')} billed flex s/day`;
  return section(
    clip(line, 3000),
    button(
      `${SERVERLESS.createOpen}.${i}`,
      'Create endpoint',
      JSON.stringify(endpointPrefill(s, o)),
      i === 0 ? { style: 'primary' } : {},
    ),
  );
}

export function gpuServerlessMessage(s: ServerlessAnswer): Message {
  const text = clip(s.status === 'ok' ? s.headline : serverlessText(s), 1500);
  if (s.status !== 'ok') {
    const blocks: Block[] = [section(`:thinking_face: ${esc(clip(s.headline, 2900))}`)];
    if (s.assumptions.length) blocks.push(context(clip(s.assumptions.map(esc).join(' '), 3000)));
    return { text, blocks };
  }
  const blocks: Block[] = [
    header(clip(`Serverless: ${s.model?.name ?? 'endpoint'}`, 150)),
    section(esc(clip(s.headline, 2900))),
  ];
  s.options.slice(0, MAX_SERVERLESS_OPTIONS).forEach((o, i) => {
    blocks.push(optionBlock(s, o, i));
  });
  blocks.push(section(`*Arithmetic*\n\`\`\`${clip(s.lines.join('\n'), 2700)}\`\`\``));
  blocks.push(context(clip([...s.assumptions, s.priceSource].map(esc).join(' '), 3000)));
  return { text, blocks };
}

function field(
  ids: { block: string; action: string },
  label: string,
  initial: string,
  opts: { hint?: string; optional?: boolean } = {},
): InputBlock {
  const b: InputBlock = {
    type: 'input',
    block_id: ids.block,
    label: plain(label),
    element: {
      type: 'plain_text_input',
      action_id: ids.action,
      ...(initial ? { initial_value: clip(initial, 3000) } : {}),
    },
  };
  if (opts.hint) b.hint = plain(clip(opts.hint, 2000));
  if (opts.optional) b.optional = true;
  return b;
}

/** The endpoint form, prefilled from the serverless answer; the template is the one thing it cannot know. */
export function endpointModal(p: EndpointPrefill): ModalView {
  return {
    type: 'modal',
    callback_id: SERVERLESS.modal,
    title: plain('Create endpoint'),
    submit: plain('Create'),
    close: plain('Cancel'),
    private_metadata: clip(JSON.stringify(p), 3000),
    blocks: [
      field(SERVERLESS.name, 'Name', p.name),
      field(SERVERLESS.template, 'Template id', '', {
        hint: `A serverless template whose image serves ${p.model ?? 'the model'} (e.g. a vLLM worker template).`,
      }),
      field(SERVERLESS.pools, 'GPU pools', p.gpuPoolIds.join(','), {
        hint: 'Comma-separated, e.g. AMPERE_48,ADA_48_PRO',
      }),
      field(SERVERLESS.gpus, 'GPUs per worker', String(p.gpuCount)),
      field(SERVERLESS.workersMin, 'Min (active) workers', String(p.workersMin)),
      field(SERVERLESS.workersMax, 'Max workers', String(p.workersMax)),
      field(SERVERLESS.idle, 'Idle timeout (s)', String(p.idleTimeoutSec)),
    ],
  };
}
