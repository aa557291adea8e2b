// A person's request for a pod: its shape, its validation, and the RunPod spec and policy subject made from it.
import type { PodSettings, PodSpec } from './domain.ts';
import { PodbayError } from './errors.ts';
import type { PodCreatePolicySubject } from './policy.ts';
import { podProblems, problemsSentence } from './pod-rules.ts';

/** What a person asks for; podbay makes the unique name from `label` and the requester's handle. */
export interface CreatePodRequest extends PodSettings {
  /** What the pod is for, e.g. "llama eval"; becomes the middle of the pod name. */
  label: string;
  kind: 'on-demand' | 'spot';
  /** Spot only: USD per GPU per hour; default the current minimum bid + $0.01. */
  bidPerGpu?: number;
}

/** Checks a create request against the pod rules (pod-rules.ts); INVALID_REQUEST naming every problem. */
export function validateCreatePodRequest(request: CreatePodRequest): CreatePodRequest {
  const problems = podProblems(request, { complete: true });
  if (problems.length) {
    throw new PodbayError('INVALID_REQUEST', `That pod request is not valid: ${problemsSentence(problems)}.`);
  }
  return request;
}

/** The RunPod spec for a request; unset optional fields are left out (RunPod misreads explicit nulls). */
export function toPodSpec(r: CreatePodRequest, name: string, bidPerGpu: number | undefined): PodSpec {
  const base = {
    name,
    gpuTypeIds: [...r.gpuTypeIds],
    gpuCount: r.gpuCount,
    ...(r.imageName !== undefined && { imageName: r.imageName }),
    ...(r.templateId !== undefined && { templateId: r.templateId }),
    ...(r.cloudType !== undefined && { cloudType: r.cloudType }),
    ...(r.dataCenterId !== undefined && { dataCenterId: r.dataCenterId }),
    ...(r.containerDiskInGb !== undefined && { containerDiskInGb: r.containerDiskInGb }),
    ...(r.volumeInGb !== undefined && { volumeInGb: r.volumeInGb }),
    ...(r.volumeMountPath !== undefined && { volumeMountPath: r.volumeMountPath }),
    ...(r.networkVolumeId !== undefined && { networkVolumeId: r.networkVolumeId }),
    ...(r.env !== undefined && { env: r.env.map((e) => ({ key: e.key, value: e.value })) }),
    ...(r.ports !== undefined && { ports: r.ports.replace(/\s+/g, '') }),
    ...(r.startSsh !== undefined && { startSsh: r.startSsh }),
    ...(r.dockerArgs !== undefined && { dockerArgs: r.dockerArgs }),
  };
  return r.kind === 'spot'
    ? { ...base, kind: 'spot', bidPerGpu: bidPerGpu ?? 0 }
    : { ...base, kind: 'on-demand' };
}

export function policySubject(spec: PodSpec): PodCreatePolicySubject {
  return {
    name: spec.name,
    gpuTypeIds: [...spec.gpuTypeIds],
    gpuCount: spec.gpuCount,
    kind: spec.kind,
    bidPerGpu: spec.kind === 'spot' ? spec.bidPerGpu : null,
    cloudType: spec.cloudType ?? null,
    dataCenterId: spec.dataCenterId ?? null,
    imageName: spec.imageName ?? null,
    templateId: spec.templateId ?? null,
    networkVolumeId: spec.networkVolumeId ?? null,
    envKeys: (spec.env ?? []).map((e) => e.key),
  };
}
