// Every command parser, fuzzed with random and mutated texts (100,000+ in total): it never throws,
// it answers with usage or a command it understood, and the usage reply fits Block Kit's limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Usage } from '../../../src/handlers/commands/args.ts';
import { ENDPOINT_HELP, parseEndpoint } from '../../../src/handlers/commands/endpoint.ts';
import { GPU_HELP, parseGpu } from '../../../src/handlers/commands/gpu.ts';
import { parsePod, POD_HELP } from '../../../src/handlers/commands/pod.ts';
import { parseSpend, SPEND_HELP } from '../../../src/handlers/commands/spend.ts';
import { parseVolume, VOLUME_HELP } from '../../../src/handlers/commands/volume.ts';
import { usageMessage } from '../../../src/handlers/views/common.ts';
import { checkMessage } from '../../../src/handlers/views/limits.ts';
import { CORPUS, commandText } from './corpus.ts';

type Parser = (text: string) => { kind: string } | Usage;

const PARSERS: Array<{ command: string; parse: Parser; help: string; kinds: string[]; runs: number }> = [
  {
    command: '/pod',
    parse: parsePod,
    help: POD_HELP,
    kinds: ['list', 'status', 'create', 'stop', 'resume', 'terminate'],
    runs: 30_000,
  },
  { command: '/gpu', parse: parseGpu, help: GPU_HELP, kinds: ['ask', 'prices', 'stock'], runs: 20_000 },
  {
    command: '/volume',
    parse: parseVolume,
    help: VOLUME_HELP,
    kinds: ['list', 'create', 'resize', 'rename', 'delete'],
    runs: 20_000,
  },
  {
    command: '/endpoint',
    parse: parseEndpoint,
    help: ENDPOINT_HELP,
    kinds: ['list', 'create', 'update', 'delete'],
    runs: 20_000,
  },
  { command: '/spend', parse: parseSpend, help: SPEND_HELP, kinds: ['summary'], runs: 12_000 },
];

describe('command parsers under fuzzing', () => {
  it('run at least 100,000 texts in total', () => {
    expect(PARSERS.reduce((n, p) => n + p.runs, 0)).toBeGreaterThanOrEqual(100_000);
  });

  for (const p of PARSERS) {
    it(`${p.command}: usage or a known command, never a throw; usage fits the limits`, () => {
      const usageChecked = new Set<string>();
      fc.assert(
        fc.property(commandText(p.command), (text) => {
          const r = p.parse(text);
          if (r.kind === 'usage') {
            const problem = (r as Usage).problem;
            const key = problem ?? '';
            if (!usageChecked.has(key)) {
              usageChecked.add(key);
              const msg = usageMessage(p.command, p.help, problem);
              if (checkMessage(msg).length) return false;
            }
            return true;
          }
          return p.kinds.includes(r.kind);
        }),
        { numRuns: p.runs },
      );
    });

    it(`${p.command}: every example in the corpus parses to a command (or help)`, () => {
      for (const text of CORPUS[p.command] ?? []) {
        const r = p.parse(text);
        if (r.kind === 'usage')
          expect(/^help$/.test(text.trim()), `"${text}" → ${JSON.stringify(r)}`).toBe(true);
      }
    });
  }
});

describe('parser details', () => {
  it('/pod list defaults to all and knows mine', () => {
    expect(parsePod('list')).toEqual({ kind: 'list', scope: 'all' });
    expect(parsePod('LIST Mine')).toEqual({ kind: 'list', scope: 'mine' });
    expect(parsePod('list yours')).toMatchObject({
      kind: 'usage',
      problem: expect.stringContaining('yours'),
    });
  });
  it('/pod accepts a quoted name with spaces and curly quotes, and rejects an unclosed quote', () => {
    expect(parsePod('stop “my pod”')).toEqual({ kind: 'stop', ref: 'my pod' });
    expect(parsePod('stop "my pod')).toMatchObject({
      kind: 'usage',
      problem: expect.stringMatching(/quote/),
    });
  });
  it('/pod create never takes env values in the command text', () => {
    expect(parsePod('create gpu=a6000 env=HF_TOKEN=abc')).toMatchObject({
      kind: 'usage',
      problem: expect.stringMatching(/form/),
    });
  });
  it('/pod create arguments become a prefill', () => {
    expect(parsePod('create gpu="RTX 4090" count=2 bid=0.35 for="llama eval"')).toEqual({
      kind: 'create',
      args: { gpu: 'RTX 4090', prefill: { gpuCount: 2, bidPerGpu: 0.35, kind: 'spot', label: 'llama eval' } },
    });
    expect(parsePod('create gpu=a6000 spot on-demand')).toMatchObject({ kind: 'usage' });
    expect(parsePod('create count=99')).toMatchObject({ kind: 'usage' });
  });
  it('Slack-escaped text is unescaped', () => {
    expect(parseGpu('prices a6000 &amp; more')).toEqual({ kind: 'prices', gpu: 'a6000 & more' });
  });
  it('/volume sizes and names', () => {
    expect(parseVolume('create "my data" 50gb eu-ro-1')).toEqual({
      kind: 'create',
      name: 'my data',
      sizeGb: 50,
      dataCenterId: 'EU-RO-1',
    });
    expect(parseVolume('resize models 0')).toMatchObject({ kind: 'usage' });
    expect(parseVolume('resize models 4001')).toMatchObject({ kind: 'usage' });
  });
  it('/endpoint options', () => {
    expect(parseEndpoint('update ep workers-max=5 flashboot=off network-volume=none')).toEqual({
      kind: 'update',
      ref: 'ep',
      change: { workersMax: 5, flashBoot: false, networkVolumeId: null },
    });
    expect(parseEndpoint('update ep')).toMatchObject({ kind: 'usage' });
    expect(parseEndpoint('create ep tpl bad-pool!')).toMatchObject({ kind: 'usage' });
  });
  it('/spend takes no arguments', () => {
    expect(parseSpend('')).toEqual({ kind: 'summary' });
    expect(parseSpend('today')).toMatchObject({ kind: 'usage' });
  });
});
