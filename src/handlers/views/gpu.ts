// /gpu: the GPU advisor's Answer with a "Create pod" button per option; prices; stock by data center.
import type { Answer, Option } from '../../catalog/answer.ts';
import { answerText } from '../../catalog/answer-text.ts';
import type { StockStatus } from '../../services/domain.ts';
import type { DataCenterStock, PriceRow } from '../gpu-port.ts';
import { ACTIONS } from '../ids.ts';
import { type Block, button, clip, context, esc, header, type Message, section } from './blocks.ts';
import type { CreatePrefill } from './create-modal.ts';
import { usd } from './format.ts';
import { prefillValue } from './progress.ts';

export const MAX_GPU_OPTIONS = 3;
export const MAX_GPU_ROWS = 12;
export const MAX_PRICE_ROWS = 40;
export const MAX_DATA_CENTERS = 20;

const STOCK: Record<StockStatus, string> = {
  High: 'high',
  Medium: 'medium',
  Low: 'low',
  None: 'none',
  Unknown: '?',
};
const stockOf = (s: string): string => STOCK[s as StockStatus] ?? s.toLowerCase();

export const VLLM_IMAGE = 'vllm/vllm-openai:latest';

/** The create form's starting point for an option: GPU, count, pricing, and for LLM serving the vLLM
 *  image with the model and tensor-parallel size in env (defaults podbay writes, never secrets). */
export function prefillFor(a: Answer, o: Option): CreatePrefill {
  const model = a.intent.model;
  const p: CreatePrefill = {
    label: clip(model?.name ?? a.question, 60),
    gpuTypeId: o.gpuId,
    gpuCount: o.count,
    kind: a.intent.pricing,
  };
  const env: string[] = [];
  if (a.intent.task === 'serve' || a.intent.task === null) {
    p.image = VLLM_IMAGE;
    p.ports = '8000/http,22/tcp';
    if (model?.repo && !model.generic) env.push(`MODEL_NAME=${model.repo}`);
  }
  if (o.count > 1 && o.parallelism === 'tensor') env.push(`TENSOR_PARALLEL_SIZE=${o.count}`);
  if (o.count > 1 && o.parallelism === 'pipeline') env.push(`PIPELINE_PARALLEL_SIZE=${o.count}`);
  if (env.length) p.env = env.join('\n');
  const weights = a.estimate?.weightsGiB;
  if (weights) p.diskGb = Math.max(50, Math.ceil((weights * 1.2 + 20) / 10) * 10);
  return p;
}

const ROLE: Record<Option['role'], string> = { named: 'You named', alternative: 'Alternative', ranked: '' };

function optionBlock(a: Answer, o: Option, i: number, primary: boolean): Block {
  const od =
    o.onDemandUsdPerHr === null
      ? 'price unknown'
      : `${usd(o.onDemandUsdPerHr)}/h · ${usd(o.onDemandUsdPerDay)}/day`;
  const spot = o.spotUsdPerHr === null ? '' : ` · spot ${usd(o.spotUsdPerHr)}/h`;
  const stock = o.stock !== 'Unknown' ? ` · stock ${stockOf(o.stock)}` : '';
  // A bare memory size ("a 48 GB card") is answered on a card of that size: say which was asked.
  const hw = a.intent.hardware;
  const asked =
    o.role === 'named' && hw && hw.gpuId === null && hw.vramGiB ? `A ${hw.vramGiB} GB card` : null;
  const role = ROLE[o.role]
    ? `${asked ?? ROLE[o.role]}${o.role === 'named' ? (o.fits ? ' — fits' : ' — does not fit') : ''}: `
    : '';
  const machine = o.nodes > 1 ? ` (Instant Cluster: ${o.nodes} nodes × ${o.gpusPerNode})` : '';
  const perM = o.usdPerMillionTokens === null ? '' : ` · ${usd(o.usdPerMillionTokens)}/1M tokens`;
  const line = `*${o.rank}. ${role}${o.count}× ${esc(o.gpuName)}*${machine} — ${od}${spot}${perM}${stock}\n${esc(clip(o.why ?? `${o.perGpuNeedGiB.toFixed(1)} of ${o.budgetGiB.toFixed(1)} GiB per GPU`, 700))}`;
  // A setup that does not fit, or an Instant Cluster (not a pod), gets no Create pod button.
  if (!o.fits || o.nodes > 1) return section(line);
  return section(
    line,
    button(
      `${ACTIONS.podCreateOpen}.${i}`,
      'Create pod',
      prefillValue(prefillFor(a, o)),
      primary ? { style: 'primary' } : {},
    ),
  );
}

/** The notification / accessibility fallback: the headline and the options in one short paragraph. */
function fallbackText(a: Answer): string {
  if (a.status !== 'ok') return clip(answerText(a), 1500);
  const opts = a.options
    .slice(0, MAX_GPU_OPTIONS)
    .map(
      (o) =>
        `${o.count}× ${o.gpuName} ${o.onDemandUsdPerHr === null ? 'price unknown' : `${usd(o.onDemandUsdPerHr)}/h`}`,
    );
  return clip(`${a.headline}${opts.length ? ` Options: ${opts.join('; ')}.` : ''}`, 1000);
}

export function gpuAnswerMessage(a: Answer): Message {
  const text = fallbackText(a);
  if (a.status !== 'ok') {
    const blocks: Block[] = [section(`:thinking_face: ${esc(clip(a.message ?? a.headline, 2900))}`)];
    if (a.examples.length)
      blocks.push(
        section(
          `*Try for example*\n${a.examples
            .slice(0, 6)
            .map((e) => `• \`/gpu ${esc(clip(e, 200))}\``)
            .join('\n')}`,
        ),
      );
    if (a.assumptions.length) blocks.push(context(clip(a.assumptions.map(esc).join(' '), 3000)));
    return { text, blocks };
  }
  const blocks: Block[] = [
    header(clip(a.intent.model?.name ?? 'GPU advice', 150)),
    section(esc(clip(a.headline, 2900))),
  ];
  if (a.fitCheck && a.fitCheck.verdict !== a.headline)
    blocks.push(
      section(`${a.fitCheck.fits ? ':white_check_mark:' : ':x:'} ${esc(clip(a.fitCheck.verdict, 2800))}`),
    );
  // The first option is what was named (or the best fit); the first one that can be created is primary.
  const shown = a.options.slice(0, MAX_GPU_OPTIONS);
  const primary = shown.findIndex((o) => o.fits && o.nodes === 1);
  shown.forEach((o, i) => {
    blocks.push(optionBlock(a, o, i, i === primary));
  });
  if (a.options.length > MAX_GPU_OPTIONS)
    blocks.push(
      context(`${a.options.length - MAX_GPU_OPTIONS} more setups fit; \`podbay gpu --json\` lists them all.`),
    );
  if (a.gpus.length) {
    const rows = a.gpus
      .slice(0, MAX_GPU_ROWS)
      .map(
        (g) =>
          `• *${esc(g.gpuName)}* ${g.memoryGb} GB — ${usd(g.onDemandUsdPerGpuHr)}/h on-demand · ${usd(g.spotUsdPerGpuHr)}/h spot · stock ${stockOf(g.stock)}\n   ${esc(clip(g.bestFor, 200))}`,
      );
    blocks.push(section(clip(rows.join('\n'), 3000)));
  }
  if (a.estimate)
    blocks.push(
      section(
        `*Arithmetic* (${esc(a.estimate.load)})\n\`\`\`${clip(a.estimate.lines.join('\n'), 2700)}\`\`\``,
      ),
    );
  if (a.guidance.length) blocks.push(section(clip(a.guidance.map((g) => `• ${esc(g)}`).join('\n'), 3000)));
  const foot = [...a.assumptions, a.priceSource.text].filter(Boolean).map(esc);
  if (foot.length) blocks.push(context(clip(foot.join(' '), 3000)));
  return { text, blocks };
}

export function gpuPricesMessage(listing: { rows: PriceRow[]; source: string }, filter?: string): Message {
  const { rows, source } = listing;
  if (!rows.length) {
    const t = filter
      ? `No GPU matches “${filter}”. Try /gpu prices without a name.`
      : 'RunPod lists no GPU prices right now.';
    return { text: t, blocks: [section(esc(t))] };
  }
  const shown = rows.slice(0, MAX_PRICE_ROWS);
  const lines = shown.map(
    (r) =>
      `${esc(r.displayName)}${r.memoryGb ? ` ${r.memoryGb} GB` : ''} — ${usd(r.onDemandUsd, 2)} on-demand · ${usd(r.spotUsd, 2)} spot · stock ${STOCK[r.stock]}`,
  );
  const blocks: Block[] = [header(filter ? `GPU prices: ${clip(filter, 100)}` : 'GPU prices')];
  for (let i = 0; i < lines.length; i += 15)
    blocks.push(section(clip(lines.slice(i, i + 15).join('\n'), 3000)));
  blocks.push(
    context(
      clip(
        `$ per GPU per hour, lowest now. ${source}${rows.length > shown.length ? ` ${rows.length - shown.length} more not shown: add a GPU name.` : ''}`,
        3000,
      ),
    ),
  );
  const text = `GPU prices ($/GPU/h): ${shown.map((r) => `${r.displayName} ${usd(r.onDemandUsd)}`).join(', ')}`;
  return { text: clip(text, 3000), blocks };
}

export function gpuStockMessage(
  listing: { dataCenters: DataCenterStock[]; note: string },
  filter?: string,
): Message {
  const withGpus = listing.dataCenters.filter((d) => d.gpus.length);
  if (!withGpus.length) {
    const t = `${filter ? `No data center lists “${filter}” right now.` : 'No data center lists GPUs right now.'} ${listing.note}`;
    return { text: t, blocks: [section(esc(t))] };
  }
  const shown = withGpus.slice(0, MAX_DATA_CENTERS);
  const blocks: Block[] = [header(filter ? `Stock: ${clip(filter, 100)}` : 'GPU stock by data center')];
  for (const d of shown) {
    const gpus = d.gpus.map((g) => `${esc(g.displayName)} ${STOCK[g.stock]}`).join(' · ');
    blocks.push(section(clip(`*${esc(d.name)}*${d.location ? ` (${esc(d.location)})` : ''}\n${gpus}`, 3000)));
  }
  const more =
    withGpus.length > shown.length ? ` ${withGpus.length - shown.length} more data centers not shown.` : '';
  blocks.push(context(clip(`${listing.note}${more}`, 3000)));
  const text = `GPU stock: ${shown.map((d) => `${d.name}: ${d.gpus.map((g) => `${g.displayName} ${STOCK[g.stock]}`).join(', ')}`).join('; ')}`;
  return { text: clip(text, 3000), blocks };
}
