// One REST v2 call through openapi-fetch (typed from the official OpenAPI): the key only in the
// Authorization header, a timeout on every request, pacing from the RateLimit headers, and every
// failure a typed PodbayError (RFC 9457 problems via ./errors.ts).
import createClient, { type Client } from 'openapi-fetch';
import type { Logger } from '../../logger.ts';
import { PodbayError } from '../../services/errors.ts';
import { malformed, parseRetryAfter, timedOut, unavailable } from '../errors.ts';
import { assertNoNulls } from '../inputs.ts';
import { fromProblem } from './errors.ts';
import type { paths } from './openapi.d.ts';
import type { Pacer } from './pacing.ts';

export type V2Client = Client<paths>;

export interface V2TransportOptions {
  /** Base URL without /v2 (the generated paths start with it), e.g. https://api.runpod.io. */
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
  logger: Logger;
  pacer: Pacer;
}

interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

export class V2Transport {
  readonly client: V2Client;
  readonly #timeoutMs: number;
  readonly #log: Logger;
  readonly #pacer: Pacer;

  constructor(opts: V2TransportOptions) {
    this.#timeoutMs = opts.timeoutMs;
    this.#log = opts.logger;
    this.#pacer = opts.pacer;
    const headers: Record<string, string> = {};
    if (opts.apiKey) headers.Authorization = `Bearer ${opts.apiKey}`;
    this.client = createClient<paths>({
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
      headers,
      // v2's list parameters are comma-separated (style form, explode false).
      querySerializer: { array: { style: 'form', explode: false } },
      fetch: (req) => this.#fetch(req),
    });
  }

  async #fetch(req: Request): Promise<Response> {
    await this.#pacer.beforeRequest();
    // An explicit controller and timer, not AbortSignal.any(): on Node 20 the signal
    // any() derives could be collected before its timeout fired, and a silent server then hung
    // the call forever (seen in the fault soak).
    // The timer is not cleared when headers come, so it also bounds reading the body.
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new DOMException('timed out', 'TimeoutError')), this.#timeoutMs);
    timer.unref();
    if (req.signal.aborted) ctl.abort(req.signal.reason);
    else req.signal.addEventListener('abort', () => ctl.abort(req.signal.reason), { once: true });
    const res = await fetch(req, { signal: ctl.signal });
    this.#pacer.observe(
      res.headers,
      res.status === 429 || res.status === 503 ? parseRetryAfter(res.headers.get('retry-after')) : undefined,
    );
    return res;
  }

  /** Runs one call; answers the parsed body (undefined for 204) or throws a PodbayError. */
  async call(op: string, run: (c: V2Client) => Promise<Answer>): Promise<unknown> {
    const started = performance.now();
    try {
      const r = await run(this.client);
      if (!r.response.ok) throw fromProblem(r.response.status, r.error, r.response.headers);
      return r.data;
    } catch (e) {
      const err = this.#toPodbayError(e);
      this.#log.debug(
        { op, code: err.code, ms: Math.round(performance.now() - started) },
        'runpod call failed',
      );
      throw err;
    }
  }

  /** A body podbay is about to send: a null anywhere is a bug, never sent. */
  body<T>(value: T, op: string): T {
    assertNoNulls(value, op, 'body');
    return value;
  }

  #toPodbayError(e: unknown): PodbayError {
    if (e instanceof PodbayError) return e;
    if (e instanceof Error) {
      if (e.name === 'TimeoutError' || e.name === 'AbortError') return timedOut(this.#timeoutMs);
      if (e instanceof SyntaxError) return malformed('the body was not valid JSON');
      if (e.name === 'TypeError' && /fetch failed|terminated|socket|network/i.test(e.message))
        return unavailable('the connection failed');
      if (/terminated|aborted/i.test(e.message)) return unavailable('the connection failed');
    }
    return unavailable('unexpected failure');
  }
}
