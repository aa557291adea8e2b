// Runs the `podbay` bin as a user would: a real child process with a clean environment.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'podbay.js');

/** A `podbay(args, env)` that runs in `cwd` (HOME too), with only PATH and `env` set. */
export function podbayIn(cwd: string) {
  return (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      cwd,
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
}
