// /podbay: whoami (your roles and what you may do), policy and audit (admins), help.
import type { StoredAuditEntry } from '../../services/ports.ts';
import { parseDuration } from '../../services/policy-units.ts';
import type { HandlerDeps } from '../deps.ts';
import { COMMANDS } from '../ids.ts';
import { ackThenAnswer, ackUsage } from '../reply.ts';
import type { Routes } from '../routes.ts';
import { auditMessage, policyMessage, whoamiMessage } from '../views/podbay.ts';
import { quoteWord, tokenize, type Usage, usage } from './args.ts';

export const PODBAY_HELP = `/podbay whoami              your roles and what you may do
/podbay policy              the effective policy (admins)
/podbay audit [--since 7d]  recent actions and decisions (admins; durations like 90m, 24h, 7d)
/podbay help                this help`;

export type PodbayCommand = { kind: 'whoami' } | { kind: 'policy' } | { kind: 'audit'; sinceMs: number };

const DEFAULT_AUDIT_MS = 7 * 86_400_000;

export function parsePodbay(text: string): PodbayCommand | Usage {
  const words = tokenize(text);
  if (words === null) return usage('A quote is not closed.');
  const [sub, ...rest] = words.map((w) => w.toLowerCase());
  switch (sub) {
    case undefined:
    case 'help':
    case '--help':
      return usage();
    case 'whoami':
    case 'policy':
      if (rest.length) return usage(`\`/podbay ${sub}\` takes no arguments.`);
      return { kind: sub };
    case 'audit': {
      if (rest.length === 0) return { kind: 'audit', sinceMs: DEFAULT_AUDIT_MS };
      const [flag, value, ...more] = rest;
      const inline = flag?.startsWith('--since=') ? flag.slice('--since='.length) : undefined;
      const text = inline ?? (flag === '--since' ? value : undefined);
      if (text === undefined || (inline === undefined ? more.length : value !== undefined))
        return usage('`/podbay audit` takes `--since <duration>`, e.g. `--since 24h`.');
      const ms = parseDuration(text);
      if (ms === null) return usage(`“${quoteWord(text)}” is not a duration; write 90m, 24h or 7d.`);
      return { kind: 'audit', sinceMs: ms };
    }
    default:
      return usage(`\`/podbay\` has no “${quoteWord(sub)}” command.`);
  }
}

export function registerPodbayCommand(app: Routes, deps: HandlerDeps): void {
  app.command(COMMANDS.podbay, async ({ command, ack, respond }) => {
    const parsed = parsePodbay(command.text);
    if (parsed.kind === 'usage') return ackUsage(ack, COMMANDS.podbay, PODBAY_HELP, parsed.problem);
    const requester = { userId: command.user_id, teamId: command.team_id ?? null };
    const access = deps.access;
    await ackThenAnswer(deps, ack, respond, `/podbay ${parsed.kind}`, async () => {
      if (!access) return whoamiMessage(requester.userId, null);
      if (parsed.kind === 'whoami')
        return whoamiMessage(requester.userId, await access.abilities(requester.userId), access);
      if (parsed.kind === 'policy') {
        await access.authorize(requester, 'policy.view');
        return policyMessage(access.policy);
      }
      await access.authorize(requester, 'audit.view');
      const entries: StoredAuditEntry[] = deps.audit ? await deps.audit.within(parsed.sinceMs, 30) : [];
      return auditMessage(entries, parsed.sinceMs);
    });
  });
}
