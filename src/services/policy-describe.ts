// The effective policy in words, for `podbay policy check` and `/podbay policy`.
import { type Policy, ROLES } from './policy-schema.ts';
import { dollars, formatDuration, percent } from './policy-units.ts';

const who = (ids: readonly string[]): string =>
  ids.length === 0 ? 'nobody' : ids.map((i) => (i === '*' ? 'everyone' : i)).join(', ');

export function describePolicy(p: Policy): string[] {
  const lines: string[] = [];
  lines.push(p.source ? `Policy from ${p.source}` : 'Built-in policy (no PODBAY_POLICY file)');
  lines.push('Roles:');
  for (const r of ROLES) lines.push(`  ${r.padEnd(9)} ${who(p.roles[r])}`);
  const q = p.requireApproval;
  const rules: string[] = [];
  if (q.podCreateAbovePerHour !== null) rules.push(`pod create above ${dollars(q.podCreateAbovePerHour)}/h`);
  if (q.gpuCountAbove !== null) rules.push(`pod create with more than ${q.gpuCountAbove} GPUs`);
  if (q.terminate) rules.push('pod terminate');
  if (q.volumeDelete) rules.push('network volume delete');
  if (q.endpointDelete) rules.push('endpoint delete');
  lines.push(`Needs approval: ${rules.length ? rules.join('; ') : 'nothing'}`);
  if (rules.length) {
    const a = p.approvals;
    lines.push(
      `Approvals: posted in ${a.channel ?? '(no channel)'}, expire after ${formatDuration(a.ttlMs)}, re-approval when the price rises more than ${percent(a.requoteTolerance)}${a.requireReason ? ', a reason is required' : ''}`,
    );
    lines.push('  Nobody approves their own request; approvers and admins decide.');
  }
  const c = p.caps;
  const caps: string[] = [];
  if (c.perUserCostPerHour !== null) caps.push(`${dollars(c.perUserCostPerHour)}/h of running pods`);
  if (c.perUserPods !== null) caps.push(`${c.perUserPods} pods`);
  lines.push(`Caps per person (admins exempt): ${caps.length ? caps.join(', ') : 'none'}`);
  lines.push(
    'Operators act on their own and unattributed pods; acting on someone else’s pod needs an admin.',
  );
  if (p.roles.admin.length === 0)
    lines.push('  (No admin is named, so nobody can act on someone else’s pod.)');
  if (ROLES.some((r) => p.roles[r].some((m) => m.startsWith('S'))))
    lines.push(`User groups are looked up in Slack and cached for ${formatDuration(p.usergroupCacheMs)}.`);
  return lines;
}
