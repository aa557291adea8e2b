// /volume: network volumes and what uses them.
import type { VolumeActionResult, VolumeView } from '../../services/volumes.ts';
import { type Block, clip, context, esc, escSentence, header, type Message, section } from './blocks.ts';
import { plural, outcomeIcon } from './format.ts';

export const VOLUME_PAGE_SIZE = 20;

export function volumeListMessage(volumes: VolumeView[], page = 0): Message {
  if (!volumes.length)
    return {
      text: 'There are no network volumes. /volume create <name> <size-gb> <data-center> makes one.',
      blocks: [
        section('There are no network volumes. `/volume create <name> <size-gb> <data-center>` makes one.'),
      ],
    };
  const pages = Math.ceil(volumes.length / VOLUME_PAGE_SIZE);
  const p = Math.min(Math.max(0, page), pages - 1);
  const slice = volumes.slice(p * VOLUME_PAGE_SIZE, (p + 1) * VOLUME_PAGE_SIZE);
  const total = volumes.reduce((s, v) => s + v.sizeGb, 0);
  const blocks: Block[] = [
    header('Network volumes'),
    context(`${plural(volumes.length, 'volume')} · ${total} GB in all`),
  ];
  for (const v of slice) {
    const used = v.usedBy.length
      ? `used by ${clip(v.usedBy.map((u) => esc(u.name)).join(', '), 500)}`
      : 'not attached';
    blocks.push(
      section(
        `*${esc(clip(v.name, 100))}* · ${v.sizeGb} GB · ${esc(v.dataCenterId)} · ${used}\n\`${esc(v.id)}\``,
      ),
    );
  }
  if (pages > 1)
    blocks.push(
      context(
        `Showing ${slice.length} of ${volumes.length}. \`/volume list ${p + 2 <= pages ? p + 2 : 1}\` for more.`,
      ),
    );
  const text = `${plural(volumes.length, 'network volume')}: ${slice.map((v) => `${v.name} (${v.sizeGb} GB)`).join(', ')}`;
  return { text: clip(text, 3000), blocks };
}

export function volumeActionMessage(r: VolumeActionResult): Message {
  const icon = outcomeIcon(r.outcome);
  const blocks: Block[] = [section(`${icon} ${escSentence(r.message)}`)];
  if (r.volume)
    blocks.push(context(`\`${esc(r.volume.id)}\` · ${r.volume.sizeGb} GB · ${esc(r.volume.dataCenterId)}`));
  return { text: clip(r.message, 3000), blocks };
}
