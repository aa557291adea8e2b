// Reading the create-pod modal into a request: every field checked, errors per field, env parsed
// without ever repeating a value in an error.
import { describe, expect, it } from 'vitest';
import {
  parseEnv,
  readCreateForm,
  readQuoteInput,
  type StateValues,
} from '../../src/handlers/actions/create-form.ts';
import { CREATE } from '../../src/handlers/ids.ts';

const text = (v: string | null) => ({ type: 'plain_text_input', value: v });
const pick = (v: string | null) => ({
  type: 'static_select',
  selected_option: v === null ? null : { value: v },
});

function form(over: Partial<Record<keyof typeof CREATE, unknown>> = {}): StateValues {
  const base: Record<string, unknown> = {
    label: text('llama eval'),
    gpu: pick('NVIDIA RTX A6000'),
    count: pick('2'),
    kind: { type: 'radio_buttons', selected_option: { value: 'on-demand' } },
    bid: text(null),
    image: text('vllm/vllm-openai:latest'),
    template: text(null),
    disk: text('80'),
    volume: text('20'),
    networkVolume: pick('none'),
    env: text('HF_TOKEN=hf_secret_value\n# comment\n\nTENSOR_PARALLEL_SIZE=2'),
    ports: text('8000/http, 22/tcp'),
    ...over,
  };
  const out: StateValues = {};
  for (const [k, v] of Object.entries(base)) {
    const ids = CREATE[k as keyof typeof CREATE] as { block: string; action?: string };
    if (ids.action) out[ids.block] = { [ids.action]: v as never };
  }
  return out;
}

describe('readCreateForm', () => {
  it('a complete form becomes a request', () => {
    const r = readCreateForm(form());
    expect(r).toEqual({
      ok: true,
      request: {
        label: 'llama eval',
        gpuTypeIds: ['NVIDIA RTX A6000'],
        gpuCount: 2,
        kind: 'on-demand',
        imageName: 'vllm/vllm-openai:latest',
        containerDiskInGb: 80,
        volumeInGb: 20,
        volumeMountPath: '/workspace',
        env: [
          { key: 'HF_TOKEN', value: 'hf_secret_value' },
          { key: 'TENSOR_PARALLEL_SIZE', value: '2' },
        ],
        ports: '8000/http,22/tcp',
      },
      justification: null,
    });
  });

  it('spot with a bid; a network volume', () => {
    const r = readCreateForm(
      form({
        kind: { type: 'radio_buttons', selected_option: { value: 'spot' } },
        bid: text('$0.31'),
        networkVolume: pick('vol-1'),
      }),
    );
    expect(r.ok && r.request).toMatchObject({ kind: 'spot', bidPerGpu: 0.31, networkVolumeId: 'vol-1' });
  });

  it('each bad field gets its own message, under its block', () => {
    const r = readCreateForm(
      form({
        label: text(' '),
        gpu: pick(null),
        kind: { type: 'radio_buttons', selected_option: { value: 'spot' } },
        bid: text('cheap'),
        image: text(null),
        disk: text('0'),
        volume: text('-5'),
        env: text('not a pair'),
        ports: text('8888'),
      }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(
      [
        CREATE.label.block,
        CREATE.gpu.block,
        CREATE.bid.block,
        CREATE.image.block,
        CREATE.disk.block,
        CREATE.volume.block,
        CREATE.env.block,
        CREATE.ports.block,
      ].sort(),
    );
  });

  it('a template instead of an image is fine', () => {
    const r = readCreateForm(form({ image: text(null), template: text('tpl-abc') }));
    expect(r.ok && r.request.templateId).toBe('tpl-abc');
  });
});

describe('parseEnv', () => {
  it('errors name the line, never the value', () => {
    const r = parseEnv('GOOD=1\nBAD LINE secretvalue123\n');
    expect(r.error).toMatch(/Line 2/);
    expect(r.error).not.toContain('secretvalue123');
    expect(parseEnv('A=1\nA=2').error).toMatch(/A is set twice/);
    expect(parseEnv('X=a=b').env).toEqual([{ key: 'X', value: 'a=b' }]);
  });
});

describe('readQuoteInput', () => {
  it('needs a GPU; spot bids count only for spot', () => {
    expect(readQuoteInput(form({ gpu: pick(null) }))).toEqual({ missing: expect.any(String) });
    expect(readQuoteInput(form({ bid: text('0.3') }))).toEqual({
      gpuTypeIds: ['NVIDIA RTX A6000'],
      gpuCount: 2,
      kind: 'on-demand',
    });
    expect(
      readQuoteInput(
        form({ kind: { type: 'radio_buttons', selected_option: { value: 'spot' } }, bid: text('0.3') }),
      ),
    ).toMatchObject({ kind: 'spot', bidPerGpu: 0.3 });
  });
});
