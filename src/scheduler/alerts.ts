// node-cron wiring for alerts: the scan (PODBAY_SCAN_CRON) and the digest (PODBAY_DIGEST_CRON) in
// PODBAY_TZ. The jobs themselves are AlertJobs.tick(now) and .digest(now); a slow run is never
// started twice at once.
import cron from 'node-cron';
import type { Logger } from '../logger.ts';
import type { PodbayMetrics } from '../metrics.ts';
import type { AlertJobs } from '../services/alert-jobs.ts';
import { asPodbayError } from '../services/errors.ts';
import type { Clock } from '../services/ports.ts';

export interface AlertSchedule {
  scanCron: string;
  digestCron: string;
  timeZone: string;
}

function guarded(name: string, logger: Logger, run: () => Promise<void>): () => Promise<void> {
  let busy = false;
  return async () => {
    if (busy) return;
    busy = true;
    try {
      await run();
    } catch (e) {
      logger.warn(
        { job: name, err: asPodbayError(e).code, why: asPodbayError(e).userMessage },
        `${name} failed`,
      );
    } finally {
      busy = false;
    }
  };
}

export function scheduleAlertJobs(
  jobs: AlertJobs,
  schedule: AlertSchedule,
  clock: Clock,
  logger: Logger,
  metrics?: PodbayMetrics,
): { stop(): Promise<void> } {
  const scan = guarded('alert scan', logger, async () => {
    const end = metrics?.scanSeconds.startTimer();
    let r: Awaited<ReturnType<AlertJobs['tick']>>;
    try {
      r = await jobs.tick(clock.now());
      end?.({ outcome: r ? 'done' : 'standby' });
    } catch (e) {
      end?.({ outcome: 'failed' });
      throw e;
    } finally {
      metrics?.leader.set(jobs.isLeader ? 1 : 0);
    }
    if (r && (r.opened.length || r.stops.length))
      logger.info({ opened: r.opened.length, stops: r.stops.length, idle: r.idle }, 'alert scan');
  });
  const digest = guarded('digest', logger, async () => {
    if (await jobs.digest(clock.now())) logger.info('daily digest posted');
  });
  // Overlap is prevented by `guarded` (node-cron's own noOverlap prints to stderr every tick).
  const opts = { timezone: schedule.timeZone };
  const tasks = [
    cron.schedule(schedule.scanCron, scan, opts),
    cron.schedule(schedule.digestCron, digest, opts),
  ];
  // The lease is renewed (or taken) between scans too, so it can be short: a process restarted
  // after a crash takes over within one lease period, before the idle samples' gap limit.
  const beat = setInterval(() => {
    jobs
      .lead(clock.now())
      .then((held) => metrics?.leader.set(held ? 1 : 0))
      .catch((e: unknown) => {
        logger.warn({ err: asPodbayError(e).code }, 'could not renew the scheduler lease');
      });
  }, jobs.heartbeatMs);
  beat.unref();
  return {
    stop: async () => {
      clearInterval(beat);
      for (const t of tasks) await t.stop();
      await jobs.release();
    },
  };
}
