// Builds the RunpodApi from settings: the GraphQL and/or REST v2 adapters, each with its
// transport and retry policy, routed per operation as RUNPOD_API says (routing.ts).
import type { Logger } from '../logger.ts';
import type { RunpodApi } from '../services/ports.ts';
import { GraphqlRunpodApi } from './client.ts';
import { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
import { type ApiMode, routedApi } from './routing.ts';
import { GraphqlTransport } from './transport.ts';
import { V2RunpodApi } from './v2/client.ts';
import { Pacer, type PacerOptions } from './v2/pacing.ts';
import { V2Transport } from './v2/transport.ts';

export type { ApiMode } from './routing.ts';

export interface RunpodApiOptions {
  /** GraphQL endpoint. */
  url: string;
  /** REST v2 base (paths start with /v2); required unless `api` is graphql. */
  restUrl?: string;
  /** Default graphql, so a caller that names no REST URL keeps talking GraphQL only. */
  api?: ApiMode;
  apiKey: string | undefined;
  timeoutMs: number;
  retryBudgetMs: number;
  logger: Logger;
  /** Overrides for tests (fast sleeps, fixed jitter). */
  retry?: Partial<RetryPolicy>;
  reconcileLookups?: number;
  reconcileDelayMs?: number;
  pacing?: PacerOptions;
  logQuietMs?: number;
}

export function createRunpodApi(opts: RunpodApiOptions): RunpodApi {
  const mode = opts.api ?? 'graphql';
  const retry = { ...defaultRetryPolicy(opts.retryBudgetMs), ...opts.retry };
  const reconcile = {
    ...(opts.reconcileLookups !== undefined && { reconcileLookups: opts.reconcileLookups }),
    ...(opts.reconcileDelayMs !== undefined && { reconcileDelayMs: opts.reconcileDelayMs }),
  };
  const graphql =
    mode === 'v2'
      ? undefined
      : new GraphqlRunpodApi({
          transport: new GraphqlTransport({
            url: opts.url,
            apiKey: opts.apiKey,
            timeoutMs: opts.timeoutMs,
            logger: opts.logger,
          }),
          retry,
          logger: opts.logger,
          ...reconcile,
        });
  let v2: V2RunpodApi | undefined;
  if (mode !== 'graphql') {
    if (!opts.restUrl) throw new Error(`RUNPOD_API=${mode} needs a REST v2 URL`);
    v2 = new V2RunpodApi({
      transport: new V2Transport({
        baseUrl: opts.restUrl,
        apiKey: opts.apiKey,
        timeoutMs: opts.timeoutMs,
        logger: opts.logger,
        pacer: new Pacer({ sleep: retry.sleep, nowMs: retry.nowMs, ...opts.pacing }),
      }),
      retry,
      logger: opts.logger,
      ...reconcile,
      ...(opts.logQuietMs !== undefined && { logQuietMs: opts.logQuietMs }),
    });
  }
  return routedApi(mode, {
    ...(graphql && { graphql, spotPodIds: () => graphql.spotPodIds() }),
    ...(v2 && { v2 }),
  });
}
