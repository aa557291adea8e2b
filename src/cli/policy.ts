// `podbay policy check [FILE]`: validates a policy file, prints the effective policy, exits 1 on a problem.
import { BUILT_IN_NOTICE } from '../load-policy.ts';
import { describePolicy } from '../services/policy-describe.ts';
import { formatProblems, loadPolicyFile } from '../services/policy-file.ts';
import { BUILT_IN_POLICY } from '../services/policy-schema.ts';
import type { Print } from './output.ts';

/** Returns the exit code. Without a file (and no PODBAY_POLICY) it describes the built-in policy. */
export function policyCheckCommand(file: string | undefined, print: Print, warn: Print): number {
  if (!file) {
    warn(BUILT_IN_NOTICE);
    for (const l of describePolicy(BUILT_IN_POLICY)) print(l);
    return 0;
  }
  const r = loadPolicyFile(file);
  if (!r.ok) {
    warn(`${file}: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`);
    warn(formatProblems(file, r.problems));
    return 1;
  }
  for (const w of r.warnings) warn(`warning: ${w}`);
  print(`${file}: OK`);
  for (const l of describePolicy(r.policy)) print(l);
  return 0;
}
