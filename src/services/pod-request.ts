// A person's request for a pod: its shape, its validation, and the RunPod spec and policy subject made from it.
import type { PodSettings, PodSpec } from './domain.ts';
import { PodbayError } from './errors.ts';
import { MAX_LIFETIME_MS, MIN_LIFETIME_MS } from './lifetimes.ts';
import type { PodCreatePolicySubject } from './policy.ts';
import { ROLES, type Role } from './policy-schema.ts';
import { formatDuration } from './policy-units.ts';
import { podProblems, problemsSentence } from './pod-rules.ts';

/** What a person asks for; podbay makes the unique name from `label` and the requester's handle. */
export interface CreatePodRequest extends PodSettings {
  /** What the pod is for, e.g. "llama eval"; becomes the middle of the pod name. */
  label: string;
  kind: 'on-demand' | 'spot';
  /** Spot only: USD per GPU per hour; default the current minimum bid + $0.01. */
  bidPerGpu?: number;
  /**
   * podbay stops the pod this long (ms) after it is created (stop_after). Absent: the default of
   * the requester's role (policy `lifetimes:`); null: no lifetime, even when the policy has one.
   */
  lifetimeMs?: number | null;
}

/**
 * The policy's default lifetime for someone holding `roles`: that of the highest role they hold
 * (admin > approver > operator > viewer) that has one; null when none of their roles has one.
 * Kept within the lifetime limits (15m to 30d), so the default is always a valid stop_after.
 */
export function roleLifetime(
  lifetimes: Readonly<Record<Role, number | null>>,
  roles: Iterable<Role>,
): { ms: number; role: Role } | null {
  const held = new Set(roles);
  for (const role of [...ROLES].reverse()) {
    const ms = lifetimes[role];
    if (held.has(role) && ms !== null)
      return { ms: Math.min(MAX_LIFETIME_MS, Math.max(MIN_LIFETIME_MS, ms)), role };
  }
  return null;
}

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/**
 * "stops automatically at 20:00 UTC (stop_after 8h)"; the date is added when the stop is not on
 * the day it is now (UTC).
 */
export function lifetimeNote(stopAtMs: number, lifetimeMs: number, nowMs: number): string {
  const at = new Date(stopAtMs);
  const day = at.toISOString().slice(0, 10);
  const when = day === new Date(nowMs).toISOString().slice(0, 10) ? '' : ` on ${day}`;
  return `stops automatically at ${hhmm(at)} UTC${when} (stop_after ${formatDuration(lifetimeMs)})`;
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
