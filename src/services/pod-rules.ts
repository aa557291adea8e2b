// Every rule a pod request must meet, in one place: the create form, `/pod create` arguments and
// the service all ask here, so the same input gets the same answer everywhere. Problems name the
// field and say in plain words what is wanted; they never echo an env value.
import { GPU_BY_ID } from '../catalog/index.ts';
import { PodbayError } from './errors.ts';
import { MAX_LIFETIME_MS, MIN_LIFETIME_MS, parseLifetime } from './lifetimes.ts';
import { formatDuration } from './policy-units.ts';

export type PodField =
  | 'label'
  | 'gpuTypeIds'
  | 'gpuCount'
  | 'kind'
  | 'bidPerGpu'
  | 'imageName'
  | 'templateId'
  | 'containerDiskInGb'
  | 'volumeInGb'
  | 'volumeMountPath'
  | 'networkVolumeId'
  | 'env'
  | 'ports'
  | 'dockerArgs'
  | 'cloudType'
  | 'dataCenterId'
  | 'lifetimeMs';

export interface FieldProblem {
  field: PodField;
  message: string;
}

export const POD_LIMITS = {
  labelMax: 60,
  /** A pod holds at most this many GPUs of a type RunPod does not say otherwise about. */
  defaultMaxGpus: 8,
  bidMax: 100,
  imageMax: 300,
  diskMinGb: 1,
  diskMaxGb: 2000,
  volumeMaxGb: 4000,
  envMax: 50,
  envValueMax: 32_768,
  portsMax: 20,
  dockerArgsMax: 2000,
} as const;

const IMAGE = /^[\w./:@-]+$/;
const ID = /^[\w-]{1,100}$/;
/** An env variable name. */
export const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PORT = /^(\d{1,5})\/(http|tcp|udp)$/i;

/** The most GPUs one pod of this type can have. */
export function maxGpusFor(gpuTypeId: string | undefined): number {
  return (gpuTypeId ? GPU_BY_ID.get(gpuTypeId)?.maxCount : undefined) ?? POD_LIMITS.defaultMaxGpus;
}

/** The shape every rule looks at (a request, or what a form or command has so far). */
export interface PodFields {
  label?: string;
  gpuTypeIds?: readonly string[];
  gpuCount?: number;
  kind?: string;
  bidPerGpu?: number;
  imageName?: string;
  templateId?: string;
  containerDiskInGb?: number;
  volumeInGb?: number;
  volumeMountPath?: string;
  networkVolumeId?: string;
  env?: ReadonlyArray<{ key: string; value: string }>;
  ports?: string;
  dockerArgs?: string;
  cloudType?: string;
  dataCenterId?: string;
  /** How long after the create podbay stops the pod (ms); null: explicitly no lifetime. */
  lifetimeMs?: number | null;
}

const int = (n: number | undefined, min: number, max: number) =>
  n === undefined || (Number.isInteger(n) && n >= min && n <= max);

/** Checks the fields that are there; `complete` also requires what a create cannot do without. */
export function podProblems(r: PodFields, opts: { complete?: boolean } = {}): FieldProblem[] {
  const out: FieldProblem[] = [];
  const no = (field: PodField, message: string) => out.push({ field, message });
  const L = POD_LIMITS;

  if (r.label !== undefined) {
    const t = r.label.trim();
    if (!t) no('label', 'Say what the pod is for, in a few words.');
    else if (t.length > L.labelMax) no('label', `Keep what it is for under ${L.labelMax} characters.`);
  } else if (opts.complete) no('label', 'Say what the pod is for, in a few words.');

  const gpu = r.gpuTypeIds?.[0];
  if (
    r.gpuTypeIds !== undefined &&
    (!r.gpuTypeIds.length || r.gpuTypeIds.some((g) => !g.trim() || g.length > 100))
  )
    no('gpuTypeIds', 'Pick a GPU type.');
  else if (opts.complete && !gpu) no('gpuTypeIds', 'Pick a GPU type.');
  const max = maxGpusFor(gpu);
  if (!int(r.gpuCount, 1, max))
    no('gpuCount', `GPU count is a whole number from 1 to ${max}${gpu ? ' for this GPU type' : ''}.`);

  if (r.kind !== undefined && r.kind !== 'on-demand' && r.kind !== 'spot')
    no('kind', 'Choose on-demand or spot.');
  if (r.bidPerGpu !== undefined) {
    if (r.kind !== 'spot') no('bidPerGpu', 'A bid only applies to spot pods.');
    else if (!(r.bidPerGpu > 0 && r.bidPerGpu <= L.bidMax))
      no('bidPerGpu', 'A bid is dollars per GPU per hour, e.g. 0.35.');
  }

  if (r.imageName !== undefined && (!IMAGE.test(r.imageName) || r.imageName.length > L.imageMax))
    no('imageName', 'An image name has no spaces, e.g. vllm/vllm-openai:latest.');
  if (r.templateId !== undefined && !ID.test(r.templateId))
    no('templateId', 'A template id is letters, digits, - and _.');
  if (opts.complete && r.imageName === undefined && r.templateId === undefined)
    no('imageName', 'Give a container image or a template id.');

  if (!int(r.containerDiskInGb, L.diskMinGb, L.diskMaxGb))
    no('containerDiskInGb', `Container disk is ${L.diskMinGb} to ${L.diskMaxGb} GB.`);
  if (!int(r.volumeInGb, 0, L.volumeMaxGb)) no('volumeInGb', `Pod volume is 0 to ${L.volumeMaxGb} GB.`);
  if (
    r.volumeMountPath !== undefined &&
    (!r.volumeMountPath.startsWith('/') || r.volumeMountPath.length > 200)
  )
    no('volumeMountPath', 'A mount path starts with /.');
  if (r.networkVolumeId !== undefined && !ID.test(r.networkVolumeId))
    no('networkVolumeId', 'A network volume id is letters, digits, - and _ (see /volume list).');

  if (r.env !== undefined) {
    const keys = r.env.map((e) => e.key);
    const bad = keys.find((k) => !ENV_KEY.test(k));
    if (r.env.length > L.envMax) no('env', `At most ${L.envMax} variables.`);
    else if (bad !== undefined)
      no('env', 'Env names use letters, digits and _ and do not start with a digit.');
    else if (new Set(keys).size !== keys.length)
      no('env', `${keys.find((k, i) => keys.indexOf(k) !== i)} is set twice.`);
    else if (r.env.some((e) => e.value.length > L.envValueMax))
      no('env', `An env value is at most ${L.envValueMax} characters.`);
  }

  if (r.ports !== undefined) {
    const problem = portsProblem(r.ports);
    if (problem) no('ports', problem);
  }
  if (r.dockerArgs !== undefined && r.dockerArgs.length > L.dockerArgsMax)
    no('dockerArgs', `The start command is at most ${L.dockerArgsMax} characters.`);
  if (r.cloudType !== undefined && !['SECURE', 'COMMUNITY', 'ALL'].includes(r.cloudType))
    no('cloudType', 'Cloud is secure, community or all.');
  if (r.dataCenterId !== undefined && !/^[\w-]{1,40}$/.test(r.dataCenterId))
    no('dataCenterId', 'A data center id looks like EU-RO-1.');
  if (
    r.lifetimeMs !== undefined &&
    r.lifetimeMs !== null &&
    !(Number.isInteger(r.lifetimeMs) && r.lifetimeMs >= MIN_LIFETIME_MS && r.lifetimeMs <= MAX_LIFETIME_MS)
  )
    no(
      'lifetimeMs',
      `stop_after is between ${formatDuration(MIN_LIFETIME_MS)} and ${formatDuration(MAX_LIFETIME_MS)}, e.g. 8h.`,
    );
  return out;
}

/** The word that asks for no lifetime, whatever the policy's default. */
export const NO_LIFETIME = 'none';

/**
 * A stop_after as typed: "none" → null (no lifetime, even when the policy has a default), else
 * the duration in ms within the lifetime limits. Throws parseLifetime's INVALID_REQUEST otherwise.
 */
export function parseStopAfter(text: string): number | null {
  const t = text.trim();
  if (t.toLowerCase() === NO_LIFETIME) return null;
  try {
    return parseLifetime(t);
  } catch (e) {
    // What was typed comes back in the message: shortened, and never able to break its formatting.
    const shown = t.replace(/[`\n\r]/g, '');
    if (!(e instanceof PodbayError) || (shown === t && t.length <= 20)) throw e;
    const short = shown.length > 20 ? `${shown.slice(0, 19)}…` : shown;
    throw new PodbayError(e.code, e.userMessage.replace(`"${t}"`, `"${short}"`));
  }
}

/** "8888/http,22/tcp": ports 1–65535, http, tcp or udp, each once. */
export function portsProblem(ports: string): string | null {
  const parts = ports.replace(/\s+/g, '').split(',');
  const seen = new Set<string>();
  if (parts.length > POD_LIMITS.portsMax) return `At most ${POD_LIMITS.portsMax} ports.`;
  for (const p of parts) {
    const m = PORT.exec(p);
    const n = Number(m?.[1]);
    if (!m || n < 1 || n > 65_535) return 'Write ports like 8888/http,22/tcp (1 to 65535; http, tcp or udp).';
    const key = `${n}/${(m[2] ?? '').toLowerCase() === 'udp' ? 'udp' : 'tcp'}`;
    if (seen.has(key)) return `Port ${n} is listed twice.`;
    seen.add(key);
  }
  return null;
}

/** The problems as one sentence: "GPU count: …; ports: …". */
export function problemsSentence(problems: readonly FieldProblem[]): string {
  return problems.map((p) => p.message.replace(/\.$/, '')).join('; ');
}
