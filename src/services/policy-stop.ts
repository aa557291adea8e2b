// A stop the policy itself makes (an idle pod past auto_stop_after, a lifetime reached): no person
// asked, so no role is checked; it is audited as podbay's, with the rule that made it.
import { recordAudit } from './audit.ts';
import type { SystemStop } from './alert-scan.ts';
import type { Clock, RunpodApi, Store } from './ports.ts';

export function policyStop(deps: { runpod: RunpodApi; store: Store; clock: Clock }): SystemStop {
  return async (podId, why) => {
    await deps.runpod.stopPod(podId);
    const message = `Stopped automatically by podbay: ${why}. The volume disk is kept; resume it with /pod resume.`;
    await recordAudit(deps.store, deps.clock, {
      requester: null,
      action: 'pod.stop',
      target: podId,
      outcome: 'done',
      detail: message,
      data: { by: 'policy', why },
    });
    return message;
  };
}
