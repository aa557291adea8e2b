// A loopback fake of the parts of Slack podbay talks to: the Web API (chat.*, views.*,
// apps.connections.open, auth.test, conversations.history) and response_url endpoints. The console
// renders what lands here; tests assert on it. It keeps Slack's rules that shape handlers: trigger
// ids expire after 3 s and work once, a response_url takes 5 uses within 30 minutes, a message or
// view that breaks a Block Kit limit is refused (invalid_blocks), a rate-limited call answers HTTP
// 429 with Retry-After, and an unknown method answers unknown_method.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkHome, checkMessage, checkModal } from '../../handlers/views/limits.ts';

type Json = Record<string, unknown>;

export interface FakeMessage {
  /** Stable id inside the fake (messages are replaced in place, the id stays). */
  id: string;
  channel: string;
  ts: string;
  ephemeral: boolean;
  /** Who sees an ephemeral message. */
  user: string | undefined;
  text: string;
  blocks: Json[];
  /** 0 when posted, +1 on every update. */
  version: number;
  deleted: boolean;
  /** The response_url that can replace this message (button clicks on it get one of their own). */
  via: 'api' | 'response_url' | 'ack';
  /** Message metadata given to chat.postMessage / chat.update (conversations.history shows it on request). */
  metadata?: MessageMetadata;
  /** Files shared with the message (files.completeUploadExternal with a channel_id). */
  files?: string[];
}

/**
 * A file uploaded the way files.uploadV2 does it: files.getUploadURLExternal (an upload URL on this
 * fake), the bytes posted there, files.completeUploadExternal. Tests read the bytes with fileBytes().
 */
export interface FakeFile {
  /** F…, as Slack's file ids. */
  id: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  altText: string | undefined;
  /** The bytes sent to the upload URL; null until they arrive. */
  bytes: Uint8Array | null;
  /** Set by files.completeUploadExternal. */
  title: string | undefined;
  completedMs: number | null;
  /** The channel it was shared to on completion (null: not shared, only referenced from blocks). */
  channel: string | null;
}

/** Slack's message metadata: an app-defined event type and a JSON payload. */
export interface MessageMetadata {
  event_type: string;
  event_payload: Json;
}

export interface FakeView {
  id: string;
  hash: string;
  userId: string;
  view: Json;
  closed: boolean;
  rootViewId: string;
  previousViewId: string | null;
}

export interface ApiCall {
  method: string;
  args: Json;
  ok: boolean;
  error?: string;
}

export type FakeEvent =
  | { kind: 'message'; change: 'new' | 'update' | 'delete'; message: FakeMessage }
  | { kind: 'view'; change: 'open' | 'update' | 'push' | 'close'; view: FakeView }
  /** views.publish: a person's Home tab was (re)published. */
  | { kind: 'home'; view: FakeView }
  | { kind: 'call'; call: ApiCall }
  | { kind: 'file'; change: 'upload' | 'complete'; file: FakeFile };

interface ResponseUrlState {
  channel: string;
  user: string;
  /** The message replace_original / delete_original acts on. */
  target: string | null;
  uses: number;
  createdMs: number;
}

export interface SlackFakeOptions {
  /** Team / bot identity answered by auth.test. */
  teamId?: string;
  botId?: string;
  botUserId?: string;
  /** apps.connections.open answers this WebSocket URL (Socket Mode tests). */
  socketUrl?: string;
  /** Milliseconds clock for trigger / response_url expiry and message ts (tests pin it). */
  nowMs?: () => number;
  /** User groups (id → member ids) for usergroups.users.list; "free-plan" answers paid_only as Slack does. */
  usergroups?: Record<string, string[]> | 'free-plan';
  /**
   * How long an uploaded file takes to be processed after files.completeUploadExternal (default 0):
   * until then an image block referencing it is refused with invalid_blocks, as Slack does.
   */
  fileProcessingMs?: number;
}

export const TRIGGER_TTL_MS = 3000;
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export class SlackFake {
  readonly messages: FakeMessage[] = [];
  readonly views: FakeView[] = [];
  /** Each person's Home tab as last published (views.publish), by user id. */
  readonly homes = new Map<string, FakeView>();
  readonly calls: ApiCall[] = [];
  /** Files uploaded through files.getUploadURLExternal / the upload URL / files.completeUploadExternal. */
  readonly files: FakeFile[] = [];
  /** Every problem the fake refused (limits, expired triggers, unknown methods). */
  readonly rejections: string[] = [];
  readonly events = new EventEmitter();
  socketUrl: string | undefined;

  private server: Server | undefined;
  private base = '';
  private seq = 0;
  /** The last message ts handed out, in microseconds (each new one is later). */
  private lastTsMicros = 0;
  private readonly triggers = new Map<string, { user: string; issuedMs: number; used: boolean }>();
  private readonly responseUrls = new Map<string, ResponseUrlState>();
  private readonly failures = new Map<string, string[]>();
  private readonly rateLimits = new Map<string, number[]>();
  private readonly opts: Required<Omit<SlackFakeOptions, 'socketUrl'>>;
  private readonly held = new Map<string, Promise<void>>();
  /** Methods called while held (in arrival order). */
  readonly heldCalls: string[] = [];

  constructor(opts: SlackFakeOptions = {}) {
    this.opts = {
      teamId: opts.teamId ?? 'T0PODBAY',
      botId: opts.botId ?? 'B0PODBAY',
      botUserId: opts.botUserId ?? 'U0PODBAY',
      nowMs: opts.nowMs ?? Date.now,
      usergroups: opts.usergroups ?? {},
      fileProcessingMs: opts.fileProcessingMs ?? 0,
    };
    this.socketUrl = opts.socketUrl;
    this.events.setMaxListeners(100);
  }

  /** Listens on 127.0.0.1 (ephemeral port). */
  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return this;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** Base URL for the Web API (what SLACK_API_URL / clientOptions.slackApiUrl take). */
  get apiUrl(): string {
    return `${this.base}api/`;
  }

  // ---- what Slack would hand out with a request -------------------------------------------------

  issueTriggerId(user: string): string {
    const id = `${++this.seq}.${this.opts.teamId}.${Math.random().toString(36).slice(2, 10)}`;
    this.triggers.set(id, { user, issuedMs: this.opts.nowMs(), used: false });
    return id;
  }

  /** A response_url bound to a channel/user and, for clicks, the message that was clicked. */
  issueResponseUrl(channel: string, user: string, targetMessageId: string | null = null): string {
    const token = `r${++this.seq}${Math.random().toString(36).slice(2, 8)}`;
    this.responseUrls.set(token, {
      channel,
      user,
      target: targetMessageId,
      uses: 0,
      createdMs: this.opts.nowMs(),
    });
    return `${this.base}response/${token}`;
  }

  /** Slack shows a slash command's ack body as a message; record it like Slack does. */
  recordAckMessage(responseUrl: string, ack: unknown): FakeMessage | undefined {
    const state = this.responseUrls.get(tokenOf(responseUrl));
    if (!state || !isObj(ack)) return undefined;
    if (typeof ack.text !== 'string' && !Array.isArray(ack.blocks)) return undefined;
    const problems = checkMessage(ack);
    if (problems.length) {
      this.rejections.push(`ack: ${problems.join('; ')}`);
      return undefined;
    }
    const m = this.addMessage(state.channel, ack.response_type !== 'in_channel', state.user, ack, 'ack');
    state.target = m.id;
    return m;
  }

  /** Makes the next call(s) to `method` fail with `error` (e.g. not_in_channel). */
  failNext(method: string, error: string): void {
    const q = this.failures.get(method) ?? [];
    q.push(error);
    this.failures.set(method, q);
  }

  /**
   * Makes the next `count` calls to `method` answer as Slack does when rate limited: HTTP 429 with
   * `Retry-After: <retryAfterSec>` and `{ok:false, error:'ratelimited'}`. Each is recorded in `calls`
   * (ok false, error 'ratelimited'); @slack/web-api waits Retry-After and sends the call again.
   */
  rateLimitNext(method: string, retryAfterSec: number, count = 1): void {
    const q = this.rateLimits.get(method) ?? [];
    for (let i = 0; i < count; i++) q.push(retryAfterSec);
    this.rateLimits.set(method, q);
  }

  // ---- queries -----------------------------------------------------------------------------------

  message(id: string): FakeMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  visibleMessages(): FakeMessage[] {
    return this.messages.filter((m) => !m.deleted);
  }

  view(id: string): FakeView | undefined {
    return this.views.find((v) => v.id === id);
  }

  /** The newest view still open for `user` (top of the modal stack). */
  openView(user?: string): FakeView | undefined {
    return [...this.views].reverse().find((v) => !v.closed && (user === undefined || v.userId === user));
  }

  closeViews(rootViewId: string): void {
    for (const v of this.views)
      if (v.rootViewId === rootViewId && !v.closed) {
        v.closed = true;
        this.emit({ kind: 'view', change: 'close', view: v });
      }
  }

  /** The Home tab Slack shows this person now (the last views.publish for them). */
  home(userId: string): FakeView | undefined {
    return this.homes.get(userId);
  }

  /** Every view published to this person's Home, oldest first (as podbay sent it). */
  homePublishes(userId: string): Json[] {
    return this.callsTo('views.publish')
      .filter((c) => c.ok && c.args.user_id === userId)
      .map((c) => c.args.view as Json);
  }

  file(id: string): FakeFile | undefined {
    return this.files.find((f) => f.id === id);
  }

  /** The bytes uploaded for a file id (undefined: no such file, or nothing was uploaded yet). */
  fileBytes(id: string): Uint8Array | undefined {
    return this.file(id)?.bytes ?? undefined;
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves once `check` returns a value (re-checked on every change), or rejects after `timeoutMs`. */
  waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 5000, what = 'condition'): Promise<T> {
    const first = check();
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const onEvent = () => {
        const v = check();
        if (v) {
          cleanup();
          resolve(v);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('change', onEvent);
      };
      this.events.on('change', onEvent);
    });
  }

  // ---- HTTP --------------------------------------------------------------------------------------

  /**
   * Holds every call to `method` until the returned function is called (tests use it to show that
   * an ack never waits for that call).
   */
  hold(method: string): () => void {
    let release: () => void = () => {};
    this.held.set(
      method,
      new Promise<void>((r) => {
        release = r;
      }),
    );
    return () => {
      this.held.delete(method);
      release();
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const raw = body.toString('utf8');
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (path.startsWith('/upload/')) {
        const [status, text] = await this.receiveUpload(path.slice(8), body, req.headers['content-type']);
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(text);
        return;
      }
      const gate = path.startsWith('/api/') ? this.held.get(path.slice(5)) : undefined;
      if (gate) {
        this.heldCalls.push(path.slice(5));
        await gate;
      }
      if (path.startsWith('/api/')) {
        const method = path.slice(5);
        const args = parseBody(raw, req.headers['content-type']);
        const retryAfterSec = this.rateLimits.get(method)?.shift();
        if (retryAfterSec !== undefined) {
          const call: ApiCall = { method, args, ok: false, error: 'ratelimited' };
          this.calls.push(call);
          this.emit({ kind: 'call', call });
          return send(
            res,
            429,
            { ok: false, error: 'ratelimited' },
            { 'retry-after': String(retryAfterSec) },
          );
        }
        const out = this.api(method, args);
        return send(res, 200, out);
      }
      if (path.startsWith('/response/')) {
        const [status, out] = this.respond(path.slice(10), parseBody(raw, 'application/json'));
        return send(res, status, out);
      }
      send(res, 404, { ok: false, error: 'not_found' });
    } catch (e) {
      send(res, 500, { ok: false, error: e instanceof Error ? e.message : 'internal_error' });
    }
  }

  private api(method: string, args: Json): Json {
    const failure = this.failures.get(method)?.shift();
    const out = failure ? { ok: false, error: failure } : this.dispatch(method, args);
    const call: ApiCall = { method, args, ok: out.ok === true };
    if (out.ok !== true) {
      call.error = String(out.error);
      if (!failure)
        this.rejections.push(
          `${method}: ${String(out.error)}${out.detail ? ` (${String(out.detail)})` : ''}`,
        );
    }
    this.calls.push(call);
    this.emit({ kind: 'call', call });
    return out;
  }

  private dispatch(method: string, a: Json): Json {
    switch (method) {
      case 'auth.test':
        return { ok: true, team_id: this.opts.teamId, user_id: this.opts.botUserId, bot_id: this.opts.botId };
      case 'apps.connections.open':
        return this.socketUrl
          ? { ok: true, url: this.socketUrl }
          : { ok: false, error: 'not_allowed_token_type' };
      case 'chat.postMessage':
      case 'chat.postEphemeral': {
        const problems = checkMessage(a);
        if (problems.length) return { ok: false, error: 'invalid_blocks', detail: problems.join('; ') };
        const fileProblems = this.slackFileProblems(a.blocks);
        if (fileProblems.length) return { ok: false, error: 'invalid_blocks', errors: fileProblems };
        if (typeof a.channel !== 'string' || a.channel === '')
          return { ok: false, error: 'channel_not_found' };
        const eph = method === 'chat.postEphemeral';
        if (eph && typeof a.user !== 'string') return { ok: false, error: 'user_not_found' };
        const metadata = eph ? undefined : metadataOf(a.metadata);
        if (metadata === null) return { ok: false, error: 'invalid_metadata_format' };
        const m = this.addMessage(a.channel, eph, eph ? String(a.user) : undefined, a, 'api', metadata);
        return eph
          ? { ok: true, message_ts: m.ts }
          : { ok: true, channel: m.channel, ts: m.ts, message: { text: m.text, blocks: m.blocks, ts: m.ts } };
      }
      case 'chat.update': {
        const m = this.messages.find(
          (x) => x.channel === a.channel && x.ts === a.ts && !x.ephemeral && !x.deleted,
        );
        if (!m) return { ok: false, error: 'message_not_found' };
        const next = { text: a.text ?? m.text, blocks: a.blocks ?? m.blocks };
        const problems = checkMessage(next);
        if (problems.length) return { ok: false, error: 'invalid_blocks', detail: problems.join('; ') };
        const fileProblems = this.slackFileProblems(next.blocks);
        if (fileProblems.length) return { ok: false, error: 'invalid_blocks', errors: fileProblems };
        const metadata = metadataOf(a.metadata);
        if (metadata === null) return { ok: false, error: 'invalid_metadata_format' };
        if (metadata) m.metadata = metadata;
        this.replace(m, next);
        return { ok: true, channel: m.channel, ts: m.ts, text: m.text };
      }
      case 'chat.delete': {
        const m = this.messages.find((x) => x.channel === a.channel && x.ts === a.ts && !x.deleted);
        if (!m) return { ok: false, error: 'message_not_found' };
        m.deleted = true;
        this.emit({ kind: 'message', change: 'delete', message: m });
        return { ok: true, channel: m.channel, ts: m.ts };
      }
      case 'views.open':
      case 'views.push': {
        const t = this.triggers.get(String(a.trigger_id));
        if (!t) return { ok: false, error: 'invalid_trigger_id' };
        if (t.used) return { ok: false, error: 'exchanged_trigger_id' };
        if (this.opts.nowMs() - t.issuedMs > TRIGGER_TTL_MS)
          return { ok: false, error: 'expired_trigger_id' };
        t.used = true;
        const problems = checkModal(a.view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', detail: problems.join('; ') };
        const parent = method === 'views.push' ? this.openView(t.user) : undefined;
        if (method === 'views.push' && !parent) return { ok: false, error: 'not_found' };
        const v = this.addView(t.user, a.view as Json, parent ?? null);
        this.emit({ kind: 'view', change: method === 'views.open' ? 'open' : 'push', view: v });
        return { ok: true, view: this.viewJson(v) };
      }
      case 'views.update': {
        const v = this.views.find(
          (x) => x.id === a.view_id || (a.external_id && x.view.external_id === a.external_id),
        );
        if (!v || v.closed) return { ok: false, error: 'not_found' };
        if (typeof a.hash === 'string' && a.hash !== v.hash) return { ok: false, error: 'hash_conflict' };
        const problems = checkModal(a.view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', detail: problems.join('; ') };
        v.view = { ...(a.view as Json), blocks: withBlockIds((a.view as Json).blocks) };
        v.hash = this.newHash();
        this.emit({ kind: 'view', change: 'update', view: v });
        return { ok: true, view: this.viewJson(v) };
      }
      case 'views.publish': {
        // One Home view per person, kept (same id) across publishes; `hash` guards against races.
        const user = typeof a.user_id === 'string' ? a.user_id : '';
        if (!/^[UW][A-Z0-9]{2,}$/.test(user)) return { ok: false, error: 'invalid_user' };
        const problems = checkHome(a.view);
        if (problems.length) return { ok: false, error: 'invalid_arguments', detail: problems.join('; ') };
        const prev = this.homes.get(user);
        if (typeof a.hash === 'string' && a.hash !== '' && prev && a.hash !== prev.hash)
          return { ok: false, error: 'hash_conflict' };
        const id = prev?.id ?? `V${++this.seq}`;
        const v: FakeView = {
          id,
          hash: this.newHash(),
          userId: user,
          view: { ...(a.view as Json), blocks: withBlockIds((a.view as Json).blocks) },
          closed: false,
          rootViewId: id,
          previousViewId: null,
        };
        this.homes.set(user, v);
        this.emit({ kind: 'home', view: v });
        return { ok: true, view: this.viewJson(v) };
      }
      case 'conversations.history':
        return this.history(a);
      case 'usergroups.users.list': {
        const groups = this.opts.usergroups ?? {};
        if (groups === 'free-plan') return { ok: false, error: 'paid_only' };
        const members = groups[String(a.usergroup)];
        return members ? { ok: true, users: [...members] } : { ok: false, error: 'no_such_subteam' };
      }
      case 'files.getUploadURLExternal': {
        const length = Number(a.length);
        if (typeof a.filename !== 'string' || a.filename === '')
          return { ok: false, error: 'invalid_arguments' };
        if (!Number.isInteger(length) || length <= 0) return { ok: false, error: 'invalid_arguments' };
        const f: FakeFile = {
          id: this.newFileId(),
          filename: a.filename,
          length,
          altText: typeof a.alt_text === 'string' ? a.alt_text : undefined,
          bytes: null,
          title: undefined,
          completedMs: null,
          channel: null,
        };
        this.files.push(f);
        return { ok: true, upload_url: `${this.base}upload/${f.id}`, file_id: f.id };
      }
      case 'files.completeUploadExternal':
        return this.completeUpload(a);
      case 'users.info':
        return {
          ok: true,
          user: { id: a.user, name: String(a.user).toLowerCase(), deleted: false, tz: 'UTC' },
        };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /**
   * The upload URL files.getUploadURLExternal handed out: keeps the bytes (the multipart `body` part
   * @slack/web-api sends, or a raw body). failNext('upload', why) makes the next one answer HTTP 500.
   */
  private async receiveUpload(
    id: string,
    body: Buffer,
    contentType: string | undefined,
  ): Promise<[number, string]> {
    const f = this.file(id);
    const failure = this.failures.get('upload')?.shift();
    const call: ApiCall = { method: 'upload', args: { file_id: id, bytes: body.length }, ok: false };
    let answer: [number, string];
    if (failure) answer = [500, failure];
    else if (!f || f.completedMs !== null) answer = [404, 'file_not_found'];
    else {
      let bytes: Uint8Array = new Uint8Array(body);
      if (contentType?.includes('multipart/form-data')) {
        const form = await new Response(new Uint8Array(body), {
          headers: { 'content-type': contentType },
        }).formData();
        const part = form.get('body') ?? [...form.values()].find((v) => typeof v !== 'string');
        bytes =
          part && typeof part !== 'string' ? new Uint8Array(await part.arrayBuffer()) : new Uint8Array();
      }
      f.bytes = bytes;
      call.ok = true;
      answer = [200, `OK - ${bytes.length}`];
      this.emit({ kind: 'file', change: 'upload', file: f });
    }
    if (!call.ok) call.error = answer[1];
    this.calls.push(call);
    this.emit({ kind: 'call', call });
    return answer;
  }

  /** files.completeUploadExternal: every file must have had its bytes uploaded; a channel_id shares them. */
  private completeUpload(a: Json): Json {
    let list: unknown = a.files;
    if (typeof list === 'string') {
      try {
        list = JSON.parse(list);
      } catch {
        return { ok: false, error: 'invalid_arguments' };
      }
    }
    if (!Array.isArray(list) || list.length === 0) return { ok: false, error: 'invalid_arguments' };
    const done: FakeFile[] = [];
    for (const item of list) {
      const f = isObj(item) && typeof item.id === 'string' ? this.file(item.id) : undefined;
      if (!f?.bytes || f.completedMs !== null) return { ok: false, error: 'file_not_found' };
      if (f.bytes.length !== f.length) return { ok: false, error: 'file_upload_size_mismatch' };
      done.push(f);
      if (isObj(item) && typeof item.title === 'string') f.title = item.title;
    }
    const channel = typeof a.channel_id === 'string' && a.channel_id !== '' ? a.channel_id : null;
    for (const f of done) {
      f.completedMs = this.opts.nowMs();
      f.channel = channel;
      this.emit({ kind: 'file', change: 'complete', file: f });
    }
    if (channel) {
      const text = typeof a.initial_comment === 'string' ? a.initial_comment : '';
      const m = this.addMessage(channel, false, undefined, { text }, 'api');
      m.files = done.map((f) => f.id);
    }
    return {
      ok: true,
      files: done.map((f) => ({
        id: f.id,
        name: f.filename,
        title: f.title ?? f.filename,
        mimetype: f.filename.endsWith('.png') ? 'image/png' : 'application/octet-stream',
        size: f.length,
        alt_txt: f.altText ?? '',
      })),
    };
  }

  /**
   * Image blocks referencing a Slack file (slack_file.id) that Slack would refuse: unknown, not
   * completed, or still being processed (fileProcessingMs). Worded as Slack words it.
   */
  private slackFileProblems(blocks: unknown): string[] {
    if (!Array.isArray(blocks)) return [];
    const out: string[] = [];
    blocks.forEach((b, i) => {
      if (!isObj(b) || b.type !== 'image' || !isObj(b.slack_file)) return;
      const id = b.slack_file.id;
      if (typeof id !== 'string') return;
      const done = this.file(id)?.completedMs ?? null;
      if (done === null || this.opts.nowMs() - done < this.opts.fileProcessingMs)
        out.push(`invalid slack file [json-pointer:/blocks/${i}/slack_file]`);
    });
    return out;
  }

  private newFileId(): string {
    let id = '';
    for (let i = 0; i < 10; i++) id += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 36)];
    return `F${id}`;
  }

  /**
   * conversations.history as Slack answers it: the channel's messages newest first, between `oldest`
   * and `latest` (exclusive unless `inclusive`), at most `limit` (default 100, max 999) with a cursor
   * for the rest; metadata only when `include_all_metadata` is true. Ephemeral and deleted messages
   * are not in a channel's history.
   */
  private history(a: Json): Json {
    const channel = typeof a.channel === 'string' ? a.channel : '';
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const oldest = tsMicros(a.oldest) ?? 0;
    const latest = tsMicros(a.latest) ?? Number.POSITIVE_INFINITY;
    const inclusive = flag(a.inclusive);
    const asked = Number(a.limit);
    const limit = Number.isFinite(asked) && asked >= 1 ? Math.min(Math.trunc(asked), 999) : 100;
    const withMetadata = flag(a.include_all_metadata);
    let all = this.messages
      .filter((m) => m.channel === channel && !m.ephemeral && !m.deleted)
      .map((m) => ({ m, t: tsMicros(m.ts) ?? 0 }))
      .filter(({ t }) => (inclusive ? t >= oldest && t <= latest : t > oldest && t < latest))
      .sort((x, y) => y.t - x.t);
    const cursor = typeof a.cursor === 'string' && a.cursor !== '' ? a.cursor : undefined;
    if (cursor) {
      const text = Buffer.from(cursor, 'base64').toString('utf8');
      const before = text.startsWith('ts:') ? tsMicros(text.slice(3)) : undefined;
      if (before === undefined) return { ok: false, error: 'invalid_cursor' };
      all = all.filter(({ t }) => t < before);
    }
    const page = all.slice(0, limit).map(({ m }) => m);
    const hasMore = all.length > page.length;
    const last = page.at(-1);
    return {
      ok: true,
      messages: page.map((m) => ({
        type: 'message',
        ts: m.ts,
        text: m.text,
        user: this.opts.botUserId,
        bot_id: this.opts.botId,
        app_id: 'A0PODBAY',
        ...(m.blocks.length ? { blocks: m.blocks } : {}),
        ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
      })),
      has_more: hasMore,
      pin_count: 0,
      ...(hasMore && last
        ? { response_metadata: { next_cursor: Buffer.from(`ts:${last.ts}`).toString('base64') } }
        : {}),
    };
  }

  private respond(token: string, body: Json): [number, Json] {
    const state = this.responseUrls.get(token);
    if (!state) return this.refuse(404, 'response_url: unknown');
    if (this.opts.nowMs() - state.createdMs > RESPONSE_URL_TTL_MS)
      return this.refuse(404, 'response_url: expired');
    if (state.uses >= RESPONSE_URL_MAX_USES) return this.refuse(404, 'response_url: used more than 5 times');
    state.uses++;
    const target = state.target ? this.message(state.target) : undefined;
    if (body.delete_original === true) {
      if (target && !target.deleted) {
        target.deleted = true;
        this.emit({ kind: 'message', change: 'delete', message: target });
      }
      return [200, { ok: true }];
    }
    const problems = checkMessage(body);
    if (problems.length) return this.refuse(400, `response_url: invalid_blocks (${problems.join('; ')})`);
    if (body.replace_original === true && target && !target.deleted) {
      this.replace(target, body);
      return [200, { ok: true }];
    }
    const m = this.addMessage(
      state.channel,
      body.response_type !== 'in_channel',
      state.user,
      body,
      'response_url',
    );
    if (!state.target) state.target = m.id;
    return [200, { ok: true }];
  }

  private refuse(status: number, why: string): [number, Json] {
    this.rejections.push(why);
    this.emit({ kind: 'call', call: { method: 'response_url', args: {}, ok: false, error: why } });
    return [status, { ok: false, error: why }];
  }

  private addMessage(
    channel: string,
    ephemeral: boolean,
    user: string | undefined,
    body: Json,
    via: FakeMessage['via'],
    metadata?: MessageMetadata,
  ) {
    const m: FakeMessage = {
      id: `m${++this.seq}`,
      channel,
      ts: this.nextTs(),
      ephemeral,
      user,
      text: typeof body.text === 'string' ? body.text : '',
      blocks: withBlockIds(body.blocks),
      version: 0,
      deleted: false,
      via,
      ...(metadata ? { metadata } : {}),
    };
    this.messages.push(m);
    this.emit({ kind: 'message', change: 'new', message: m });
    return m;
  }

  /** Slack's message ts: "<unix seconds>.<microseconds>" from the clock, unique and increasing. */
  private nextTs(): string {
    const micros = Math.max(Math.floor(this.opts.nowMs() * 1000), this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  private replace(m: FakeMessage, body: Json): void {
    m.text = typeof body.text === 'string' ? body.text : m.text;
    m.blocks = withBlockIds(body.blocks);
    m.version++;
    this.emit({ kind: 'message', change: 'update', message: m });
  }

  private addView(userId: string, view: Json, parent: FakeView | null): FakeView {
    const id = `V${++this.seq}`;
    const v: FakeView = {
      id,
      hash: this.newHash(),
      userId,
      view: { ...view, blocks: withBlockIds(view.blocks) },
      closed: false,
      rootViewId: parent?.rootViewId ?? id,
      previousViewId: parent?.id ?? null,
    };
    this.views.push(v);
    return v;
  }

  /** The view as Slack sends it in block_actions / view_submission payloads, with the entered state. */
  viewPayload(v: FakeView, values: Json = {}): Json {
    return {
      ...this.viewJson(v),
      state: { values },
      clear_on_close: false,
      notify_on_close: false,
      external_id: '',
    };
  }

  private viewJson(v: FakeView): Json {
    return {
      ...v.view,
      id: v.id,
      team_id: this.opts.teamId,
      hash: v.hash,
      root_view_id: v.rootViewId,
      previous_view_id: v.previousViewId,
      app_id: 'A0PODBAY',
      bot_id: this.opts.botId,
      state: { values: {} },
    };
  }

  private newHash(): string {
    return `${Math.floor(this.opts.nowMs() / 1000)}.${(++this.seq).toString(36)}`;
  }

  private emit(e: FakeEvent): void {
    this.events.emit('event', e);
    this.events.emit('change', e);
  }
}

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Slack gives every block without a block_id a short random one; clicks carry it. */
function withBlockIds(blocks: unknown): Json[] {
  if (!Array.isArray(blocks)) return [];
  return blocks.map((b) => {
    if (!isObj(b) || typeof b.block_id === 'string') return b as Json;
    return { ...b, block_id: Math.random().toString(36).slice(2, 7) };
  });
}

/** A message ts ("1768467600.000123", or a number) in whole microseconds: exact, unlike Number(ts). */
function tsMicros(v: unknown): number | undefined {
  const text = typeof v === 'number' ? v.toFixed(6) : typeof v === 'string' ? v.trim() : '';
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 1e6 + Number((m[2] ?? '').padEnd(6, '0'));
}

/** A form field or JSON boolean: true, "true", "1". */
const flag = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

/**
 * chat.* `metadata` (an object, or its JSON text): undefined when absent, null when malformed
 * (Slack needs a string event_type and an object event_payload).
 */
function metadataOf(v: unknown): MessageMetadata | undefined | null {
  if (v === undefined || v === '') return undefined;
  let m: unknown = v;
  if (typeof v === 'string') {
    try {
      m = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (!isObj(m) || typeof m.event_type !== 'string' || m.event_type === '' || !isObj(m.event_payload))
    return null;
  return { event_type: m.event_type, event_payload: m.event_payload };
}

function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf('/') + 1);
}

/** WebClient sends form fields with nested values JSON-encoded; response_url posts are JSON. */
function parseBody(raw: string, contentType: string | undefined): Json {
  if (!raw) return {};
  if (contentType?.includes('application/json')) {
    const v = JSON.parse(raw) as unknown;
    return isObj(v) ? v : {};
  }
  const out: Json = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const looksJson = (v.startsWith('{') && v.endsWith('}')) || (v.startsWith('[') && v.endsWith(']'));
    if (looksJson) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // not JSON after all: keep the string
      }
    }
    out[k] = v;
  }
  return out;
}

function send(res: ServerResponse, status: number, body: Json, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
