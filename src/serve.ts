// `podbay start`. In HTTP mode podbay runs on two threads: this one holds Slack's connections and
// acks (handlers/ack-front.ts), and the app (every listener, the services, the store, the scheduler)
// runs on a worker thread (app-thread.ts), so an ack never waits behind the app's work. Socket Mode
// (its acks go back over the app's own socket) and the console run in one thread, as start() does.
import { readdirSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AppThreadData, ToApp, ToFront } from './app-thread-messages.ts';
import { loadConfig, type SlackMode } from './config.ts';
import { AckFront, type AppPort } from './handlers/ack-front.ts';
import { EVENTS_PATH } from './handlers/app.ts';
import type { ForwardedAck, ForwardedRequest } from './handlers/forwarded-receiver.ts';
import type { OpsAnswer } from './handlers/ops-endpoints.ts';
import { describe } from './handlers/work.ts';
import { createLogger, type Logger } from './logger.ts';
import { type StartOptions, start } from './main.ts';
import { FrontMetrics } from './metrics.ts';

export type ServeOptions = Pick<
  StartOptions,
  'env' | 'cwd' | 'host' | 'port' | 'signals' | 'readCacheMs' | 'shutdownGraceMs'
>;

export interface Served {
  mode: SlackMode;
  /** HTTP mode: where Slack should send requests. */
  url?: string;
  port?: number;
  /** Resolves when podbay has stopped; rejects when the app thread ended on its own. */
  done: Promise<void>;
  stop(reason?: string): Promise<void>;
}

/** A failure the app thread reported while starting, worded for the operator. */
export class StartFailed extends Error {
  override name = 'StartFailed';
}

export async function serve(opts: ServeOptions = {}): Promise<Served> {
  const cwd = opts.cwd ?? process.cwd();
  const config = loadConfig(opts.env, cwd);
  if (config.slack.mode !== 'http') return start(opts);

  const logger = createLogger({ level: config.logLevel, secrets: config.secrets }).child({
    component: 'ack-front',
  });
  const thread = await AppThread.start(
    {
      ...(opts.env ? { env: opts.env } : {}),
      cwd,
      ...(opts.readCacheMs !== undefined ? { readCacheMs: opts.readCacheMs } : {}),
      ...(opts.shutdownGraceMs !== undefined ? { shutdownGraceMs: opts.shutdownGraceMs } : {}),
    },
    logger,
  );
  yieldToThisThread(config.appThreadNice, logger);
  const front = new AckFront({
    signingSecret: config.slack.signingSecret as string,
    eventsPath: EVENTS_PATH,
    app: thread,
    logger,
    metrics: new FrontMetrics(),
  });
  thread.onLoad = (work) => front.appLoad(work);
  let port: number;
  try {
    port = await front.listen(opts.port ?? config.slack.port, opts.host ?? '0.0.0.0');
  } catch (e) {
    await thread.stop('could not listen');
    throw e;
  }
  const url = `http://${opts.host ?? '0.0.0.0'}:${port}`;
  logger.info({ port, path: EVENTS_PATH }, 'podbay listening for Slack (HTTP mode)');

  let resolveDone: () => void = () => {};
  let rejectDone: (e: Error) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const graceMs = opts.shutdownGraceMs ?? 10_000;
  let stopping: Promise<void> | undefined;
  const offSignals: Array<() => void> = [];
  const stop = (reason = 'stop requested'): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason, pending: front.pending }, 'podbay stopping: no new requests');
      // First no new requests; then the app finishes what it took (its own drain), then it stops.
      await front.close(graceMs);
      await thread.stop(reason);
      for (const off of offSignals) off();
      resolveDone();
    })();
    return stopping;
  };
  thread.onUnexpectedExit = (why) => {
    logger.error({ why }, 'the app thread stopped unexpectedly; podbay stops');
    for (const off of offSignals) off();
    void front.close(0).then(() => rejectDone(new StartFailed(`podbay: the app thread stopped (${why})`)));
  };
  if (opts.signals !== false) {
    const onSignal = (sig: NodeJS.Signals) => void stop(sig);
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
    offSignals.push(() => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    });
  }
  return { mode: 'http', url, port, done, stop };
}

/**
 * Linux: every other thread of the process (the app thread, the runtime's GC and I/O helpers) gets a
 * lower CPU priority than this one, so when the machine is busy the acks get the CPU first and the
 * app takes what is left; on an idle machine nothing changes. Elsewhere, or at 0, nothing is done.
 */
function yieldToThisThread(nice: number, logger: Logger): void {
  if (nice <= 0) return;
  let self: number;
  let threads: number[];
  try {
    self = Number(readlinkSync('/proc/thread-self').split('/').pop());
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    return;
  }
  let lowered = 0;
  for (const t of threads) {
    if (t === self) continue;
    try {
      setPriority(t, nice);
      lowered++;
    } catch {
      // A thread that ended meanwhile.
    }
  }
  logger.debug({ nice, threads: lowered }, 'the app thread yields the CPU to the ack thread');
}

type Waiting = {
  ack?: ((a: ForwardedAck) => void) | undefined;
  taken?: ((t: { work: number }) => void) | undefined;
  ops?: ((a: OpsAnswer | null) => void) | undefined;
};

/** The worker thread running the app, as the front's AppPort. */
class AppThread implements AppPort {
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private exited = false;
  private stopped: Promise<void> | undefined;
  private resolveStopped: () => void = () => {};
  onUnexpectedExit: (why: string) => void = () => {};
  onLoad: (work: number) => void = () => {};

  private constructor(private readonly worker: Worker) {}

  static start(data: Omit<AppThreadData, 'entry'>, logger: Logger): Promise<AppThread> {
    const worker = new Worker(new URL('./app-thread-boot.mjs', import.meta.url), {
      workerData: {
        ...data,
        entry: new URL('./app-thread.ts', import.meta.url).href,
      } satisfies AppThreadData,
    });
    const thread = new AppThread(worker);
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (m: ToFront) => {
        if (m.t === 'ready') {
          ready = true;
          resolve(thread);
        } else if (m.t === 'failed') {
          reject(new StartFailed(m.text));
          // Whatever the failed start left open must not keep the process alive.
          void worker.terminate();
        } else thread.onMessage(m);
      });
      worker.on('error', (e) => {
        logger.error({ err: describe(e) }, 'the app thread failed');
        if (!ready) reject(new StartFailed(`podbay: ${e.message}`));
      });
      worker.on('exit', (code) => {
        thread.exited = true;
        thread.abandonWaiting();
        thread.resolveStopped();
        if (!ready) reject(new StartFailed(`podbay: the app thread exited (${code}) before it was ready`));
        else if (!thread.stopped) thread.onUnexpectedExit(`exit code ${code}`);
      });
    });
  }

  private onMessage(m: ToFront): void {
    if (m.t === 'stopped') {
      this.resolveStopped();
      return;
    }
    if (m.t === 'load') {
      this.onLoad(m.work);
      return;
    }
    if (m.t === 'ready' || m.t === 'failed') return;
    const w = this.waiting.get(m.id);
    if (!w) return;
    if (m.t === 'ack') {
      w.ack?.(m.ack);
      w.ack = undefined;
    } else if (m.t === 'taken') {
      w.taken?.({ work: m.work });
      w.taken = undefined;
      // An ack that never came (the listener returned without one) is answered by the receiver first.
      w.ack?.({ status: 404, body: null });
      w.ack = undefined;
    } else if (m.t === 'ops') {
      w.ops?.(m.answer);
      w.ops = undefined;
    }
    if (!w.ack && !w.taken && !w.ops) this.waiting.delete(m.id);
  }

  private post(m: ToApp): void {
    this.worker.postMessage(m);
  }

  deliver(req: ForwardedRequest): { ack: Promise<ForwardedAck>; taken: Promise<{ work: number }> } {
    if (this.exited || this.stopped)
      return { ack: Promise.resolve({ status: 503, body: null }), taken: Promise.resolve({ work: 0 }) };
    const id = this.nextId++;
    const w: Waiting = {};
    const ack = new Promise<ForwardedAck>((r) => {
      w.ack = r;
    });
    const taken = new Promise<{ work: number }>((r) => {
      w.taken = r;
    });
    // An acked-ahead request gets no ack message back: only `taken`.
    if (req.preAcked) w.ack = undefined;
    this.waiting.set(id, w);
    this.post({ t: 'req', id, req });
    return { ack, taken };
  }

  ops(path: string): Promise<OpsAnswer | null> {
    if (this.exited) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((r) => {
      this.waiting.set(id, { ops: r });
      this.post({ t: 'ops', id, path });
    });
  }

  /** Asks the app to stop (it drains its own work) and waits for the thread to end. */
  stop(reason: string): Promise<void> {
    this.stopped ??= new Promise<void>((r) => {
      this.resolveStopped = r;
      if (this.exited) return r();
      this.post({ t: 'stop', reason });
    }).then(async () => {
      if (!this.exited) await this.worker.terminate();
    });
    return this.stopped;
  }

  private abandonWaiting(): void {
    for (const w of this.waiting.values()) {
      w.ack?.({ status: 503, body: null });
      w.taken?.({ work: 0 });
      w.ops?.(null);
    }
    this.waiting.clear();
  }
}
