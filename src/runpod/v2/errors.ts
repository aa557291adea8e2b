// RFC 9457 problem answers from REST v2 as the same typed PodbayErrors the GraphQL adapter
// throws. Only the cleaned `detail` (and the first validation error) is ever shown.
import { PodbayError } from '../../services/errors.ts';
import {
  authFailed,
  cleanMessage,
  noCapacity,
  notFound,
  parseRetryAfter,
  rateLimited,
  unavailable,
} from '../errors.ts';

const CAPACITY_RE =
  /no longer any instances available|no instances available|not enough free gpus|no available (gpus|machines)/i;

export interface Problem {
  title?: string;
  status?: number;
  detail?: string;
  errors?: string[];
}

function asProblem(body: unknown): Problem {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const p: Problem = {};
  if (typeof b.title === 'string') p.title = b.title;
  if (typeof b.status === 'number') p.status = b.status;
  if (typeof b.detail === 'string') p.detail = b.detail;
  if (Array.isArray(b.errors)) p.errors = b.errors.filter((x): x is string => typeof x === 'string');
  return p;
}

/** One sentence from a problem: its detail, plus the first validation error when there is one. */
function sentence(p: Problem, status: number): string {
  const detail = cleanMessage(p.detail ?? p.title ?? `HTTP ${status}`);
  const first = p.errors?.[0];
  return first ? `${detail} (${cleanMessage(first)})` : detail;
}

export function fromProblem(status: number, body: unknown, headers: Headers): PodbayError {
  const p = asProblem(body);
  const text = sentence(p, status);
  if (status === 401) return authFailed();
  if (status === 403) {
    return new PodbayError('AUTH_FAILED', 'RunPod refused this request for the API key in use.', {
      hint: 'The key needs read/write access to pods, volumes, endpoints and billing (RunPod console → Settings → API Keys).',
    });
  }
  if (status === 429) return rateLimited(parseRetryAfter(headers.get('retry-after')));
  if (CAPACITY_RE.test(text)) return noCapacity();
  if (status === 404) {
    return p.detail
      ? new PodbayError('NOT_FOUND', `RunPod could not find it: ${text}`, {
          hint: 'It may have been terminated or deleted; list what exists and pick again.',
        })
      : notFound('such resource');
  }
  if (status === 409) return new PodbayError('CONFLICT', `RunPod refused: ${text}`);
  if (status >= 500) return unavailable(p.detail ? `it said: "${text}"` : `HTTP ${status}`);
  return new PodbayError('INVALID_REQUEST', `RunPod rejected the request: ${text}`);
}
