// The world the Home tab tests run in: a policy with a viewer, two operators and two approvers,
// an in-memory RunPod on a fixed clock, and a store seeded with what the scheduler and approvals
// would have written (owners, utilisation samples, the spend ledger, an idle alert, two requests).
// Everything has fixed ids and times, so the published Home views can be compared to goldens.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert } from '../../src/services/alert-model.ts';
import type { ApprovalRecord } from '../../src/services/approvals.ts';
import type { DayLedger } from '../../src/services/digest.ts';
import type { Sample } from '../../src/services/idle.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { FakeClock, InMemoryRunpod } from '../fakes/runpod-memory.ts';

export const VIEWER = 'U0VIEW';
export const OPS = 'U0OPS';
export const OPS2 = 'U0OPSTWO';
export const APR1 = 'U0APRONE';
export const APR2 = 'U0APRTWO';
export const ADMIN = 'U0ADMIN';

export const NOW = '2026-11-26T12:00:00.000Z';
export const TERMINATE_REQ = 'apr_terminateopsold00001';
export const CREATE_REQ = 'apr_createops2bigrun0001';

export const POLICY = `roles:
  viewer: [${VIEWER}]
  operator: [${OPS}, ${OPS2}]
  approver: [${APR1}, ${APR2}]
  admin: [${ADMIN}]
approvals:
  channel: C0APPROVALS
  ttl: 1h
require_approval:
  pod_create_above_per_hour: 1.00
  terminate: true
alerts:
  channel: C0ALERTS
  idle:
    gpu_util_below: 10%
    for: 30m
`;

export function policyFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podbay-home-'));
  const file = join(dir, 'policy.yml');
  writeFileSync(file, POLICY);
  return file;
}

const MIN = 60_000;

/** Samples every minute from `fromMin` minutes ago up to now, at `util` percent. */
function samples(nowMs: number, fromMin: number, util: number | null): Sample[] {
  const out: Sample[] = [];
  for (let m = fromMin; m >= 0; m--) out.push([nowMs - m * MIN, util]);
  return out;
}

export interface HomeWorld {
  clock: FakeClock;
  runpod: InMemoryRunpod;
  store: MemoryStore;
  pods: { train: string; eval: string; notebook: string; old: string; ops2: string; shared: string };
}

export async function homeWorld(): Promise<HomeWorld> {
  const clock = new FakeClock(NOW);
  const nowMs = clock.now().getTime();
  const runpod = new InMemoryRunpod({ clock, pullSeconds: 0 });
  const store = new MemoryStore();

  const train = runpod.seedPod({ name: 'ops-train-a1b2', gpuTypeId: 'NVIDIA RTX A6000' });
  const evalPod = runpod.seedPod({ name: 'ops-eval-c3d4', gpuTypeId: 'NVIDIA A40', gpuCount: 2 });
  const notebook = runpod.seedPod({ name: 'ops-notebook-e5f6', running: false });
  const old = runpod.seedPod({ name: 'ops-old-g7h8', gpuTypeId: 'NVIDIA GeForce RTX 4090' });
  const ops2 = runpod.seedPod({ name: 'opstwo-serve-k1l2', gpuTypeId: 'NVIDIA L40S', kind: 'spot' });
  // Made outside podbay: nobody's Home shows it.
  const shared = runpod.seedPod({ name: 'shared-jupyter', gpuTypeId: 'NVIDIA A40' });

  const createdAt = new Date(nowMs - 3 * 3_600_000).toISOString();
  for (const [pod, userId] of [
    [train, OPS],
    [evalPod, OPS],
    [notebook, OPS],
    [old, OPS],
    [ops2, OPS2],
  ] as const)
    await store.savePodOwnership({ podName: pod.name, podId: pod.id, userId, teamId: 'T0PODBAY', createdAt });

  // The scan's utilisation samples: train idle for 40 minutes, eval busy, opstwo quiet for 10.
  await store.kvPut('samples', train.id, samples(nowMs, 40, 2));
  await store.kvPut('samples', evalPod.id, samples(nowMs, 40, 85));
  await store.kvPut('samples', ops2.id, [...samples(nowMs - 11 * MIN, 20, 60), ...samples(nowMs, 10, 4)]);
  await store.kvPut('scan', 'last', { atMs: nowMs - MIN });

  // The spend ledger (days in Europe/Berlin): two days this month and one of the month before.
  const ledger = (day: string, totalUsd: number, pods: DayLedger['pods']): DayLedger => ({
    day,
    totalUsd,
    pods,
  });
  const spend = (name: string, owner: string | null, usd: number, idleUsd = 0) => ({
    name,
    owner,
    usd,
    idleUsd,
    runningMs: 3_600_000,
  });
  await store.kvPut(
    'spend',
    'day:2026-11-26',
    ledger('2026-11-26', 14.5, {
      [train.id]: spend(train.name, OPS, 2.45, 1.2),
      [evalPod.id]: spend(evalPod.name, OPS, 4.4),
      [ops2.id]: spend(ops2.name, OPS2, 3.1),
      [shared.id]: spend(shared.name, null, 2.2),
    }),
  );
  await store.kvPut(
    'spend',
    'day:2026-11-25',
    ledger('2026-11-25', 30.25, {
      [train.id]: spend(train.name, OPS, 11.76, 3.5),
      [ops2.id]: spend(ops2.name, OPS2, 9.9),
    }),
  );
  await store.kvPut(
    'spend',
    'day:2026-10-31',
    ledger('2026-10-31', 99, { [train.id]: spend(train.name, OPS, 50) }),
  );

  // An open idle alert about the operator's training pod, not yet posted (the next scan posts it).
  const idleSinceMs = nowMs - 40 * MIN;
  const alert: Alert = {
    key: `idle:${train.id}:${idleSinceMs}`,
    kind: 'idle',
    subject: train.id,
    open: true,
    openedAtMs: nowMs - 10 * MIN,
    updatedAtMs: nowMs - MIN,
    stage: 'warning',
    pod: {
      id: train.id,
      name: train.name,
      gpus: 'RTX A6000',
      gpuCount: 1,
      costPerHr: train.costPerHr,
      owner: OPS,
      kind: 'on-demand',
      networkVolumeId: null,
      volumeInGb: 50,
    },
    notes: [],
    snoozedUntilMs: null,
    autoStopAtMs: null,
    channel: 'C0ALERTS',
    dmTo: OPS,
    messages: { channel: null, dm: null },
    postingSinceMs: { channel: null, dm: null },
    revision: 1,
    delivered: 0,
    facts: { idleSinceMs, idleUsd: 0.33, utilBelowPercent: 10, forMs: 30 * MIN },
  };
  await store.kvPut('alert', alert.key, alert);

  // Two requests waiting: the operator's terminate, and the second operator's expensive create.
  const expiresAt = new Date(nowMs + 50 * MIN).toISOString();
  const terminate: ApprovalRecord = {
    id: TERMINATE_REQ,
    kind: 'pod.terminate',
    userId: OPS,
    teamId: 'T0PODBAY',
    status: 'pending',
    reason: 'terminating a pod needs approval',
    decidedBy: null,
    createdAt: new Date(nowMs - 10 * MIN).toISOString(),
    updatedAt: new Date(nowMs - 10 * MIN).toISOString(),
    payload: {
      target: old.id,
      targetName: old.name,
      summary: `terminate ${old.name} (1× RTX 4090, $0.69/h)`,
      params: { podId: old.id, podName: old.name, owner: OPS },
      sealed: null,
      quote: null,
      rule: 'terminating a pod needs approval',
      justification: 'done with it; frees the 4090',
      origin: { channel: 'C0GPU' },
      message: null,
      expiresAt,
      result: null,
      runpodId: null,
      supersedes: null,
    },
  };
  const create: ApprovalRecord = {
    ...terminate,
    id: CREATE_REQ,
    kind: 'pod.create',
    userId: OPS2,
    reason: 'it costs $1.64/h, above the $1.00/h that needs approval',
    createdAt: new Date(nowMs - 5 * MIN).toISOString(),
    updatedAt: new Date(nowMs - 5 * MIN).toISOString(),
    payload: {
      ...terminate.payload,
      target: 'opstwo-bigrun-x9y8',
      targetName: 'opstwo-bigrun-x9y8',
      summary: 'create 1× A100 PCIe on-demand pod opstwo-bigrun-x9y8 at $1.64/h',
      params: {
        request: {
          label: 'bigrun',
          kind: 'on-demand',
          gpuTypeIds: ['NVIDIA A100 80GB PCIe'],
          gpuCount: 1,
          lifetimeMs: null,
        },
        podName: 'opstwo-bigrun-x9y8',
        envKeys: [],
        handle: 'opstwo',
      },
      rule: 'it costs $1.64/h, above the $1.00/h that needs approval',
      justification: null,
    },
  };
  await store.createPending(terminate);
  await store.createPending(create);

  return {
    clock,
    runpod,
    store,
    pods: {
      train: train.id,
      eval: evalPod.id,
      notebook: notebook.id,
      old: old.id,
      ops2: ops2.id,
      shared: shared.id,
    },
  };
}
