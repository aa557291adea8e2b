// Request bodies the twin's REST v2 face accepts, as strict zod schemas that follow the
// official OpenAPI (openapi-v2.json): unknown fields, explicit nulls and missing required
// fields are refused with 422, as RunPod's validator does.
import { z } from 'zod';

const env = z.record(z.string(), z.string());
const cuda = z.string().regex(/^\d+\.\d+$/);

const mounts = z.strictObject({
  persistent: z.strictObject({ size: z.number().int().min(10), path: z.string() }).optional(),
  network: z
    .array(z.strictObject({ volumeId: z.string(), path: z.string() }))
    .max(1)
    .optional(),
});

export const CreatePodBody = z
  .strictObject({
    name: z.string().min(1),
    image: z.string().optional(),
    templateId: z.string().min(1).optional(),
    args: z.string().optional(),
    disk: z.number().int().min(1).optional(),
    env: env.optional(),
    ports: z.array(z.string()).optional(),
    registry: z.string().optional(),
    cloud: z.enum(['SECURE', 'COMMUNITY']).optional(),
    dataCenterIds: z.array(z.string()).optional(),
    globalNetworking: z.boolean().optional(),
    gpu: z
      .strictObject({
        id: z.string(),
        count: z.number().int().min(1).optional(),
        allowedCudaVersions: z.array(cuda).optional(),
        minCudaVersion: cuda.optional(),
      })
      .optional(),
    mounts: mounts.optional(),
    startJupyter: z.boolean().optional(),
    startSsh: z.boolean().optional(),
  })
  .refine((b) => b.image !== undefined || b.templateId !== undefined, {
    message: 'image is required unless templateId is set',
    path: ['image'],
  })
  .refine((b) => !(b.mounts?.persistent && b.mounts.network), {
    message: 'at most one of mounts.persistent and mounts.network',
    path: ['mounts'],
  });
export type CreatePodBody = z.infer<typeof CreatePodBody>;

export const PodActionBody = z.strictObject({ action: z.enum(['start', 'stop', 'restart', 'terminate']) });

export const CreateVolumeBody = z.strictObject({
  name: z.string().min(1),
  size: z.number().int().min(10).max(4096),
  dataCenter: z.string().min(1),
  type: z.enum(['STANDARD', 'HIGH_PERFORMANCE']).optional(),
});

export const UpdateVolumeBody = z
  .strictObject({
    name: z.string().min(1).optional(),
    size: z.number().int().min(10).max(4096).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'at least one field is required' });

const workers = z.strictObject({
  min: z.number().int().min(0).optional(),
  max: z.number().int().min(0).optional(),
  idleTimeout: z.number().int().min(1).max(3600).optional(),
});
const scaling = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('QUEUE_DELAY'), queueDelay: z.number().min(0.5) }),
  z.strictObject({ type: z.literal('REQUEST_COUNT'), requestCount: z.number().int().min(1) }),
]);
const endpointGpu = z.strictObject({
  pools: z.array(z.string()).min(1).optional(),
  excludedTypes: z.array(z.string()).optional(),
  count: z.number().int().min(1).optional(),
  allowedCudaVersions: z.array(cuda).optional(),
  minCudaVersion: z.string().optional(),
});
const endpointCommon = {
  image: z.string().optional(),
  args: z.string().optional(),
  disk: z.number().int().min(1).optional(),
  env: env.optional(),
  ports: z.array(z.string()).optional(),
  registry: z.string().optional(),
  dataCenterIds: z.array(z.string()).optional(),
  flashboot: z.enum(['OFF', 'FLASHBOOT', 'PRIORITY_FLASHBOOT']).optional(),
  networkVolumes: z.array(z.string()).optional(),
  templateId: z.string().min(1).optional(),
  timeout: z.number().int().optional(),
  workers: workers.optional(),
  gpu: endpointGpu.optional(),
};

export const CreateEndpointBody = z
  .strictObject({
    ...endpointCommon,
    name: z.string().min(1),
    type: z.enum(['QUEUE', 'LOAD_BALANCER']),
    scaling,
  })
  .refine((b) => b.image !== undefined || b.templateId !== undefined, {
    message: 'image is required unless templateId is set',
    path: ['image'],
  })
  .refine((b) => b.gpu?.pools !== undefined, { message: 'gpu.pools is required', path: ['gpu', 'pools'] });
export type CreateEndpointBody = z.infer<typeof CreateEndpointBody>;

export const UpdateEndpointBody = z.strictObject({
  ...endpointCommon,
  name: z.string().min(1).optional(),
  scaling: scaling.optional(),
});
export type UpdateEndpointBody = z.infer<typeof UpdateEndpointBody>;

/** zod issues as RunPod's `errors[]` strings ("body.gpu.id: expected string"). */
export function issueList(error: z.ZodError): string[] {
  return error.issues.map((i) => `body${i.path.length ? `.${i.path.join('.')}` : ''}: ${i.message}`);
}
