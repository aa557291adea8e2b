// Pod and serverless templates: upsert by id, unique names, delete by NAME (as RunPod does).
import { MSG, TwinApiError } from './messages.ts';
import type { EnvEntry, TemplateRecord } from './records.ts';
import type { TwinState } from './state.ts';

export interface SaveTemplateInput {
  id?: string;
  name: string;
  imageName?: string;
  containerDiskInGb: number;
  volumeInGb: number;
  volumeMountPath?: string;
  dockerArgs: string;
  env: (EnvEntry | null)[];
  ports?: string;
  portsConfig?: ({ port: string; name: string } | null)[];
  isServerless?: boolean;
  isPublic?: boolean;
  containerRegistryAuthId?: string;
  readme?: string;
  category?: string;
  startJupyter?: boolean;
  startSsh?: boolean;
  startScript?: string;
  advancedStart?: boolean;
  config?: unknown;
}

export function saveTemplate(state: TwinState, input: SaveTemplateInput): TemplateRecord {
  let existing: TemplateRecord | undefined;
  if (input.id !== undefined) {
    existing = state.templates.get(input.id);
    if (!existing?.owned) throw new TwinApiError(MSG.templateNotFound(input.id));
  }
  for (const t of state.templates.values())
    if (t.owned && t.name === input.name && t.id !== existing?.id)
      throw new TwinApiError(MSG.templateNameTaken(input.name));
  const id = existing?.id ?? state.newId(10, state.templates);
  const rec: TemplateRecord = {
    id,
    name: input.name,
    imageName: input.imageName ?? null,
    dockerArgs: input.dockerArgs,
    env: input.env.filter((e): e is EnvEntry => e !== null),
    ports: input.ports ?? null,
    portsConfig: input.portsConfig?.filter((p): p is { port: string; name: string } => p !== null) ?? null,
    volumeInGb: input.volumeInGb,
    volumeMountPath: input.volumeMountPath ?? null,
    containerDiskInGb: input.containerDiskInGb,
    containerRegistryAuthId: input.containerRegistryAuthId ?? null,
    isServerless: input.isServerless ?? false,
    isPublic: input.isPublic ?? false,
    isRunpod: false,
    readme: input.readme ?? null,
    category: input.category ?? null,
    startJupyter: input.startJupyter ?? null,
    startSsh: input.startSsh ?? null,
    startScript: input.startScript ?? null,
    advancedStart: input.advancedStart ?? null,
    config: input.config ?? null,
    owned: true,
  };
  state.templates.set(id, rec);
  return rec;
}

export function deleteTemplate(state: TwinState, templateName: string | undefined): void {
  const t = [...state.templates.values()].find((x) => x.owned && x.name === templateName);
  if (!t) throw new TwinApiError(MSG.templateNameNotFound(templateName ?? ''));
  for (const e of state.endpoints.values())
    if (e.templateId === t.id) throw new TwinApiError(MSG.templateInUse(t.name));
  state.templates.delete(t.id);
}

/** RunPod's own public templates: usable by id, never listed in myself.podTemplates. */
export function addRunpodTemplates(state: TwinState): void {
  const base = {
    dockerArgs: '',
    env: [],
    portsConfig: null,
    volumeInGb: 20,
    volumeMountPath: '/workspace',
    containerDiskInGb: 20,
    containerRegistryAuthId: null,
    isServerless: false,
    isPublic: true,
    isRunpod: true,
    category: 'NVIDIA',
    startJupyter: true,
    startSsh: true,
    startScript: null,
    advancedStart: false,
    config: null,
    owned: false,
  };
  state.templates.set('runpod-torch-v240', {
    ...base,
    id: 'runpod-torch-v240',
    name: 'RunPod Pytorch 2.4.0',
    imageName: 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04',
    ports: '8888/http,22/tcp',
    readme: 'PyTorch 2.4.0 with CUDA 12.4, JupyterLab and SSH.',
  });
  state.templates.set('runpod-ubuntu', {
    ...base,
    id: 'runpod-ubuntu',
    name: 'RunPod Ubuntu',
    imageName: 'runpod/base:0.6.2-cuda12.4.1',
    ports: '22/tcp',
    readme: 'Ubuntu 22.04 with CUDA and SSH.',
  });
}
