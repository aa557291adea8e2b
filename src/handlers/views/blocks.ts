// Minimal Block Kit shapes and builders used by every view. Structural types (compatible with
// @slack/types' KnownBlock) so views stay pure data and never depend on a client.

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
  verbatim?: boolean;
}
export type TextObject = PlainText | Mrkdwn;

export interface Confirm {
  title: PlainText;
  text: TextObject;
  confirm: PlainText;
  deny: PlainText;
  style?: 'primary' | 'danger';
}

export interface Option {
  text: PlainText;
  value: string;
  description?: PlainText;
}

export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: PlainText;
  value?: string;
  style?: 'primary' | 'danger';
  confirm?: Confirm;
  url?: string;
}

export interface StaticSelectElement {
  type: 'static_select';
  action_id: string;
  placeholder?: PlainText;
  options: Option[];
  initial_option?: Option;
}

export interface RadioButtonsElement {
  type: 'radio_buttons';
  action_id: string;
  options: Option[];
  initial_option?: Option;
}

export interface PlainTextInputElement {
  type: 'plain_text_input';
  action_id: string;
  placeholder?: PlainText;
  initial_value?: string;
  multiline?: boolean;
  max_length?: number;
}

export interface NumberInputElement {
  type: 'number_input';
  action_id: string;
  is_decimal_allowed: boolean;
  initial_value?: string;
  min_value?: string;
  max_value?: string;
  placeholder?: PlainText;
}

export interface ImageElement {
  type: 'image';
  image_url: string;
  alt_text: string;
}

export type InteractiveElement = ButtonElement | StaticSelectElement;
export type InputElement =
  | StaticSelectElement
  | RadioButtonsElement
  | PlainTextInputElement
  | NumberInputElement;

export interface SectionBlock {
  type: 'section';
  block_id?: string;
  text?: TextObject;
  fields?: TextObject[];
  accessory?: ButtonElement | StaticSelectElement;
}
export interface HeaderBlock {
  type: 'header';
  block_id?: string;
  text: PlainText;
}
export interface DividerBlock {
  type: 'divider';
  block_id?: string;
}
export interface ContextBlock {
  type: 'context';
  block_id?: string;
  elements: (TextObject | ImageElement)[];
}
export interface ActionsBlock {
  type: 'actions';
  block_id?: string;
  elements: InteractiveElement[];
}
export interface InputBlock {
  type: 'input';
  block_id: string;
  label: PlainText;
  element: InputElement;
  hint?: PlainText;
  optional?: boolean;
  dispatch_action?: boolean;
}

/** An image block: a public image_url, or an image uploaded to Slack (slack_file by id or url). */
export interface ImageBlock {
  type: 'image';
  block_id?: string;
  alt_text: string;
  image_url?: string;
  slack_file?: { id: string } | { url: string };
  title?: PlainText;
}

export type Block =
  | SectionBlock
  | HeaderBlock
  | DividerBlock
  | ContextBlock
  | ActionsBlock
  | InputBlock
  | ImageBlock;

/** A message: `text` is the notification and accessibility fallback and is always set. */
export interface Message {
  text: string;
  blocks: Block[];
}

export interface ModalView {
  type: 'modal';
  callback_id: string;
  title: PlainText;
  submit?: PlainText;
  close?: PlainText;
  private_metadata?: string;
  blocks: Block[];
  notify_on_close?: boolean;
  external_id?: string;
}

// ---- builders -------------------------------------------------------------------------------

export const plain = (text: string): PlainText => ({ type: 'plain_text', text });
export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text });

/** Cuts `s` to at most `max` characters, marking the cut with an ellipsis. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${s.slice(0, Math.max(0, max - 1))}…`;
}

/** Drops control codes other than tab, newline and carriage return (they make messages misbehave). */
function dropControlCodes(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if ((c >= 32 && c !== 127) || c === 9 || c === 10 || c === 13) out += ch;
  }
  return out;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters, and drops control codes. */
export function esc(s: string): string {
  return dropControlCodes(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * esc() for podbay's own sentences, which may mention people, groups and channels (<@U…>,
 * <!subteam^S…>, <#C…>): those stay mentions; anything else stays escaped (no <!channel>, no links).
 */
export function escSentence(s: string): string {
  return esc(s)
    .replace(/&lt;@([UW][A-Z0-9]{2,})&gt;/g, '<@$1>')
    .replace(/&lt;!subteam\^(S[A-Z0-9]{2,})&gt;/g, '<!subteam^$1>')
    .replace(/&lt;#([CGD][A-Z0-9]{2,})&gt;/g, '<#$1>');
}

export const section = (text: string, accessory?: ButtonElement | StaticSelectElement): SectionBlock =>
  accessory
    ? { type: 'section', text: mrkdwn(clip(text, 3000)), accessory }
    : { type: 'section', text: mrkdwn(clip(text, 3000)) };

export const fieldsSection = (fields: string[]): SectionBlock => ({
  type: 'section',
  fields: fields.slice(0, 10).map((f) => mrkdwn(clip(f, 2000))),
});

export const header = (text: string): HeaderBlock => ({ type: 'header', text: plain(clip(text, 150)) });
export const divider = (): DividerBlock => ({ type: 'divider' });
export const context = (...lines: string[]): ContextBlock => ({
  type: 'context',
  elements: lines.slice(0, 10).map((l) => mrkdwn(clip(l, 3000))),
});
export const actions = (block_id: string | undefined, elements: InteractiveElement[]): ActionsBlock =>
  block_id
    ? { type: 'actions', block_id, elements: elements.slice(0, 25) }
    : { type: 'actions', elements: elements.slice(0, 25) };

export function button(
  action_id: string,
  text: string,
  value: string,
  opts: { style?: 'primary' | 'danger'; confirm?: Confirm } = {},
): ButtonElement {
  const b: ButtonElement = {
    type: 'button',
    action_id,
    text: plain(clip(text, 75)),
    value: clip(value, 2000),
  };
  if (opts.style) b.style = opts.style;
  if (opts.confirm) b.confirm = opts.confirm;
  return b;
}

export function confirmDialog(
  title: string,
  text: string,
  confirm: string,
  style: 'primary' | 'danger' = 'primary',
): Confirm {
  return {
    title: plain(clip(title, 100)),
    text: mrkdwn(clip(text, 300)),
    confirm: plain(clip(confirm, 30)),
    deny: plain('Cancel'),
    style,
  };
}

export const option = (text: string, value: string, description?: string): Option =>
  description
    ? { text: plain(clip(text, 75)), value: clip(value, 150), description: plain(clip(description, 75)) }
    : { text: plain(clip(text, 75)), value: clip(value, 150) };
