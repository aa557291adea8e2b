// /endpoint: serverless endpoints.
import type { Endpoint } from '../../services/domain.ts';
import type { EndpointActionResult } from '../../services/endpoints.ts';
import { type Block, clip, context, esc, escSentence, header, type Message, section } from './blocks.ts';
import { plural, outcomeIcon } from './format.ts';

export const ENDPOINT_PAGE_SIZE = 15;

function endpointLine(e: Endpoint): string {
  const workers = `${e.workersRunning} running · ${e.workersMin}–${e.workersMax} workers`;
  const scaler =
    e.scalerType === 'QUEUE_DELAY' ? `queue delay ${e.scalerValue} s` : `${e.scalerValue} requests/worker`;
  return (
    `*${esc(clip(e.name, 100))}* · ${workers} · ${e.gpuCount}× ${esc(clip(e.gpuPoolIds.join(' / '), 200))}\n` +
    `template \`${esc(e.templateId)}\` · idle ${e.idleTimeoutSec} s · ${scaler}${e.flashBoot ? ' · FlashBoot' : ''}` +
    `${e.envKeys.length ? ` · env ${esc(clip(e.envKeys.join(', '), 200))}` : ''}\n\`${esc(e.id)}\``
  );
}

export function endpointListMessage(endpoints: Endpoint[], page = 0): Message {
  if (!endpoints.length)
    return {
      text: 'There are no serverless endpoints. /endpoint create <name> <template> <gpu-pool> makes one.',
      blocks: [
        section(
          'There are no serverless endpoints. `/endpoint create <name> <template> <gpu-pool>` makes one.',
        ),
      ],
    };
  const pages = Math.ceil(endpoints.length / ENDPOINT_PAGE_SIZE);
  const p = Math.min(Math.max(0, page), pages - 1);
  const slice = endpoints.slice(p * ENDPOINT_PAGE_SIZE, (p + 1) * ENDPOINT_PAGE_SIZE);
  const running = endpoints.reduce((s, e) => s + e.workersRunning, 0);
  const blocks: Block[] = [
    header('Serverless endpoints'),
    context(`${plural(endpoints.length, 'endpoint')} · ${plural(running, 'worker')} running`),
    ...slice.map((e) => section(endpointLine(e))),
  ];
  if (pages > 1)
    blocks.push(
      context(
        `Showing ${slice.length} of ${endpoints.length}. \`/endpoint list ${p + 2 <= pages ? p + 2 : 1}\` for more.`,
      ),
    );
  const text = `${plural(endpoints.length, 'endpoint')}: ${slice.map((e) => `${e.name} (${e.workersRunning} running)`).join(', ')}`;
  return { text: clip(text, 3000), blocks };
}

export function endpointActionMessage(r: EndpointActionResult): Message {
  const icon = outcomeIcon(r.outcome);
  const blocks: Block[] = [section(`${icon} ${escSentence(r.message)}`)];
  if (r.endpoint) blocks.push(section(endpointLine(r.endpoint)));
  return { text: clip(r.message, 3000), blocks };
}
