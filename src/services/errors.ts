// Typed errors: a stable `code` for programs and a sentence a person can act on.
// Handlers show `userMessage` (plus `hint`) and never a stack trace.

export type ErrorCode =
  | 'AUTH_FAILED'
  | 'RATE_LIMITED'
  | 'RUNPOD_UNAVAILABLE'
  | 'TIMEOUT'
  | 'NO_CAPACITY'
  | 'NOT_FOUND'
  | 'INVALID_REQUEST'
  | 'BAD_RESPONSE'
  | 'OUTCOME_UNKNOWN'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'CONFIG_INVALID';

export class PodbayError extends Error {
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly hint: string | undefined;
  /** Whether repeating the same read may succeed (used by the retry policy). */
  readonly retryable: boolean;
  /** Seconds the server asked us to wait (Retry-After), when it said so. */
  readonly retryAfterSec: number | undefined;

  constructor(
    code: ErrorCode,
    userMessage: string,
    opts: { hint?: string; retryable?: boolean; retryAfterSec?: number } = {},
  ) {
    super(`${code}: ${userMessage}`);
    this.name = 'PodbayError';
    this.code = code;
    this.userMessage = userMessage;
    this.hint = opts.hint;
    this.retryable = opts.retryable ?? false;
    this.retryAfterSec = opts.retryAfterSec;
  }

  /** One line for a person: the sentence and, when there is one, what to do next. */
  toUserText(): string {
    return this.hint ? `${this.userMessage} ${this.hint}` : this.userMessage;
  }
}

export const isPodbayError = (e: unknown): e is PodbayError => e instanceof PodbayError;

/** Any thrown value as a PodbayError; unexpected ones get a generic sentence (details go to the log only). */
export function asPodbayError(e: unknown): PodbayError {
  if (isPodbayError(e)) return e;
  return new PodbayError('RUNPOD_UNAVAILABLE', 'Something went wrong on our side; nothing was changed.', {
    hint: 'Try again in a minute. If it keeps happening, ask your podbay admin to check the logs.',
  });
}
