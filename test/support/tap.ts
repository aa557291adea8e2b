// The suite's output tap: everything the tests print or log, and every error the RunPod
// adapter throws in them, is appended here, so test/scan/secret-scan.test.ts can look for
// secrets afterwards (`npm test` runs that scan after the main suite).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Inside the checkout (git-ignored), so two checkouts testing at once never share a tap.
export const TAP_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../.podbay/test-tap');

export function tapWrite(text: string): void {
  mkdirSync(TAP_DIR, { recursive: true });
  appendFileSync(join(TAP_DIR, `${process.pid}.log`), text.endsWith('\n') ? text : `${text}\n`);
}

/** Records everything a person or a log could see of an error. */
export function tapError(e: unknown): void {
  if (e instanceof Error) {
    const extra = e as Error & { userMessage?: string; hint?: string };
    tapWrite(
      `ERROR ${e.name}: ${e.message} | ${extra.userMessage ?? ''} | ${extra.hint ?? ''} | ${e.stack ?? ''}`,
    );
  } else tapWrite(`ERROR ${String(e)}`);
}

/** For `.catch(tapped)`: records the error and hands it back for the assertions. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on the caught error's fields
export function tapped(e: unknown): any {
  tapError(e);
  return e;
}
