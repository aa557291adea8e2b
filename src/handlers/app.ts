// Builds the Bolt app for a transport (HTTP, Socket Mode, or a custom receiver such as the console's)
// and registers every listener. Transport apart from logic: the listeners do not know which one runs.
import { App, LogLevel, type Receiver } from '@slack/bolt';
import type { Logger } from '../logger.ts';
import { registerAlertButtons } from './actions/alert-buttons.ts';
import { registerApprovalButtons } from './actions/approval-buttons.ts';
import { registerCreateFlow } from './actions/create-pod.ts';
import { registerDeleteButtons } from './actions/delete-buttons.ts';
import { registerPodButtons } from './actions/pod-buttons.ts';
import { registerEndpointCommand } from './commands/endpoint.ts';
import { registerGpuCommand } from './commands/gpu.ts';
import { registerPodCommand } from './commands/pod.ts';
import { registerPodbayCommand } from './commands/podbay.ts';
import { registerSpendCommand } from './commands/spend.ts';
import { registerVolumeCommand } from './commands/volume.ts';
import type { HandlerDeps } from './deps.ts';
import { registerHomeTab } from './events/home.ts';
import { type EdgeLimits, EdgeReceiver } from './http-edge.ts';
import { keepAliveFetch } from '../http-fetch.ts';
import { Routes } from './routes.ts';
import { type OpsProbe, opsRoutes } from './ops-endpoints.ts';
import { describe } from './work.ts';

export const EVENTS_PATH = '/slack/events';
export { HEALTH_PATH } from './ops-endpoints.ts';

interface Common {
  botToken: string;
  /** Known bot ids mean Bolt never calls auth.test (main.ts asks once at start-up). */
  botId: string;
  botUserId: string;
  /** Web API base URL (a loopback fake in tests and the console). */
  apiUrl?: string | undefined;
  logger: Logger;
  /** Answer for GET /healthz (HTTP mode); defaults to ok. */
  health?: () => { ok: boolean; [k: string]: unknown };
  /** HTTP mode: /readyz and /metrics beside /healthz. */
  ops?: Omit<OpsProbe, 'health'>;
}

export type SlackAppOptions =
  | (Common & { mode: 'http'; signingSecret: string; edge?: Partial<EdgeLimits> })
  | (Common & { mode: 'socket'; appToken: string })
  | (Common & { mode: 'custom'; receiver: Receiver });

/**
 * Bolt's logger interface on top of pino (tagged). Bolt's and the Socket Mode client's debug lines are
 * dropped: they dump raw payloads, and a modal submission carries what was typed (env values).
 */
export function boltLogger(logger: Logger): import('@slack/bolt').Logger {
  const log = logger.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m)))
      .join(' ');
  return {
    debug: () => {},
    info: (...m: unknown[]) => log.info(text(m)),
    warn: (...m: unknown[]) => log.warn(text(m)),
    error: (...m: unknown[]) => log.error(text(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function createSlackApp(opts: SlackAppOptions, deps: HandlerDeps): App {
  const logger = boltLogger(opts.logger);
  const clientOptions = { fetch: keepAliveFetch, ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}) };
  const base = {
    token: opts.botToken,
    botId: opts.botId,
    botUserId: opts.botUserId,
    tokenVerificationEnabled: false,
    logger,
    logLevel: LogLevel.INFO,
    clientOptions,
    // podbay keeps no conversation state; Bolt's store would cost a lookup per request.
    convoStore: false as const,
  };
  let app: App;
  if (opts.mode === 'http') {
    const health = opts.health ?? (() => ({ ok: true }));
    // Hostile input (oversized or endless bodies, held sockets, signed junk) stops at the edge.
    const receiver = new EdgeReceiver({
      signingSecret: opts.signingSecret,
      eventsPath: EVENTS_PATH,
      log: opts.logger.child({ component: 'http-edge' }),
      ...(opts.edge ? { limits: opts.edge } : {}),
      logger,
      processBeforeResponse: false,
      customRoutes: opsRoutes({ ...opts.ops, health }),
    });
    app = new App({ ...base, receiver });
  } else if (opts.mode === 'socket') {
    app = new App({ ...base, appToken: opts.appToken, socketMode: true });
  } else {
    app = new App({ ...base, receiver: opts.receiver });
  }
  app.error(async (err) => {
    opts.logger.error({ err: describe(err.original ?? err) }, 'unhandled error in a Slack listener');
  });
  registerAll(app, deps);
  return app;
}

export function registerAll(app: App, deps: HandlerDeps): Routes {
  const routes = new Routes();
  registerGpuCommand(routes, deps);
  registerPodCommand(routes, deps);
  registerVolumeCommand(routes, deps);
  registerEndpointCommand(routes, deps);
  registerSpendCommand(routes, deps);
  registerPodButtons(routes, deps);
  registerCreateFlow(routes, deps);
  registerApprovalButtons(routes, deps);
  registerDeleteButtons(routes, deps);
  registerAlertButtons(routes, deps);
  registerPodbayCommand(routes, deps);
  registerHomeTab(routes, deps);
  routes.mount(app, deps.logger, deps.access, deps.metrics);
  return routes;
}
