// What the Slack handlers need, handed in by main.ts (services are built there, not here).
import type { Logger } from '../logger.ts';
import type { PodbayMetrics } from '../metrics.ts';
import type { AccessControl } from '../services/access.ts';
import type { AlertActions } from '../services/alert-actions.ts';
import type { ApprovalService } from '../services/approvals.ts';
import type { AuditService } from '../services/audit.ts';
import type { CreateFormService } from '../services/create-forms.ts';
import type { PodLogService } from '../services/pod-logs.ts';
import type { EndpointService } from '../services/endpoints.ts';
import type { PodService, Requester } from '../services/pods.ts';
import type { SpendService } from '../services/spend.ts';
import type { VolumeService } from '../services/volumes.ts';
import type { HomeRefresher } from './events/home-refresh.ts';
import type { GpuPort } from './gpu-port.ts';
import type { WorkTracker } from './work.ts';

export interface FollowSettings {
  /** Seconds between polls while a new pod comes up (default 10). */
  intervalSec?: number;
  /** Give up after this long (default 900). */
  timeoutSec?: number;
}

export interface HandlerDeps {
  pods: PodService;
  volumes: VolumeService;
  endpoints: EndpointService;
  spend: SpendService;
  gpu: GpuPort;
  logger: Logger;
  work: WorkTracker;
  follow?: FollowSettings;
  /** The policy's rules (absent: everything is allowed, as in tests of single handlers). */
  access?: AccessControl;
  approvals?: ApprovalService;
  /** Prometheus metrics (absent: nothing is counted). */
  metrics?: PodbayMetrics;
  /** The alert buttons' actions (absent: alerts are not set up). */
  alerts?: AlertActions;
  audit?: AuditService;
  /** podbay's record of open create forms (absent: submissions are not held to one). */
  forms?: CreateFormService;
  /** Pod container logs (REST v2's log stream). */
  podLogs?: PodLogService;
  /** The Home tab: publishes it when opened and when something changes (absent: no Home tab). */
  home?: HomeRefresher;
}

/** The Slack user behind a command or a click. */
export function requesterOf(
  user: { id: string; name?: string; username?: string },
  teamId: string | undefined | null,
): Requester {
  const r: Requester = { userId: user.id, teamId: teamId ?? null };
  const handle = user.username ?? user.name;
  if (handle) r.handle = handle;
  return r;
}
