// The buttons on alerts. Each click's value is only the alert key; the service looks the alert up,
// checks the person who clicked, acts, and updates the alert message. The clicker is told the
// outcome privately.
import type { BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { AlertActionResult, AlertActions } from '../../services/alert-actions.ts';
import type { Requester } from '../../services/policy.ts';
import { type HandlerDeps, requesterOf } from '../deps.ts';
import { ACTIONS } from '../ids.ts';
import { ephemeral, safeRespond, withErrors } from '../reply.ts';
import type { Routes } from '../routes.ts';
import { noticeMessage } from '../views/common.ts';

type Act = (a: AlertActions, key: string, r: Requester) => Promise<AlertActionResult>;

const BUTTONS: ReadonlyArray<[string, string, Act]> = [
  [ACTIONS.alertStop, 'alert stop', (a, k, r) => a.stop(k, r)],
  [ACTIONS.alertSnooze1h, 'alert snooze', (a, k, r) => a.snooze(k, 3_600_000, r)],
  [ACTIONS.alertSnooze4h, 'alert snooze', (a, k, r) => a.snooze(k, 4 * 3_600_000, r)],
  [ACTIONS.alertKeep, 'alert keep', (a, k, r) => a.keep(k, r)],
  [ACTIONS.alertTerminate, 'alert terminate', (a, k, r) => a.terminate(k, r)],
  [ACTIONS.alertExtend2h, 'alert extend', (a, k, r) => a.extend(k, 2 * 3_600_000, r)],
  [ACTIONS.alertExtend8h, 'alert extend', (a, k, r) => a.extend(k, 8 * 3_600_000, r)],
  [ACTIONS.alertResume, 'alert resume', (a, k, r) => a.resume(k, r)],
  [ACTIONS.alertRecreate, 'alert recreate', (a, k, r) => a.recreate(k, r)],
  [ACTIONS.alertDismiss, 'alert dismiss', (a, k, r) => a.dismiss(k, r)],
];

export function registerAlertButtons(app: Routes, deps: HandlerDeps): void {
  for (const [id, what, act] of BUTTONS) {
    app.action<BlockButtonAction>(
      id,
      async ({ ack, body, action, respond }: SlackActionMiddlewareArgs<BlockButtonAction>) => {
        await ack();
        const who = requesterOf(body.user, body.team?.id ?? body.user.team_id);
        deps.work.run(what, () =>
          withErrors(deps, respond, async () => {
            const alerts = deps.alerts;
            if (!alerts) {
              await safeRespond(
                deps,
                respond,
                ephemeral(noticeMessage(':no_entry_sign:', 'Alerts are not set up here.')),
              );
              return;
            }
            const r = await act(alerts, action.value ?? '', who);
            await safeRespond(
              deps,
              respond,
              ephemeral(noticeMessage(r.ok ? ':white_check_mark:' : ':information_source:', r.message)),
            );
          }),
        );
      },
    );
  }
}
