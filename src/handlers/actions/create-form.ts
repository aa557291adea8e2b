// Reads the create-pod modal's state into a CreatePodRequest, with a message per bad field
// (Slack shows them under the inputs). Pure. Error texts never repeat env values.
import type { EnvVar } from '../../services/domain.ts';
import type { CreatePodRequest } from '../../services/pod-request.ts';
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

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PORTS = /^\d{1,5}\/(http|tcp)(,\d{1,5}\/(http|tcp))*$/;

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
  if (env.length > 50) return { env: [], error: 'At most 50 variables.' };
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

export function readCreateForm(state: StateValues, opts: { reasonRequired?: boolean } = {}): FormResult {
  const errors: Record<string, string> = {};
  const label = value(state, CREATE.label);
  if (!label) errors[CREATE.label.block] = 'Say what the pod is for (a few words).';
  else if (label.length > 60) errors[CREATE.label.block] = 'Keep it under 60 characters.';

  const gpu = value(state, CREATE.gpu);
  if (!gpu) errors[CREATE.gpu.block] = 'Pick a GPU type.';
  const count = intIn(value(state, CREATE.count), 1, 16);
  if (count === null) errors[CREATE.count.block] = 'GPU count is 1 to 16.';
  const kind = value(state, CREATE.kind) === 'spot' ? 'spot' : 'on-demand';

  const bidText = value(state, CREATE.bid);
  let bid: number | undefined;
  if (kind === 'spot' && bidText !== undefined) {
    const n = Number(bidText.replace(/^\$/, ''));
    if (!Number.isFinite(n) || n <= 0 || n > 100)
      errors[CREATE.bid.block] = 'A bid is dollars per GPU per hour, e.g. 0.35.';
    else bid = n;
  }

  const image = value(state, CREATE.image);
  const templateId = value(state, CREATE.template);
  if (!image && !templateId) errors[CREATE.image.block] = 'Give a container image or a template id.';
  if (image && /\s/.test(image))
    errors[CREATE.image.block] = 'An image name has no spaces, e.g. vllm/vllm-openai:latest.';

  const disk = intIn(value(state, CREATE.disk), 1, 2000);
  if (disk === null || disk === undefined) errors[CREATE.disk.block] = 'Container disk is 1 to 2000 GB.';
  const volume = intIn(value(state, CREATE.volume), 0, 4000);
  if (volume === null) errors[CREATE.volume.block] = 'Pod volume is 0 to 4000 GB.';

  const nv = value(state, CREATE.networkVolume);
  const env = parseEnv(state[CREATE.env.block]?.[CREATE.env.action]?.value ?? undefined);
  if (env.error) errors[CREATE.env.block] = env.error;
  const ports = value(state, CREATE.ports)?.replace(/\s+/g, '');
  if (ports && !PORTS.test(ports)) errors[CREATE.ports.block] = 'Write ports like 8888/http,22/tcp.';

  const justification = value(state, CREATE.justification);
  if (opts.reasonRequired && !justification)
    errors[CREATE.justification.block] = 'Say why you need it: the approvers read this.';
  else if (justification && justification.length > 500)
    errors[CREATE.justification.block] = 'Keep it under 500 characters.';

  if (Object.keys(errors).length || !label || !gpu) return { ok: false, errors };
  const request: CreatePodRequest = { label, gpuTypeIds: [gpu], gpuCount: count ?? 1, kind };
  if (bid !== undefined) request.bidPerGpu = bid;
  if (image) request.imageName = image;
  if (templateId) request.templateId = templateId;
  if (disk) request.containerDiskInGb = disk;
  if (volume) {
    request.volumeInGb = volume;
    request.volumeMountPath = '/workspace';
  }
  if (nv && nv !== NO_NETWORK_VOLUME) request.networkVolumeId = nv;
  if (env.env.length) request.env = env.env;
  if (ports) request.ports = ports;
  return { ok: true, request, justification: justification ?? null };
}
