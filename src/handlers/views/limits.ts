// Block Kit limits, checked over every message and modal podbay builds (tests, the loopback
// Slack fake). Slack rejects a payload over these with invalid_blocks / msg_too_long, so a view
// that passes here is one Slack accepts. Sources: docs.slack.dev Block Kit reference pages
// (blocks, block elements, composition objects, views) and the limits copied into @slack/types
// 3.x JSDoc; summarised in shared/reference/slack-platform.md §9.

export const LIMITS = {
  /** docs.slack.dev/reference/block-kit/blocks: "maximum of 50 blocks" per message. */
  messageBlocks: 50,
  /** views reference: up to 100 blocks in a modal or Home tab. */
  modalBlocks: 100,
  homeBlocks: 100,
  /** chat.postMessage: text is truncated beyond 40,000 characters (the fallback should be short). */
  messageText: 40_000,
  /** bolt-js issue #2509: msg_blocks_too_long at ~13k characters of block text; we stay under. */
  messageBlockChars: 12_000,
  /** section block: text 1–3000 chars; fields ≤ 10 items, each ≤ 2000. */
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  /** header block: plain_text ≤ 150. */
  headerText: 150,
  /** context block: ≤ 10 elements. */
  contextElements: 10,
  /** actions block: ≤ 25 elements. */
  actionsElements: 25,
  /** block_id / action_id: ≤ 255 chars. */
  blockId: 255,
  actionId: 255,
  /** button: text ≤ 75, value ≤ 2000, url ≤ 3000. */
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  /** confirmation dialog object: title ≤ 100, text ≤ 300, confirm/deny ≤ 30. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  /** option object: text ≤ 75, value ≤ 150, description ≤ 75; static select ≤ 100 options. */
  optionText: 75,
  optionValue: 150,
  selectOptions: 100,
  /** placeholder ≤ 150. */
  placeholder: 150,
  /** input block label / hint ≤ 2000. */
  inputLabel: 2000,
  inputHint: 2000,
  /** plain_text_input initial_value / max_length ≤ 3000. */
  inputValue: 3000,
  /** modal: title / submit / close ≤ 24; private_metadata ≤ 3000; callback_id ≤ 255. */
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  /** image block: alt_text ≤ 2000, image_url ≤ 3000, title ≤ 2000; a slack_file id looks like F… */
  imageAltText: 2000,
  imageUrl: 3000,
  imageTitle: 2000,
} as const;

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string | undefined =>
  isObj(v) && typeof v.text === 'string' ? v.text : undefined;

class Checker {
  readonly problems: string[] = [];
  chars = 0;

  max(path: string, value: string | undefined, limit: number, required = false): void {
    if (value === undefined) {
      if (required) this.problems.push(`${path}: missing`);
      return;
    }
    this.chars += value.length;
    if (required && value.length === 0) this.problems.push(`${path}: empty`);
    if (value.length > limit) this.problems.push(`${path}: ${value.length} chars > ${limit}`);
  }

  text(path: string, obj: unknown, limit: number, required = true, plainOnly = false): void {
    if (obj === undefined) {
      if (required) this.problems.push(`${path}: missing`);
      return;
    }
    if (!isObj(obj) || (obj.type !== 'plain_text' && obj.type !== 'mrkdwn')) {
      this.problems.push(`${path}: not a text object`);
      return;
    }
    if (plainOnly && obj.type !== 'plain_text') this.problems.push(`${path}: must be plain_text`);
    this.max(`${path}.text`, textOf(obj), limit, true);
  }

  confirm(path: string, c: unknown): void {
    if (c === undefined) return;
    if (!isObj(c)) return void this.problems.push(`${path}: not an object`);
    this.text(`${path}.title`, c.title, LIMITS.confirmTitle, true, true);
    this.text(`${path}.text`, c.text, LIMITS.confirmText);
    this.text(`${path}.confirm`, c.confirm, LIMITS.confirmButton, true, true);
    this.text(`${path}.deny`, c.deny, LIMITS.confirmButton, true, true);
  }

  options(path: string, opts: unknown): void {
    if (!Array.isArray(opts)) return void this.problems.push(`${path}: missing`);
    if (opts.length === 0) this.problems.push(`${path}: empty`);
    if (opts.length > LIMITS.selectOptions)
      this.problems.push(`${path}: ${opts.length} options > ${LIMITS.selectOptions}`);
    opts.forEach((o, i) => {
      if (!isObj(o)) return;
      this.text(`${path}[${i}].text`, o.text, LIMITS.optionText, true, true);
      this.max(
        `${path}[${i}].value`,
        typeof o.value === 'string' ? o.value : undefined,
        LIMITS.optionValue,
        true,
      );
      if (o.description !== undefined)
        this.text(`${path}[${i}].description`, o.description, LIMITS.optionText);
    });
  }

  element(path: string, el: unknown, actionIds: Set<string>): void {
    if (!isObj(el)) return void this.problems.push(`${path}: not an object`);
    const id = typeof el.action_id === 'string' ? el.action_id : undefined;
    if (id !== undefined) {
      this.max(`${path}.action_id`, id, LIMITS.actionId);
      if (actionIds.has(id)) this.problems.push(`${path}.action_id: "${id}" repeated in one block`);
      actionIds.add(id);
    }
    if (el.placeholder !== undefined)
      this.text(`${path}.placeholder`, el.placeholder, LIMITS.placeholder, true, true);
    switch (el.type) {
      case 'button':
        this.text(`${path}.text`, el.text, LIMITS.buttonText, true, true);
        if (el.value !== undefined) this.max(`${path}.value`, String(el.value), LIMITS.buttonValue);
        if (el.url !== undefined) this.max(`${path}.url`, String(el.url), LIMITS.buttonUrl);
        if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger')
          this.problems.push(`${path}.style: must be primary or danger`);
        this.confirm(`${path}.confirm`, el.confirm);
        break;
      case 'static_select':
      case 'radio_buttons':
        this.options(`${path}.options`, el.options);
        this.confirm(`${path}.confirm`, el.confirm);
        break;
      case 'plain_text_input':
        if (el.initial_value !== undefined)
          this.max(`${path}.initial_value`, String(el.initial_value), LIMITS.inputValue);
        break;
      case 'number_input':
      case 'image':
        break;
      default:
        this.problems.push(`${path}.type: unsupported element ${String(el.type)}`);
    }
  }

  block(path: string, b: unknown, surface: 'message' | 'modal' | 'home', blockIds: Set<string>): void {
    if (!isObj(b)) return void this.problems.push(`${path}: not an object`);
    if (b.block_id !== undefined) {
      const id = String(b.block_id);
      this.max(`${path}.block_id`, id, LIMITS.blockId);
      if (blockIds.has(id)) this.problems.push(`${path}.block_id: "${id}" repeated`);
      blockIds.add(id);
    }
    const actionIds = new Set<string>();
    switch (b.type) {
      case 'section': {
        if (b.text === undefined && b.fields === undefined)
          this.problems.push(`${path}: needs text or fields`);
        if (b.text !== undefined) this.text(`${path}.text`, b.text, LIMITS.sectionText);
        if (b.fields !== undefined) {
          if (!Array.isArray(b.fields)) return void this.problems.push(`${path}.fields: not a list`);
          if (b.fields.length > LIMITS.sectionFields)
            this.problems.push(`${path}.fields: ${b.fields.length} > ${LIMITS.sectionFields}`);
          b.fields.forEach((f, i) => {
            this.text(`${path}.fields[${i}]`, f, LIMITS.sectionField);
          });
        }
        if (b.accessory !== undefined) this.element(`${path}.accessory`, b.accessory, actionIds);
        break;
      }
      case 'header':
        this.text(`${path}.text`, b.text, LIMITS.headerText, true, true);
        break;
      case 'divider':
        break;
      case 'image': {
        this.max(
          `${path}.alt_text`,
          typeof b.alt_text === 'string' ? b.alt_text : undefined,
          LIMITS.imageAltText,
          true,
        );
        if ((b.image_url === undefined) === (b.slack_file === undefined))
          this.problems.push(`${path}: needs image_url or slack_file (exactly one)`);
        if (b.image_url !== undefined) this.max(`${path}.image_url`, String(b.image_url), LIMITS.imageUrl);
        if (b.slack_file !== undefined) {
          const f = b.slack_file;
          if (!isObj(f) || (typeof f.id === 'string') === (typeof f.url === 'string'))
            this.problems.push(`${path}.slack_file: needs id or url (exactly one)`);
          else if (typeof f.id === 'string' && !/^F[A-Z0-9]{8,}$/.test(f.id))
            this.problems.push(`${path}.slack_file.id: not a file id`);
        }
        if (b.title !== undefined) this.text(`${path}.title`, b.title, LIMITS.imageTitle, true, true);
        break;
      }
      case 'context':
        if (!Array.isArray(b.elements) || b.elements.length === 0)
          return void this.problems.push(`${path}.elements: missing`);
        if (b.elements.length > LIMITS.contextElements)
          this.problems.push(`${path}.elements: ${b.elements.length} > ${LIMITS.contextElements}`);
        b.elements.forEach((e, i) => {
          if (isObj(e) && e.type !== 'image') this.text(`${path}.elements[${i}]`, e, LIMITS.sectionText);
        });
        break;
      case 'actions':
        if (!Array.isArray(b.elements) || b.elements.length === 0)
          return void this.problems.push(`${path}.elements: missing`);
        if (b.elements.length > LIMITS.actionsElements)
          this.problems.push(`${path}.elements: ${b.elements.length} > ${LIMITS.actionsElements}`);
        b.elements.forEach((e, i) => {
          this.element(`${path}.elements[${i}]`, e, actionIds);
        });
        break;
      case 'input':
        if (surface === 'message') this.problems.push(`${path}: input blocks belong in modals`);
        if (b.block_id === undefined) this.problems.push(`${path}.block_id: inputs need a stable block_id`);
        this.text(`${path}.label`, b.label, LIMITS.inputLabel, true, true);
        if (b.hint !== undefined) this.text(`${path}.hint`, b.hint, LIMITS.inputHint, true, true);
        this.element(`${path}.element`, b.element, actionIds);
        break;
      default:
        this.problems.push(`${path}.type: unsupported block ${String(b.type)}`);
    }
  }
}

/** Problems with a message (empty list when Slack would accept it). */
export function checkMessage(msg: { text?: unknown; blocks?: unknown }): string[] {
  const c = new Checker();
  if (typeof msg.text !== 'string' || msg.text.trim() === '')
    c.problems.push('text: a plain-text fallback is required');
  else if (msg.text.length > LIMITS.messageText)
    c.problems.push(`text: ${msg.text.length} > ${LIMITS.messageText}`);
  if (msg.blocks !== undefined) {
    if (!Array.isArray(msg.blocks)) return [...c.problems, 'blocks: not a list'];
    if (msg.blocks.length > LIMITS.messageBlocks)
      c.problems.push(`blocks: ${msg.blocks.length} > ${LIMITS.messageBlocks}`);
    const ids = new Set<string>();
    msg.blocks.forEach((b, i) => {
      c.block(`blocks[${i}]`, b, 'message', ids);
    });
    if (c.chars > LIMITS.messageBlockChars)
      c.problems.push(`blocks: ${c.chars} characters of text > ${LIMITS.messageBlockChars}`);
  }
  return c.problems;
}

/** Problems with a modal view. */
export function checkModal(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) return ['view: not an object'];
  if (view.type !== 'modal') c.problems.push('type: must be modal');
  c.text('title', view.title, LIMITS.modalTitle, true, true);
  if (view.submit !== undefined) c.text('submit', view.submit, LIMITS.modalButton, true, true);
  if (view.close !== undefined) c.text('close', view.close, LIMITS.modalButton, true, true);
  if (view.callback_id !== undefined) c.max('callback_id', String(view.callback_id), LIMITS.callbackId);
  if (view.private_metadata !== undefined)
    c.max('private_metadata', String(view.private_metadata), LIMITS.privateMetadata);
  if (!Array.isArray(view.blocks)) return [...c.problems, 'blocks: not a list'];
  if (view.blocks.length > LIMITS.modalBlocks)
    c.problems.push(`blocks: ${view.blocks.length} > ${LIMITS.modalBlocks}`);
  const ids = new Set<string>();
  view.blocks.forEach((b, i) => {
    c.block(`blocks[${i}]`, b, 'modal', ids);
  });
  if (view.blocks.some((b) => isObj(b) && b.type === 'input') && view.submit === undefined)
    c.problems.push('submit: required when the modal has inputs');
  return c.problems;
}

/** Problems with a Home tab view (views.publish): type home, at most 100 blocks, no title or submit. */
export function checkHome(view: unknown): string[] {
  const c = new Checker();
  if (!isObj(view)) return ['view: not an object'];
  if (view.type !== 'home') c.problems.push('type: must be home');
  for (const key of ['title', 'submit', 'close'] as const)
    if (view[key] !== undefined) c.problems.push(`${key}: a Home tab has none`);
  if (view.callback_id !== undefined) c.max('callback_id', String(view.callback_id), LIMITS.callbackId);
  if (view.private_metadata !== undefined)
    c.max('private_metadata', String(view.private_metadata), LIMITS.privateMetadata);
  if (!Array.isArray(view.blocks)) return [...c.problems, 'blocks: not a list'];
  if (view.blocks.length > LIMITS.homeBlocks)
    c.problems.push(`blocks: ${view.blocks.length} > ${LIMITS.homeBlocks}`);
  const ids = new Set<string>();
  view.blocks.forEach((b, i) => {
    c.block(`blocks[${i}]`, b, 'home', ids);
  });
  return c.problems;
}
