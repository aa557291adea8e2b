// One Bolt listener per kind (commands, block actions, view submissions, events) that dispatches by name.
// Bolt runs every registered listener's middleware for every request; with one listener per kind a
// request costs three quick checks instead of one per button and command.
import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import type { Logger } from '../logger.ts';
import type { PodbayMetrics } from '../metrics.ts';
import type { AccessControl } from '../services/access.ts';
import { ephemeral, outgoing } from './reply.ts';
import { errorMessage } from './views/common.ts';

export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
export type ActionArgs<A extends BlockAction = BlockAction> = SlackActionMiddlewareArgs<A> &
  AllMiddlewareArgs;
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
export type EventArgs<E extends string = string> = SlackEventMiddlewareArgs<E> & AllMiddlewareArgs;

type ActionFn = (args: ActionArgs) => Promise<void>;

export class Routes {
  private readonly commands = new Map<string, (args: CommandArgs) => Promise<void>>();
  private readonly actions = new Map<string, ActionFn>();
  private readonly patterns: Array<[RegExp, ActionFn]> = [];
  private readonly views = new Map<string, (args: ViewArgs) => Promise<void>>();
  private readonly events = new Map<string, (args: EventArgs) => Promise<void>>();

  command(name: string, fn: (args: CommandArgs) => Promise<void>): void {
    this.commands.set(name, fn);
  }

  action<A extends BlockAction = BlockAction>(
    id: string | RegExp,
    fn: (args: ActionArgs<A>) => Promise<void>,
  ): void {
    const f = fn as unknown as ActionFn;
    if (typeof id === 'string') this.actions.set(id, f);
    else this.patterns.push([id, f]);
  }

  view(callbackId: string, fn: (args: ViewArgs) => Promise<void>): void {
    this.views.set(callbackId, fn);
  }

  /** An Events API event by its type (Bolt acks events itself, before the listener runs). */
  event<E extends string>(type: E, fn: (args: EventArgs<E>) => Promise<void>): void {
    this.events.set(type, fn as unknown as (args: EventArgs) => Promise<void>);
  }

  get eventTypes(): string[] {
    return [...this.events.keys()];
  }

  get commandNames(): string[] {
    return [...this.commands.keys()];
  }

  /**
   * Registers the three dispatching listeners on the app. Unknown names are acked and logged.
   * With `access`, every command, click and submission first passes the entry rule (the person
   * holds some role); what they may do to which pod is decided by the services, by the same rules.
   */
  mount(app: App, logger: Logger, access?: AccessControl, metrics?: PodbayMetrics): void {
    const entry = access ? new EntryGate(access) : null;
    const measured = measure(metrics);
    app.command(/^\//, async (raw) => {
      const name = raw.command.command;
      const fn = this.commands.get(name);
      return measured('command', fn ? name : 'unknown', raw, async (args) => {
        if (fn && entry) return entry.command(args, fn);
        if (fn) return fn(args);
        logger.warn({ command: name }, 'a slash command podbay does not handle');
        await args.ack({ response_type: 'ephemeral', text: `podbay does not handle ${name}.` });
      });
    });
    app.action(/.*/, async (raw) => {
      if (raw.body.type !== 'block_actions') return raw.ack();
      const id = (raw.payload as { action_id?: string }).action_id ?? '';
      const fn = this.actions.get(id) ?? this.patterns.find(([re]) => re.test(id))?.[1];
      return measured('action', fn ? id : 'unknown', withReplyChannel(raw), async (args) => {
        if (fn && entry) return entry.action(args as unknown as ActionArgs, fn);
        if (fn) return fn(args as unknown as ActionArgs);
        logger.warn({ actionId: id.slice(0, 100) }, 'a button podbay does not know');
        await args.ack();
      });
    });
    app.view(/.*/, async (raw) => {
      const id = raw.view.callback_id;
      const fn = this.views.get(id);
      return measured('view', fn ? id : 'unknown', raw, async (args) => {
        if (fn && entry) return entry.view(args as ViewArgs, fn);
        if (fn) return fn(args as ViewArgs);
        logger.warn({ callbackId: id.slice(0, 100) }, 'a form podbay does not know');
        await args.ack();
      });
    });
    // Events carry no command to refuse: each listener decides what a person without a role sees.
    if (this.events.size)
      app.event(/.*/, async (raw) => {
        const fn = this.events.get(raw.event.type);
        if (fn) await fn(raw as unknown as EventArgs);
      });
  }
}

/**
 * The entry rule on every request: the person who sent it (never who posted the message) holds a
 * role. Decided inside the ack when no user group must be looked up; otherwise podbay acks first,
 * asks Slack, and answers through response_url (Slack's Web API is never called before an ack).
 */
class EntryGate {
  constructor(private readonly access: AccessControl) {}

  private refusal(userId: string): Promise<Error | null> {
    return this.access
      .authorize({ userId, teamId: null }, 'read')
      .then(() => null)
      .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
  }

  async command(args: CommandArgs, fn: (a: CommandArgs) => Promise<void>): Promise<void> {
    const userId = args.command.user_id;
    const quick = this.access.quickAllows(userId, 'read');
    if (quick === true) return fn(args);
    if (quick === false) {
      const why = await this.refusal(userId);
      return args.ack(ephemeral(errorMessage(why)));
    }
    await args.ack();
    const why = await this.refusal(userId);
    if (why) return void (await args.respond(ephemeral(errorMessage(why))).catch(() => undefined));
    // Acked already: an answer the command would put in its ack goes through response_url.
    const ack = (async (msg?: unknown) => {
      if (msg && typeof msg === 'object') await args.respond(msg as never);
    }) as CommandArgs['ack'];
    return fn({ ...args, ack });
  }

  async action(args: ActionArgs, fn: ActionFn): Promise<void> {
    const userId = args.body.user.id;
    if (this.access.quickAllows(userId, 'read') === true) return fn(args);
    await args.ack();
    const why = await this.refusal(userId);
    if (why) return void (await args.respond(ephemeral(errorMessage(why))).catch(() => undefined));
    return fn({ ...args, ack: (async () => {}) as ActionArgs['ack'] });
  }

  async view(args: ViewArgs, fn: (a: ViewArgs) => Promise<void>): Promise<void> {
    const userId = args.body.user.id;
    if (this.access.quickAllows(userId, 'read') === true) return fn(args);
    await args.ack();
    const why = await this.refusal(userId);
    if (why) {
      const msg = outgoing(errorMessage(why));
      await args.client.chat
        .postMessage({ channel: userId, text: msg.text, blocks: msg.blocks })
        .catch(() => undefined);
      return;
    }
    return fn({ ...args, ack: (async () => {}) as ViewArgs['ack'] });
  }
}

/**
 * Counts a request by kind, name and outcome and times its ack: `ok` when the listener returned,
 * `unknown` for a name podbay does not handle, `failed` when it threw. (Refusals by the policy are
 * answered inside the listener; they count as the user errors they show.)
 */
function measure(metrics: PodbayMetrics | undefined) {
  return async <A extends { ack: (...a: never[]) => Promise<void> }>(
    kind: 'command' | 'action' | 'view',
    name: string,
    args: A,
    run: (args: A) => Promise<void>,
  ): Promise<void> => {
    if (!metrics) return run(args);
    const end = metrics.ackSeconds.startTimer({ kind });
    let acked = false;
    const ack = (async (...a: never[]) => {
      if (!acked) {
        acked = true;
        end();
      }
      return args.ack(...a);
    }) as A['ack'];
    try {
      await run({ ...args, ack });
      metrics.requests.inc({ kind, name: name.slice(0, 60), outcome: name === 'unknown' ? 'unknown' : 'ok' });
    } catch (e) {
      metrics.requests.inc({ kind, name: name.slice(0, 60), outcome: 'failed' });
      throw e;
    }
  };
}

/**
 * A click on a view (the Home tab, a modal) carries no response_url, so Bolt gives no respond():
 * the click's answer goes to the person by DM instead of being dropped.
 */
function withReplyChannel<
  A extends { body: unknown; respond?: unknown; client: AllMiddlewareArgs['client'] },
>(args: A): A {
  const body = args.body as { response_url?: string; user?: { id?: string } };
  const user = body.user?.id;
  if (body.response_url || !user) return args;
  const respond = async (msg: string | { text?: string; blocks?: unknown[] }) => {
    const m = typeof msg === 'string' ? { text: msg } : msg;
    return args.client.chat.postMessage({
      channel: user,
      text: m.text ?? '',
      ...(m.blocks ? { blocks: m.blocks as never } : {}),
    });
  };
  return { ...args, respond };
}
