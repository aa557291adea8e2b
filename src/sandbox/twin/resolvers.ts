// Root resolvers for every Query and Mutation field of the shared schema. Arguments arrive
// already coerced by graphql-js (SDL defaults applied, explicit nulls rejected beforehand).
import { DATA_CENTERS } from './datacenters.ts';
import { deleteEndpoint, type EndpointInput, saveEndpoint, updateEndpointTemplate } from './endpoints.ts';
import { GPU_SPECS, SERVERLESS_POOLS } from './prices.ts';
import { bidResumePod, createPod, type DeployInput, resumePod, stopPod, terminatePod } from './pods.ts';
import type { PodRecord } from './records.ts';
import type { TwinState } from './state.ts';
import { deleteTemplate, type SaveTemplateInput, saveTemplate } from './templates.ts';
import {
  DataCenterView,
  EndpointView,
  GpuTypeView,
  PodView,
  templateView,
  UserView,
  VolumeView,
} from './views.ts';
import { createVolume, deleteVolume, updateVolume } from './volumes.ts';

type Args<T> = { input: T };

export function createRootValue(state: TwinState): Record<string, unknown> {
  const pod = (p: PodRecord) => new PodView(p, state);
  return {
    // ---- queries ----
    myself: () => new UserView(state),
    pod: ({ input }: Partial<Args<{ podId: string }>>) => {
      const p = input ? state.pods.get(input.podId) : undefined;
      return p ? pod(p) : null;
    },
    gpuTypes: ({ input }: Partial<Args<{ id?: string; ids?: string[] }>>) => {
      let specs = GPU_SPECS;
      if (input?.id !== undefined) specs = specs.filter((g) => g.id === input.id);
      if (input?.ids !== undefined) {
        const wanted = new Set(input.ids);
        specs = specs.filter((g) => wanted.has(g.id));
      }
      return specs.map((g) => new GpuTypeView(g, state));
    },
    dataCenters: () => DATA_CENTERS.map((d) => new DataCenterView(d, state)),
    serverlessGpuPools: () => SERVERLESS_POOLS,
    podTemplate: ({ id }: { id: string }) => {
      const t = state.templates.get(id);
      return t ? templateView(t) : null;
    },

    // ---- pods ----
    podFindAndDeployOnDemand: ({ input }: Partial<Args<DeployInput>>) =>
      pod(createPod(state, input ?? {}, 'RESERVED')),
    podRentInterruptable: ({ input }: Args<DeployInput>) => pod(createPod(state, input, 'INTERRUPTABLE')),
    podStop: ({ input }: Args<{ podId: string }>) => pod(stopPod(state, input.podId)),
    podResume: ({ input }: Args<{ podId: string; gpuCount?: number }>) =>
      pod(resumePod(state, input.podId, input.gpuCount)),
    podBidResume: ({ input }: Args<{ podId: string; bidPerGpu: number; gpuCount?: number }>) =>
      pod(bidResumePod(state, input.podId, input.bidPerGpu, input.gpuCount)),
    podTerminate: ({ input }: Args<{ podId: string }>) => {
      terminatePod(state, input.podId);
      return null;
    },

    // ---- network volumes ----
    createNetworkVolume: ({ input }: Args<Parameters<typeof createVolume>[1]>) =>
      new VolumeView(createVolume(state, input), state),
    updateNetworkVolume: ({ input }: Args<Parameters<typeof updateVolume>[1]>) =>
      new VolumeView(updateVolume(state, input), state),
    deleteNetworkVolume: ({ input }: Args<{ id: string }>) => {
      deleteVolume(state, input.id);
      return null;
    },

    // ---- endpoints ----
    saveEndpoint: ({ input }: Args<EndpointInput>) => new EndpointView(saveEndpoint(state, input), state),
    updateEndpointTemplate: ({ input }: Partial<Args<{ endpointId: string; templateId: string }>>) =>
      input
        ? new EndpointView(updateEndpointTemplate(state, input.endpointId, input.templateId), state)
        : null,
    deleteEndpoint: ({ id }: { id: string }) => {
      deleteEndpoint(state, id);
      return null;
    },

    // ---- templates ----
    saveTemplate: ({ input }: Partial<Args<SaveTemplateInput>>) =>
      input ? templateView(saveTemplate(state, input)) : null,
    deleteTemplate: ({ templateName }: { templateName?: string }) => {
      deleteTemplate(state, templateName);
      return null;
    },
  };
}
