// The twin's REST v2 face over HTTP: Bearer auth, JSON in, JSON or RFC 9457 problems out,
// RateLimit headers, server-sent log streams, and the same injected faults as the GraphQL face
// (keyed by operationId). Every exchange can be recorded so tests check it against the OpenAPI.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultDecision, FaultInjector } from '../faults.ts';
import { MSG, TwinApiError } from '../messages.ts';
import type { TwinState } from '../state.ts';
import type { TwinStats } from '../stats.ts';
import { RateLimiter, type RateWindow } from './ratelimit.ts';
import { fromTwinError, matchRoute, problem, V2Problem, type V2Result } from './routes.ts';

export interface V2Exchange {
  method: string;
  /** OpenAPI path template, e.g. /v2/pods/{id}. */
  path: string;
  operationId: string;
  query: string;
  /** Parsed JSON request body (undefined when none). */
  requestBody: unknown;
  status: number;
  contentType: string;
  /** Parsed JSON answer, or the SSE text. */
  responseBody: unknown;
}

export interface V2Deps {
  state: TwinState;
  faults: FaultInjector;
  stats: TwinStats;
  apiKey: string | undefined;
  readBody: (req: IncomingMessage) => Promise<string | null>;
  /** Responses held open by a timeout fault (closed with the twin). */
  held: Set<ServerResponse>;
  rateWindows?: readonly RateWindow[];
  /** Keep every exchange (tests). */
  record?: boolean;
}

export interface V2Face {
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  exchanges(): V2Exchange[];
  clearExchanges(): void;
  setRateWindows(windows: readonly RateWindow[]): void;
}

const PROBLEM_TYPE = 'application/problem+json';
const JSON_TYPE = 'application/json';
const MAX_EXCHANGES = 20_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createV2Face(deps: V2Deps): V2Face {
  const limiter = new RateLimiter(deps.rateWindows);
  let log: V2Exchange[] = [];

  const write = (
    res: ServerResponse,
    status: number,
    body: string | undefined,
    type: string,
    headers: Record<string, string>,
  ) => {
    if (res.destroyed || res.headersSent) return;
    const h: Record<string, string | number> = { ...headers };
    if (body !== undefined) {
      h['content-type'] = type;
      h['content-length'] = Buffer.byteLength(body);
    }
    res.writeHead(status, h);
    res.end(body);
  };

  const problemBody = (p: V2Problem) =>
    JSON.stringify({
      title: p.title,
      status: p.status,
      detail: p.detail,
      ...(p.errors ? { errors: p.errors } : {}),
    });

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    deps.stats.request();
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const exchange: V2Exchange = {
      method,
      path,
      operationId: '',
      query: url.search,
      requestBody: undefined,
      status: 0,
      contentType: '',
      responseBody: undefined,
    };
    const remember = (status: number, contentType: string, body: unknown) => {
      if (!deps.record) return;
      exchange.status = status;
      exchange.contentType = contentType;
      exchange.responseBody = body;
      log.push(exchange);
      if (log.length > MAX_EXCHANGES) log = log.slice(-MAX_EXCHANGES / 2);
    };
    const fail = (p: V2Problem, headers: Record<string, string> = {}) => {
      const text = problemBody(p);
      remember(p.status, PROBLEM_TYPE, JSON.parse(text));
      write(res, p.status, text, PROBLEM_TYPE, headers);
    };

    const key = /^Bearer\s+(.+)$/i.exec((req.headers.authorization ?? '').trim())?.[1];
    if (deps.apiKey !== undefined && key !== deps.apiKey) {
      deps.stats.unauthorized();
      req.resume();
      const detail = key === undefined ? 'missing bearer token' : 'invalid bearer token';
      return fail(new V2Problem(401, 'Unauthorized', detail));
    }
    const { headers: rateHeaders, retryAfterSec } = limiter.take();
    const matched = matchRoute(method, path);
    if (matched === null) return fail(problem(404, `No route for ${path}.`), rateHeaders);
    if (matched === 'method')
      return fail(new V2Problem(405, 'Method Not Allowed', `${method} is not supported here.`), rateHeaders);
    const { route, params } = matched;
    exchange.path = route.path;
    exchange.operationId = route.operationId;
    deps.stats.operations([route.operationId]);
    if (retryAfterSec !== null) {
      return fail(new V2Problem(429, 'Too Many Requests', 'rate limit exceeded'), {
        ...rateHeaders,
        'retry-after': String(retryAfterSec),
      });
    }

    const raw = await deps.readBody(req);
    if (raw === null) return fail(problem(400, 'Request body too large.'), rateHeaders);
    let body: unknown;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        deps.stats.rejected();
        return fail(problem(400, 'The request body is not valid JSON.'), rateHeaders);
      }
    }
    exchange.requestBody = body;

    const fault = deps.faults.decide([route.operationId]);
    if (fault.kind) deps.stats.fault(fault.kind);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (beforeFault(fault, fail, res, rateHeaders)) return;

    let result: V2Result;
    try {
      result = route.handler(deps.state, { params, query: url.searchParams, body });
    } catch (e) {
      if (e instanceof V2Problem) {
        if (e.status === 422) deps.stats.rejected();
        return fail(e, rateHeaders);
      }
      if (e instanceof TwinApiError) return fail(fromTwinError(e), rateHeaders);
      throw e;
    }

    if (fault.kind === 'timeout') {
      // Applied but never answered: the client only learns by giving up.
      deps.held.add(res);
      res.on('close', () => deps.held.delete(res));
      return;
    }
    if (fault.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if ('sse' in result) {
      const text = result.sse
        .map((l, i) => `id: ${l.ts}/${String(i + 1).padStart(12, '0')}\ndata: ${JSON.stringify(l)}\n\n`)
        .join('');
      remember(200, 'text/event-stream', text);
      if (res.destroyed) return;
      res.writeHead(200, {
        ...rateHeaders,
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // The backfill, then the stream stays open for live lines until the client leaves.
      res.write(text);
      deps.held.add(res);
      res.on('close', () => deps.held.delete(res));
      return;
    }
    if (result.body === undefined) {
      remember(result.status, '', undefined);
      return write(res, result.status, undefined, JSON_TYPE, rateHeaders);
    }
    const text = JSON.stringify(result.body);
    if (fault.kind === 'malformed') {
      const broken =
        fault.malformed === 'truncated'
          ? text.slice(0, Math.max(1, Math.floor(text.length / 2)))
          : '"unexpected"';
      return write(res, result.status, broken, JSON_TYPE, rateHeaders);
    }
    remember(result.status, JSON_TYPE, result.body);
    write(res, result.status, text, JSON_TYPE, rateHeaders);
  }

  function beforeFault(
    fault: FaultDecision,
    fail: (p: V2Problem, h?: Record<string, string>) => void,
    res: ServerResponse,
    headers: Record<string, string>,
  ): boolean {
    switch (fault.kind) {
      case 'http429':
        fail(new V2Problem(429, 'Too Many Requests', 'rate limit exceeded'), {
          ...headers,
          'retry-after': String(fault.retryAfterSec),
        });
        return true;
      case 'http5xx':
        if (fault.status === 502) {
          write(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'text/html', {});
        } else fail(new V2Problem(503, 'Service Unavailable', 'service unavailable'), headers);
        return true;
      case 'graphqlError':
        // v2's counterpart of GraphQL's "Something went wrong": a 500 problem, nothing done.
        fail(new V2Problem(500, 'Internal Server Error', MSG.generic), headers);
        return true;
      default:
        return false;
    }
  }

  return {
    handle,
    exchanges: () => log.map((x) => ({ ...x })),
    clearExchanges: () => {
      log = [];
    },
    setRateWindows: (w) => limiter.configure(w),
  };
}
