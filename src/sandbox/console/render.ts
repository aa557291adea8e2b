// Block Kit as terminal text: headers, sections, fields, context lines, images (as their alt text),
// numbered buttons.
// Pure: returns lines; the console prints them.
import type { FakeMessage } from './slack-fake.ts';

type Json = Record<string, unknown>;

const EMOJI: Record<string, string> = {
  large_green_circle: '●',
  large_yellow_circle: '◐',
  white_circle: '○',
  red_circle: '✖',
  black_circle: '◌',
  white_check_mark: '✔',
  information_source: 'ℹ',
  warning: '⚠',
  x: '✖',
  hourglass_flowing_sand: '⏳',
  package: '▤',
  raised_hand: '✋',
  no_entry: '⛔',
  mag: '🔍',
  thinking_face: '🤔',
  test_tube: '⚗',
  frame_with_picture: '🖼',
};

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string => (isObj(v) && typeof v.text === 'string' ? v.text : '');

/** Names for ids the console knows (users and channels), so mentions read like Slack shows them. */
export type Names = Record<string, string>;

/** Slack mrkdwn → plain terminal text. */
export function mrkdwnToText(s: string, names: Names = {}): string {
  return s
    .replace(/<@([A-Z0-9]+)>/g, (_m, id: string) => `@${names[id] ?? id}`)
    .replace(
      /<#([A-Z0-9]+)(\|([^>]+))?>/g,
      (_m, id: string, _x, name?: string) => `#${name ?? names[id] ?? id}`,
    )
    .replace(/<!subteam\^([A-Z0-9]+)(\|([^>]+))?>/g, (_m, id: string, _x, name?: string) => `@${name ?? id}`)
    .replace(/<!date\^\d+\^[^|>]*\|([^>]+)>/g, (_m, fallback: string) => fallback)
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/```([\s\S]*?)```/g, (_m, code: string) => code)
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/(^|[\s(])_([^_\n]+)_(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface RenderedButton {
  blockId: string;
  actionId: string;
  text: string;
}

/** A button label as shown: "[3] Stop". */
const label = (n: number, b: Json) => `[${n}] ${textOf(b.text)}${b.style === 'danger' ? ' (!)' : ''}`;

const indent = (text: string, pad = '  ') =>
  text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');

/**
 * Where a message was posted, as a heading: "#gpu", "#C0ALERTS" (a channel the console has no name
 * for), or a direct message (posted to a user id, or to a D… conversation).
 */
function where(channel: string, names: Names): string {
  if (/^[UW][A-Z0-9]+$/.test(channel)) return `a direct message to @${names[channel] ?? channel}`;
  if (/^D[A-Z0-9]+$/.test(channel)) return `a direct message (${names[channel] ?? channel})`;
  return `#${names[channel] ?? channel}`;
}

/**
 * Lines for one message. Buttons get numbers starting at `firstNumber`; `buttons` lists them in order
 * so the console can map a typed number back to the button.
 */
export function renderMessage(
  m: FakeMessage,
  firstNumber: number,
  names: Names = {},
): { lines: string[]; buttons: RenderedButton[] } {
  const lines: string[] = [];
  const buttons: RenderedButton[] = [];
  const add = (b: Json, blockId: string) => {
    buttons.push({ blockId, actionId: String(b.action_id), text: textOf(b.text) });
    return label(firstNumber + buttons.length - 1, b);
  };
  const who = m.ephemeral ? 'podbay (only you can see this)' : `podbay in ${where(m.channel, names)}`;
  lines.push(`┌─ ${who}${m.version > 0 ? ' · updated' : ''}`);
  if (!m.blocks.length) lines.push(indent(mrkdwnToText(m.text, names), '│ '));
  for (const b of m.blocks) {
    const blockId = String(b.block_id ?? '');
    switch (b.type) {
      case 'header':
        lines.push(`│ ${textOf(b.text).toUpperCase()}`);
        break;
      case 'section': {
        if (isObj(b.text)) lines.push(indent(mrkdwnToText(textOf(b.text), names), '│ '));
        if (Array.isArray(b.fields)) {
          const rows = b.fields.map((f) => mrkdwnToText(textOf(f), names).split('\n'));
          const width = Math.max(...rows.map((r) => (r[0] ?? '').length));
          for (const [k, ...v] of rows) lines.push(`│   ${(k ?? '').padEnd(width)}  ${v.join(' ')}`);
        }
        if (isObj(b.accessory) && b.accessory.type === 'button')
          lines.push(`│   ${add(b.accessory, blockId)}`);
        break;
      }
      case 'context':
        if (Array.isArray(b.elements))
          lines.push(
            indent(b.elements.map((e) => mrkdwnToText(textOf(e), names)).join('  '), '│   · ').replace(
              /\n│ {3}· /g,
              '\n│     ',
            ),
          );
        break;
      case 'divider':
        lines.push('│ ──────────');
        break;
      case 'image':
        // The picture cannot be shown here: its title, and its alt text (which states the numbers).
        lines.push(`│ [image] ${textOf(b.title) || 'untitled'}`);
        if (typeof b.alt_text === 'string') lines.push(indent(b.alt_text, '│   '));
        break;
      case 'actions':
        if (Array.isArray(b.elements))
          lines.push(
            `│   ${b.elements
              .filter((e): e is Json => isObj(e) && e.type === 'button')
              .map((e) => add(e, blockId))
              .join('  ')}`,
          );
        break;
      default:
        break;
    }
  }
  lines.push('└─');
  return { lines, buttons };
}

/** The read-only parts of a modal (sections and context), for showing the quote while filling it. */
export function renderViewInfo(view: Json): string[] {
  const out: string[] = [];
  const blocks = Array.isArray(view.blocks) ? (view.blocks as Json[]) : [];
  for (const b of blocks) {
    if (b.type === 'section' && isObj(b.text)) out.push(indent(mrkdwnToText(textOf(b.text))));
    if (b.type === 'context' && Array.isArray(b.elements))
      out.push(indent(b.elements.map((e) => mrkdwnToText(textOf(e))).join(' '), '  · '));
  }
  return out;
}
