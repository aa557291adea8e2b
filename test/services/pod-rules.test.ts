// One home for pod request rules: the same bad input gets the same plain answer from the create
// form (under its field), from /pod create arguments (in the ack) and from the service.
import { describe, expect, it } from 'vitest';
import { readCreateForm, type StateValues } from '../../src/handlers/actions/create-form.ts';
import { parsePod } from '../../src/handlers/commands/pod.ts';
import { CREATE } from '../../src/handlers/ids.ts';
import { type FieldProblem, maxGpusFor, podProblems, portsProblem } from '../../src/services/pod-rules.ts';
import { ana, setup } from './helpers.ts';

const base = {
  label: 'eval',
  gpuTypeIds: ['NVIDIA RTX A6000'],
  gpuCount: 1,
  kind: 'on-demand' as const,
  imageName: 'vllm/vllm-openai:latest',
};

const formState = (fields: Record<string, string>): StateValues => {
  const s: StateValues = {};
  const put = (ids: { block: string; action: string }, value: string) => {
    s[ids.block] = { [ids.action]: { type: 'plain_text_input', value, selected_option: { value } } };
  };
  put(CREATE.label, 'eval');
  put(CREATE.gpu, 'NVIDIA RTX A6000');
  put(CREATE.count, '1');
  put(CREATE.kind, 'on-demand');
  put(CREATE.image, 'vllm/vllm-openai:latest');
  put(CREATE.disk, '50');
  for (const [k, v] of Object.entries(fields))
    put(CREATE[k as 'ports'] as { block: string; action: string }, v);
  return s;
};

describe('pod rules', () => {
  it('ports: 1 to 65535, http, tcp or udp, each once', () => {
    expect(portsProblem('8888/http,22/tcp,5000/udp')).toBeNull();
    for (const bad of ['0/tcp', '70000/tcp', '22', '22/sctp', '8888/http,8888/tcp', 'x'])
      expect(portsProblem(bad), bad).toMatch(/Write ports like|listed twice/);
  });

  it('the GPU count is bounded by the type’s own maximum', () => {
    expect(maxGpusFor('NVIDIA RTX A6000')).toBe(8);
    const mig = 'NVIDIA RTX PRO 6000 Blackwell Server Edition MIG 1g.24gb';
    expect(maxGpusFor(mig)).toBe(1);
    expect(podProblems({ ...base, gpuTypeIds: [mig], gpuCount: 2 })).toEqual([
      { field: 'gpuCount', message: 'GPU count is a whole number from 1 to 1 for this GPU type.' },
    ]);
    expect(podProblems({ ...base, gpuCount: 9 })[0]?.field).toBe('gpuCount');
  });

  it('a complete request needs what it is for, a GPU and an image or template; env values are never echoed', () => {
    const fields = podProblems({ kind: 'on-demand' }, { complete: true }).map((p) => p.field);
    expect(fields).toEqual(['label', 'gpuTypeIds', 'imageName']);
    const env = podProblems({ ...base, env: [{ key: 'A', value: 'x'.repeat(40_000) }] });
    expect(env[0]?.message).not.toContain('xxx');
  });

  const cases: Array<{
    name: string;
    form: Record<string, string>;
    command: string;
    request: Record<string, unknown>;
    field: string;
    re: RegExp;
  }> = [
    {
      name: 'ports',
      form: { ports: '70000/tcp' },
      command: 'ports=70000/tcp',
      request: { ports: '70000/tcp' },
      field: CREATE.ports.block,
      re: /Write ports like/,
    },
    {
      name: 'disk',
      form: { disk: '5000' },
      command: 'disk=5000',
      request: { containerDiskInGb: 5000 },
      field: CREATE.disk.block,
      re: /Container disk is 1 to 2000 GB/,
    },
    {
      name: 'volume',
      form: { volume: '9000' },
      command: 'volume=9000',
      request: { volumeInGb: 9000 },
      field: CREATE.volume.block,
      re: /Pod volume is 0 to 4000 GB/,
    },
    {
      name: 'label',
      form: { label: 'x'.repeat(61) },
      command: `for="${'x'.repeat(61)}"`,
      request: { label: 'x'.repeat(61) },
      field: CREATE.label.block,
      re: /under 60 characters/,
    },
    {
      name: 'image',
      form: { image: 'my image' },
      command: 'image="my image"',
      request: { imageName: 'my image' },
      field: CREATE.image.block,
      re: /no spaces/,
    },
    {
      name: 'count',
      form: { count: '12' },
      command: 'count=12',
      request: { gpuCount: 12 },
      field: CREATE.count.block,
      re: /GPU count is a whole number from 1 to 8/,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: the form, the command and the service say the same`, async () => {
      const f = readCreateForm(formState(c.form));
      expect(f.ok).toBe(false);
      if (!f.ok) expect(f.errors[c.field]).toMatch(c.re);
      const cmd = parsePod(`create gpu=a6000 ${c.command}`);
      expect(cmd.kind).toBe('usage');
      if (cmd.kind === 'usage') expect(cmd.problem).toMatch(c.re);
      const { pods } = setup();
      const e = (await pods
        .create({ ...base, ...c.request } as never, ana)
        .catch((x: unknown) => x)) as FieldProblem & {
        code: string;
        userMessage: string;
      };
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.userMessage).toMatch(c.re);
      expect(e.userMessage).not.toMatch(/too_big|Expected|invalid_type/);
    });
  }
});
