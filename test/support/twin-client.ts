// A twin on loopback plus the real adapter (GraphQL, REST v2 or both, as `api` routes) pointed at it,
// with fast retry timings.
import { type ApiMode, createRunpodApi } from '../../src/runpod/index.ts';
import { startTwin, type Twin, type TwinOptions } from '../../src/sandbox/twin/server.ts';
import type { RunpodApi } from '../../src/services/ports.ts';
import { type CapturedLogger, captureLogger } from './capture-logger.ts';
import { TEST_API_KEY } from './secrets.ts';
import { tapError } from './tap.ts';

export { TEST_API_KEY };

export interface TwinClient {
  twin: Twin;
  api: RunpodApi;
  log: CapturedLogger;
  close(): Promise<void>;
}

export async function twinClient(
  opts: TwinOptions = {},
  client: { timeoutMs?: number; retryBudgetMs?: number; secrets?: string[]; api?: ApiMode } = {},
): Promise<TwinClient> {
  const twin = await startTwin({
    apiKey: TEST_API_KEY,
    createToRunningDelaySec: 30,
    recordV2: true,
    ...opts,
  });
  const log = captureLogger([TEST_API_KEY, ...(client.secrets ?? [])]);
  const api = createRunpodApi({
    url: twin.url,
    restUrl: twin.restUrl,
    api: client.api ?? 'graphql',
    apiKey: TEST_API_KEY,
    timeoutMs: client.timeoutMs ?? 2_000,
    retryBudgetMs: client.retryBudgetMs ?? 3_000,
    logger: log.logger,
    retry: { baseDelayMs: 5, maxDelayMs: 40 },
    reconcileLookups: 2,
    reconcileDelayMs: 5,
    logQuietMs: 150,
  });
  return { twin, api: tapErrors(api), log, close: () => twin.close() };
}

/** The same adapter, with every error it throws also written to the output tap for the secret scan. */
function tapErrors(api: RunpodApi): RunpodApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        (value as (...a: unknown[]) => Promise<unknown>).apply(target, args).catch((e: unknown) => {
          tapError(e);
          throw e;
        });
    },
  });
}
