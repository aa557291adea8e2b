// /gpu serverless through the real Bolt app: the answer in the ack within Block Kit limits, and its
// "Create endpoint" button opening the endpoint form prefilled, which creates the endpoint.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverlessAnswer } from '../../src/catalog/serverless.ts';
import { parseGpu, readEndpointForm } from '../../src/handlers/commands/gpu.ts';
import {
  endpointModal,
  endpointPrefill,
  gpuServerlessMessage,
  SERVERLESS,
} from '../../src/handlers/views/gpu-serverless.ts';
import { checkMessage, checkModal } from '../../src/handlers/views/limits.ts';
import { type InProc, startInProcess } from './inproc.ts';

describe('/gpu serverless parsing and views', () => {
  it('parses the subcommand and keeps the rest as the question', () => {
    expect(parseGpu('serverless llama 3.1 8b 2000 requests/day')).toEqual({
      kind: 'serverless',
      question: 'llama 3.1 8b 2000 requests/day',
    });
    expect(parseGpu('serverless').kind).toBe('usage');
  });

  it('stays within Block Kit limits for answers, refusals and the form', () => {
    for (const q of ['llama 3.1 8b 2000 requests/day 3 s each', 'deepseek r1 100 requests/day', 'hello']) {
      const s = serverlessAnswer(q);
      expect(checkMessage(gpuServerlessMessage(s)), q).toEqual([]);
      if (s.options[0]) expect(checkModal(endpointModal(endpointPrefill(s, s.options[0])))).toEqual([]);
    }
  });

  it('renders as its golden file (UPDATE_GOLDEN=1 rewrites it; review the diff)', () => {
    const file = join(import.meta.dirname, 'views', 'golden', 'gpu-serverless.json');
    const text = `${JSON.stringify(gpuServerlessMessage(serverlessAnswer('llama 3.1 8b 2000 requests/day 3 s each')), null, 2)}\n`;
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, text);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });

  it('reads the endpoint form, with an error per bad field', () => {
    const ok = readEndpointForm({
      [SERVERLESS.name.block]: { [SERVERLESS.name.action]: { value: 'llama-serverless' } },
      [SERVERLESS.template.block]: { [SERVERLESS.template.action]: { value: 'tpl-123' } },
      [SERVERLESS.pools.block]: { [SERVERLESS.pools.action]: { value: 'ampere_24, ADA_24' } },
      [SERVERLESS.gpus.block]: { [SERVERLESS.gpus.action]: { value: '1' } },
      [SERVERLESS.workersMin.block]: { [SERVERLESS.workersMin.action]: { value: '0' } },
      [SERVERLESS.workersMax.block]: { [SERVERLESS.workersMax.action]: { value: '3' } },
      [SERVERLESS.idle.block]: { [SERVERLESS.idle.action]: { value: '5' } },
    });
    expect(ok).toEqual({
      ok: true,
      request: {
        name: 'llama-serverless',
        templateId: 'tpl-123',
        gpuPoolIds: ['AMPERE_24', 'ADA_24'],
        gpuCount: 1,
        workersMin: 0,
        workersMax: 3,
        idleTimeoutSec: 5,
      },
    });
    const bad = readEndpointForm({
      [SERVERLESS.workersMin.block]: { [SERVERLESS.workersMin.action]: { value: '4' } },
      [SERVERLESS.workersMax.block]: { [SERVERLESS.workersMax.action]: { value: '2' } },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(Object.keys(bad.errors)).toEqual(
        expect.arrayContaining([
          SERVERLESS.template.block,
          SERVERLESS.workersMax.block,
          SERVERLESS.pools.block,
        ]),
      );
    }
  });
});

describe('/gpu serverless in Slack', () => {
  let t: InProc;
  beforeAll(async () => {
    t = await startInProcess();
  });
  afterAll(() => t.close());

  it('answers in the ack; Create endpoint opens the form prefilled and creates the endpoint', async () => {
    const { ack, message } = await t.sim.command('/gpu serverless llama 3.1 8b 2000 requests/day 3 s each');
    expect(ack.status).toBe(200);
    expect(message?.text).toMatch(/24 GB \(L4, A5000, RTX 3090\)/);
    const create = t.sim.buttons(message!).find((b) => b.actionId === `${SERVERLESS.createOpen}.0`);
    expect(create?.text).toBe('Create endpoint');
    await t.sim.click(create!);
    await t.idle();
    const view = t.sim.openView()!;
    const inputs = t.sim.inputs(view);
    expect(inputs.find((i) => i.blockId === SERVERLESS.pools.block)?.current).toBe('AMPERE_24');
    expect(inputs.find((i) => i.blockId === SERVERLESS.gpus.block)?.current).toBe('1');
    expect(inputs.find((i) => i.blockId === SERVERLESS.idle.block)?.current).toBe('5');
    // Without a template the form says so on that field.
    const first = await t.sim.submit(view);
    expect(first.errors?.[SERVERLESS.template.block]).toMatch(/template/);
    await t.sim.set(view, SERVERLESS.template.block, 'tpl-vllm');
    const second = await t.sim.submit(view);
    expect(second.errors).toBeNull();
    await t.idle();
    const endpoints = await t.deps.endpoints.list();
    expect(endpoints.some((e) => e.name === 'llama-3-1-8b-serverless')).toBe(true);
  });
});
