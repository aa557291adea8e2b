// The terminal console: type slash commands as in Slack, see podbay's messages rendered as text,
// type a button's number to click it, and fill modals one field at a time. Requests go through the
// real Bolt app (see receiver.ts); the Slack side is the loopback SlackFake.
import { clearLine, createInterface, cursorTo, type Interface } from 'node:readline';
import { type Readable, Writable } from 'node:stream';
import { parseDuration } from '../../services/policy-units.ts';
import { mrkdwnToText, renderMessage, renderViewInfo } from './render.ts';
import type { AckResult, InputRef, SlackSimulator } from './simulator.ts';
import type { FakeEvent, FakeView, SlackFake } from './slack-fake.ts';

export interface ConsoleOptions {
  sim: SlackSimulator;
  fake: SlackFake;
  /** Resolves when the app has nothing in flight (listeners and the work they started). */
  idle: () => Promise<void>;
  input: Readable;
  output: NodeJS.WritableStream;
  /** Lines printed before the first prompt (sandbox label, hints). */
  banner: string[];
  /** Longest wait for a command's answers before the prompt comes back (ms). */
  settleMs?: number;
  /**
   * `advance <duration>`: moves the sandbox's clock on by `ms` (the twin and the scheduler's jobs
   * see the time pass) and resolves with a line saying what happened. Absent outside the sandbox.
   */
  advance?: (ms: number) => Promise<string>;
  /** More ids → names for headings and mentions (e.g. the alerts channel: { C0ALERTS: 'gpu-alerts' }). */
  names?: Record<string, string>;
}

export const PROMPT = 'podbay> ';

const HELP = `Type a slash command as in Slack, for example:
  /gpu 70b awq            which GPU for a model, with prices
  /gpu prices             prices by GPU      /gpu stock     availability by data center
  /pod list               pods (with buttons) /pod create    the create form
  /pod status <pod>       /pod stop|resume|terminate <pod>
  /volume list            /endpoint list      /spend
  /podbay whoami          your roles under the policy
  as approver             type and click as someone else (also: as admin, as you, as U0SOMEONE)
  advance 45m             sandbox: move the clock on (90s, 2h, 1d); scheduled checks run and alert
Type a number shown in [brackets] to click that button. "help" shows this, "quit" leaves.
Messages podbay posts elsewhere (the alerts channel, direct messages) are shown as they arrive.`;

/** What `advance` prints outside the sandbox. */
export const ADVANCE_NEEDS_SANDBOX =
  'advance needs the sandbox: only the local RunPod twin has a clock the console can move. ' +
  'Start the console without RUNPOD_API_KEY to use it.';

const ADVANCE_USAGE =
  'Usage: advance <duration>, for example advance 90s, advance 45m, advance 2h, advance 1d.';

/** The people of the sandbox's demo policy, by the name typed after "as". */
export const CONSOLE_PEOPLE: Record<string, string> = {
  approver: 'U0APPROVER',
  admin: 'U0ADMIN',
  viewer: 'U0VIEWER',
};

interface ButtonNumber {
  messageId: string;
  actionId: string;
  blockId: string;
  text: string;
}

export class PodbayConsole {
  private readonly rl: Interface;
  private readonly out: NodeJS.WritableStream;
  private readonly lines: string[] = [];
  private readonly waiting: Array<(line: string | null) => void> = [];
  private ended = false;
  private muted = false;
  private currentPrompt = '';
  private nextNumber = 1;
  private readonly numbers = new Map<number, ButtonNumber>();
  private readonly onEvent = (e: FakeEvent) => this.show(e);
  private readonly terminal: boolean;
  private readonly names: Record<string, string>;
  private readonly me: { userId: string; userName: string };

  constructor(private readonly opts: ConsoleOptions) {
    this.out = opts.output;
    const self = this;
    // Echo goes through here so secret inputs can be hidden while typed.
    const echo = new Writable({
      write(chunk, _enc, done) {
        if (!self.muted) self.out.write(chunk);
        done();
      },
    });
    const terminal = (opts.input as { isTTY?: boolean }).isTTY === true;
    this.terminal = terminal;
    const who = opts.sim.who;
    this.me = { userId: who.userId, userName: who.userName };
    this.names = {
      [who.userId]: who.userName,
      [who.channelId]: who.channelName,
      C0APPROVALS: 'approvals',
      ...Object.fromEntries(Object.entries(CONSOLE_PEOPLE).map(([name, id]) => [id, name])),
      ...opts.names,
    };
    this.rl = createInterface({ input: opts.input, output: echo, terminal });
    this.rl.on('line', (line) => {
      const w = this.waiting.shift();
      if (w) w(line);
      else this.lines.push(line);
    });
    this.rl.on('close', () => {
      this.ended = true;
      for (const w of this.waiting.splice(0)) w(null);
    });
  }

  /** Runs until "quit" or the end of input. */
  async run(): Promise<void> {
    this.opts.fake.events.on('event', this.onEvent);
    try {
      this.print(this.opts.banner);
      for (;;) {
        const line = await this.ask(PROMPT);
        if (line === null) break;
        const cmd = line.trim();
        if (cmd === '') continue;
        if (cmd === 'quit' || cmd === 'exit' || cmd === '\\q') break;
        if (cmd === 'help' || cmd === '?') {
          this.print(HELP.split('\n'));
          continue;
        }
        const as = /^as\s+(\S+)$/i.exec(cmd);
        if (as) {
          this.actAs(as[1] ?? '');
          continue;
        }
        const advance = /^advance(?:\s+(.*))?$/i.exec(cmd);
        try {
          if (advance) await this.advance(advance[1] ?? '');
          else if (cmd.startsWith('/')) await this.command(cmd);
          else if (/^\d+$/.test(cmd)) await this.click(Number(cmd));
          else
            this.print([
              `Commands start with / (e.g. /pod list); numbers click buttons. Type "help" for more.`,
            ]);
          await this.modals();
        } catch (e) {
          this.print([`console: ${e instanceof Error ? e.message : String(e)}`]);
        }
      }
    } finally {
      this.opts.fake.events.off('event', this.onEvent);
      this.rl.close();
    }
  }

  close(): void {
    this.rl.close();
  }

  private actAs(name: string): void {
    const key = name.toLowerCase().replace(/^@/, '');
    const id =
      key === 'you' || key === 'me' || key === this.me.userName
        ? this.me.userId
        : (CONSOLE_PEOPLE[key] ?? (/^[UW][A-Z0-9]{2,}$/.test(name) ? name : null));
    if (!id) {
      this.print([
        `Who is “${name}”? Try: as approver, as admin, as viewer, as you, or a Slack user id (U…).`,
      ]);
      return;
    }
    const userName = id === this.me.userId ? this.me.userName : (this.names[id] ?? id.toLowerCase());
    this.names[id] = userName;
    this.opts.sim.actAs(id, userName);
    this.print([`You are now @${userName} (${id}). Commands and clicks come from them.`]);
  }

  // ---- input / output --------------------------------------------------------------------------

  private ask(prompt: string, secret = false): Promise<string | null> {
    const queued = this.lines.shift();
    if (queued !== undefined) {
      this.out.write(`${prompt}${secret ? '(hidden)' : queued}\n`);
      return Promise.resolve(queued);
    }
    if (this.ended) return Promise.resolve(null);
    this.currentPrompt = prompt;
    if (this.terminal) {
      // readline redraws its own prompt while the line is edited.
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    } else {
      this.out.write(prompt);
    }
    this.muted = secret;
    return new Promise((resolve) =>
      this.waiting.push((line) => {
        this.muted = false;
        this.currentPrompt = '';
        // A terminal echoes what was typed; piped input is shown so the transcript reads in order.
        if (line !== null && (secret || !this.terminal)) this.out.write(secret ? '(hidden)\n' : `${line}\n`);
        resolve(line);
      }),
    );
  }

  private print(lines: string[]): void {
    // Output that arrives while a prompt waits goes above it; then the prompt (and what was typed) is shown again.
    const prompt = this.waiting.length ? this.currentPrompt : '';
    if (prompt) {
      if (this.terminal) {
        clearLine(this.out, 0);
        cursorTo(this.out, 0);
      } else {
        this.out.write('\n');
      }
    }
    for (const l of lines) this.out.write(`${l}\n`);
    if (prompt) {
      if (this.terminal) this.rl.prompt(true);
      else this.out.write(prompt);
    }
  }

  private show(e: FakeEvent): void {
    if (e.kind === 'call' && !e.call.ok && e.call.error) {
      this.print([`  (Slack refused ${e.call.method}: ${e.call.error})`]);
      return;
    }
    if (e.kind !== 'message') return;
    if (e.change === 'delete') {
      this.print(['  (a message was deleted)']);
      return;
    }
    const { lines, buttons } = renderMessage(e.message, this.nextNumber, this.names);
    buttons.forEach((b, i) => {
      this.numbers.set(this.nextNumber + i, { messageId: e.message.id, ...b });
    });
    this.nextNumber += buttons.length;
    this.print(lines);
  }

  /** Waits for the answers to a request: until nothing is in flight, or settleMs at most. */
  private async settle(): Promise<void> {
    const max = this.opts.settleMs ?? 2500;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.opts.idle(),
      new Promise<void>((r) => {
        timer = setTimeout(r, max);
      }),
    ]);
    if (timer) clearTimeout(timer);
    await new Promise((r) => setTimeout(r, 30));
  }

  private report(ack: AckResult): void {
    if (ack.status === 401) this.print(['  (podbay refused the request: bad signature)']);
    else if (ack.status === 404) this.print(['  (podbay did not answer within 3 seconds)']);
    else if (ack.status >= 500) this.print([`  (podbay failed to answer: HTTP ${ack.status})`]);
  }

  // ---- commands and clicks -----------------------------------------------------------------------

  /** `advance 45m`: the sandbox's clock moves on; what the jobs post shows as it lands, then the summary. */
  private async advance(arg: string): Promise<void> {
    const advance = this.opts.advance;
    if (!advance) return this.print([ADVANCE_NEEDS_SANDBOX]);
    const ms = parseDuration(arg);
    if (ms === null)
      return this.print([arg.trim() ? `“${arg.trim()}” is not a duration. ${ADVANCE_USAGE}` : ADVANCE_USAGE]);
    const said = await advance(ms);
    await this.settle();
    this.print(said.split('\n'));
  }

  private async command(line: string): Promise<void> {
    const { ack } = await this.opts.sim.command(line);
    this.report(ack);
    await this.settle();
  }

  private async click(n: number): Promise<void> {
    const ref = this.numbers.get(n);
    if (!ref) return this.print([`There is no button [${n}].`]);
    const msg = this.opts.fake.message(ref.messageId);
    const button =
      msg && !msg.deleted
        ? this.opts.sim.buttons(msg).find((b) => b.actionId === ref.actionId && b.text === ref.text)
        : undefined;
    if (!button) return this.print([`Button [${n}] is no longer there (the message changed).`]);
    if (button.confirm) {
      this.print([`${button.confirm.title}`, `  ${mrkdwnToText(button.confirm.text, this.names)}`]);
      const yes = await this.ask(`${button.confirm.confirm}? [y/N] `);
      if (!yes || !/^y(es)?$/i.test(yes.trim())) return this.print([`(${button.confirm.deny})`]);
    }
    this.report(await this.opts.sim.click(button));
    await this.settle();
  }

  // ---- modals --------------------------------------------------------------------------------------

  private async modals(): Promise<void> {
    for (let view = this.opts.sim.openView(); view; view = this.opts.sim.openView()) {
      const done = await this.fill(view);
      if (!done) return;
    }
  }

  private latest(view: FakeView): FakeView {
    return this.opts.fake.view(view.id) ?? view;
  }

  private fieldValue(i: InputRef): string {
    if (i.current === undefined || i.current === '') return '—';
    if (i.secret) return `(hidden, ${i.current.split('\n').filter((l) => l.trim()).length} set)`;
    const o = i.options.find((x) => x.value === i.current);
    return o ? o.text : i.current.replace(/\n/g, ' ⏎ ');
  }

  /** Walks every field once, then offers changes until submitted or cancelled. Returns false on end of input. */
  private async fill(view: FakeView): Promise<boolean> {
    const title = (view.view.title as { text?: string } | undefined)?.text ?? 'Form';
    this.print([`┌─ ${title} (Enter keeps the value in [brackets]; "-" clears it)`]);
    for (const input of this.opts.sim.inputs(this.latest(view))) {
      const ok = await this.field(view, input.blockId);
      if (!ok) return false;
    }
    for (;;) {
      const v = this.latest(view);
      const inputs = this.opts.sim.inputs(v);
      this.print([
        `├─ ${title}`,
        ...inputs.map((i, n) => `│ ${String(n + 1).padStart(2)}. ${i.label}: ${this.fieldValue(i)}`),
        ...renderViewInfo({
          blocks: (v.view.blocks as unknown[]).filter((b) => (b as { type?: string }).type !== 'input'),
        })
          .flatMap((l) => l.split('\n'))
          .map((l) => `│ ${l.trimStart()}`),
        '└─',
      ]);
      const submit = (v.view.submit as { text?: string } | undefined)?.text ?? 'Submit';
      const answer = await this.ask(`Enter = ${submit}, a number = change that field, c = cancel: `);
      if (answer === null) return false;
      const a = answer.trim().toLowerCase();
      if (a === 'c' || a === 'cancel') {
        this.opts.sim.cancel(v);
        this.print(['(form closed)']);
        return true;
      }
      if (/^\d+$/.test(a)) {
        const input = inputs[Number(a) - 1];
        if (!input) this.print([`There is no field ${a}.`]);
        else if (!(await this.field(view, input.blockId))) return false;
        continue;
      }
      if (a !== '' && a !== 'y' && a !== 'yes') continue;
      const { ack, errors } = await this.opts.sim.submit(v);
      this.report(ack);
      if (!errors) {
        await this.settle();
        return true;
      }
      const byBlock = new Map(inputs.map((i, n) => [i.blockId, `${n + 1}. ${i.label}`]));
      this.print(Object.entries(errors).map(([block, msg]) => `  ⚠ ${byBlock.get(block) ?? block}: ${msg}`));
    }
  }

  /** Asks for one field. Returns false on end of input. */
  private async field(view: FakeView, blockId: string): Promise<boolean> {
    const input = this.opts.sim.inputs(this.latest(view)).find((i) => i.blockId === blockId);
    if (!input) return true;
    const optional = input.optional ? ' (optional)' : '';
    if (input.hint) this.print([`  ${input.label}${optional}: ${input.hint}`]);
    let value: string | null | undefined;
    if (input.options.length) {
      const cols = input.options.map((o, n) => `${String(n + 1).padStart(3)}) ${o.text}`);
      this.print(input.options.length > 12 ? columns(cols) : cols);
      for (;;) {
        const a = await this.ask(`${input.label}${optional} [${this.fieldValue(input)}]: `);
        if (a === null) return false;
        const t = a.trim();
        if (t === '') return true;
        if (t === '-' && input.optional) {
          value = null;
          break;
        }
        const o = /^\d+$/.test(t)
          ? input.options[Number(t) - 1]
          : (input.options.find((x) => x.value.toLowerCase() === t.toLowerCase()) ??
            uniqueMatch(input.options, (x) => x.text.toLowerCase().includes(t.toLowerCase())));
        if (o) {
          value = o.value;
          break;
        }
        this.print(['  Type one of the numbers above.']);
      }
    } else if (input.multiline) {
      this.print([
        `  ${input.label}${optional}: one per line, an empty line ends${input.current ? ', "-" clears, "=" keeps' : ''}.`,
      ]);
      const got: string[] = [];
      for (;;) {
        const a = await this.ask('  … ', input.secret);
        if (a === null) return false;
        if (a.trim() === '=' && got.length === 0) return true;
        if (a.trim() === '-' && got.length === 0) {
          value = null;
          break;
        }
        if (a.trim() === '') {
          if (got.length === 0) return true;
          value = got.join('\n');
          break;
        }
        got.push(a);
      }
    } else {
      const a = await this.ask(`${input.label}${optional} [${this.fieldValue(input)}]: `, input.secret);
      if (a === null) return false;
      const t = a.trim();
      if (t === '') return true;
      value = t === '-' ? null : t;
    }
    if (value === undefined) return true;
    const ack = await this.opts.sim.set(this.latest(view), blockId, value);
    if (ack) {
      this.report(ack);
      await this.settle();
    }
    return true;
  }
}

function uniqueMatch<T>(items: T[], pred: (t: T) => boolean): T | undefined {
  const m = items.filter(pred);
  return m.length === 1 ? m[0] : undefined;
}

function columns(cells: string[]): string[] {
  const width = Math.max(...cells.map((c) => c.length)) + 2;
  const per = Math.max(1, Math.floor(100 / width));
  const out: string[] = [];
  for (let i = 0; i < cells.length; i += per)
    out.push(
      cells
        .slice(i, i + per)
        .map((c) => c.padEnd(width))
        .join('')
        .trimEnd(),
    );
  return out;
}
