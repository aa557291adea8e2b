// What each kind of approved request runs, and how a crash mid-run is reconciled. Creates are
// found again by their unique pod name; terminate and delete are safe to repeat (they noop).
import type { ApprovalExecutor, ApprovalRecord, ApprovalService } from './approvals.ts';
import type { EndpointService } from './endpoints.ts';
import type { CreatePodRequest } from './pod-request.ts';
import type { PodService, Requester } from './pods.ts';
import type { VolumeService } from './volumes.ts';

function requesterOf(req: ApprovalRecord): Requester {
  const handle = req.payload.params.handle;
  return {
    userId: req.userId,
    teamId: req.teamId,
    ...(typeof handle === 'string' && handle ? { handle } : {}),
  };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function podCreate(pods: PodService): ApprovalExecutor {
  return {
    async execute(req, secrets, approver) {
      const request = { ...(req.payload.params.request as CreatePodRequest) };
      if (Array.isArray(secrets) && secrets.length) request.env = secrets as CreatePodRequest['env'] & object;
      // The request carries its lifetime as decided when it was asked (null: none), role default included.
      const setBy = str(req.payload.params.lifetimeSetBy);
      const r = await pods.create(request, requesterOf(req), {
        approvedBy: approver,
        name: str(req.payload.params.podName),
        ...(setBy ? { lifetimeSetBy: setBy } : {}),
      });
      if (r.outcome !== 'created') return { message: r.message, runpodId: null };
      return {
        message: `${r.message} It is starting; \`/pod status ${r.pod.name}\` follows it.`,
        runpodId: r.pod.id,
      };
    },
    async reconcile(req) {
      const pod = await pods.findByName(str(req.payload.params.podName));
      if (!pod) return null;
      // Crashed between RunPod's answer and the lifetime record: record it now.
      const ms = (req.payload.params.request as CreatePodRequest).lifetimeMs;
      if (typeof ms === 'number')
        await pods.keepLifetime(pod.name, ms, str(req.payload.params.lifetimeSetBy) || req.userId);
      return { message: `Created ${pod.name} (found after a restart).`, runpodId: pod.id };
    },
    async requote(req) {
      return pods.quote(req.payload.params.request as CreatePodRequest);
    },
  };
}

function podTerminate(pods: PodService): ApprovalExecutor {
  return {
    async execute(req, _secrets, approver) {
      const id = str(req.payload.params.podId);
      const r = await pods.terminate(id, requesterOf(req), { approvedBy: approver });
      return { message: r.message, runpodId: id };
    },
    reconcile: async () => null,
  };
}

function volumeDelete(volumes: VolumeService): ApprovalExecutor {
  return {
    async execute(req, _secrets, approver) {
      const id = str(req.payload.params.volumeId);
      const r = await volumes.delete(id, requesterOf(req), { approvedBy: approver });
      return { message: r.message, runpodId: id };
    },
    async reconcile(req) {
      const id = str(req.payload.params.volumeId);
      const still = (await volumes.list()).some((v) => v.id === id);
      return still ? null : { message: `Deleted volume ${str(req.payload.params.name)}.`, runpodId: id };
    },
  };
}

function endpointDelete(endpoints: EndpointService): ApprovalExecutor {
  return {
    async execute(req, _secrets, approver) {
      const id = str(req.payload.params.endpointId);
      const r = await endpoints.delete(id, requesterOf(req), { approvedBy: approver });
      return { message: r.message, runpodId: id };
    },
    async reconcile(req) {
      const id = str(req.payload.params.endpointId);
      const still = (await endpoints.list()).some((e) => e.id === id);
      return still ? null : { message: `Deleted endpoint ${str(req.payload.params.name)}.`, runpodId: id };
    },
  };
}

export function registerExecutors(
  approvals: ApprovalService,
  s: { pods: PodService; volumes: VolumeService; endpoints: EndpointService },
): void {
  approvals.register('pod.create', podCreate(s.pods));
  approvals.register('pod.terminate', podTerminate(s.pods));
  approvals.register('volume.delete', volumeDelete(s.volumes));
  approvals.register('endpoint.delete', endpointDelete(s.endpoints));
}
