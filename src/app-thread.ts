// HTTP mode's app thread (serve.ts starts it): all of podbay (start() behind the ack front), taking
// the front's messages: requests to run, the operator's endpoints, and stop.
import { parentPort, workerData } from 'node:worker_threads';
import { ConfigError } from './config.ts';
import type { ForwardedRequest } from './handlers/forwarded-receiver.ts';
import { opsAnswer } from './handlers/ops-endpoints.ts';
import { describe } from './handlers/work.ts';
import { start } from './main.ts';
import { asPodbayError } from './services/errors.ts';
import { PolicyError } from './services/policy-file.ts';
import type { AppThreadData, ToApp, ToFront } from './app-thread-messages.ts';

const port = parentPort;
if (!port) throw new Error('app-thread.ts runs as a worker thread (serve.ts starts it)');
const send = (m: ToFront) => port.postMessage(m);
const data = workerData as AppThreadData;

try {
  const running = await start({
    ...(data.env ? { env: data.env } : {}),
    ...(data.cwd ? { cwd: data.cwd } : {}),
    ...(data.readCacheMs !== undefined ? { readCacheMs: data.readCacheMs } : {}),
    ...(data.shutdownGraceMs !== undefined ? { shutdownGraceMs: data.shutdownGraceMs } : {}),
    mode: 'http',
    forwarded: true,
    signals: false,
  });
  const receiver = running.forwarded;
  const ops = running.ops;
  if (!receiver || !ops) throw new Error('podbay did not start behind the ack front');
  // A promise a library dropped must not end the thread (main.ts does the same for one process).
  process.on('unhandledRejection', (reason) =>
    running.logger.error({ err: describe(reason) }, 'unhandled promise rejection; podbay keeps serving'),
  );
  // The front hands over more while the app has room: it hears of the work left as tasks end (once per turn).
  let loadPending = false;
  running.work.onSettled = () => {
    if (loadPending) return;
    loadPending = true;
    setImmediate(() => {
      loadPending = false;
      send({ t: 'load', work: running.work.size });
    });
  };
  port.on('message', (m: ToApp) => {
    if (m.t === 'req') {
      const { ack, taken } = receiver.deliver(m.req as ForwardedRequest);
      if (!m.req.preAcked) void ack.then((a) => send({ t: 'ack', id: m.id, ack: a }));
      void taken.then(() => send({ t: 'taken', id: m.id, work: running.work.size }));
    } else if (m.t === 'ops') {
      void opsAnswer(ops, m.path).then((answer) => send({ t: 'ops', id: m.id, answer }));
    } else if (m.t === 'stop') {
      void running.stop(m.reason).then(() => {
        send({ t: 'stopped' });
        port.close();
      });
    }
  });
  send({ t: 'ready' });
} catch (e) {
  const text =
    e instanceof ConfigError || e instanceof PolicyError
      ? e.message
      : `podbay: ${asPodbayError(e).toUserText()}`;
  send({ t: 'failed', text });
  port.close();
}
