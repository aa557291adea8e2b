// The Slack side of a conversation with podbay: typing a slash command, clicking a button, filling
// and submitting a modal, opening the app's Home tab (an Events API app_home_opened) and clicking
// on it. It hands out response_urls and trigger ids through the SlackFake (which enforces their
// limits) and sends each request through a Transport: in-process into Bolt (console), signed HTTP
// (end-to-end tests) or a Socket Mode envelope.
import { type PayloadBuilders, defaultPayloads, type SlackIdentity } from './payloads.ts';
import type { FakeMessage, FakeView, SlackFake } from './slack-fake.ts';

type Json = Record<string, unknown>;

export interface AckResult {
  status: number;
  /** Parsed JSON body, a text body, or null when empty. */
  body: unknown;
}

export interface Transport {
  command(form: Record<string, string>): Promise<AckResult>;
  interaction(payload: Json): Promise<AckResult>;
  /** An Events API envelope (HTTP: a signed JSON body); transports without events leave it out. */
  event?(envelope: Json): Promise<AckResult>;
}

export interface ButtonRef {
  /** The message the button is on, or the Home view's id for a button on the Home tab. */
  messageId: string;
  blockId: string;
  actionId: string;
  text: string;
  value: string | undefined;
  style: string | undefined;
  confirm: { title: string; text: string; confirm: string; deny: string } | undefined;
}

export interface OptionRef {
  text: string;
  value: string;
}

export interface InputRef {
  blockId: string;
  actionId: string;
  type: string;
  label: string;
  hint: string | undefined;
  optional: boolean;
  dispatch: boolean;
  multiline: boolean;
  /** Typed text should not be echoed (the action id says "secret"). */
  secret: boolean;
  options: OptionRef[];
  /** What the input holds now: what was entered, else its initial value. */
  current: string | undefined;
}

export const DEFAULT_IDENTITY: SlackIdentity = {
  teamId: 'T0PODBAY',
  teamDomain: 'podbay',
  userId: 'U0ALICE',
  userName: 'alice',
  channelId: 'C0GPU',
  channelName: 'gpu',
  appId: 'A0PODBAY',
};

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOf = (v: unknown): string => (isObj(v) && typeof v.text === 'string' ? v.text : '');

function confirmOf(el: Json): ButtonRef['confirm'] {
  const c = el.confirm;
  if (!isObj(c)) return undefined;
  return { title: textOf(c.title), text: textOf(c.text), confirm: textOf(c.confirm), deny: textOf(c.deny) };
}

function optionRef(o: unknown): OptionRef | undefined {
  return isObj(o) && typeof o.value === 'string' ? { text: textOf(o.text), value: o.value } : undefined;
}

export class SlackSimulator {
  /** Who types and clicks; `actAs` switches it (the console's `as <user>`). */
  who: SlackIdentity;
  /** view id → block id → action id → state value (what the person entered). */
  private readonly entered = new Map<string, Record<string, Record<string, Json>>>();

  constructor(
    readonly fake: SlackFake,
    private readonly transport: Transport,
    who: Partial<SlackIdentity> = {},
    private readonly payloads: PayloadBuilders = defaultPayloads,
  ) {
    this.who = { ...DEFAULT_IDENTITY, ...who };
  }

  /** From now on, commands and clicks come from this person. */
  actAs(userId: string, userName: string): void {
    this.who = { ...this.who, userId, userName };
  }

  /** "/pod list mine" → the command, as Slack would send it; the ack's message is recorded like Slack shows it. */
  async command(
    line: string,
  ): Promise<{ ack: AckResult; responseUrl: string; message: FakeMessage | undefined }> {
    const trimmed = line.trim();
    const sp = trimmed.search(/\s/);
    const command = sp < 0 ? trimmed : trimmed.slice(0, sp);
    const text = sp < 0 ? '' : trimmed.slice(sp + 1).trim();
    const responseUrl = this.fake.issueResponseUrl(this.who.channelId, this.who.userId);
    const triggerId = this.fake.issueTriggerId(this.who.userId);
    const ack = await this.transport.command(
      this.payloads.slashCommand(this.who, { command, text, responseUrl, triggerId }),
    );
    const shown = typeof ack.body === 'string' ? { text: ack.body } : ack.body;
    const message = ack.status === 200 ? this.fake.recordAckMessage(responseUrl, shown) : undefined;
    return { ack, responseUrl, message };
  }

  /** Every button on a message, in reading order. */
  buttons(message: FakeMessage): ButtonRef[] {
    return buttonsIn(message.id, message.blocks);
  }

  /** Every button on this person's Home tab as Slack shows it now (none before a publish). */
  homeButtons(): ButtonRef[] {
    const home = this.fake.home(this.who.userId);
    if (!home) return [];
    return buttonsIn(home.id, Array.isArray(home.view.blocks) ? (home.view.blocks as Json[]) : []);
  }

  /**
   * Opens the app's Home tab: Slack sends app_home_opened (tab "home") in an event_callback
   * envelope, with the Home view it shows now once one was published.
   */
  async openHome(): Promise<AckResult> {
    if (!this.transport.event) throw new Error('this transport does not deliver Events API requests');
    const home = this.fake.home(this.who.userId);
    return this.transport.event(appHomeOpenedEnvelope(this.who, home ? this.fake.viewPayload(home) : null));
  }

  /** Clicks a button on the Home tab: a block_actions with the view as container, no response_url. */
  async clickHome(ref: ButtonRef): Promise<AckResult> {
    const home = this.fake.home(this.who.userId);
    if (!home || home.id !== ref.messageId) throw new Error(`the Home view ${ref.messageId} is not shown`);
    const payload = this.payloads.viewAction(this.who, {
      view: this.fake.viewPayload(home),
      action: {
        actionId: ref.actionId,
        blockId: ref.blockId,
        type: 'button',
        extra: {
          text: { type: 'plain_text', text: ref.text, emoji: true },
          ...(ref.value !== undefined ? { value: ref.value } : {}),
        },
      },
      triggerId: this.fake.issueTriggerId(this.who.userId),
    });
    return this.transport.interaction(payload);
  }

  /** Finds a button by action id (or by its label) on a message. */
  button(message: FakeMessage, match: string | ((b: ButtonRef) => boolean)): ButtonRef {
    const found = this.buttons(message).find((b) =>
      typeof match === 'function' ? match(b) : b.actionId === match || b.text === match,
    );
    if (!found) throw new Error(`no button ${String(match)} on message ${message.id}`);
    return found;
  }

  /** Clicks a button (after its confirm dialog, if any, was accepted). */
  async click(ref: ButtonRef): Promise<AckResult> {
    const m = this.fake.message(ref.messageId);
    if (!m || m.deleted) throw new Error(`message ${ref.messageId} is gone`);
    const responseUrl = this.fake.issueResponseUrl(m.channel, this.who.userId, m.id);
    const triggerId = this.fake.issueTriggerId(this.who.userId);
    const payload = this.payloads.messageButton(this.who, {
      message: { ts: m.ts, channel: m.channel, ephemeral: m.ephemeral, text: m.text, blocks: m.blocks },
      action: {
        actionId: ref.actionId,
        blockId: ref.blockId,
        text: ref.text,
        type: 'button',
        ...(ref.value !== undefined ? { value: ref.value } : {}),
      },
      responseUrl,
      triggerId,
    });
    return this.transport.interaction(payload);
  }

  // ---- modals ----------------------------------------------------------------------------------

  openView(): FakeView | undefined {
    return this.fake.openView(this.who.userId);
  }

  inputs(view: FakeView): InputRef[] {
    const blocks = Array.isArray(view.view.blocks) ? (view.view.blocks as Json[]) : [];
    const out: InputRef[] = [];
    for (const b of blocks) {
      if (b.type !== 'input' || !isObj(b.element)) continue;
      const el = b.element;
      const blockId = String(b.block_id);
      const actionId = String(el.action_id);
      const options = Array.isArray(el.options)
        ? el.options.map(optionRef).filter((o): o is OptionRef => !!o)
        : [];
      out.push({
        blockId,
        actionId,
        type: String(el.type),
        label: textOf(b.label),
        hint: isObj(b.hint) ? textOf(b.hint) : undefined,
        optional: b.optional === true,
        dispatch: b.dispatch_action === true,
        multiline: el.multiline === true,
        secret: actionId.includes('secret'),
        options,
        current: this.current(view, blockId, actionId, el),
      });
    }
    return out;
  }

  private current(view: FakeView, blockId: string, actionId: string, el: Json): string | undefined {
    const s = this.entered.get(view.rootViewId)?.[blockId]?.[actionId];
    if (s) {
      const opt = s.selected_option;
      if (isObj(opt)) return String(opt.value);
      return typeof s.value === 'string' ? s.value : undefined;
    }
    const init = optionRef(el.initial_option);
    if (init) return init.value;
    return typeof el.initial_value === 'string' ? el.initial_value : undefined;
  }

  /** Slack's view.state.values for what the view holds now (initial values count as entered). */
  stateValues(view: FakeView): Record<string, Record<string, Json>> {
    const values: Record<string, Record<string, Json>> = {};
    for (const i of this.inputs(view)) {
      const el: Json = { type: i.type };
      if (i.type === 'static_select' || i.type === 'radio_buttons') {
        const o = i.options.find((x) => x.value === i.current);
        el.selected_option = o
          ? { text: { type: 'plain_text', text: o.text, emoji: true }, value: o.value }
          : null;
      } else {
        el.value = i.current ?? null;
      }
      values[i.blockId] = { [i.actionId]: el };
    }
    return values;
  }

  /**
   * Sets an input (an option value for selects and radio buttons). When the input dispatches
   * actions (dispatch_action), Slack sends a block_actions payload; so does this.
   */
  async set(view: FakeView, blockId: string, value: string | null): Promise<AckResult | undefined> {
    const input = this.inputs(view).find((i) => i.blockId === blockId);
    if (!input) throw new Error(`no input ${blockId} in view ${view.id}`);
    const root = this.entered.get(view.rootViewId) ?? {};
    this.entered.set(view.rootViewId, root);
    let el: Json;
    let extra: Json;
    if (input.type === 'static_select' || input.type === 'radio_buttons') {
      const o = input.options.find((x) => x.value === value);
      if (value !== null && !o) throw new Error(`no option ${value} in ${blockId}`);
      const selected = o ? { text: { type: 'plain_text', text: o.text, emoji: true }, value: o.value } : null;
      el = { type: input.type, selected_option: selected };
      extra = { selected_option: selected };
    } else {
      el = { type: input.type, value };
      extra = { value };
    }
    root[blockId] = { [input.actionId]: el };
    if (!input.dispatch) return undefined;
    const fresh = this.fake.view(view.id) ?? view;
    const payload = this.payloads.viewAction(this.who, {
      view: this.fake.viewPayload(fresh, this.stateValues(fresh)),
      action: { actionId: input.actionId, blockId, type: input.type, extra },
      triggerId: this.fake.issueTriggerId(this.who.userId),
    });
    return this.transport.interaction(payload);
  }

  /** Submits the view. Returns the field errors when the app answered with response_action "errors". */
  async submit(view: FakeView): Promise<{ ack: AckResult; errors: Record<string, string> | null }> {
    const fresh = this.fake.view(view.id) ?? view;
    const payload = this.payloads.viewSubmission(this.who, {
      view: this.fake.viewPayload(fresh, this.stateValues(fresh)),
      triggerId: this.fake.issueTriggerId(this.who.userId),
    });
    const ack = await this.transport.interaction(payload);
    const body = ack.body;
    if (ack.status === 200 && isObj(body) && body.response_action === 'errors' && isObj(body.errors))
      return { ack, errors: body.errors as Record<string, string> };
    if (ack.status === 200) {
      this.fake.closeViews(fresh.rootViewId);
      this.entered.delete(fresh.rootViewId);
    }
    return { ack, errors: null };
  }

  /** Closes a view without submitting (the Cancel button). */
  cancel(view: FakeView): void {
    this.fake.closeViews(view.rootViewId);
    this.entered.delete(view.rootViewId);
  }
}

/** The buttons in blocks (actions blocks and section accessories), in reading order. */
function buttonsIn(containerId: string, blocks: Json[]): ButtonRef[] {
  const out: ButtonRef[] = [];
  for (const b of blocks) {
    const blockId = String(b.block_id ?? '');
    const els =
      b.type === 'actions' && Array.isArray(b.elements)
        ? b.elements
        : isObj(b.accessory)
          ? [b.accessory]
          : [];
    for (const el of els) {
      if (!isObj(el) || el.type !== 'button') continue;
      out.push({
        messageId: containerId,
        blockId,
        actionId: String(el.action_id),
        text: textOf(el.text),
        value: typeof el.value === 'string' ? el.value : undefined,
        style: typeof el.style === 'string' ? el.style : undefined,
        confirm: confirmOf(el),
      });
    }
  }
  return out;
}

let eventSeq = 0;

/**
 * app_home_opened as Slack delivers it over HTTP: an event_callback envelope (the shape of Slack's
 * documented app_mention example) around the event, whose `view` is the Home shown now, if any.
 */
export function appHomeOpenedEnvelope(who: SlackIdentity, view: Json | null): Json {
  const nowSec = Date.now() / 1000;
  const eventTs = nowSec.toFixed(6);
  return {
    token: 'verification_token',
    team_id: who.teamId,
    api_app_id: who.appId,
    event: {
      type: 'app_home_opened',
      user: who.userId,
      channel: `D${who.userId.slice(1)}`,
      tab: 'home',
      ...(view ? { view } : {}),
      event_ts: eventTs,
    },
    type: 'event_callback',
    authorizations: [
      { team_id: who.teamId, user_id: 'U0PODBAY', is_bot: true, is_enterprise_install: false },
    ],
    event_id: `Ev${Math.floor(nowSec)}${String(++eventSeq).padStart(4, '0')}`,
    event_time: Math.floor(nowSec),
  };
}
