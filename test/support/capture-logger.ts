// A real pino logger (with podbay's redaction) that keeps every line in memory, so tests can
// scan what would have been logged.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.ts';
import { tapWrite } from './tap.ts';

export interface CapturedLogger {
  logger: Logger;
  lines: string[];
  text(): string;
}

export function captureLogger(secrets: string[] = [], level = 'trace'): CapturedLogger {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      tapWrite(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level, secrets, destination });
  return { logger, lines, text: () => lines.join('') };
}
