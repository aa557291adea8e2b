// Usage and error messages: ephemeral, short, never a stack trace.
import { asPodbayError } from '../../services/errors.ts';
import {
  actions,
  type Block,
  button,
  clip,
  confirmDialog,
  context,
  esc,
  escSentence,
  type Message,
  section,
} from './blocks.ts';

/** Help for a command: the usage text (kept beside its parser) and, when the input was wrong, why. */
export function usageMessage(command: string, help: string, problem?: string): Message {
  const blocks: Block[] = [];
  if (problem) blocks.push(section(`:warning: ${esc(problem)}`));
  blocks.push(section(`*${command}*\n\`\`\`${clip(help, 2900)}\`\`\``));
  const text = problem ? `${problem} Usage: ${help}` : `${command} usage: ${help}`;
  return { text: clip(text, 3000), blocks };
}

/** Any failure as a message a person can act on. Unexpected errors become a generic sentence. */
export function errorMessage(e: unknown, extra: Block[] = []): Message {
  const err = asPodbayError(e);
  const lines = [`:warning: ${escSentence(err.userMessage)}`];
  const blocks: Block[] = [section(lines.join('\n'))];
  if (err.hint) blocks.push(context(escSentence(err.hint)));
  return { text: clip(err.toUserText(), 3000), blocks: [...blocks, ...extra] };
}

/** A one-line outcome (done / nothing to do). */
export function noticeMessage(icon: string, text: string, more: Block[] = []): Message {
  return { text: clip(text, 3000), blocks: [section(`${icon} ${escSentence(text)}`), ...more] };
}

/** A typed delete asks first: what will go, and one button (with its own confirm) that deletes it. */
export function deleteConfirmMessage(t: {
  what: 'volume' | 'endpoint';
  id: string;
  name: string;
  detail: string;
  actionId: string;
  why: string | null;
}): Message {
  const label = t.what === 'volume' ? 'network volume' : 'endpoint';
  const value = JSON.stringify({ id: t.id, why: t.why });
  const del = button(
    t.actionId,
    `Delete ${clip(t.name, 50)}`,
    value.length <= 2000 ? value : JSON.stringify({ id: t.id, why: null }),
    {
      style: 'danger',
      confirm: confirmDialog(
        `Delete ${clip(t.name, 80)}?`,
        `The ${label} is deleted for good.`,
        'Delete',
        'danger',
      ),
    },
  );
  return {
    text: clip(`Confirm: delete ${label} ${t.name} (${t.id})? ${t.detail} Press Delete to go ahead.`, 3000),
    blocks: [
      section(`Delete ${label} *${esc(clip(t.name, 150))}* (\`${esc(t.id)}\`)? ${esc(t.detail)}`),
      actions(undefined, [del]),
    ],
  };
}
