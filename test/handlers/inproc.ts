// The real Bolt app and handlers on real services over in-memory ports (RunPod fake, memory store),
// driven in process through the console's receiver; Web API calls land on a loopback SlackFake.
import type { App } from '@slack/bolt';
import { createSlackApp } from '../../src/handlers/app.ts';
import type { HandlerDeps } from '../../src/handlers/deps.ts';
import { WorkTracker } from '../../src/handlers/work.ts';
import { buildGpuPort } from '../../src/handlers/gpu-port.ts';
import { GpuAdvisor } from '../../src/services/gpu-advisor.ts';
import { InProcessReceiver } from '../../src/sandbox/console/receiver.ts';
import { SlackSimulator } from '../../src/sandbox/console/simulator.ts';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { EndpointService } from '../../src/services/endpoints.ts';
import { PodService } from '../../src/services/pods.ts';
import { SpendService } from '../../src/services/spend.ts';
import { VolumeService } from '../../src/services/volumes.ts';
import { createMemoryStore } from '../../src/store/memory.ts';
import { FakeClock, InMemoryRunpod } from '../fakes/runpod-memory.ts';
import { type CapturedLogger, captureLogger } from '../support/capture-logger.ts';

export interface InProc {
  app: App;
  fake: SlackFake;
  sim: SlackSimulator;
  runpod: InMemoryRunpod;
  clock: FakeClock;
  deps: HandlerDeps;
  logs: CapturedLogger;
  /** Resolves when listeners and the work they started are done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startInProcess(): Promise<InProc> {
  const clock = new FakeClock();
  const runpod = new InMemoryRunpod({ clock, pullSeconds: 0 });
  runpod.seedPod({ name: 'alice-llama70b-serve', gpuTypeId: 'NVIDIA RTX A6000' });
  runpod.seedPod({ name: 'bob-sdxl-train', gpuTypeId: 'NVIDIA GeForce RTX 4090' });
  runpod.seedPod({ name: 'carol-notebook', gpuTypeId: 'NVIDIA GeForce RTX 4090', running: false });
  runpod.seedVolume({ name: 'models', sizeGb: 200, dataCenterId: 'EU-RO-1' });
  runpod.seedEndpoint({
    name: 'whisper',
    templateId: 'tpl-vllm',
    gpuPoolIds: ['AMPERE_24'],
    gpuCount: 1,
    workersMin: 0,
    workersMax: 3,
    idleTimeoutSec: 5,
    scalerType: 'QUEUE_DELAY',
    scalerValue: 4,
    networkVolumeId: null,
    locations: null,
    executionTimeoutMs: null,
    flashBoot: true,
  });
  const store = createMemoryStore();
  const logs = captureLogger([], 'info');
  const work = new WorkTracker(logs.logger);
  const deps: HandlerDeps = {
    pods: new PodService({ runpod, store, clock }),
    volumes: new VolumeService({ runpod, clock, store }),
    endpoints: new EndpointService({ runpod, clock, store }),
    spend: new SpendService({ runpod, store, clock }),
    gpu: buildGpuPort(new GpuAdvisor(runpod, clock)),
    logger: logs.logger,
    work,
    follow: { intervalSec: 0.001, timeoutSec: 0.01 },
  };
  const fake = await new SlackFake().start();
  const receiver = new InProcessReceiver();
  const app = createSlackApp(
    {
      mode: 'custom',
      receiver,
      botToken: 'xoxb-inproc',
      botId: 'B0PODBAY',
      botUserId: 'U0PODBAY',
      apiUrl: fake.apiUrl,
      logger: logs.logger,
    },
    deps,
  );
  await app.start();
  const sim = new SlackSimulator(fake, receiver);
  return {
    app,
    fake,
    sim,
    runpod,
    clock,
    deps,
    logs,
    idle: async () => {
      await receiver.idle();
      await work.idle();
    },
    close: async () => {
      await app.stop();
      await work.drain(1000);
      await fake.close();
    },
  };
}
