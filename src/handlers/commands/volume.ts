// /volume: network volumes.
import { type HandlerDeps, requesterOf } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { ACTIONS, COMMANDS } from '../ids.ts';
import { ackThenAnswer, ackUsage } from '../reply.ts';
import { deleteConfirmMessage } from '../views/common.ts';
import { volumeActionMessage, volumeListMessage } from '../views/volumes.ts';
import { parseIntIn, quoteWord, tokenize, type Usage, usage, refAndReason } from './args.ts';

export const VOLUME_HELP = `/volume list [page]                                 network volumes and the pods using them
/volume create <name> <size-gb> <data-center>       e.g. /volume create models 200 EU-RO-1
/volume resize <volume> <size-gb>                   grow a volume (volumes never shrink)
/volume rename <volume> <new-name>
/volume delete <volume> [why="…"]                   only when no pod uses it (why: for approvers)
Names with spaces go in quotes. <volume> is an id or a name.`;

export type VolumeCommand =
  | { kind: 'list'; page: number }
  | { kind: 'create'; name: string; sizeGb: number; dataCenterId: string }
  | { kind: 'resize'; ref: string; sizeGb: number }
  | { kind: 'rename'; ref: string; name: string }
  | { kind: 'delete'; ref: string; why: string | null };

const SIZE = (s: string | undefined) => parseIntIn(s?.replace(/gb$/i, ''), 1, 4000);

export function parseVolume(text: string): VolumeCommand | Usage {
  const words = tokenize(text);
  if (words === null) return usage('A quote is not closed.');
  const [sub, ...a] = words;
  switch (sub?.toLowerCase()) {
    case undefined:
      return { kind: 'list', page: 0 };
    case 'help':
      return usage();
    case 'list':
    case 'ls': {
      if (a.length > 1) return usage('`/volume list` takes at most a page number.');
      if (a.length === 0) return { kind: 'list', page: 0 };
      const page = parseIntIn(a[0], 1, 10_000);
      return page === null
        ? usage('The page is a number, e.g. `/volume list 2`.')
        : { kind: 'list', page: page - 1 };
    }
    case 'create': {
      if (a.length !== 3) return usage('`/volume create <name> <size-gb> <data-center>`');
      const [name, size, dc] = a as [string, string, string];
      const sizeGb = SIZE(size);
      if (sizeGb === null) return usage(`The size is 1 to 4000 GB, not “${quoteWord(size)}”.`);
      if (name.trim() === '' || name.length > 64) return usage('The name is 1 to 64 characters.');
      if (!/^[\w-]{1,40}$/.test(dc))
        return usage(`“${quoteWord(dc)}” is not a data center id (e.g. EU-RO-1).`);
      return { kind: 'create', name: name.trim(), sizeGb, dataCenterId: dc.toUpperCase() };
    }
    case 'resize':
    case 'grow': {
      if (a.length !== 2) return usage('`/volume resize <volume> <size-gb>`');
      const [ref, size] = a as [string, string];
      const sizeGb = SIZE(size);
      if (sizeGb === null) return usage(`The new size is 1 to 4000 GB, not “${quoteWord(size)}”.`);
      if (ref.trim() === '') return usage('Which volume?');
      return { kind: 'resize', ref: ref.trim(), sizeGb };
    }
    case 'rename': {
      if (a.length !== 2) return usage('`/volume rename <volume> <new-name>`');
      const [ref, name] = a as [string, string];
      if (ref.trim() === '' || name.trim() === '' || name.length > 64)
        return usage('`/volume rename <volume> <new-name>` (1 to 64 characters)');
      return { kind: 'rename', ref: ref.trim(), name: name.trim() };
    }
    case 'delete':
    case 'rm': {
      const r = refAndReason(a, '`/volume delete <volume> [why="…"]`');
      return 'kind' in r ? r : { kind: 'delete', ...r };
    }
    default:
      return usage(`\`/volume\` has no “${quoteWord(sub ?? '')}” command.`);
  }
}

export function registerVolumeCommand(app: Routes, deps: HandlerDeps): void {
  app.command(COMMANDS.volume, async ({ command, ack, respond }) => {
    const parsed = parseVolume(command.text);
    if (parsed.kind === 'usage') return ackUsage(ack, COMMANDS.volume, VOLUME_HELP, parsed.problem);
    const requester = requesterOf({ id: command.user_id, name: command.user_name }, command.team_id);
    const v = deps.volumes;
    if (parsed.kind === 'delete') {
      // Deleting loses data: show what goes and ask (the button carries the exact id).
      return ackThenAnswer(deps, ack, respond, '/volume delete', async () => {
        const vol = await v.previewDelete(parsed.ref, requester);
        const used = vol.usedBy.length
          ? ` Used by ${vol.usedBy.map((p) => p.name).join(', ')}: terminate those first.`
          : '';
        return deleteConfirmMessage({
          what: 'volume',
          id: vol.id,
          name: vol.name,
          detail: `${vol.sizeGb} GB in ${vol.dataCenterId}; its data is lost.${used}`,
          actionId: ACTIONS.volumeDelete,
          why: parsed.why,
        });
      });
    }
    await ackThenAnswer(deps, ack, respond, `/volume ${parsed.kind}`, async () =>
      parsed.kind === 'list'
        ? volumeListMessage(await v.list(), parsed.page)
        : volumeActionMessage(
            parsed.kind === 'create'
              ? await v.create(
                  { name: parsed.name, sizeGb: parsed.sizeGb, dataCenterId: parsed.dataCenterId },
                  requester,
                )
              : parsed.kind === 'resize'
                ? await v.resize(parsed.ref, parsed.sizeGb, requester)
                : await v.rename(parsed.ref, parsed.name, requester),
          ),
    );
  });
}
