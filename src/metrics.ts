// podbay's Prometheus metrics (prom-client), one registry per process: Slack requests by outcome
// and ack latency, RunPod calls by operation, status and latency, scans, alerts posted, approvals
// by outcome, and whether this process holds the scheduler's lease. Served at GET /metrics.
import client from 'prom-client';
import { asPodbayError } from './services/errors.ts';
import type { RunpodApi } from './services/ports.ts';

export class PodbayMetrics {
  readonly registry = new client.Registry();
  readonly requests: client.Counter<'kind' | 'name' | 'outcome'>;
  readonly errors: client.Counter<'code'>;
  readonly ackSeconds: client.Histogram<'kind'>;
  readonly runpodCalls: client.Counter<'op' | 'status'>;
  readonly runpodSeconds: client.Histogram<'op'>;
  readonly scanSeconds: client.Histogram<'outcome'>;
  readonly alertsPosted: client.Counter<'kind'>;
  readonly approvals: client.Counter<'outcome'>;
  readonly leader: client.Gauge;

  /**
   * `ackAtFront`: in HTTP mode the ack front (another thread) acks and times it; this registry then
   * leaves the ack histogram out, so the two texts served together declare each metric once.
   */
  constructor(opts: { ackAtFront?: boolean } = {}) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry, prefix: 'podbay_' });
    this.requests = new client.Counter({
      name: 'podbay_slack_requests_total',
      help: 'Slash commands, button clicks and form submissions, by outcome (ok, refused, unknown, failed).',
      labelNames: ['kind', 'name', 'outcome'],
      registers,
    });
    this.errors = new client.Counter({
      name: 'podbay_user_errors_total',
      help: 'Errors shown to a person, by code.',
      labelNames: ['code'],
      registers,
    });
    this.ackSeconds = ackHistogram(opts.ackAtFront ? [] : registers);
    this.runpodCalls = new client.Counter({
      name: 'podbay_runpod_calls_total',
      help: 'RunPod calls by operation and status (ok or the error code).',
      labelNames: ['op', 'status'],
      registers,
    });
    this.runpodSeconds = new client.Histogram({
      name: 'podbay_runpod_call_seconds',
      help: 'RunPod call latency by operation (retries included).',
      labelNames: ['op'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.scanSeconds = new client.Histogram({
      name: 'podbay_scan_seconds',
      help: 'Alert scan duration, by outcome (done, standby, failed).',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.alertsPosted = new client.Counter({
      name: 'podbay_alerts_posted_total',
      help: 'Alert messages posted to Slack, by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.approvals = new client.Counter({
      name: 'podbay_approvals_total',
      help: 'Approval requests opened and how they ended, by outcome.',
      labelNames: ['outcome'],
      registers,
    });
    this.leader = new client.Gauge({
      name: 'podbay_scheduler_leader',
      help: '1 when this process holds the scheduler lease (runs scans and posts alerts).',
      registers,
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

const ACK_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function ackHistogram(registers: client.Registry[]): client.Histogram<'kind'> {
  return new client.Histogram({
    name: 'podbay_ack_seconds',
    help: 'Time from a Slack request arriving to its ack.',
    labelNames: ['kind'],
    buckets: ACK_BUCKETS,
    registers,
  });
}

/** The ack front's own metrics: the true ack latency (it acks) and the app thread's backlog. */
export class FrontMetrics {
  readonly registry = new client.Registry();
  readonly ackSeconds = ackHistogram([this.registry]);
  readonly backlog = new client.Gauge({
    name: 'podbay_app_thread_backlog',
    help: 'Requests acked at the front that the app thread has not taken up yet.',
    registers: [this.registry],
  });
}

/** The RunPod port, with every call counted and timed by operation (the method name). */
export function instrumentRunpod(api: RunpodApi, m: PodbayMetrics): RunpodApi {
  return new Proxy(api, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return async (...args: unknown[]) => {
        const end = m.runpodSeconds.startTimer({ op: prop });
        try {
          const out = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          m.runpodCalls.inc({ op: prop, status: 'ok' });
          return out;
        } catch (e) {
          m.runpodCalls.inc({ op: prop, status: asPodbayError(e).code });
          throw e;
        } finally {
          end();
        }
      };
    },
  });
}
