// Starts each run with an empty output tap, and says once when the Postgres cases are skipped.
import { mkdirSync, rmSync } from 'node:fs';
import { POSTGRES_SKIP_NOTE, TEST_DATABASE_URL } from './postgres.ts';
import { TAP_DIR } from './tap.ts';

export default function setup(): void {
  rmSync(TAP_DIR, { recursive: true, force: true });
  mkdirSync(TAP_DIR, { recursive: true });
  if (!TEST_DATABASE_URL) console.warn(POSTGRES_SKIP_NOTE);
}
