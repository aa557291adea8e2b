// The Delete buttons of a confirmed `/volume delete` or `/endpoint delete`: the value holds the
// exact id (resolved exactly) and the reason typed for approvers; the service checks the clicker.
import type { BlockButtonAction } from '@slack/bolt';
import { type HandlerDeps, requesterOf } from '../deps.ts';
import { ACTIONS } from '../ids.ts';
import { ephemeral, safeRespond, withErrors } from '../reply.ts';
import type { ActionArgs, Routes } from '../routes.ts';
import { endpointActionMessage } from '../views/endpoints.ts';
import { volumeActionMessage } from '../views/volumes.ts';

/** { id, why } from a button value; null when it is not one podbay wrote. */
export function parseDeleteValue(raw: string | undefined): { id: string; why: string | null } | null {
  try {
    const v = JSON.parse(raw ?? '') as { id?: unknown; why?: unknown };
    if (typeof v.id !== 'string' || !/^[\w-]{1,100}$/.test(v.id)) return null;
    const why = typeof v.why === 'string' && v.why.trim() ? v.why.trim().slice(0, 500) : null;
    return { id: v.id, why };
  } catch {
    return null;
  }
}

export function registerDeleteButtons(app: Routes, deps: HandlerDeps): void {
  const onClick = (what: 'volume' | 'endpoint') => async (args: ActionArgs<BlockButtonAction>) => {
    await args.ack();
    const { body, respond } = args;
    const requester = requesterOf(body.user, body.team?.id ?? body.user.team_id);
    const ctx = (why: string | null) => ({
      justification: why,
      origin: { channel: body.channel?.id ?? body.container?.channel_id ?? null },
    });
    deps.work.run(`${what} delete click`, () =>
      withErrors(deps, respond, async () => {
        const v = parseDeleteValue(args.action.value);
        if (!v)
          return void (await safeRespond(
            deps,
            respond,
            ephemeral('That button has nothing to delete on it.'),
          ));
        const msg =
          what === 'volume'
            ? volumeActionMessage(await deps.volumes.delete(v.id, requester, ctx(v.why)))
            : endpointActionMessage(await deps.endpoints.delete(v.id, requester, ctx(v.why)));
        await safeRespond(deps, respond, ephemeral(msg, true));
      }),
    );
  };
  app.action<BlockButtonAction>(ACTIONS.volumeDelete, onClick('volume'));
  app.action<BlockButtonAction>(ACTIONS.endpointDelete, onClick('endpoint'));
}
