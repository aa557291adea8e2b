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
import { SlackApprovalNotifier } from '../../src/handlers/approval-notifier.ts';
import { AccessControl } from '../../src/services/access.ts';
import { registerExecutors } from '../../src/services/approval-executors.ts';
import { ApprovalService } from '../../src/services/approvals.ts';
import { AuditService } from '../../src/services/audit.ts';
import { CreateFormService } from '../../src/services/create-forms.ts';
import { parsePolicy } from '../../src/services/policy-file.ts';
import type { Clock, Store } from '../../src/services/ports.ts';
import { RoleResolver } from '../../src/services/roles.ts';
import { ephemeralSecretBox } from '../../src/store/secret-box.ts';
import { DEFAULT_GPU_TYPES, FakeClock, InMemoryRunpod } from '../fakes/runpod-memory.ts';
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

export interface InProcOptions {
  /** Policy file text: the services and the Bolt app get its rules and approvals (as main wires them). */
  policy?: string;
  /** User groups Slack would answer (group id → members). */
  groups?: Record<string, string[]>;
}

export async function startInProcess(opts: InProcOptions = {}): Promise<InProc> {
  const clock = new FakeClock();
  // With a policy, stock is plentiful: these tests are about who may act, not capacity.
  const gpuTypes = opts.policy
    ? DEFAULT_GPU_TYPES.map((t) => ({
        ...t,
        stock: Object.fromEntries(Object.keys(t.stock).map((k) => [k, 64])),
      }))
    : DEFAULT_GPU_TYPES;
  const runpod = new InMemoryRunpod({ clock, pullSeconds: 0, gpuTypes });
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
  const guarded = opts.policy
    ? policyServices(opts.policy, opts.groups ?? {}, { runpod, store, clock })
    : null;
  const deps: HandlerDeps = {
    ...(guarded ?? {
      pods: new PodService({ runpod, store, clock }),
      volumes: new VolumeService({ runpod, clock, store }),
      endpoints: new EndpointService({ runpod, clock, store }),
    }),
    spend: new SpendService({ runpod, store, clock }),
    forms: new CreateFormService({ store, clock }),
    gpu: buildGpuPort(new GpuAdvisor(runpod, clock)),
    logger: logs.logger,
    work,
    follow: { intervalSec: 0.001, timeoutSec: 0.01 },
  };
  const fake = await new SlackFake().start();
  const receiver = new InProcessReceiver(logs.logger);
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
  guarded?.approvals.setNotifier(
    new SlackApprovalNotifier(app.client, guarded.access.policy.approvals.channel, logs.logger),
  );
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

/** The guarded services, wired as main.ts wires them. */
function policyServices(
  text: string,
  groups: Record<string, string[]>,
  w: { runpod: InMemoryRunpod; store: Store; clock: Clock },
) {
  const parsed = parsePolicy(text, 'test-policy.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const roles = new RoleResolver(parsed.policy, { groupMembers: async (g) => groups[g] ?? [] }, w.clock);
  let pods: PodService | undefined;
  const access = new AccessControl({
    roles,
    store: w.store,
    clock: w.clock,
    usage: (u) => (pods as PodService).usage(u),
  });
  const approvals = new ApprovalService({
    store: w.store,
    clock: w.clock,
    access,
    secrets: ephemeralSecretBox(),
  });
  const guard = { access, approvals };
  pods = new PodService({ ...w, guard });
  const volumes = new VolumeService({ runpod: w.runpod, clock: w.clock, store: w.store, guard });
  const endpoints = new EndpointService({ runpod: w.runpod, clock: w.clock, store: w.store, guard });
  registerExecutors(approvals, { pods, volumes, endpoints });
  return { pods, volumes, endpoints, access, approvals, audit: new AuditService(w.store, w.clock) };
}
