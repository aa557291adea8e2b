// Chooses where RunPod calls go: RunPod itself when a key is set, other servers when
// RUNPOD_GRAPHQL_URL / RUNPOD_REST_URL say so (a standalone twin serves both on one port, so
// either names it), else the local RunPod twin started in process ("sandbox").
// RUNPOD_API picks the API per operation.
import type { Config } from './config.ts';
import { DEFAULT_RUNPOD_GRAPHQL_URL, DEFAULT_RUNPOD_REST_URL } from './config.ts';
import type { Logger } from './logger.ts';
import { type ApiMode, createRunpodApi } from './runpod/index.ts';
import { startTwin, type Twin } from './sandbox/twin/server.ts';
import type { RunpodApi } from './services/ports.ts';

export interface RunpodConnection {
  api: RunpodApi;
  /** true when talking to the local twin rather than RunPod. */
  sandbox: boolean;
  /** Where the GraphQL calls go (no secrets in it). */
  url: string;
  /** Where the REST v2 calls go (paths under it start with /v2). */
  restUrl: string;
  mode: ApiMode;
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
  let restUrl = runpod.restUrl ?? DEFAULT_RUNPOD_REST_URL;
  if (runpod.sandbox && (runpod.graphqlUrl || runpod.restUrl)) {
    // A standalone podbay twin serves both APIs on one port, so one URL names the other.
    if (!runpod.restUrl) restUrl = new URL(url).origin;
    if (!runpod.graphqlUrl) url = `${restUrl}/graphql`;
  } else if (runpod.sandbox) {
    // A shorter image pull than RunPod's usual minute keeps the sandbox demo brisk. The twin's
    // clock starts now, as the services' clock does, so "today" means the same day to both.
    twin = await startTwin({
      startTime: new Date(),
      seed: config.sandboxSeed,
      realtime: opts.realtime ?? false,
      port: config.twinPort,
      createToRunningDelaySec: 12,
    });
    url = twin.url;
    restUrl = twin.restUrl;
  }
  const api = createRunpodApi({
    url,
    restUrl,
    api: runpod.api,
    apiKey: runpod.apiKey,
    timeoutMs: runpod.timeoutMs,
    retryBudgetMs: runpod.retryBudgetMs,
    logger,
  });
  return {
    api,
    sandbox: runpod.sandbox,
    url,
    restUrl,
    mode: runpod.api,
    twin,
    close: async () => {
      await twin?.close();
    },
  };
}
