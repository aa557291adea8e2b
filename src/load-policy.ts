// Which policy podbay runs with: the file in PODBAY_POLICY (problems stop start-up), the demo policy
// in the sandbox console, or the built-in one (said at start, with what it means).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicyFile, PolicyError } from './services/policy-file.ts';
import { BUILT_IN_POLICY, type Policy } from './services/policy-schema.ts';

export const DEMO_POLICY_PATH = join(dirname(fileURLToPath(import.meta.url)), 'sandbox', 'demo-policy.yml');

export const BUILT_IN_NOTICE =
  'No policy file (PODBAY_POLICY): everyone is an operator and acts on their own and unattributed pods; acting on someone else’s pod needs an admin (none is named); nothing needs approval.';

export interface LoadedPolicy {
  policy: Policy;
  warnings: string[];
  /** One line for the start-up log. */
  notice: string;
}

export function loadPolicy(opts: { path: string | undefined; cwd: string; demo: boolean }): LoadedPolicy {
  const path = opts.path ? resolve(opts.cwd, opts.path) : opts.demo ? DEMO_POLICY_PATH : null;
  if (!path) return { policy: BUILT_IN_POLICY, warnings: [], notice: BUILT_IN_NOTICE };
  const r = loadPolicyFile(path);
  if (!r.ok) throw new PolicyError(opts.path ?? path, r.problems);
  return {
    policy: r.policy,
    warnings: r.warnings,
    notice: opts.path
      ? `Policy loaded from ${path}.`
      : 'Sandbox: the demo policy applies (src/sandbox/demo-policy.yml).',
  };
}
