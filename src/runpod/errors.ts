// Turns what RunPod (or the network) answered into typed PodbayErrors.
// Only RunPod's own `errors[0].message` is ever shown, cleaned; request variables never are.
import { PodbayError } from '../services/errors.ts';

const CAPACITY_RE =
  /no longer any instances available|no instances available|not enough free gpus|no available (gpus|machines)/i;
const NOT_FOUND_RE = /not found|does not exist|no pod found|could not find/i;
const TRANSIENT_RE =
  /too many requests|try again later|service unavailable|internal server error|temporarily unavailable|something went wrong/i;
const AUTH_RE = /unauthori[sz]ed|invalid api key|api key is invalid|forbidden/i;

export function authFailed(): PodbayError {
  return new PodbayError('AUTH_FAILED', 'RunPod refused the API key.', {
    hint: 'Check RUNPOD_API_KEY: it must be a current key with read/write access (RunPod console → Settings → API Keys).',
  });
}

export function rateLimited(retryAfterSec: number | undefined): PodbayError {
  const opts: { hint: string; retryable: boolean; retryAfterSec?: number } = {
    hint: 'podbay backs off and retries reads; try again in a minute.',
    retryable: true,
  };
  if (retryAfterSec !== undefined) opts.retryAfterSec = retryAfterSec;
  return new PodbayError('RATE_LIMITED', 'RunPod is rate-limiting requests right now.', opts);
}

export function unavailable(detail: string): PodbayError {
  return new PodbayError('RUNPOD_UNAVAILABLE', `RunPod is not answering properly (${detail}).`, {
    hint: 'Check https://uptime.runpod.io and try again shortly.',
    retryable: true,
  });
}

export function timedOut(ms: number): PodbayError {
  return new PodbayError('TIMEOUT', `RunPod did not answer within ${(ms / 1000).toFixed(1)} s.`, {
    hint: 'Try again shortly.',
    retryable: true,
  });
}

export function malformed(detail: string): PodbayError {
  return new PodbayError('BAD_RESPONSE', `RunPod sent an answer podbay could not read (${detail}).`, {
    hint: 'Try again; if it persists, RunPod may have changed its API.',
    retryable: true,
  });
}

/** A well-formed answer with a missing or odd field: not transient, so not retried. */
export function unreadable(what: string, detail: string): PodbayError {
  return new PodbayError('BAD_RESPONSE', `RunPod sent ${what} that podbay could not read: ${detail}.`, {
    hint: 'RunPod may have changed its API; please report this to your podbay admin.',
  });
}

export function notFound(what: string): PodbayError {
  return new PodbayError('NOT_FOUND', `RunPod has no ${what}.`, {
    hint: 'It may have been terminated or deleted; list what exists and pick again.',
  });
}

export function noCapacity(): PodbayError {
  return new PodbayError('NO_CAPACITY', 'RunPod has no machine free with the requested GPUs right now.', {
    hint: 'Try another GPU type or data center, fewer GPUs, or community cloud.',
  });
}

/** Cleans a server message for people: one line, no long ids or stack noise, bounded length. */
export function cleanMessage(raw: string): string {
  const oneLine = raw.replace(/\s+/g, ' ').trim();
  const noPrefix = oneLine.replace(/^(graphql error|error):\s*/i, '');
  return noPrefix.length > 300 ? `${noPrefix.slice(0, 297)}...` : noPrefix || 'no details given';
}

/** Maps one GraphQL `errors[0].message` to a typed error. */
export function fromGraphqlMessage(message: string): PodbayError {
  const msg = cleanMessage(message);
  if (CAPACITY_RE.test(msg)) return noCapacity();
  if (AUTH_RE.test(msg)) return authFailed();
  if (/too many requests|rate limit/i.test(msg)) return rateLimited(undefined);
  if (TRANSIENT_RE.test(msg)) return unavailable(`it said: "${msg}"`);
  if (NOT_FOUND_RE.test(msg)) {
    return new PodbayError('NOT_FOUND', `RunPod could not find it: ${msg}`, {
      hint: 'It may have been terminated or deleted; list what exists and pick again.',
    });
  }
  return new PodbayError('INVALID_REQUEST', `RunPod rejected the request: ${msg}`);
}

export function fromHttpStatus(status: number, retryAfter: string | null): PodbayError {
  if (status === 401 || status === 403) return authFailed();
  if (status === 429) return rateLimited(parseRetryAfter(retryAfter));
  if (status >= 500) return unavailable(`HTTP ${status}`);
  return new PodbayError('INVALID_REQUEST', `RunPod rejected the request (HTTP ${status}).`);
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs?: number): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs) && secs >= 0) return secs;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - (nowMs ?? Date.now())) / 1000);
}
