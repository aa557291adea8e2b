// A person's request for a pod: its shape, its validation, and the RunPod spec and policy subject made from it.
import { z } from 'zod';
import type { PodSettings, PodSpec } from './domain.ts';
import { PodbayError } from './errors.ts';
import type { PodCreatePolicySubject } from './policy.ts';
import { zodProblems } from './validation.ts';

/** What a person asks for; podbay makes the unique name from `label` and the requester's handle. */
export interface CreatePodRequest extends PodSettings {
  /** What the pod is for, e.g. "llama eval"; becomes the middle of the pod name. */
  label: string;
  kind: 'on-demand' | 'spot';
  /** Spot only: USD per GPU per hour; default the current minimum bid + $0.01. */
  bidPerGpu?: number;
}

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PORTS = /^\s*\d{1,5}\/(http|tcp|udp)(\s*,\s*\d{1,5}\/(http|tcp|udp))*\s*$/i;

/** Zod schema for a create request from a person (modal, command, CLI). Messages never echo values. */
export const CreatePodRequestSchema = z
  .object({
    label: z.string().trim().min(1, 'say what the pod is for').max(80),
    imageName: z.string().trim().min(1).max(300).optional(),
    templateId: z.string().trim().min(1).max(100).optional(),
    gpuTypeIds: z.array(z.string().trim().min(1).max(100)).min(1, 'pick a GPU type').max(10),
    gpuCount: z
      .number()
      .int('GPU count is a whole number')
      .min(1, 'at least 1 GPU')
      .max(16, 'at most 16 GPUs'),
    kind: z.enum(['on-demand', 'spot']),
    bidPerGpu: z.number().positive('a bid is more than $0').max(1000).optional(),
    cloudType: z.enum(['SECURE', 'COMMUNITY', 'ALL']).optional(),
    dataCenterId: z.string().trim().min(1).max(40).optional(),
    containerDiskInGb: z.number().int().min(1).max(4000).optional(),
    volumeInGb: z.number().int().min(0).max(4000).optional(),
    volumeMountPath: z.string().startsWith('/', 'a mount path starts with /').max(200).optional(),
    networkVolumeId: z.string().trim().min(1).max(100).optional(),
    env: z
      .array(
        z.object({
          key: z.string().regex(ENV_KEY, 'env names use letters, digits and _ and do not start with a digit'),
          value: z.string().max(32_768, 'an env value is too long'),
        }),
      )
      .max(100)
      .optional(),
    ports: z.string().regex(PORTS, 'ports look like "8888/http,22/tcp"').optional(),
    startSsh: z.boolean().optional(),
    dockerArgs: z.string().max(2000).optional(),
  })
  .refine((r) => r.imageName !== undefined || r.templateId !== undefined, {
    message: 'give an image or a template',
    path: ['imageName'],
  })
  .refine((r) => r.kind === 'spot' || r.bidPerGpu === undefined, {
    message: 'a bid only applies to spot pods',
    path: ['bidPerGpu'],
  })
  .refine((r) => new Set((r.env ?? []).map((e) => e.key)).size === (r.env ?? []).length, {
    message: 'each env name may appear once',
    path: ['env'],
  });

/** Checks a create request; INVALID_REQUEST listing every problem (never any env value). */
export function validateCreatePodRequest(request: CreatePodRequest): CreatePodRequest {
  const parsed = CreatePodRequestSchema.safeParse(request);
  if (!parsed.success) {
    throw new PodbayError('INVALID_REQUEST', `That pod request is not valid: ${zodProblems(parsed.error)}.`);
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
