// Chooses where RunPod calls go: RunPod itself when a key is set, another server when
// RUNPOD_GRAPHQL_URL says so, else the local RunPod twin started in process ("sandbox").
import type { Config } from './config.ts';
import { DEFAULT_RUNPOD_GRAPHQL_URL } from './config.ts';
import type { Logger } from './logger.ts';
import { createRunpodApi } from './runpod/index.ts';
import { startTwin, type Twin } from './sandbox/twin/server.ts';
import type { RunpodApi } from './services/ports.ts';

export interface RunpodConnection {
  api: RunpodApi;
  /** true when talking to the local twin rather than RunPod. */
  sandbox: boolean;
  /** Where the GraphQL calls go (no secrets in it). */
  url: string;
  twin: Twin | undefined;
  close(): Promise<void>;
}

export const SANDBOX_BANNER =
  'SANDBOX: no RUNPOD_API_KEY is set, so podbay talks to a local RunPod twin with demo data. Nothing is billed.';

export async function connectRunpod(
  config: Config,
  logger: Logger,
  opts: { realtime?: boolean } = {},
): Promise<RunpodConnection> {
  const { runpod } = config;
  let twin: Twin | undefined;
  let url = runpod.graphqlUrl ?? DEFAULT_RUNPOD_GRAPHQL_URL;
  if (runpod.sandbox && !runpod.graphqlUrl) {
    // A shorter image pull than RunPod's usual minute keeps the sandbox demo brisk.
    twin = await startTwin({
      seed: config.sandboxSeed,
      realtime: opts.realtime ?? false,
      port: config.twinPort,
      createToRunningDelaySec: 12,
    });
    url = twin.url;
  }
  const api = createRunpodApi({
    url,
    apiKey: runpod.apiKey,
    timeoutMs: runpod.timeoutMs,
    retryBudgetMs: runpod.retryBudgetMs,
    logger,
  });
  return {
    api,
    sandbox: runpod.sandbox,
    url,
    twin,
    close: async () => {
      await twin?.close();
    },
  };
}
