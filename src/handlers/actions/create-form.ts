// Reads the create-pod modal's state into a CreatePodRequest, with a message per bad field
// (Slack shows them under the inputs). Pure. Error texts never repeat env values.
import type { EnvVar } from '../../services/domain.ts';
import type { CreatePodRequest } from '../../services/pod-request.ts';
import { asPodbayError } from '../../services/errors.ts';
import { ENV_KEY, type PodField, parseStopAfter, podProblems, POD_LIMITS } from '../../services/pod-rules.ts';
import type { QuoteInput } from '../../services/quote.ts';
import { CREATE } from '../ids.ts';
import { NO_NETWORK_VOLUME } from '../views/create-modal.ts';

/** Slack's view.state.values: block_id → action_id → element state. */
export type StateValues = Record<
  string,
  Record<string, { type?: string; value?: string | null; selected_option?: { value: string } | null }>
>;

export type FormResult =
  | { ok: true; request: CreatePodRequest; justification: string | null }
  | { ok: false; errors: Record<string, string> };

function value(state: StateValues, ids: { block: string; action: string }): string | undefined {
  const el = state[ids.block]?.[ids.action];
  if (!el) return undefined;
  const v = el.selected_option?.value ?? el.value ?? undefined;
  if (v === null || v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function intIn(s: string | undefined, min: number, max: number): number | null | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

/** Parses "KEY=value" lines; blank lines and # comments are skipped. Errors name the line, never the value. */
export function parseEnv(text: string | undefined): { env: EnvVar[]; error?: string } {
  if (!text) return { env: [] };
  const env: EnvVar[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!ENV_KEY.test(key))
      return { env: [], error: `Line ${i + 1}: write KEY=value (letters, digits and _ in the key).` };
    if (env.some((e) => e.key === key)) return { env: [], error: `${key} is set twice.` };
    env.push({ key, value: line.slice(eq + 1).trim() });
  }
  if (env.length > POD_LIMITS.envMax) return { env: [], error: `At most ${POD_LIMITS.envMax} variables.` };
  return { env };
}

export function readQuoteInput(state: StateValues): QuoteInput | { missing: string } {
  const gpu = value(state, CREATE.gpu);
  if (!gpu) return { missing: 'Pick a GPU type to see the price.' };
  const count = intIn(value(state, CREATE.count), 1, 16) ?? 1;
  const kind = value(state, CREATE.kind) === 'spot' ? 'spot' : 'on-demand';
  const q: QuoteInput = { gpuTypeIds: [gpu], gpuCount: count, kind };
  const bid = Number(value(state, CREATE.bid));
  if (kind === 'spot' && Number.isFinite(bid) && bid > 0) q.bidPerGpu = bid;
  return q;
}

/** Which form input shows the problem with each request field. */
const BLOCK_OF: Partial<Record<PodField, string>> = {
  label: CREATE.label.block,
  gpuTypeIds: CREATE.gpu.block,
  gpuCount: CREATE.count.block,
  kind: CREATE.kind.block,
  bidPerGpu: CREATE.bid.block,
  imageName: CREATE.image.block,
  templateId: CREATE.template.block,
  containerDiskInGb: CREATE.disk.block,
  volumeInGb: CREATE.volume.block,
  networkVolumeId: CREATE.networkVolume.block,
  env: CREATE.env.block,
  ports: CREATE.ports.block,
  lifetimeMs: CREATE.stopAfter.block,
};

/** A whole number as typed, NaN when it is not one (the rules then say what is wanted). */
function wholeNumber(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  return /^\d+$/.test(s) ? Number(s) : Number.NaN;
}

export function readCreateForm(state: StateValues, opts: { reasonRequired?: boolean } = {}): FormResult {
  const errors: Record<string, string> = {};
  const kind = value(state, CREATE.kind) === 'spot' ? 'spot' : 'on-demand';
  const bidText = value(state, CREATE.bid);
  const request: CreatePodRequest = {
    label: value(state, CREATE.label) ?? '',
    gpuTypeIds: value(state, CREATE.gpu) ? [value(state, CREATE.gpu) as string] : [],
    gpuCount: wholeNumber(value(state, CREATE.count)) ?? 1,
    kind,
  };
  // A bid typed while on-demand is chosen is left over from spot: ignored, not an error.
  if (kind === 'spot' && bidText !== undefined) request.bidPerGpu = Number(bidText.replace(/^\$/, ''));
  const image = value(state, CREATE.image);
  const templateId = value(state, CREATE.template);
  if (image) request.imageName = image;
  if (templateId) request.templateId = templateId;
  const disk = wholeNumber(value(state, CREATE.disk));
  if (disk !== undefined) request.containerDiskInGb = disk;
  const volume = wholeNumber(value(state, CREATE.volume));
  if (volume !== undefined && volume !== 0) {
    request.volumeInGb = volume;
    request.volumeMountPath = '/workspace';
  }
  const nv = value(state, CREATE.networkVolume);
  if (nv && nv !== NO_NETWORK_VOLUME) request.networkVolumeId = nv;
  const env = parseEnv(state[CREATE.env.block]?.[CREATE.env.action]?.value ?? undefined);
  if (env.error) errors[CREATE.env.block] = env.error;
  else if (env.env.length) request.env = env.env;
  const ports = value(state, CREATE.ports)?.replace(/\s+/g, '');
  if (ports) request.ports = ports;
  // Empty: the role's default applies (the service decides); "none": no lifetime at all.
  const stopAfter = value(state, CREATE.stopAfter);
  if (stopAfter !== undefined) {
    try {
      request.lifetimeMs = parseStopAfter(stopAfter);
    } catch (e) {
      errors[CREATE.stopAfter.block] = `${asPodbayError(e).userMessage} Or write none for no automatic stop.`;
    }
  }

  // The same rules as /pod create and the service, shown under the inputs before the form closes.
  for (const p of podProblems(request, { complete: true })) {
    const block = BLOCK_OF[p.field] ?? CREATE.label.block;
    errors[block] ??= p.message;
  }
  if (disk === undefined)
    errors[CREATE.disk.block] ??= `Container disk is ${POD_LIMITS.diskMinGb} to ${POD_LIMITS.diskMaxGb} GB.`;

  const justification = value(state, CREATE.justification);
  if (opts.reasonRequired && !justification)
    errors[CREATE.justification.block] = 'Say why you need it: the approvers read this.';
  else if (justification && justification.length > 500)
    errors[CREATE.justification.block] = 'Keep it under 500 characters.';

  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, request, justification: justification ?? null };
}
