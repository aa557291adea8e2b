// pino JSON logs. Secrets are removed twice: by redact paths for known fields, and by
// scrubbing every configured secret value from each serialized line (a key can hide anywhere).
import { isMainThread } from 'node:worker_threads';
import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export const REDACT_PATHS = [
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'headers.Authorization',
  '*.headers.Authorization',
  'env',
  '*.env',
  '*.*.env',
  'variables',
  '*.variables',
];

export interface LoggerOptions {
  level?: string;
  secrets?: readonly string[];
  destination?: DestinationStream;
  name?: string;
}

export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 6 && out.includes(s)) out = out.split(s).join('[REDACTED]');
  return out;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = opts.secrets ?? [];
  return pino(
    {
      name: opts.name ?? 'podbay',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      hooks: { streamWrite: (line) => scrubSecrets(line, secrets) },
    },
    // pino flushes its buffered writes at exit only on the main thread; on the app thread (HTTP
    // mode) lines are written at once, so the last ones are not lost when the thread ends.
    opts.destination ?? pino.destination(isMainThread ? 2 : { dest: 2, sync: true }),
  );
}

/** A logger that writes nothing (tests and CLI output that must stay clean). */
export const silentLogger: Logger = pino({ level: 'silent' });
