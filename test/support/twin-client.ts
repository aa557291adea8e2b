// A twin on loopback plus the real GraphQL adapter pointed at it, with fast retry timings.
import { createRunpodApi } from '../../src/runpod/index.ts';
import { startTwin, type Twin, type TwinOptions } from '../../src/sandbox/twin/server.ts';
import type { RunpodApi } from '../../src/services/ports.ts';
import { type CapturedLogger, captureLogger } from './capture-logger.ts';

export const TEST_API_KEY = 'rpa_TWINKEY_ab12cd34ef56gh78';

export interface TwinClient {
  twin: Twin;
  api: RunpodApi;
  log: CapturedLogger;
  close(): Promise<void>;
}

export async function twinClient(
  opts: TwinOptions = {},
  client: { timeoutMs?: number; retryBudgetMs?: number; secrets?: string[] } = {},
): Promise<TwinClient> {
  const twin = await startTwin({ apiKey: TEST_API_KEY, createToRunningDelaySec: 30, ...opts });
  const log = captureLogger([TEST_API_KEY, ...(client.secrets ?? [])]);
  const api = createRunpodApi({
    url: twin.url,
    apiKey: TEST_API_KEY,
    timeoutMs: client.timeoutMs ?? 2_000,
    retryBudgetMs: client.retryBudgetMs ?? 3_000,
    logger: log.logger,
    retry: { baseDelayMs: 5, maxDelayMs: 40 },
    reconcileLookups: 2,
    reconcileDelayMs: 5,
  });
  return { twin, api, log, close: () => twin.close() };
}
