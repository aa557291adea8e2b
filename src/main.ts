// Composition root: config → logger → RunPod (RunPod itself, or the local twin: "sandbox") → store →
// services → the Bolt app in the configured mode (Socket Mode, HTTP, or the terminal console) → start.
// Graceful shutdown on SIGTERM/SIGINT: stop taking requests, finish work in flight, close the store.
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { App } from '@slack/bolt';
import { pino } from 'pino';
import { type Config, ConfigError, loadConfig, type SlackMode } from './config.ts';
import { connectRunpod, SANDBOX_BANNER } from './connect-runpod.ts';
import { createSlackApp } from './handlers/app.ts';
import type { FollowSettings, HandlerDeps } from './handlers/deps.ts';
import { botIdentity } from './handlers/bot-identity.ts';
import { buildGpuPort, type GpuPort } from './handlers/gpu-port.ts';
import { describe, WorkTracker } from './handlers/work.ts';
import { createLogger, type Logger } from './logger.ts';
import { PodbayConsole } from './sandbox/console/console.ts';
import { InProcessReceiver } from './sandbox/console/receiver.ts';
import { SlackSimulator } from './sandbox/console/simulator.ts';
import { SlackFake } from './sandbox/console/slack-fake.ts';
import { coalesceReads } from './runpod/shared-reads.ts';
import { EndpointService } from './services/endpoints.ts';
import { asPodbayError } from './services/errors.ts';
import { GpuAdvisor } from './services/gpu-advisor.ts';
import { LifetimeService } from './services/lifetimes.ts';
import { PodService } from './services/pods.ts';
import { type Clock, type RunpodApi, type Store, systemClock } from './services/ports.ts';
import { SpendService } from './services/spend.ts';
import { VolumeService } from './services/volumes.ts';
import { AccessControl } from './services/access.ts';
import { registerExecutors } from './services/approval-executors.ts';
import { ApprovalService } from './services/approvals.ts';
import { AuditService } from './services/audit.ts';
import { CreateFormService } from './services/create-forms.ts';
import { PodLogService } from './services/pod-logs.ts';
import { PolicyError } from './services/policy-file.ts';
import { type Directory, RoleResolver } from './services/roles.ts';
import { SlackApprovalNotifier } from './handlers/approval-notifier.ts';
import { SlackDirectory } from './handlers/usergroups.ts';
import { reportRecoveredCreates } from './handlers/recovered-creates.ts';
import { loadPolicy } from './load-policy.ts';
import { scheduleApprovalJobs } from './scheduler/approvals.ts';
import { scheduleAlertJobs } from './scheduler/alerts.ts';
import { AlertActions } from './services/alert-actions.ts';
import { AlertDelivery } from './services/alert-delivery.ts';
import { AlertJobs } from './services/alert-jobs.ts';
import { AlertScan } from './services/alert-scan.ts';
import { randomIds } from './services/ids.ts';
import { formatDuration } from './services/policy-units.ts';
import { policyStop } from './services/policy-stop.ts';
import { SlackAlertNotifier } from './handlers/alert-notifier.ts';
import { HomeRefresher, refreshingApprovalNotifier, refreshingPods } from './handlers/events/home-refresh.ts';
import { HOME_CHART_KEY, HomeService } from './services/home.ts';
import { alertLine } from './handlers/views/alerts.ts';
import { ForwardedReceiver } from './handlers/forwarded-receiver.ts';
import { type OpsProbe, type ReadyCheck, startOpsServer } from './handlers/ops-endpoints.ts';
import { instrumentRunpod, PodbayMetrics } from './metrics.ts';
import type { Twin } from './sandbox/twin/server.ts';
import { logStoreFailures, openConfiguredStore } from './store/index.ts';
import { AesSecretBox, ephemeralSecretBox, fileSecretBox } from './store/secret-box.ts';

export interface StartOptions {
  /** Environment to read settings from (default process.env). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Force a mode (`podbay console`); default: from the Slack settings. */
  mode?: SlackMode;
  /** HTTP mode: address to listen on (default 0.0.0.0). */
  host?: string;
  /** HTTP mode: port, overriding PORT (0 = any free port; tests). */
  port?: number;
  /** Install SIGTERM/SIGINT handlers (default true). */
  signals?: boolean;
  /** Console streams (default stdin/stdout). */
  input?: Readable;
  output?: NodeJS.WritableStream;
  /** Injected for tests. */
  logger?: Logger;
  runpod?: RunpodApi;
  /** With an injected `runpod`: whether it is a sandbox (labels the console). */
  sandbox?: boolean;
  store?: Store;
  clock?: Clock;
  gpu?: GpuPort;
  follow?: FollowSettings;
  /** How long RunPod reads are shared between requests (default 1000 ms; 0 = never). */
  readCacheMs?: number;
  /** How long shutdown waits for work in flight before it stops following pods (default 10 s). */
  shutdownGraceMs?: number;
  /** Console: longest wait for answers before the prompt returns (ms). */
  consoleSettleMs?: number;
  /** User groups (default: Slack's usergroups.users.list through the app's client). */
  directory?: Directory;
  /** How often pending requests are checked for expiry (node-cron; default every 30 s). */
  approvalSweepCron?: string;
  /** Samples further apart than this break an idle stretch (default 3 minutes; tests shorten it). */
  alertMaxGapMs?: number;
  /**
   * HTTP mode behind the ack front (serve.ts): no listener here; requests come through
   * `running.forwarded` and the operator's endpoints through `running.ops`.
   */
  forwarded?: boolean;
}

export interface RunningPodbay {
  mode: SlackMode;
  app: App;
  config: Config;
  sandbox: boolean;
  /** HTTP mode: where Slack should send requests (http://host:port). */
  url?: string;
  port?: number;
  /** Console mode: the loopback Slack the console talks to. */
  slackFake?: SlackFake;
  work: WorkTracker;
  approvals: ApprovalService;
  access: AccessControl;
  /** The scheduler's jobs (scan, digest), whether or not the policy has alerts. */
  alertJobs: AlertJobs;
  /** HTTP mode behind the ack front: the receiver the front delivers to, and its endpoints. */
  forwarded?: ForwardedReceiver;
  ops?: OpsProbe;
  logger: Logger;
  /** Resolves when podbay has stopped (console quit, signal, or stop()). */
  done: Promise<void>;
  stop(reason?: string): Promise<void>;
}

function consoleLogger(config: Config, cwd: string): Logger {
  // The terminal belongs to the console: logs go to a file next to the database.
  const dir = config.dbPath === ':memory:' ? join(cwd, '.podbay') : dirname(resolve(cwd, config.dbPath));
  mkdirSync(dir, { recursive: true });
  return createLogger({
    level: config.logLevel,
    secrets: config.secrets,
    destination: pino.destination({ dest: join(dir, 'console.log'), sync: false, mkdir: true }),
  });
}

export async function start(opts: StartOptions = {}): Promise<RunningPodbay> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadConfig(opts.env, cwd);
  const mode: SlackMode = opts.mode ?? config.slack.mode;
  const logger =
    opts.logger ??
    (mode === 'console'
      ? consoleLogger(config, cwd)
      : createLogger({ level: config.logLevel, secrets: config.secrets }));
  // The policy: who may do what and what needs approval. Its problems stop start-up, before anything opens.
  // The sandbox console runs the demo policy unless a file is named.
  const sandboxConsole =
    mode === 'console' && (opts.sandbox ?? (opts.runpod === undefined && config.runpod.sandbox));
  const loaded = loadPolicy({ path: config.policyPath, cwd, demo: sandboxConsole });
  const cleanups: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  };

  try {
    // RunPod, or the twin in process (realtime) when no key is set.
    let runpod = opts.runpod;
    let sandbox = opts.sandbox ?? false;
    let twin: Twin | undefined;
    if (!runpod) {
      const conn = await connectRunpod(config, logger, { realtime: true });
      cleanups.push(() => conn.close());
      runpod = conn.api;
      sandbox = conn.sandbox;
      twin = conn.twin;
      if (sandbox) logger.warn({ sandbox: true, twin: conn.url }, SANDBOX_BANNER);
    }

    // Metrics count RunPod's real calls (under the read cache, which shares answers between requests).
    const forwardedHttp = mode === 'http' && opts.forwarded === true;
    const metrics = new PodbayMetrics({ ackAtFront: forwardedHttp });
    runpod = coalesceReads(instrumentRunpod(runpod, metrics), opts.readCacheMs ?? 1000);

    // A database that cannot be opened stops start-up (the error names the file); memory only when asked for.
    // DATABASE_URL set: Postgres, shared by replicas (an unreachable server stops start-up, naming the host).
    const opened =
      opts.store ??
      (await openConfiguredStore({
        databaseUrl: config.databaseUrl,
        dbPath: config.dbPath,
        cwd,
        ...(opts.clock ? { clock: opts.clock } : {}),
        onIdleError: (err) => logger.warn({ err: err.message }, 'a Postgres connection failed; reconnecting'),
      }));
    const store = logStoreFailures(opened, logger);
    cleanups.push(() => store.close());

    // With the twin in process, podbay keeps the twin's time, so `advance` in the console moves both.
    const inProcessTwin = twin;
    const clock: Clock =
      opts.clock ?? (inProcessTwin ? { now: () => inProcessTwin.control.now() } : systemClock);
    const work = new WorkTracker(logger);

    logger.info({ policy: loaded.policy.source ?? 'built-in' }, loaded.notice);
    for (const w of loaded.warnings) logger.warn({ policy: loaded.policy.source }, `policy: ${w}`);
    let directory: Directory = opts.directory ?? { groupMembers: async () => [] };
    const roles = new RoleResolver(
      loaded.policy,
      { groupMembers: (g) => directory.groupMembers(g) },
      clock,
      logger,
    );
    let pods: PodService | undefined;
    const access = new AccessControl({
      roles,
      store,
      clock,
      usage: (userId) => (pods as PodService).usage(userId),
    });
    const secrets = secretBoxFor(config, cwd, logger);
    const approvals = new ApprovalService({ store, clock, access, secrets });
    const guard = { access, approvals };
    const lifetimes = new LifetimeService({ store, clock });
    pods = new PodService({ runpod, store, clock, guard, logger, lifetimes });
    const volumes = new VolumeService({ runpod, clock, store, guard });
    const endpoints = new EndpointService({ runpod, clock, store, guard });
    registerExecutors(approvals, { pods, volumes, endpoints });

    // Alerts: the scan and its delivery; cron runs them once Slack is up (below).
    const timeZone = config.schedule.timeZone;
    const delivery = new AlertDelivery({ store, logger, nowMs: () => clock.now().getTime() });
    const alertScan = new AlertScan({
      runpod,
      store,
      policy: loaded.policy,
      timeZone,
      logger,
      stop: policyStop({ runpod, store, clock }),
      ...(opts.alertMaxGapMs !== undefined ? { maxGapMs: opts.alertMaxGapMs } : {}),
    });
    const alertJobs = new AlertJobs({
      scan: alertScan,
      delivery,
      store,
      runpod,
      logger,
      timeZone,
      holder: randomIds.id(),
    });
    delivery.mayPost = () => alertJobs.isLeader;
    const ready = readiness({ store, runpod, jobs: alertJobs, draining: () => draining });
    const alertActions = new AlertActions({ store, clock, pods, guard, lifetimes, delivery, timeZone });

    // The Home tab: published when opened and when something changes for the person (paced).
    const home = new HomeRefresher({
      home: new HomeService({
        pods,
        approvals,
        access,
        store,
        clock,
        timeZone,
        ...(opts.alertMaxGapMs !== undefined ? { maxGapMs: opts.alertMaxGapMs } : {}),
      }),
      logger,
    });
    cleanups.push(async () => home.close());
    const deps: HandlerDeps = {
      pods: refreshingPods(pods, home),
      home,
      volumes,
      endpoints,
      access,
      approvals,
      alerts: alertActions,
      metrics,
      audit: new AuditService(store, clock),
      forms: new CreateFormService({ store, clock }),
      podLogs: new PodLogService({ runpod, pods }),
      spend: new SpendService({ runpod, store, clock }),
      gpu: opts.gpu ?? buildGpuPort(new GpuAdvisor(runpod, clock, undefined, { logger })),
      logger,
      work,
      ...(opts.follow ? { follow: opts.follow } : mode === 'console' ? { follow: { intervalSec: 2 } } : {}),
    };

    let app: App;
    let url: string | undefined;
    let port: number | undefined;
    let slackFake: SlackFake | undefined;
    let forwarded: ForwardedReceiver | undefined;
    let ops: OpsProbe | undefined;
    let done: Promise<void>;
    // Set as soon as stop() begins: /healthz answers 503 on connections still open while podbay drains.
    let draining = false;
    let resolveDone: () => void = () => {};
    const stopped = new Promise<void>((r) => {
      resolveDone = r;
    });

    if (mode === 'console') {
      slackFake = await new SlackFake().start();
      const fake = slackFake;
      cleanups.push(() => fake.close());
      const receiver = new InProcessReceiver(logger);
      app = createSlackApp(
        {
          mode: 'custom',
          receiver,
          botToken: 'xoxb-console',
          botId: 'B0PODBAY',
          botUserId: 'U0PODBAY',
          apiUrl: fake.apiUrl,
          logger,
        },
        deps,
      );
      await app.start();
      const name = safeUserName();
      const sim = new SlackSimulator(fake, receiver, { userId: 'U0CONSOLE', userName: name });
      const banner = [
        sandbox
          ? '⚗  SANDBOX: RunPod calls go to a local twin with demo data. Nothing is billed.'
          : '⚠  LIVE: RunPod calls go to your RunPod account (RUNPOD_API_KEY). Creating pods costs money.',
        `podbay console: you are @${name} in #gpu. Type "help" for commands, "quit" to leave.`,
      ];
      const consoleUi = new PodbayConsole({
        sim,
        fake,
        idle: async () => {
          await receiver.idle();
          await work.idle();
        },
        input: opts.input ?? process.stdin,
        output: opts.output ?? process.stdout,
        banner,
        ...(opts.consoleSettleMs !== undefined ? { settleMs: opts.consoleSettleMs } : {}),
        ...(loaded.policy.alerts ? { names: { [loaded.policy.alerts.channel]: 'gpu-alerts' } } : {}),
        ...(inProcessTwin
          ? { advance: (ms: number) => advanceTwin(inProcessTwin, alertJobs, clock, ms, timeZone) }
          : {}),
      });
      cleanups.push(async () => consoleUi.close());
      done = consoleUi.run().then(() => stop('console closed'));
    } else {
      const botToken = config.slack.botToken as string;
      const ids = await botIdentity(botToken, config.slack.apiUrl);
      const common = { botToken, ...ids, apiUrl: config.slack.apiUrl, logger };
      if (forwardedHttp) {
        forwarded = new ForwardedReceiver(logger);
        app = createSlackApp({ ...common, mode: 'custom', receiver: forwarded }, deps);
        await app.start();
        ops = {
          health: () => ({ ok: !draining, mode: 'http', sandbox, inFlight: work.size }),
          ready,
          metrics,
        };
        logger.info('podbay app thread ready (HTTP mode, behind the ack front)');
      } else if (mode === 'http') {
        app = createSlackApp(
          {
            ...common,
            mode: 'http',
            signingSecret: config.slack.signingSecret as string,
            health: () => ({ ok: !draining, mode: 'http', sandbox, inFlight: work.size }),
            ops: { ready, metrics },
          },
          deps,
        );
        const server = (await app.start({
          port: opts.port ?? config.slack.port,
          host: opts.host ?? '0.0.0.0',
        })) as import('node:http').Server;
        const addr = server.address();
        port = typeof addr === 'object' && addr ? addr.port : config.slack.port;
        url = `http://${opts.host ?? '0.0.0.0'}:${port}`;
        logger.info({ port, path: '/slack/events' }, 'podbay listening for Slack (HTTP mode)');
      } else {
        app = createSlackApp({ ...common, mode: 'socket', appToken: config.slack.appToken as string }, deps);
        await app.start();
        logger.info('podbay connected to Slack (Socket Mode)');
      }
      done = stopped;
    }

    if (mode !== 'http' && config.metricsPort !== undefined) {
      // Socket Mode and the console have no HTTP receiver: the operator's endpoints get their own port.
      const ops = await startOpsServer(config.metricsPort, opts.host ?? '0.0.0.0', {
        health: () => ({ ok: !draining, mode, sandbox, inFlight: work.size }),
        ready,
        metrics,
      });
      cleanups.push(() => new Promise<void>((r) => ops.close(() => r())));
      logger.info({ port: config.metricsPort }, 'health and metrics served (/healthz, /readyz, /metrics)');
    }
    home.setClient(app.client);
    approvals.setNotifier(
      refreshingApprovalNotifier(
        new SlackApprovalNotifier(app.client, loaded.policy.approvals.channel, logger, metrics),
        home,
      ),
    );
    if (!opts.directory) directory = new SlackDirectory(app.client);
    const groupsOff = await roles.probeGroups();
    if (groupsOff)
      logger.warn(
        { why: groupsOff },
        'Slack user groups are not available (a free plan has none): roles use the user ids alone',
      );
    const recovered = await approvals.recover().catch((e: unknown) => {
      logger.error({ err: asPodbayError(e).code }, 'could not recover pending approval requests');
      return null;
    });
    if (recovered && recovered.posted + recovered.resumed + recovered.reconciled > 0)
      logger.info(recovered, 'approval requests recovered after a restart');
    // Creates caught mid-flight by a stop: matched with RunPod by name, their messages updated.
    const creates = await pods.recoverCreates().catch((e: unknown) => {
      logger.error({ err: asPodbayError(e).code }, 'could not reconcile creates that were in flight');
      return [];
    });
    if (creates.length) {
      logger.info(
        { creates: creates.length, found: creates.filter((c) => c.pod).length },
        'creates in flight reconciled after a restart',
      );
      await reportRecoveredCreates(app.client, creates, logger);
    }
    const jobs = scheduleApprovalJobs(approvals, logger, opts.approvalSweepCron);
    cleanups.push(async () => jobs.stop());
    const alertNotifier = new SlackAlertNotifier(app.client, timeZone, logger, undefined, metrics, {
      // The console writes each digest's chart next to the database and shows the path.
      ...(mode === 'console'
        ? {
            chartDir: join(
              config.dbPath === ':memory:' ? join(cwd, '.podbay') : dirname(resolve(cwd, config.dbPath)),
              'charts',
            ),
          }
        : {}),
    });
    alertNotifier.onShown = (alert) => home.alertChanged(alert);
    // The digest's uploaded chart is shown on every Home from then on (the next publish picks it up).
    alertNotifier.onChart = (chart) => {
      store.kvPut('home', HOME_CHART_KEY, chart).catch((e: unknown) => {
        logger.warn({ err: asPodbayError(e).code }, 'could not keep the spend chart for the Home tab');
      });
    };
    delivery.setNotifier(alertNotifier);
    // The scan runs even without an alerts section: pod lifetimes (stop_after) are enforced by it.
    const alertCron = scheduleAlertJobs(alertJobs, config.schedule, clock, logger, metrics);
    cleanups.push(() => alertCron.stop());
    logger.info(
      {
        scan: config.schedule.scanCron,
        digest: config.schedule.digestCron,
        tz: timeZone,
        alerts: loaded.policy.alerts ? loaded.policy.alerts.channel : 'none (lifetimes only)',
      },
      'scheduler started',
    );

    let stopping: Promise<void> | undefined;
    const stop = (reason = 'stop requested'): Promise<void> => {
      stopping ??= (async () => {
        draining = true;
        logger.info(
          { reason, inFlight: work.size },
          'podbay stopping: no new requests, finishing work in flight',
        );
        await app
          .stop()
          .catch((e: unknown) =>
            logger.warn({ err: asPodbayError(e).code }, 'receiver did not stop cleanly'),
          );
        await work.drain(opts.shutdownGraceMs ?? 10_000);
        await closeAll();
        logger.info('podbay stopped');
        logger.flush?.();
        resolveDone();
      })();
      return stopping;
    };
    if (opts.signals !== false) {
      const onSignal = (sig: NodeJS.Signals) => void stop(sig);
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
      // A promise a library dropped (Bolt handles each request in one) must not end the process.
      const onRejection = (reason: unknown) =>
        logger.error({ err: describe(reason) }, 'unhandled promise rejection; podbay keeps serving');
      process.on('unhandledRejection', onRejection);
      cleanups.push(async () => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        process.off('unhandledRejection', onRejection);
      });
    }

    const running: RunningPodbay = {
      mode,
      app,
      config,
      sandbox,
      work,
      approvals,
      access,
      alertJobs,
      logger,
      done: done.then(() => stopped),
      stop,
    };
    if (url !== undefined) running.url = url;
    if (port !== undefined) running.port = port;
    if (slackFake) running.slackFake = slackFake;
    if (forwarded) running.forwarded = forwarded;
    if (ops) running.ops = ops;
    return running;
  } catch (e) {
    await closeAll();
    throw e;
  }
}

function safeUserName(): string {
  try {
    const n = userInfo()
      .username.toLowerCase()
      .replace(/[^a-z0-9._-]/g, '');
    return n || 'you';
  } catch {
    return 'you';
  }
}

/** `tsx src/main.ts`: start with the environment's settings; print config problems plainly. */
async function main(): Promise<void> {
  try {
    const running = await start();
    await running.done;
    process.exit(0);
  } catch (e) {
    const text =
      e instanceof ConfigError || e instanceof PolicyError
        ? e.message
        : `podbay: ${asPodbayError(e).toUserText()}`;
    process.stderr.write(`${text}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) void main();

/**
 * The console's `advance`: moves the twin's clock in steps of at most three minutes, scanning
 * after each as the cron would have, so idle stretches build up as they would in real time.
 */
async function advanceTwin(
  twin: Twin,
  jobs: AlertJobs,
  clock: Clock,
  ms: number,
  timeZone: string,
): Promise<string> {
  const MAX_MS = 12 * 3_600_000;
  if (ms > MAX_MS) return `advance moves at most ${formatDuration(MAX_MS)} at a time.`;
  const step = Math.min(180_000, Math.max(60_000, Math.ceil(ms / 240)));
  const lines: string[] = [];
  let scans = 0;
  for (let left = ms; left > 0; left -= step) {
    twin.control.advance(Math.min(step, left) / 1000);
    const r = await jobs.tick(clock.now());
    scans++;
    for (const a of r?.opened ?? []) lines.push(`  alert: ${alertLine(a, timeZone)}`);
    for (const s of r?.stops ?? []) lines.push(`  stopped ${s.podName} (${s.why})`);
  }
  const head = `The twin's clock moved ${formatDuration(ms)} (now ${clock.now().toISOString().slice(0, 16)}Z); ${scans} scans.`;
  return [head, ...(lines.length ? lines : ['  No new alerts.'])].join('\n');
}

/**
 * GET /readyz: the store answers, RunPod answered a pod list within the last 15 s (probed at most
 * that often, so a load balancer's checks do not become RunPod traffic), and the lease state.
 */
function readiness(deps: {
  store: Store;
  runpod: RunpodApi;
  jobs: AlertJobs;
  draining: () => boolean;
}): () => Promise<{ ready: boolean; checks: Record<string, ReadyCheck> }> {
  let probe: { atMs: number; result: Promise<ReadyCheck> } | null = null;
  const runpodCheck = (): Promise<ReadyCheck> => {
    const now = performance.now();
    if (!probe || now - probe.atMs > 15_000) {
      probe = {
        atMs: now,
        result: deps.runpod.listPods().then(
          (pods) => ({ ok: true, detail: `${pods.length} pods` }),
          (e: unknown) => ({ ok: false, detail: asPodbayError(e).code }),
        ),
      };
    }
    return probe.result;
  };
  return async () => {
    const [store, runpod] = await Promise.all([
      deps.store.kvGet('scan', 'last').then(
        (): ReadyCheck => ({ ok: true }),
        (e: unknown): ReadyCheck => ({ ok: false, detail: asPodbayError(e).code }),
      ),
      runpodCheck(),
    ]);
    const lease: ReadyCheck = { ok: true, detail: deps.jobs.isLeader ? 'holder' : 'standby' };
    const draining: ReadyCheck = { ok: !deps.draining(), ...(deps.draining() ? { detail: 'stopping' } : {}) };
    const checks = { store, runpod, lease, draining };
    return { ready: store.ok && runpod.ok && draining.ok, checks };
  };
}

/**
 * The key that seals a waiting request's env values: PODBAY_SECRET_KEY when set (replicas share
 * it), else a key file beside the SQLite database, or under .podbay/ for Postgres (then a request
 * sealed by one replica opens only there, which the warning says).
 */
function secretBoxFor(config: Config, cwd: string, logger: Logger) {
  if (config.secretKey) return new AesSecretBox(Buffer.from(config.secretKey, 'base64'));
  if (config.databaseUrl) {
    logger.warn(
      'PODBAY_SECRET_KEY is not set: with several replicas, set the same key on each, or a request with env values approved on another replica cannot run',
    );
    return fileSecretBox(resolve(cwd, '.podbay', 'postgres-secret.key'));
  }
  return config.dbPath === ':memory:'
    ? ephemeralSecretBox()
    : fileSecretBox(`${resolve(cwd, config.dbPath)}.key`);
}
