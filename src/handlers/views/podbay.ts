// /podbay views: who you are to podbay, the effective policy, recent audit entries.
import { type Abilities, type AccessControl, mentionList } from '../../services/access.ts';
import { describePolicy } from '../../services/policy-describe.ts';
import type { Policy } from '../../services/policy-schema.ts';
import { formatDuration } from '../../services/policy-units.ts';
import type { StoredAuditEntry } from '../../services/ports.ts';
import { type Block, clip, context, esc, escSentence, type Message, section } from './blocks.ts';

export function whoamiMessage(userId: string, a: Abilities | null, access?: AccessControl): Message {
  if (!a) {
    const text = `<@${userId}>: no policy is loaded here, so you may do everything.`;
    return { text, blocks: [section(text)] };
  }
  const roles = a.roles.length ? a.roles.join(', ') : 'no role';
  const blocks: Block[] = [section(`*You are* <@${userId}> · ${roles}`)];
  if (a.may.length) blocks.push(section(`*You may*\n${a.may.map((m) => `• ${m}`).join('\n')}`));
  if (a.mayNot.length) blocks.push(section(`*You may not*\n${a.mayNot.map((m) => `• ${m}`).join('\n')}`));
  const admins = access?.policy.roles.admin ?? [];
  const deciders = access?.deciders() ?? [];
  const help: string[] = [];
  if (deciders.length) help.push(`Requests are decided by ${mentionList(deciders)}.`);
  if (admins.length) help.push(`Admins: ${mentionList(admins)}.`);
  if (!access?.policy.source)
    help.push('No policy file is set (PODBAY_POLICY): the built-in policy applies.');
  if (help.length) blocks.push(context(escSentence(help.join(' '))));
  return { text: clip(`You are ${roles}. You may: ${a.may.join('; ') || 'nothing'}.`, 3000), blocks };
}

export function policyMessage(p: Policy): Message {
  const lines = describePolicy(p);
  return {
    text: clip(lines.join('\n'), 3000),
    blocks: [section(`*Effective policy*\n\`\`\`${esc(clip(lines.join('\n'), 2900))}\`\`\``)],
  };
}

export function auditMessage(entries: readonly StoredAuditEntry[], sinceMs: number): Message {
  const head = `*Audit log*, last ${formatDuration(sinceMs)}: ${entries.length ? `${entries.length} newest` : 'nothing'}`;
  const lines = entries.map(
    (e) =>
      `${e.at.slice(0, 16).replace('T', ' ')} ${e.userId ?? '-'} ${e.action} ${e.target} ${e.outcome}: ${e.detail}`,
  );
  const blocks: Block[] = [section(head)];
  if (lines.length) blocks.push(section(`\`\`\`${esc(clip(lines.join('\n'), 2900))}\`\`\``));
  blocks.push(context('Everything, as CSV or JSON: `podbay audit --since 7d --format csv`.'));
  return { text: clip(`${head}\n${lines.join('\n')}`, 3000), blocks };
}
