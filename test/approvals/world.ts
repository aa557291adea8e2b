// The services as main.ts wires them, with a policy, over the in-memory RunPod and a store:
// access rules, approvals with their executors, and a notifier port that records what it was told.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessControl } from '../../src/services/access.ts';
import { registerExecutors } from '../../src/services/approval-executors.ts';
import type { ApprovalEvent, ApprovalNotifier, ApprovalRecord } from '../../src/services/approvals.ts';
import { ApprovalService } from '../../src/services/approvals.ts';
import { EndpointService } from '../../src/services/endpoints.ts';
import { sequentialIds } from '../../src/services/ids.ts';
import { parsePolicy } from '../../src/services/policy-file.ts';
import type { Policy } from '../../src/services/policy-schema.ts';
import type { Requester } from '../../src/services/policy.ts';
import type { Store } from '../../src/services/ports.ts';
import { PodService } from '../../src/services/pods.ts';
import { type Directory, RoleResolver } from '../../src/services/roles.ts';
import { VolumeService } from '../../src/services/volumes.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { ephemeralSecretBox } from '../../src/store/secret-box.ts';
import { DEFAULT_GPU_TYPES, FakeClock, InMemoryRunpod } from '../fakes/runpod-memory.ts';

/** The example policy (examples/policy.yml, also the README's example). */
export const EXAMPLE_POLICY = readFileSync(
  join(import.meta.dirname, '..', '..', 'examples', 'policy.yml'),
  'utf8',
);

export const person = (userId: string, handle = userId.toLowerCase()): Requester => ({
  userId,
  teamId: 'T1',
  handle,
});
export const REQ = person('U0REQ', 'req');
export const AP1 = person('U0AP01', 'ap1');
export const AP2 = person('U0AP02', 'ap2');
export const LEAD = person('U0LEAD', 'lead'); // approver through the S0GPULEADS group
export const ADMIN = person('U0ADMIN', 'admin');
export const VIEWER = person('U0VIEW', 'viewer');

export function policyOf(text: string): Policy {
  const r = parsePolicy(text, 'test-policy.yml');
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.policy;
}

/** Records every notification, as a Slack notifier would receive it. */
export class RecordingNotifier implements ApprovalNotifier {
  readonly posts: ApprovalRecord[] = [];
  readonly events: Array<{ req: ApprovalRecord; event: ApprovalEvent }> = [];
  private n = 0;
  async posted(req: ApprovalRecord) {
    this.posts.push(structuredClone(req));
    return { channel: 'C0APPROVALS', ts: `1700000000.${String(++this.n).padStart(6, '0')}` };
  }
  async changed(req: ApprovalRecord, event: ApprovalEvent) {
    this.events.push({ req: structuredClone(req), event });
  }
  kinds(): string[] {
    return this.events.map((e) => e.event.kind);
  }
}

export const groups: Directory = {
  groupMembers: async (id) => (id === 'S0GPULEADS' ? ['U0LEAD'] : []),
};

export function world(
  opts: { policy?: string; store?: Store; clock?: FakeClock; runpod?: InMemoryRunpod } = {},
) {
  const clock = opts.clock ?? new FakeClock();
  // Enough A100s for several approved creates in one test.
  const gpuTypes = DEFAULT_GPU_TYPES.map((t) =>
    t.id === 'NVIDIA A100 80GB PCIe' ? { ...t, stock: { 'US-KS-2': 32 } } : t,
  );
  const runpod = opts.runpod ?? new InMemoryRunpod({ clock, pullSeconds: 0, gpuTypes });
  const store = opts.store ?? new MemoryStore();
  const policy = policyOf(opts.policy ?? EXAMPLE_POLICY);
  const roles = new RoleResolver(policy, groups, clock);
  let pods: PodService | undefined;
  const access = new AccessControl({ roles, store, clock, usage: (u) => (pods as PodService).usage(u) });
  const notifier = new RecordingNotifier();
  const secrets = ephemeralSecretBox();
  const approvals = new ApprovalService({ store, clock, access, secrets, notifier });
  const guard = { access, approvals };
  pods = new PodService({ runpod, store, clock, guard, ids: sequentialIds() });
  const volumes = new VolumeService({ runpod, clock, store, guard });
  const endpoints = new EndpointService({ runpod, clock, store, guard });
  registerExecutors(approvals, { pods, volumes, endpoints });
  return {
    clock,
    runpod,
    store,
    policy,
    roles,
    access,
    approvals,
    notifier,
    secrets,
    pods,
    volumes,
    endpoints,
  };
}

/** An on-demand request for `count` GPUs of a type (2× A100 80GB is $3.28/h in the fake). */
export function podRequest(
  gpuTypeId = 'NVIDIA A100 80GB PCIe',
  count = 2,
  extra: Record<string, unknown> = {},
) {
  return {
    label: 'eval',
    gpuTypeIds: [gpuTypeId],
    gpuCount: count,
    kind: 'on-demand' as const,
    imageName: 'vllm/vllm-openai:latest',
    ...extra,
  };
}
