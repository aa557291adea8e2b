// Pod names podbay makes: "<user-handle>-<slug>-<6 random chars>". Unique, so a create whose
// outcome is unknown can be found again by name; RunPod-safe (a-z, 0-9, '-'); at most 60 chars.
import type { IdSource } from './ids.ts';
import { randomIds } from './ids.ts';

export const POD_NAME_MAX = 60;
export const POD_NAME_SUFFIX_LENGTH = 6;
const HANDLE_MAX = 20;

/** Lowercase, [a-z0-9-] only, no leading/trailing/double dashes; '' when nothing usable is left. */
export function slugify(text: string, maxLength = POD_NAME_MAX): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/g, '');
}

export interface PodNameParts {
  /** Slack handle or display name of the requester (falls back to "pod" when empty after cleaning). */
  handle: string;
  /** What the pod is for, e.g. "llama 70b eval" (falls back to "pod"). */
  label: string;
}

/** A new unique pod name, e.g. makePodName({ handle: 'ana', label: 'Llama 70B' }) → "ana-llama-70b-k3x9qa". */
export function makePodName(parts: PodNameParts, ids: IdSource = randomIds): string {
  const suffix = ids.suffix(POD_NAME_SUFFIX_LENGTH);
  const handle = slugify(parts.handle, HANDLE_MAX) || 'user';
  const room = POD_NAME_MAX - handle.length - suffix.length - 2;
  const label = slugify(parts.label, room) || 'pod';
  return `${handle}-${label}-${suffix}`;
}

/** True when `name` only uses characters RunPod accepts in pod names and fits the length limit. */
export function isSafePodName(name: string): boolean {
  return name.length > 0 && name.length <= POD_NAME_MAX && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(name);
}
