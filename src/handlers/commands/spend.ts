// /spend: balance, spend per hour, runway, today's spend by owner.
import type { HandlerDeps } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { COMMANDS } from '../ids.ts';
import { ackThenAnswer, ackUsage } from '../reply.ts';
import { spendMessage } from '../views/spend.ts';
import { quoteWord, tokenize, type Usage, usage } from './args.ts';

export const SPEND_HELP = `/spend          balance, spend per hour, runway, and today's spend by owner
/spend help     this help`;

export type SpendCommand = { kind: 'summary' };

export function parseSpend(text: string): SpendCommand | Usage {
  const words = tokenize(text);
  if (words === null) return usage('A quote is not closed.');
  if (words.length === 0) return { kind: 'summary' };
  if (words.length === 1 && words[0]?.toLowerCase() === 'help') return usage();
  return usage(`\`/spend\` takes no arguments (got “${quoteWord(words.join(' '))}”).`);
}

export function registerSpendCommand(app: Routes, deps: HandlerDeps): void {
  app.command(COMMANDS.spend, async ({ command, ack, respond }) => {
    const parsed = parseSpend(command.text);
    if (parsed.kind === 'usage') return ackUsage(ack, COMMANDS.spend, SPEND_HELP, parsed.problem);
    await ackThenAnswer(deps, ack, respond, '/spend', async () => spendMessage(await deps.spend.summary()));
  });
}
