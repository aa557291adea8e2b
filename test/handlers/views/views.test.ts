// Every Slack surface podbay builds: compared with its golden JSON file and checked against
// Block Kit's limits. UPDATE_GOLDEN=1 rewrites the golden files (review the diff).
import { describe, expect, it } from 'vitest';
import { golden } from './golden.ts';
import { ENDPOINT_HELP } from '../../../src/handlers/commands/endpoint.ts';
import { GPU_HELP } from '../../../src/handlers/commands/gpu.ts';
import { POD_HELP } from '../../../src/handlers/commands/pod.ts';
import { SPEND_HELP } from '../../../src/handlers/commands/spend.ts';
import { VOLUME_HELP } from '../../../src/handlers/commands/volume.ts';
import type { Message, ModalView } from '../../../src/handlers/views/blocks.ts';
import { errorMessage, usageMessage } from '../../../src/handlers/views/common.ts';
import { createPodModal } from '../../../src/handlers/views/create-modal.ts';
import { endpointActionMessage, endpointListMessage } from '../../../src/handlers/views/endpoints.ts';
import {
  gpuAnswerMessage,
  gpuPricesMessage,
  gpuStockMessage,
  MAX_GPU_OPTIONS,
  prefillFor,
} from '../../../src/handlers/views/gpu.ts';
import { checkMessage, checkModal, LIMITS } from '../../../src/handlers/views/limits.ts';
import {
  podActionMessage,
  podChoiceMessage,
  podTerminateConfirmMessage,
  podListMessage,
  podStatusMessage,
} from '../../../src/handlers/views/pods.ts';
import { progressMessage } from '../../../src/handlers/views/progress.ts';
import { spendMessage } from '../../../src/handlers/views/spend.ts';
import { volumeActionMessage, volumeListMessage } from '../../../src/handlers/views/volumes.ts';
import { PodbayError } from '../../../src/services/errors.ts';
import { NoCapacityError } from '../../../src/services/pod-capacity.ts';
import { answerQuestion } from '../../../src/catalog/answer.ts';
import {
  ANSWER_QUESTIONS,
  DETAILS,
  ENDPOINTS,
  GPU_ANSWER,
  GPU_ANSWERS,
  MANY_PODS,
  PODS,
  QUOTE,
  SPEND,
  VOLUMES,
} from './samples.ts';


const gpus = [
  { id: 'NVIDIA RTX A6000', label: 'RTX A6000 · 48 GB' },
  { id: 'NVIDIA GeForce RTX 4090', label: 'RTX 4090 · 24 GB' },
];
const meta = { channel: 'C0GPU', team: 'T0PODBAY' };
const running = {
  phase: 'running' as const,
  message: 'alice-llama-eval-k3x9qa is running.',
  connections: DETAILS.connections,
  costPerHr: 0.98,
};
const progressBase = {
  name: 'alice-llama-eval-k3x9qa',
  podId: 'abc123xyz',
  requesterId: 'U0ALICE',
  summary: '2× RTX A6000 · on-demand',
  quote: QUOTE,
  envKeys: ['HF_TOKEN'],
};

const MESSAGES: Record<string, () => Message> = {
  'usage-pod': () => usageMessage('/pod', POD_HELP),
  'usage-pod-problem': () => usageMessage('/pod', POD_HELP, '`/pod` has no “frob” command.'),
  'usage-gpu': () => usageMessage('/gpu', GPU_HELP),
  'usage-volume': () => usageMessage('/volume', VOLUME_HELP),
  'usage-endpoint': () => usageMessage('/endpoint', ENDPOINT_HELP),
  'usage-spend': () => usageMessage('/spend', SPEND_HELP),
  'error-podbay': () =>
    errorMessage(new PodbayError('NOT_FOUND', 'No pod matches “x”.', { hint: 'See /pod list.' })),
  'error-unexpected': () => errorMessage(new TypeError('cannot read properties of undefined (reading foo)')),
  'pod-list': () => podListMessage({ pods: PODS, scope: 'all', page: 0, userId: 'U0ALICE' }),
  'pod-list-empty-mine': () => podListMessage({ pods: [], scope: 'mine', page: 0, userId: 'U0ALICE' }),
  'pod-list-many-page-2': () => podListMessage({ pods: MANY_PODS, scope: 'all', page: 1, userId: 'U0ALICE' }),
  'pod-status': () => podStatusMessage(DETAILS),
  'pod-choice-stop': () => podChoiceMessage('llama', PODS, 'stop'),
  'pod-terminate-confirm': () => podTerminateConfirmMessage(PODS[0]!),
  'pod-choice-many': () => podChoiceMessage('team', MANY_PODS, 'terminate'),
  'pod-action-done': () =>
    podActionMessage({
      outcome: 'done',
      message: 'Stopped alice-llama-eval-k3x9qa.',
      pod: { ...PODS[0]!, status: 'EXITED', runtime: null },
    }),
  'pod-action-noop': () =>
    podActionMessage({ outcome: 'noop', message: 'alice-llama-eval-k3x9qa is already stopped.' }),
  'progress-submitted': () =>
    progressMessage({
      ...progressBase,
      podId: null,
      name: 'llama eval',
      quote: null,
      state: { phase: 'submitted' },
    }),
  'progress-pulling': () =>
    progressMessage({ ...progressBase, state: { phase: 'pulling', message: 'Pulling the image…' } }),
  'progress-running': () => progressMessage({ ...progressBase, state: running }),
  'progress-no-capacity': () =>
    progressMessage({
      ...progressBase,
      podId: null,
      state: {
        phase: 'failed',
        reason: 'RunPod has no RTX A6000 free right now.',
        nextStep: 'Pick another GPU type below.',
        alternatives: [
          {
            gpuTypeId: 'NVIDIA L40S',
            displayName: 'L40S',
            memoryInGb: 48,
            stockStatus: 'High',
            onDemandPricePerGpuHr: 0.86,
          },
          {
            gpuTypeId: 'NVIDIA A40',
            displayName: 'A40',
            memoryInGb: 48,
            stockStatus: 'Medium',
            onDemandPricePerGpuHr: 0.4,
          },
        ],
        retry: { label: 'llama eval', gpuTypeId: 'NVIDIA RTX A6000', gpuCount: 2, kind: 'on-demand' },
      },
    }),
  'progress-needs-approval': () =>
    progressMessage({
      ...progressBase,
      podId: null,
      state: { phase: 'needs-approval', message: 'Sent for approval: over $5/h.', requestId: 'apr_0000000000000000abcd' },
    }),
  ...Object.fromEntries(Object.entries(GPU_ANSWERS).map(([k, a]) => [k, () => gpuAnswerMessage(a)])),
  'gpu-prices': () =>
    gpuPricesMessage({
      source: 'Prices: live RunPod prices (fetched 2026-11-26T09:00:00.000Z).',
      rows: [
        {
          gpuTypeId: 'NVIDIA RTX A6000',
          displayName: 'RTX A6000',
          memoryGb: 48,
          onDemandUsd: 0.49,
          spotUsd: 0.25,
          stock: 'High',
        },
        {
          gpuTypeId: 'NVIDIA H100 80GB HBM3',
          displayName: 'H100 SXM',
          memoryGb: 80,
          onDemandUsd: 2.99,
          spotUsd: null,
          stock: 'Low',
        },
      ],
    }),
  'gpu-prices-none': () => gpuPricesMessage({ rows: [], source: 'No prices known.' }, 'zz9000'),
  'gpu-stock': () =>
    gpuStockMessage({
      note: 'Stock from RunPod, fetched 2026-11-26T09:00:00.000Z.',
      dataCenters: [
        {
          id: 'EU-RO-1',
          name: 'EU-RO-1',
          location: 'Romania',
          gpus: [
            { displayName: 'RTX 4090', stock: 'High' },
            { displayName: 'A40', stock: 'Low' },
          ],
        },
        { id: 'US-TX-3', name: 'US-TX-3', location: 'Texas', gpus: [] },
      ],
    }),
  spend: () => spendMessage(SPEND),
  'volume-list': () => volumeListMessage(VOLUMES),
  'volume-list-empty': () => volumeListMessage([]),
  'volume-done': () =>
    volumeActionMessage({
      outcome: 'done',
      message: 'Grew models to 300 GB.',
      volume: { ...VOLUMES[0]!, sizeGb: 300 },
    }),
  'endpoint-list': () => endpointListMessage(ENDPOINTS),
  'endpoint-done': () =>
    endpointActionMessage({ outcome: 'done', message: 'Updated whisper-large.', endpoint: ENDPOINTS[0]! }),
};

const MODALS: Record<string, () => ModalView> = {
  'create-modal-empty': () =>
    createPodModal({
      prefill: {},
      gpus,
      volumes: null,
      quote: { state: 'incomplete', message: 'Pick a GPU type to see the price.' },
      metadata: meta,
    }),
  'create-modal-prefilled-quoted': () =>
    createPodModal({
      prefill: prefillFor(
        GPU_ANSWERS['gpu-answer-multi-gpu']!,
        GPU_ANSWERS['gpu-answer-multi-gpu']!.options[0]!,
      ),
      gpus,
      volumes: [{ id: 'vol1', name: 'models', sizeGb: 200, dataCenterId: 'EU-RO-1' }],
      quote: { state: 'ready', quote: QUOTE },
      metadata: meta,
    }),
};


describe('messages: golden files and Block Kit limits', () => {
  for (const [name, build] of Object.entries(MESSAGES)) {
    it(name, () => {
      const msg = build();
      expect(checkMessage(msg)).toEqual([]);
      expect(msg.text.trim().length).toBeGreaterThan(10);
      golden(name, msg);
    });
  }
});

describe('modals: golden files and Block Kit limits', () => {
  for (const [name, build] of Object.entries(MODALS)) {
    it(name, () => {
      const view = build();
      expect(checkModal(view)).toEqual([]);
      golden(name, view);
    });
  }
});

describe('long lists paginate instead of breaking the limits', () => {
  it('every page of 120 pods fits, and the pages together show every pod once', () => {
    const seen: string[] = [];
    for (let page = 0; page < 20; page++) {
      const msg = podListMessage({ pods: MANY_PODS, scope: 'all', page, userId: 'U0ALICE' });
      expect(checkMessage(msg)).toEqual([]);
      expect(msg.blocks.length).toBeLessThanOrEqual(LIMITS.messageBlocks);
      for (const p of MANY_PODS)
        if (JSON.stringify(msg.blocks).includes(`\`${p.id}\``) && !seen.includes(p.id)) seen.push(p.id);
    }
    expect(seen.sort()).toEqual(MANY_PODS.map((p) => p.id).sort());
  });

  it('pages link to each other with Previous / Next', () => {
    const mid = podListMessage({ pods: MANY_PODS, scope: 'all', page: 3, userId: 'U0ALICE' });
    const nav = JSON.stringify(mid.blocks.at(-1));
    expect(nav).toContain('‹ Previous');
    expect(nav).toContain('Next ›');
  });
});

describe('the limit checker catches what Slack rejects', () => {
  const ok: Message = { text: 'ok', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x' } }] };
  it('accepts a minimal message', () => expect(checkMessage(ok)).toEqual([]));
  it('51 blocks', () =>
    expect(
      checkMessage({ text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }).join(),
    ).toMatch(/51 > 50/));
  it('section text over 3000', () =>
    expect(
      checkMessage({
        text: 't',
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
      }).join(),
    ).toMatch(/3001 chars > 3000/));
  it('button text over 75, value over 2000, confirm title over 100', () => {
    const p = checkMessage({
      text: 't',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'a',
              text: { type: 'plain_text', text: 'b'.repeat(76) },
              value: 'v'.repeat(2001),
              confirm: {
                title: { type: 'plain_text', text: 't'.repeat(101) },
                text: { type: 'mrkdwn', text: 'x' },
                confirm: { type: 'plain_text', text: 'ok' },
                deny: { type: 'plain_text', text: 'no' },
              },
            },
          ],
        },
      ],
    }).join('\n');
    expect(p).toMatch(/text.text: 76 chars > 75/);
    expect(p).toMatch(/value: 2001 chars > 2000/);
    expect(p).toMatch(/confirm.title.text: 101 chars > 100/);
  });
  it('missing fallback text, repeated block ids, inputs in a message', () => {
    const p = checkMessage({
      text: ' ',
      blocks: [
        { type: 'divider', block_id: 'x' },
        { type: 'divider', block_id: 'x' },
        {
          type: 'input',
          block_id: 'i',
          label: { type: 'plain_text', text: 'l' },
          element: { type: 'plain_text_input', action_id: 'a' },
        },
      ],
    }).join('\n');
    expect(p).toMatch(/fallback/);
    expect(p).toMatch(/repeated/);
    expect(p).toMatch(/input blocks belong in modals/);
  });
  it('a modal title over 24 and inputs without submit', () => {
    const p = checkModal({
      type: 'modal',
      title: { type: 'plain_text', text: 'x'.repeat(25) },
      blocks: [
        {
          type: 'input',
          block_id: 'i',
          label: { type: 'plain_text', text: 'l' },
          element: { type: 'plain_text_input', action_id: 'a' },
        },
      ],
    }).join('\n');
    expect(p).toMatch(/title.text: 25 chars > 24/);
    expect(p).toMatch(/submit/);
  });
});

describe('/gpu answers', () => {
  it('answers straight from the catalog render within the limits', () => {
    const questions = [
      ...Object.values(ANSWER_QUESTIONS),
      'deepseek v3 fp8',
      'fine-tune llama 3.1 8b with lora',
      'whisper large v3',
      'sdxl',
      'gpt-4',
      'mixtral 8x22b awq 64k context 32 users',
      'embeddings for 10 million documents',
      '',
    ];
    for (const q of questions) {
      const msg = gpuAnswerMessage(answerQuestion(q));
      expect(checkMessage(msg), q).toEqual([]);
    }
  });

  it('a multi-GPU option opens the form with the tensor-parallel size in env', () => {
    const a = GPU_ANSWERS['gpu-answer-multi-gpu']!;
    const multi = a.options.find((o) => o.count > 1 && o.parallelism === 'tensor');
    expect(multi).toBeDefined();
    const p = prefillFor(a, multi!);
    expect(p.env).toContain(`TENSOR_PARALLEL_SIZE=${multi!.count}`);
    expect(p.gpuCount).toBe(multi!.count);
    const msg = gpuAnswerMessage(a);
    expect(JSON.stringify(msg.blocks)).toContain(`TENSOR_PARALLEL_SIZE=${multi!.count}`);
  });
  it('every option has a Create pod button', () => {
    const msg = gpuAnswerMessage(GPU_ANSWER);
    const buttons = JSON.stringify(msg.blocks).match(/"Create pod"/g) ?? [];
    expect(buttons.length).toBe(Math.min(GPU_ANSWER.options.length, MAX_GPU_OPTIONS));
  });
});

describe('NoCapacityError alternatives are offered as buttons, never with env values', () => {
  it('keeps env values out of retry buttons', () => {
    const e = new NoCapacityError(['NVIDIA RTX A6000'], []);
    expect(e.code).toBe('NO_CAPACITY');
    const msg = MESSAGES['progress-no-capacity']!();
    expect(JSON.stringify(msg)).not.toMatch(/HF_TOKEN=/);
  });
});
