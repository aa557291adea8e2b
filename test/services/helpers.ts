// Wiring for service tests: the real services over the in-memory RunPod and the memory store.
import { sequentialIds } from '../../src/services/ids.ts';
import { PodService } from '../../src/services/pods.ts';
import type { PolicyDecision, PolicyGate, PolicyRequest, Requester } from '../../src/services/policy.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { FakeClock, type FakeOptions, InMemoryRunpod } from '../fakes/runpod-memory.ts';

export const ana: Requester = { userId: 'U_ANA', teamId: 'T1', handle: 'ana' };
export const bob: Requester = { userId: 'U_BOB', teamId: 'T1', handle: 'Bob.Smith' };

/** A gate that records what it was asked and answers as told. */
export class RecordingGate implements PolicyGate {
  readonly seen: PolicyRequest[] = [];
  constructor(public answer: PolicyDecision = { decision: 'allow' }) {}
  async check(request: PolicyRequest): Promise<PolicyDecision> {
    this.seen.push(structuredClone(request));
    return this.answer;
  }
}

export function setup(opts: FakeOptions & { gate?: PolicyGate } = {}) {
  const clock = opts.clock ?? new FakeClock();
  const runpod = new InMemoryRunpod({ ...opts, clock });
  const store = new MemoryStore();
  const gate = opts.gate ?? new RecordingGate();
  const pods = new PodService({ runpod, store, clock, policy: gate, ids: sequentialIds() });
  return { clock, runpod, store, gate, pods };
}
