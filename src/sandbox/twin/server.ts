// A local RunPod server ("the twin"): GraphQL (node:http + graphql-js over the shared schema) and
// REST v2 under /v2 (v2/http.ts) over one state, with RunPod's auth, error style and quirks,
// a simulated clock, and injectable faults. Control at {controlUrl}/... (see control-http.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  type GraphQLError,
  getOperationAST,
  Kind,
  parse,
  validate,
} from 'graphql';
import { handleControl } from './control-http.ts';
import { TwinControl } from './control.ts';
import { type FaultDecision, FaultInjector, type FaultsConfig } from './faults.ts';
import { MSG } from './messages.ts';
import { findExplicitNull } from './nulls.ts';
import { podTimedEvents } from './pods.ts';
import { createRootValue } from './resolvers.ts';
import { twinSchema } from './schema.ts';
import { resetWorld } from './seed.ts';
import { DEFAULT_START, TwinState } from './state.ts';
import { TwinStats } from './stats.ts';
import { createV2Face, type V2Face } from './v2/http.ts';
import type { RateWindow } from './v2/ratelimit.ts';

export type { TwinControl, TwinSummary } from './control.ts';
export type { FailNextOptions, FaultKind, FaultRule, FaultsConfig } from './faults.ts';
export type { Scenario } from './scenarios.ts';
export type { TwinState } from './state.ts';
export type { TwinStatsSnapshot } from './stats.ts';
export type { V2Exchange } from './v2/http.ts';
export type { RateWindow } from './v2/ratelimit.ts';

export interface TwinOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** When set, /graphql answers 401 unless `Authorization: Bearer <apiKey>` (or ?api_key=) matches. */
  apiKey?: string;
  /** Demo pods, volumes, endpoints and templates (default true). */
  seed?: boolean;
  /** Seed for ids and metrics (default 1). */
  randomSeed?: number;
  /** Simulated start time (default 2026-11-26T09:00:00Z). */
  startTime?: Date | string | number;
  /** Simulated seconds from create/resume until `runtime` appears (default 30). */
  createToRunningDelaySec?: number;
  /** Starting balance in USD (default 1000). */
  clientBalance?: number;
  faults?: FaultsConfig;
  /** Advance the simulated clock with wall time (× speed). */
  realtime?: boolean | { speed?: number; tickMs?: number };
  /** REST v2 request windows (RateLimit headers, 429 past a quota); generous by default. */
  rateWindows?: readonly RateWindow[];
  /** Keep every REST v2 exchange, for tests that check them against the OpenAPI. */
  recordV2?: boolean;
}

export interface Twin {
  /** GraphQL endpoint, ends with /graphql. */
  url: string;
  /** REST v2 base (RUNPOD_REST_URL): the paths under it start with /v2. */
  restUrl: string;
  /** The REST v2 face: recorded exchanges, rate windows. */
  v2: Pick<V2Face, 'exchanges' | 'clearExchanges' | 'setRateWindows'>;
  /** Base of the HTTP control routes (POST {controlUrl}/advance ...). */
  controlUrl: string;
  port: number;
  state: TwinState;
  control: TwinControl;
  close(): Promise<void>;
}

const MAX_BODY = 5 * 1024 * 1024;
const JSON_TYPE = 'application/json; charset=utf-8';

function startMs(t: TwinOptions['startTime']): number {
  if (t === undefined) return DEFAULT_START;
  const ms = t instanceof Date ? t.getTime() : typeof t === 'number' ? t : Date.parse(t);
  if (Number.isNaN(ms)) throw new Error('startTime is not a valid date');
  return ms;
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown, headers?: Record<string, string>) =>
  send(res, status, JSON.stringify(value), headers);

const errorsBody = (message: string) => ({ errors: [{ message }] });

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Prepared {
  document: DocumentNode;
  errors: readonly GraphQLError[];
}

export async function startTwin(opts: TwinOptions = {}): Promise<Twin> {
  const schema = twinSchema();
  const seed = opts.seed ?? true;
  const state = new TwinState({
    startMs: startMs(opts.startTime),
    randomSeed: opts.randomSeed ?? 1,
    createToRunningDelaySec: opts.createToRunningDelaySec ?? 30,
    clientBalance: opts.clientBalance ?? 1000,
  });
  state.addTimedEvents(podTimedEvents);
  resetWorld(state, { seed });
  const rootValue = createRootValue(state);
  const faults = new FaultInjector();
  if (opts.faults) faults.configure(opts.faults);
  const stats = new TwinStats();
  const control = new TwinControl({
    state,
    faults,
    stats,
    reset: () => {
      resetWorld(state, { seed });
      faults.clear();
      if (opts.faults) faults.configure(opts.faults);
      stats.reset();
    },
  });

  // Parsed and validated documents, by query text (clients send the same few documents).
  const prepared = new Map<string, Prepared>();
  const prepare = (query: string): Prepared => {
    let p = prepared.get(query);
    if (!p) {
      const document = parse(query);
      p = { document, errors: validate(schema, document) };
      if (prepared.size > 1000) prepared.clear();
      prepared.set(query, p);
    }
    return p;
  };

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    if (opts.apiKey === undefined) return true;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header.trim());
    const key = m?.[1] ?? url.searchParams.get('api_key');
    return key === opts.apiKey;
  };

  async function graphqlRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    stats.request();
    if (!authorized(req, url)) {
      stats.unauthorized();
      req.resume();
      return sendJson(res, 401, errorsBody(MSG.unauthorized));
    }
    if (req.method !== 'POST') {
      stats.rejected();
      return sendJson(res, 405, errorsBody('GraphQL requests must be POSTed as JSON.'), { allow: 'POST' });
    }
    const raw = await readBody(req);
    if (raw === null) {
      stats.rejected();
      return sendJson(res, 413, errorsBody('Request body too large.'));
    }
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
      if (typeof body !== 'object' || body === null) throw new Error('not an object');
    } catch {
      stats.rejected();
      return sendJson(res, 400, errorsBody('POST body must be a JSON object with a "query" string.'));
    }
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      stats.rejected();
      return sendJson(res, 400, errorsBody('Must provide query string.'));
    }
    const variables = body.variables ?? {};
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      stats.rejected();
      return sendJson(res, 400, errorsBody('Variables must be a JSON object.'));
    }
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;

    let p: Prepared;
    try {
      p = prepare(body.query);
    } catch (e) {
      stats.rejected();
      return sendJson(res, 400, { errors: [(e as GraphQLError).toJSON?.() ?? { message: String(e) }] });
    }
    if (p.errors.length) {
      stats.rejected();
      return sendJson(res, 400, { errors: p.errors.map((e) => e.toJSON()) });
    }
    const op = getOperationAST(p.document, operationName);
    if (!op) {
      stats.rejected();
      const msg = operationName
        ? `Unknown operation named "${operationName}".`
        : 'Must provide operation name if query contains multiple operations.';
      return sendJson(res, 400, errorsBody(msg));
    }
    const rootFields = op.selectionSet.selections.flatMap((s) =>
      s.kind === Kind.FIELD && s.name.value !== '__typename' ? [s.name.value] : [],
    );
    stats.operations(rootFields);

    const fault = faults.decide(rootFields);
    if (fault.kind) stats.fault(fault.kind);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (preExecutionFault(res, fault)) return;

    const vars = variables as Record<string, unknown>;
    const nullField = findExplicitNull(p.document, op, vars);
    if (nullField) {
      stats.rejected();
      return sendJson(res, 200, { errors: [{ message: MSG.explicitNull(nullField) }], data: null });
    }

    const result = (await execute({
      schema,
      document: p.document,
      rootValue,
      contextValue: { state },
      variableValues: vars,
      operationName,
    })) as ExecutionResult;

    if (fault.kind === 'timeout') {
      // Applied but never answered: the client only learns by giving up.
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    if (fault.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const text = JSON.stringify(result);
    if (fault.kind === 'malformed') {
      if (fault.malformed === 'truncated')
        return send(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))));
      const first = rootFields[0] ?? 'data';
      return sendJson(res, 200, { data: { [first]: 'unexpected' } });
    }
    // No `data` at all means the request itself was bad (e.g. a variable of the wrong type).
    send(res, 'data' in result ? 200 : 400, text);
  }

  function preExecutionFault(res: ServerResponse, fault: FaultDecision): boolean {
    switch (fault.kind) {
      case 'http429':
        sendJson(res, 429, errorsBody('Too Many Requests'), { 'retry-after': String(fault.retryAfterSec) });
        return true;
      case 'http5xx':
        if (fault.status === 502) {
          const html =
            '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';
          send(res, 502, html, { 'content-type': 'text/html' });
        } else sendJson(res, 503, errorsBody('Service Unavailable'));
        return true;
      case 'graphqlError':
        sendJson(res, 200, errorsBody(MSG.generic));
        return true;
      default:
        return false;
    }
  }

  const held = new Set<ServerResponse>();
  const v2 = createV2Face({
    state,
    faults,
    stats,
    apiKey: opts.apiKey,
    readBody,
    held,
    ...(opts.rateWindows ? { rateWindows: opts.rateWindows } : {}),
    record: opts.recordV2 ?? false,
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://twin.local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/graphql') {
      graphqlRequest(req, res, url).catch((e: unknown) => {
        sendJson(
          res,
          500,
          errorsBody(`Internal server error: ${e instanceof Error ? e.message : String(e)}`),
        );
      });
      return;
    }
    if (path.startsWith('/v2/')) {
      v2.handle(req, res, url).catch((e: unknown) => {
        const detail = `Internal server error: ${e instanceof Error ? e.message : String(e)}`;
        send(res, 500, JSON.stringify({ title: 'Internal Server Error', status: 500, detail }), {
          'content-type': 'application/problem+json',
        });
      });
      return;
    }
    if (path === '/control' || path.startsWith('/control/')) {
      readBody(req)
        .then((raw) => {
          const answer = handleControl(
            control,
            req.method ?? 'GET',
            path.slice('/control'.length) || '/',
            raw ?? '',
          );
          sendJson(res, answer.status, answer.body);
        })
        .catch((e: unknown) => sendJson(res, 500, { error: String(e) }));
      return;
    }
    sendJson(res, 404, { error: 'not found: the RunPod twin serves POST /graphql, /v2/* and /control/*' });
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    );
  });
  if (opts.realtime) {
    const rt = opts.realtime === true ? {} : opts.realtime;
    control.setRealtime(true, rt.speed ?? 1, rt.tickMs ?? 1000);
  }
  const host = opts.host ?? '127.0.0.1';
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url: `${base}/graphql`,
    restUrl: base,
    v2: { exchanges: v2.exchanges, clearExchanges: v2.clearExchanges, setRateWindows: v2.setRateWindows },
    controlUrl: `${base}/control`,
    port,
    state,
    control,
    close() {
      closed ??= new Promise<void>((resolve) => {
        control.dispose();
        for (const res of held) res.destroy();
        held.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
