// The create-pod modal. Built from static data so it opens within the trigger's 3 s; the quote and
// network volumes arrive afterwards through views.update (same block/action ids, so Slack keeps input).
import type { PodQuote } from '../../services/quote.ts';
import { CREATE, VIEWS } from '../ids.ts';
import {
  type Block,
  clip,
  context,
  divider,
  type InputBlock,
  type InputElement,
  type ModalView,
  mrkdwn,
  type Option,
  option,
  plain,
  section,
} from './blocks.ts';
import { quoteLines } from './quote.ts';

/** What the form starts with (from /gpu's "Create pod", /pod create arguments, or a retry). Never secrets. */
export interface CreatePrefill {
  label?: string;
  gpuTypeId?: string;
  gpuCount?: number;
  kind?: 'on-demand' | 'spot';
  bidPerGpu?: number;
  image?: string;
  templateId?: string;
  diskGb?: number;
  volumeGb?: number;
  networkVolumeId?: string;
  /** Non-secret defaults only, e.g. "TENSOR_PARALLEL_SIZE=2". */
  env?: string;
  ports?: string;
  /** stop_after as typed ("8h", or "none" for no lifetime). */
  stopAfter?: string;
}

export interface GpuChoice {
  id: string;
  label: string;
}

export interface VolumeChoice {
  id: string;
  name: string;
  sizeGb: number;
  dataCenterId: string;
}

export type QuoteState =
  | { state: 'loading' }
  | { state: 'ready'; quote: PodQuote }
  | { state: 'error'; message: string }
  | { state: 'incomplete'; message: string };

/** Where the outcome goes: the channel the request came from (DM to the user when the bot cannot post there). */
export interface CreateMetadata {
  channel: string;
  /** Slack team id of the requester. */
  team?: string;
}

export interface CreateModalModel {
  prefill: CreatePrefill;
  gpus: GpuChoice[];
  /** null while not loaded. */
  volumes: VolumeChoice[] | null;
  quote: QuoteState;
  metadata: CreateMetadata;
  /** Set when the policy has approval rules: the justification field and what needs approval. */
  approvals?: ApprovalHint;
  /**
   * The requester's role default lifetime ("8h", prefilled by the handler), 'unknown' while their
   * roles are not known (a user group not looked up yet); absent when there is none.
   */
  roleLifetime?: string;
}

function stopAfterHint(roleLifetime: string | undefined): string {
  const base =
    'podbay stops the pod this long after it is created, e.g. 8h or 2d (with a warning 15 minutes before).';
  if (roleLifetime === undefined) return `${base} Empty = it runs until you stop it.`;
  const empty =
    roleLifetime === 'unknown'
      ? 'your role’s default, if it has one'
      : `your role’s default (${roleLifetime})`;
  return `${base} Empty = ${empty}; none = no automatic stop.`;
}

export interface ApprovalHint {
  /** "Pods above $1.00/h or with more than 4 GPUs need approval." */
  rule: string;
  reasonRequired: boolean;
}

export const GPU_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8];
export const DEFAULT_IMAGE = 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04';
export const DEFAULT_PORTS = '8888/http,22/tcp';
export const DEFAULT_DISK_GB = 50;
const NO_VOLUME = 'none';

const KIND_OPTIONS: Option[] = [
  option('On-demand', 'on-demand', 'Reserved: runs until you stop it'),
  option('Spot', 'spot', 'Cheaper, interruptible; priced by your bid'),
];

function input(
  ids: { block: string },
  label: string,
  element: InputElement,
  opts: { optional?: boolean; hint?: string; dispatch?: boolean } = {},
): InputBlock {
  const b: InputBlock = { type: 'input', block_id: ids.block, label: plain(label), element };
  if (opts.optional) b.optional = true;
  if (opts.hint) b.hint = plain(clip(opts.hint, 2000));
  if (opts.dispatch) b.dispatch_action = true;
  return b;
}

function text(action: string, initial?: string, placeholder?: string, multiline = false): InputElement {
  return {
    type: 'plain_text_input',
    action_id: action,
    ...(initial !== undefined && initial !== '' ? { initial_value: clip(initial, 3000) } : {}),
    ...(placeholder ? { placeholder: plain(clip(placeholder, 150)) } : {}),
    ...(multiline ? { multiline: true } : {}),
  };
}

export function gpuOptions(gpus: GpuChoice[], selected?: string): { options: Option[]; initial?: Option } {
  // Keep the selected GPU in the list even when it is past the 100-option cap.
  const ordered = selected
    ? [...gpus.filter((g) => g.id === selected), ...gpus.filter((g) => g.id !== selected)]
    : gpus;
  const options = ordered.slice(0, 100).map((g) => option(g.label, g.id));
  const initial = selected ? options.find((o) => o.value === selected) : undefined;
  return initial ? { options, initial } : { options };
}

export function quoteBlocks(q: QuoteState): Block[] {
  const body =
    q.state === 'loading'
      ? ':hourglass_flowing_sand: Working out the price…'
      : q.state === 'ready'
        ? quoteLines(q.quote).join('\n')
        : `:information_source: ${q.message}`;
  return [{ type: 'section', block_id: CREATE.quote.block, text: mrkdwn(clip(body, 3000)) }];
}

export function createPodModal(m: CreateModalModel): ModalView {
  const p = m.prefill;
  const gpu = gpuOptions(m.gpus, p.gpuTypeId);
  const count = GPU_COUNTS.map((n) => option(`${n}`, `${n}`));
  const countInitial = count.find((o) => o.value === String(p.gpuCount ?? 1));
  const kindInitial = KIND_OPTIONS.find((o) => o.value === (p.kind ?? 'on-demand'));

  const blocks: Block[] = [
    input(CREATE.label, 'What is it for', text(CREATE.label.action, p.label, 'e.g. llama 70b eval'), {
      hint: 'Becomes part of the pod name, with your handle.',
    }),
    input(
      CREATE.gpu,
      'GPU type',
      {
        type: 'static_select',
        action_id: CREATE.gpu.action,
        placeholder: plain('Pick a GPU'),
        options: gpu.options,
        ...(gpu.initial ? { initial_option: gpu.initial } : {}),
      },
      { dispatch: true },
    ),
    input(
      CREATE.count,
      'GPU count',
      {
        type: 'static_select',
        action_id: CREATE.count.action,
        options: count,
        ...(countInitial ? { initial_option: countInitial } : {}),
      },
      { dispatch: true },
    ),
    input(
      CREATE.kind,
      'Pricing',
      {
        type: 'radio_buttons',
        action_id: CREATE.kind.action,
        options: KIND_OPTIONS,
        ...(kindInitial ? { initial_option: kindInitial } : {}),
      },
      { dispatch: true },
    ),
    input(
      CREATE.bid,
      'Spot bid ($ per GPU per hour)',
      text(CREATE.bid.action, p.bidPerGpu?.toString(), 'empty = current minimum bid'),
      {
        optional: true,
        hint: 'Spot only.',
      },
    ),
    input(CREATE.stopAfter, 'Stop after', text(CREATE.stopAfter.action, p.stopAfter, 'e.g. 8h'), {
      optional: true,
      hint: stopAfterHint(m.roleLifetime),
    }),
    input(
      CREATE.image,
      'Container image',
      text(CREATE.image.action, p.image ?? (p.templateId ? undefined : DEFAULT_IMAGE)),
      {
        optional: true,
        hint: 'An image, or a template below.',
      },
    ),
    input(CREATE.template, 'Template id', text(CREATE.template.action, p.templateId, 'optional'), {
      optional: true,
    }),
    input(CREATE.disk, 'Container disk (GB)', text(CREATE.disk.action, String(p.diskGb ?? DEFAULT_DISK_GB))),
    input(CREATE.volume, 'Pod volume (GB)', text(CREATE.volume.action, p.volumeGb?.toString(), '0 = none'), {
      optional: true,
      hint: 'Mounted at /workspace; kept while the pod is stopped.',
    }),
  ];

  if (m.volumes?.length) {
    const vols = [
      option('No network volume', NO_VOLUME),
      ...m.volumes.slice(0, 99).map((v) => option(`${v.name} (${v.sizeGb} GB, ${v.dataCenterId})`, v.id)),
    ];
    const initial = vols.find((o) => o.value === (p.networkVolumeId ?? NO_VOLUME));
    blocks.push(
      input(
        CREATE.networkVolume,
        'Network volume',
        {
          type: 'static_select',
          action_id: CREATE.networkVolume.action,
          options: vols,
          ...(initial ? { initial_option: initial } : {}),
        },
        { optional: true, hint: 'The pod is placed in the volume’s data center.' },
      ),
    );
  }

  if (m.approvals) {
    blocks.push(
      input(
        CREATE.justification,
        'Why you need it (for approvers)',
        text(CREATE.justification.action, undefined, 'e.g. eval run for the 70B release, until Friday'),
        { optional: !m.approvals.reasonRequired, hint: m.approvals.rule },
      ),
    );
  }
  blocks.push(
    input(
      CREATE.env,
      'Environment variables',
      text(CREATE.env.action, p.env, 'KEY=value, one per line', true),
      {
        optional: true,
        hint: 'Values go to RunPod only: podbay never shows them in messages or logs.',
      },
    ),
    input(CREATE.ports, 'Ports', text(CREATE.ports.action, p.ports ?? DEFAULT_PORTS, '8888/http,22/tcp'), {
      optional: true,
    }),
    divider(),
    ...quoteBlocks(m.quote),
    context('The quote updates when you change the GPU, count or pricing.'),
  );

  return {
    type: 'modal',
    callback_id: VIEWS.podCreate,
    title: plain('Create a pod'),
    submit: plain('Create pod'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(m.metadata),
    blocks,
  };
}

export const NO_NETWORK_VOLUME = NO_VOLUME;

/** What the modal turns into on submit when the create goes to approvers. */
export function sentForApprovalView(channel: string | null): ModalView {
  const where = channel ? ` in <#${channel}>` : '';
  return {
    type: 'modal',
    callback_id: `${VIEWS.podCreate}.sent`,
    title: plain('Sent for approval'),
    close: plain('Close'),
    blocks: [
      section(
        `:raised_hand: *Sent for approval.* This pod needs someone else’s approval${where}. You will hear back in this channel and by DM; the pod starts once it is approved.`,
      ),
    ],
  };
}
