// Models every view is rendered from in the golden and limit tests: ordinary ones and extreme ones
// (long names, many items) that must still fit Slack's limits.
import type { Endpoint, Pod } from '../../../src/services/domain.ts';
import type { OwnedPod, PodDetails } from '../../../src/services/pods.ts';
import type { PodQuote } from '../../../src/services/quote.ts';
import type { SpendSummary } from '../../../src/services/spend.ts';
import type { VolumeView } from '../../../src/services/volumes.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Answer, answerQuestion } from '../../../src/catalog/answer.ts';

export function pod(over: Partial<Pod> = {}): Pod {
  return {
    id: 'abc123xyz',
    name: 'alice-llama-eval-k3x9qa',
    status: 'RUNNING',
    kind: 'on-demand',
    costPerHr: 0.98,
    gpuCount: 2,
    gpuName: 'RTX A6000',
    imageName: 'vllm/vllm-openai:latest',
    templateId: null,
    vcpuCount: 16,
    memoryInGb: 62,
    containerDiskInGb: 50,
    volumeInGb: 20,
    volumeMountPath: '/workspace',
    networkVolumeId: null,
    ports: '8888/http,22/tcp',
    machineId: 'm1',
    location: 'EU-RO-1',
    lastStatusChange: 'Rented by User: Thu Nov 26 2026 09:00:00 GMT+0000',
    envKeys: ['HF_TOKEN', 'TENSOR_PARALLEL_SIZE'],
    runtime: {
      uptimeSeconds: 5400,
      gpus: [
        { id: 'g0', utilPercent: 87, memoryUtilPercent: 70 },
        { id: 'g1', utilPercent: 91, memoryUtilPercent: 71 },
      ],
      cpuPercent: 20,
      memoryPercent: 40,
      ports: [
        { ip: '100.65.1.2', isPublic: false, privatePort: 8888, publicPort: 8888, type: 'http' },
        { ip: '194.68.245.3', isPublic: true, privatePort: 22, publicPort: 22011, type: 'tcp' },
      ],
    },
    ...over,
  };
}

export const owned = (p: Pod, userId: string | null = 'U0ALICE'): OwnedPod => ({
  ...p,
  owner: userId ? { userId, teamId: 'T0PODBAY' } : null,
});

export const PODS: OwnedPod[] = [
  owned(pod()),
  owned(
    pod({
      id: 'def456',
      name: 'bob-sdxl-train-7hd82k',
      gpuCount: 1,
      gpuName: 'RTX 4090',
      costPerHr: 0.69,
      kind: 'spot',
    }),
    'U0BOB',
  ),
  owned(
    pod({
      id: 'ghi789',
      name: 'carol-notebook',
      status: 'EXITED',
      runtime: null,
      gpuCount: 1,
      gpuName: 'RTX 4090',
      costPerHr: 0.69,
    }),
    null,
  ),
  owned(pod({ id: 'jkl012', name: 'dead-one', status: 'DEAD', runtime: null }), null),
];

/** 120 pods with long names: must paginate, never break 50 blocks. */
export const MANY_PODS: OwnedPod[] = Array.from({ length: 120 }, (_, i) =>
  owned(
    pod({
      id: `pod${String(i).padStart(4, '0')}${'x'.repeat(10)}`,
      name: `team-member-with-a-very-long-handle-${i}-${'n'.repeat(40)}`,
      status: i % 3 === 0 ? 'EXITED' : 'RUNNING',
      runtime: i % 3 === 0 ? null : pod().runtime,
    }),
    i % 2 ? `U${i}` : null,
  ),
);

export const DETAILS: PodDetails = {
  ...owned(pod()),
  phase: 'running',
  connections: [
    {
      privatePort: 8888,
      type: 'http',
      publicAddress: null,
      proxyUrl: 'https://abc123xyz-8888.proxy.runpod.net',
    },
    { privatePort: 22, type: 'tcp', publicAddress: '194.68.245.3:22011', proxyUrl: null },
  ],
};

export const QUOTE: PodQuote = {
  gpuTypeId: 'NVIDIA RTX A6000',
  gpuDisplayName: 'RTX A6000',
  gpuMemoryInGb: 48,
  gpuCount: 2,
  kind: 'on-demand',
  pricePerGpuHr: 0.49,
  priceBasis: 'on-demand-lowest',
  bidPerGpu: null,
  minimumBidPerGpu: null,
  perHourUsd: 0.98,
  perDayUsd: 23.52,
  stockStatus: 'High',
  balanceUsd: 120,
  spendPerHrUsd: 1.5,
  spendLimitUsd: 80,
  runwayNow: { kind: 'hours', hours: 80 },
  runwayAfter: { kind: 'hours', hours: 48.4 },
  notes: [],
};

export const SPEND: SpendSummary = {
  at: '2026-11-26T15:00:00.000Z',
  dayStart: '2026-11-26T00:00:00.000Z',
  balanceUsd: 120,
  spendPerHrUsd: 2.47,
  runway: { kind: 'hours', hours: 48.6 },
  runwayHours: 48.6,
  spendLimitUsd: 80,
  todayTotalUsd: 14.2,
  byOwner: [
    {
      userId: 'U0ALICE',
      teamId: 'T0PODBAY',
      costPerHrUsd: 0.98,
      todayUsd: 5.88,
      pods: [
        {
          id: 'abc123xyz',
          name: 'alice-llama-eval-k3x9qa',
          costPerHrUsd: 0.98,
          hoursToday: 6,
          todayUsd: 5.88,
        },
      ],
    },
    {
      userId: null,
      teamId: null,
      costPerHrUsd: 1.49,
      todayUsd: 8.32,
      pods: [
        { id: 'x', name: 'made-in-runpod-console', costPerHrUsd: 1.49, hoursToday: 5.6, todayUsd: 8.32 },
      ],
    },
  ],
  notes: ["Today's spend is an estimate from running pods."],
};

export const VOLUMES: VolumeView[] = [
  {
    id: 'vol1',
    name: 'models',
    sizeGb: 200,
    dataCenterId: 'EU-RO-1',
    usedBy: [{ id: 'abc123xyz', name: 'alice-llama-eval-k3x9qa' }],
  },
  { id: 'vol2', name: 'datasets', sizeGb: 500, dataCenterId: 'US-TX-3', usedBy: [] },
];

export const ENDPOINTS: Endpoint[] = [
  {
    id: 'ep1',
    name: 'whisper-large',
    templateId: 'tpl-whisper',
    gpuPoolIds: ['AMPERE_24', 'ADA_24'],
    gpuCount: 1,
    workersMin: 0,
    workersMax: 3,
    idleTimeoutSec: 5,
    scalerType: 'QUEUE_DELAY',
    scalerValue: 4,
    networkVolumeId: null,
    locations: null,
    executionTimeoutMs: 600000,
    flashBoot: true,
    envKeys: ['HF_TOKEN'],
    workersRunning: 1,
  },
];

/**
 * Answers from the catalog, kept as JSON inputs so the golden files change only when the view does
 * (UPDATE_GOLDEN=1 takes fresh ones from the catalog). views.test.ts also renders live answers.
 */
export const ANSWER_QUESTIONS: Record<string, string> = {
  'gpu-answer': '70b awq',
  'gpu-answer-multi-gpu': 'llama 3.1 405b fp8 32k context',
  'gpu-answer-fit-check': 'will mistral 7b fit on a 4090?',
  'gpu-answer-gpu-info': 'h100 vs a100',
  'gpu-answer-refuse': 'asdf qwerty',
  'gpu-answer-spot': 'qwen2.5 32b bf16, 32k context, 8 concurrent users, spot',
  'gpu-answer-named-no-fit': 'qwen2.5 32b on 2x 3090s',
  'gpu-answer-cluster': 'deepseek r1 how many h100s',
};

const ANSWERS_DIR = join(import.meta.dirname, 'answers');

function storedAnswer(name: string, question: string): Answer {
  const file = join(ANSWERS_DIR, `${name}.json`);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
    mkdirSync(ANSWERS_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify(answerQuestion(question), null, 2)}\n`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Answer;
}

export const GPU_ANSWERS: Record<string, Answer> = Object.fromEntries(
  Object.entries(ANSWER_QUESTIONS).map(([name, q]) => [name, storedAnswer(name, q)]),
);
export const GPU_ANSWER: Answer = GPU_ANSWERS['gpu-answer'] as Answer;
