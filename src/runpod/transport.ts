// One GraphQL call over graphql-request: Bearer auth header (never a URL parameter), a timeout
// on every request, and every failure turned into a typed PodbayError.
import { ClientError, GraphQLClient } from 'graphql-request';
import { keepAliveFetch } from '../http-fetch.ts';
import type { Logger } from '../logger.ts';
import { PodbayError } from '../services/errors.ts';
import { DOCUMENTS, type DocumentName } from './documents.ts';
import { fromGraphqlMessage, fromHttpStatus, malformed, timedOut, unavailable } from './errors.ts';
import { assertNoNulls } from './inputs.ts';

export interface TransportOptions {
  url: string;
  apiKey: string | undefined;
  timeoutMs: number;
  logger: Logger;
}

export type Variables = Record<string, unknown>;

export class GraphqlTransport {
  readonly #client: GraphQLClient;
  readonly #timeoutMs: number;
  readonly #logger: Logger;

  constructor(opts: TransportOptions) {
    this.#timeoutMs = opts.timeoutMs;
    this.#logger = opts.logger;
    const headers: Record<string, string> = {};
    if (opts.apiKey) headers.Authorization = `Bearer ${opts.apiKey}`;
    const timeoutMs = opts.timeoutMs;
    this.#client = new GraphQLClient(opts.url, {
      headers,
      errorPolicy: 'all',
      fetch: (input: RequestInfo | URL, init?: RequestInit) =>
        keepAliveFetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
    });
  }

  /** Sends one registered document; answers `data` or throws a PodbayError. */
  async send<T>(name: DocumentName, variables: Variables = {}): Promise<T> {
    assertNoNulls(variables, name);
    const started = performance.now();
    try {
      const res = await this.#client.rawRequest<T>(DOCUMENTS[name], variables);
      const first = res.errors?.[0];
      if (first) throw fromGraphqlMessage(String(first.message ?? ''));
      if (res.data === undefined || res.data === null) throw malformed('no data in the answer');
      return res.data;
    } catch (e) {
      const err = this.#toPodbayError(e);
      this.#logger.debug(
        { op: name, code: err.code, ms: Math.round(performance.now() - started) },
        'runpod call failed',
      );
      throw err;
    }
  }

  #toPodbayError(e: unknown): PodbayError {
    if (e instanceof PodbayError) return e;
    if (e instanceof ClientError) {
      const status = e.response.status;
      const first = e.response.errors?.[0];
      if (status === 200 && first) return fromGraphqlMessage(String(first.message ?? ''));
      const headers = e.response.headers as Headers | undefined;
      return fromHttpStatus(status, headers?.get?.('retry-after') ?? null);
    }
    if (e instanceof Error) {
      if (e.name === 'TimeoutError' || e.name === 'AbortError') return timedOut(this.#timeoutMs);
      if (e instanceof SyntaxError) return malformed('the body was not valid JSON');
      if (e.name === 'TypeError' && /fetch failed|terminated|socket|network/i.test(e.message)) {
        return unavailable('the connection failed');
      }
      // node:http's own: refused, reset or dropped mid-answer, unreachable, no such host.
      const code = (e as { code?: unknown }).code;
      if (
        (typeof code === 'string' &&
          /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNABORTED)$/.test(
            code,
          )) ||
        /socket hang up|aborted/i.test(e.message)
      )
        return unavailable('the connection failed');
      if (/invalid execution result|result/i.test(e.message)) return malformed('unexpected shape');
    }
    return unavailable('unexpected failure');
  }
}
