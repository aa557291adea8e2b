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
  lines.push(...describeAlerts(p));
  return lines;
}

function describeAlerts(p: Policy): string[] {
  const a = p.alerts;
  const lives = ROLES.filter((r) => p.lifetimes[r] !== null).map(
    (r) => `${r} ${formatDuration(p.lifetimes[r] as number)}`,
  );
  const out: string[] = [];
  if (!a) out.push('Alerts: none (no alerts section)');
  else {
    out.push(
      `Alerts: posted in ${a.channel}${a.dmOwner ? ', and by DM to the pod’s owner' : ''}; digest in ${a.digestChannel}`,
    );
    if (a.idle) {
      const stop =
        a.idle.autoStopAfterMs !== null
          ? `, stopped ${formatDuration(a.idle.autoStopAfterMs)} after the warning`
          : ', never stopped automatically';
      out.push(
        `  Idle: every GPU under ${a.idle.utilBelowPercent}% for ${formatDuration(a.idle.forMs)}${stop}`,
      );
    }
    if (a.stoppedLongerThanMs !== null)
      out.push(`  Stopped longer than ${formatDuration(a.stoppedLongerThanMs)}: terminate proposed`);
    const b = [
      a.budgets.daily !== null ? `${dollars(a.budgets.daily)} a day` : null,
      a.budgets.monthly !== null ? `${dollars(a.budgets.monthly)} a month` : null,
    ].filter(Boolean);
    if (b.length) out.push(`  Budgets: ${b.join(', ')}`);
    if (a.runwayBelowMs !== null)
      out.push(`  Runway: alert below ${formatDuration(a.runwayBelowMs)} of balance`);
    out.push('  Spot interruptions are reported.');
  }
  if (lives.length) out.push(`Default pod lifetimes (stop_after): ${lives.join(', ')}`);
  return out;
}
