// node-cron wiring for approvals: expired requests are closed (message updated, buttons removed,
// requester told) even when nobody clicks. The job itself is ApprovalService.expireDue().
import cron from 'node-cron';
import type { Logger } from '../logger.ts';
import type { ApprovalService } from '../services/approvals.ts';

export const DEFAULT_APPROVAL_SWEEP = '*/30 * * * * *';

export function scheduleApprovalJobs(
  approvals: ApprovalService,
  logger: Logger,
  expression = DEFAULT_APPROVAL_SWEEP,
): { stop(): void } {
  let running = false;
  const task = cron.schedule(expression, async () => {
    if (running) return; // a slow sweep is never run twice at once
    running = true;
    try {
      const n = await approvals.expireDue();
      if (n) logger.info({ expired: n }, 'approval requests expired');
    } catch (e) {
      logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'approval expiry sweep failed');
    } finally {
      running = false;
    }
  });
  return { stop: () => void task.stop() };
}
