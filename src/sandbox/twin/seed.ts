// Demo account for the sandbox, and bulk pods for benchmarks. Everything is created through the
// same functions the API uses, with the clock set back, so records look like real history.
import { saveEndpoint } from './endpoints.ts';
import { createPod, type DeployInput, interruptSpot, stopPod } from './pods.ts';
import type { PodRecord, PodTypeName } from './records.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';
import type { TwinState } from './state.ts';
import { addRunpodTemplates, saveTemplate } from './templates.ts';
import { createVolume } from './volumes.ts';

/** Empties the account, restores RunPod's public templates, then adds the demo data when asked. */
export function resetWorld(state: TwinState, opts: { seed: boolean }): void {
  state.reset();
  addRunpodTemplates(state);
  if (opts.seed) {
    seedDemo(state);
    state.ledger.backfill(state);
  }
}

/** Runs `fn` with the clock set `secondsAgo` into the past. */
function inThePast<T>(state: TwinState, secondsAgo: number, fn: () => T): T {
  const now = state.nowMs;
  state.nowMs = now - secondsAgo * 1000;
  try {
    return fn();
  } finally {
    state.nowMs = now;
  }
}

function ensureStock(state: TwinState, gpuTypeId: string, dataCenterId: string, count: number): void {
  if (state.freeGpus(gpuTypeId, dataCenterId) < count) state.setStock(gpuTypeId, count + 4, dataCenterId);
}

function seedPod(
  state: TwinState,
  input: DeployInput,
  kind: PodTypeName,
  ageSec: number,
  scenario: Scenario,
): PodRecord {
  return inThePast(state, ageSec, () => createPod(state, input, kind, { scenario }));
}

export function seedDemo(state: TwinState): void {
  state.account.email = 'gpu-team@example.com';
  state.account.pubKey =
    'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPodbaySandboxDemoKeyOnlyNotARealKey0000 alice@example.com';

  const hfCache = inThePast(state, 30 * 86_400, () =>
    createVolume(state, { name: 'shared-hf-cache', size: 500, dataCenterId: 'US-KS-2' }),
  );
  inThePast(state, 12 * 86_400, () =>
    createVolume(state, { name: 'datasets-eu', size: 1000, dataCenterId: 'EU-RO-1' }),
  );

  const vllm = saveTemplate(state, {
    name: 'vllm-openai',
    imageName: 'vllm/vllm-openai:v0.6.3',
    containerDiskInGb: 40,
    volumeInGb: 0,
    volumeMountPath: '/workspace',
    dockerArgs: '--max-model-len 8192',
    env: [{ key: 'MODEL_ID', value: 'meta-llama/Llama-3.1-8B-Instruct' }],
    ports: '8000/http,22/tcp',
    category: 'NVIDIA',
  });
  const sdxlWorker = saveTemplate(state, {
    name: 'sdxl-worker',
    imageName: 'ghcr.io/example/sdxl-worker:1.4.0',
    containerDiskInGb: 30,
    volumeInGb: 0,
    dockerArgs: '',
    env: [{ key: 'MODEL_ID', value: 'stabilityai/sdxl-turbo' }],
    isServerless: true,
  });
  const embedWorker = saveTemplate(state, {
    name: 'embeddings-worker',
    imageName: 'ghcr.io/example/embeddings-worker:0.9.2',
    containerDiskInGb: 20,
    volumeInGb: 0,
    dockerArgs: '',
    env: [{ key: 'MODEL_ID', value: 'BAAI/bge-large-en-v1.5' }],
    isServerless: true,
  });

  saveEndpoint(state, {
    name: 'sdxl-turbo-api',
    templateId: sdxlWorker.id,
    gpuIds: 'ADA_24,AMPERE_24',
    gpuCount: 1,
    workersMin: 0,
    workersMax: 3,
    idleTimeout: 5,
    scalerType: 'QUEUE_DELAY',
    scalerValue: 4,
    flashBootType: 'FLASHBOOT',
    env: [{ key: 'HF_TOKEN', value: 'hf_demo_secret_value_sdxl_4Rt8' }],
  });
  saveEndpoint(state, {
    name: 'embeddings-prod',
    templateId: embedWorker.id,
    gpuIds: 'AMPERE_16',
    gpuCount: 1,
    workersMin: 1,
    workersMax: 5,
    idleTimeout: 30,
    scalerType: 'REQUEST_COUNT',
    scalerValue: 10,
    executionTimeoutMs: 600_000,
    locations: 'US',
    networkVolumeId: hfCache.id,
  });

  // Running and busy: a 70B model served on two A100s, reading weights from the shared volume.
  ensureStock(state, 'NVIDIA A100 80GB PCIe', 'US-KS-2', 2);
  seedPod(
    state,
    {
      name: 'alice-llama70b-serve',
      imageName: 'vllm/vllm-openai:v0.6.3',
      gpuTypeId: 'NVIDIA A100 80GB PCIe',
      gpuCount: 2,
      cloudType: 'SECURE',
      networkVolumeId: hfCache.id,
      containerDiskInGb: 40,
      volumeMountPath: '/workspace',
      ports: '8000/http,22/tcp',
      dockerArgs: '--model meta-llama/Llama-3.1-70B-Instruct --tensor-parallel-size 2',
      env: [
        { key: 'HF_TOKEN', value: 'hf_demo_secret_value_alice_7Qx3Lm' },
        { key: 'MODEL_ID', value: 'meta-llama/Llama-3.1-70B-Instruct' },
      ],
    },
    'RESERVED',
    6 * 3600,
    'busy',
  );
  // Running but idle for hours: the pod idle alerts exist for.
  seedPod(
    state,
    {
      name: 'bob-sdxl-train',
      imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
      gpuTypeId: 'NVIDIA RTX A6000',
      gpuCount: 1,
      cloudType: 'SECURE',
      containerDiskInGb: 50,
      volumeInGb: 100,
      ports: '8888/http,22/tcp',
      env: [
        { key: 'HF_TOKEN', value: 'hf_demo_secret_value_bob_91kdPz' },
        { key: 'WANDB_API_KEY', value: 'wandb_demo_secret_value_bob_x8' },
      ],
    },
    'RESERVED',
    9 * 3600,
    'idle',
  );
  // A spot pod doing bursty batch work.
  seedPod(
    state,
    {
      name: 'ci-embeddings',
      imageName: 'ghcr.io/example/embeddings-batch:2025.11',
      gpuTypeId: 'NVIDIA GeForce RTX 4090',
      gpuCount: 1,
      cloudType: 'ALL',
      bidPerGpu: 0.4,
      containerDiskInGb: 20,
      volumeInGb: 20,
      env: [{ key: 'BATCH_SIZE', value: '256' }],
    },
    'INTERRUPTABLE',
    2 * 3600,
    'bursty',
  );
  // Stopped yesterday: only its volume disk still bills.
  const carol = seedPod(
    state,
    {
      name: 'carol-notebook',
      templateId: 'runpod-torch-v240',
      gpuTypeId: 'NVIDIA GeForce RTX 4090',
      gpuCount: 1,
      cloudType: 'SECURE',
      volumeInGb: 50,
      env: [{ key: 'JUPYTER_PASSWORD', value: 'demo_secret_jupyter_pw' }],
    },
    'RESERVED',
    30 * 3600,
    'idle',
  );
  inThePast(state, 20 * 3600, () => stopPod(state, carol.id));
  // A spot pod that lost its host three hours ago.
  const erin = seedPod(
    state,
    {
      name: 'erin-whisper-spot',
      imageName: 'ghcr.io/example/whisper-batch:1.2',
      gpuTypeId: 'NVIDIA RTX A4500',
      gpuCount: 1,
      bidPerGpu: 0.25,
      volumeInGb: 30,
    },
    'INTERRUPTABLE',
    8 * 3600,
    'busy',
  );
  inThePast(state, 3 * 3600, () => interruptSpot(state, erin.id));
  // Just created: still pulling its image, so runtime is null.
  const pulling = Math.floor(state.options.createToRunningDelaySec / 3);
  seedPod(
    state,
    {
      name: 'dana-qwen-finetune',
      templateId: vllm.id,
      imageName: 'ghcr.io/example/qwen-finetune:0.3.1',
      gpuTypeId: 'NVIDIA H100 80GB HBM3',
      gpuCount: 4,
      cloudType: 'SECURE',
      volumeInGb: 200,
      env: [{ key: 'HF_TOKEN', value: 'hf_demo_secret_value_dana_Zp2wq' }],
    },
    'RESERVED',
    pulling,
    'busy',
  );
}

const BULK_GPUS = [
  'NVIDIA GeForce RTX 4090',
  'NVIDIA RTX A6000',
  'NVIDIA A100 80GB PCIe',
  'NVIDIA H100 80GB HBM3',
  'NVIDIA L40S',
  'NVIDIA RTX A5000',
];

/**
 * Adds `n` pods fast (for benchmarks): outside the stock table, already past image pull,
 * about 80% running (mixed scenarios) and 20% stopped. Returns their ids.
 */
export function seedPods(state: TwinState, n: number): string[] {
  const count = Math.max(0, Math.floor(n));
  const ids: string[] = [];
  const start = state.pods.size;
  for (let i = 0; i < count; i++) {
    const kind: PodTypeName = i % 10 === 9 ? 'INTERRUPTABLE' : 'RESERVED';
    const scenario = SCENARIOS[i % SCENARIOS.length] ?? 'busy';
    const pod = createPod(
      state,
      {
        name: `bulk-${String(start + i).padStart(6, '0')}`,
        imageName: 'runpod/base:0.6.2-cuda12.4.1',
        gpuTypeId: BULK_GPUS[i % BULK_GPUS.length] ?? 'NVIDIA GeForce RTX 4090',
        gpuCount: 1 + (i % 4 === 0 ? 1 : 0),
        ports: '8888/http,22/tcp',
        env: [{ key: 'BULK_INDEX', value: String(i) }],
      },
      kind,
      { scenario, ignoreStock: true },
    );
    pod.readyAtMs = state.nowMs;
    if (i % 5 === 4) {
      pod.desiredStatus = 'EXITED';
      pod.lastStatusChange = `Exited by user: ${pod.lastStatusChange.slice('Rented by User: '.length)}`;
    }
    ids.push(pod.id);
  }
  return ids;
}
