// Builds the RunpodApi adapter from settings: the GraphQL client with its transport and retry policy.
import type { Logger } from '../logger.ts';
import type { RunpodApi } from '../services/ports.ts';
import { GraphqlRunpodApi } from './client.ts';
import { defaultRetryPolicy, type RetryPolicy } from './retry.ts';
import { GraphqlTransport } from './transport.ts';

export interface RunpodApiOptions {
  url: string;
  apiKey: string | undefined;
  timeoutMs: number;
  retryBudgetMs: number;
  logger: Logger;
  /** Overrides for tests (fast sleeps, fixed jitter). */
  retry?: Partial<RetryPolicy>;
  reconcileLookups?: number;
  reconcileDelayMs?: number;
}

export function createRunpodApi(opts: RunpodApiOptions): RunpodApi {
  const transport = new GraphqlTransport({
    url: opts.url,
    apiKey: opts.apiKey,
    timeoutMs: opts.timeoutMs,
    logger: opts.logger,
  });
  const clientOpts: ConstructorParameters<typeof GraphqlRunpodApi>[0] = {
    transport,
    retry: { ...defaultRetryPolicy(opts.retryBudgetMs), ...opts.retry },
    logger: opts.logger,
  };
  if (opts.reconcileLookups !== undefined) clientOpts.reconcileLookups = opts.reconcileLookups;
  if (opts.reconcileDelayMs !== undefined) clientOpts.reconcileDelayMs = opts.reconcileDelayMs;
  return new GraphqlRunpodApi(clientOpts);
}
