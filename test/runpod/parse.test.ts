import { describe, expect, it } from 'vitest';
import { envKeys, PodSchema, parseList, parseOne, toPod } from '../../src/runpod/parse.ts';
import { PodbayError } from '../../src/services/errors.ts';

const rawPod = {
  id: 'abc123',
  name: 'alice-llama',
  desiredStatus: 'RUNNING',
  podType: 'INTERRUPTABLE',
  costPerHr: 0.88,
  gpuCount: 2,
  vcpuCount: 16,
  memoryInGb: 62,
  machineId: 'm1',
  env: ['HF_TOKEN=hf_secret_value', 'MODE=a=b'],
  machine: { gpuDisplayName: 'RTX A6000', location: 'CA' },
  runtime: {
    uptimeInSeconds: 60,
    gpus: [{ id: 'GPU-1', gpuUtilPercent: 95, memoryUtilPercent: 80 }, null],
    container: { cpuPercent: 12, memoryPercent: 30 },
    ports: [{ ip: '1.2.3.4', isIpPublic: true, privatePort: 22, publicPort: 40022, type: 'tcp' }],
  },
};

describe('pod parsing', () => {
  it('maps a RunPod pod to the domain pod', () => {
    const pod = toPod(parseOne(PodSchema, rawPod, 'pod'));
    expect(pod).toMatchObject({
      id: 'abc123',
      status: 'RUNNING',
      kind: 'spot',
      gpuName: 'RTX A6000',
      envKeys: ['HF_TOKEN', 'MODE'],
    });
    expect(pod.runtime?.gpus).toEqual([{ id: 'GPU-1', utilPercent: 95, memoryUtilPercent: 80 }]);
    expect(pod.runtime?.ports[0]).toMatchObject({ isPublic: true, publicPort: 40022 });
  });

  it('drops env values: they are secrets', () => {
    const pod = toPod(parseOne(PodSchema, rawPod, 'pod'));
    expect(JSON.stringify(pod)).not.toContain('hf_secret_value');
    expect(envKeys(['A=1', null, 'B='])).toEqual(['A', 'B']);
  });

  it('a missing field is a typed error naming the field, not a crash', () => {
    const { costPerHr: _drop, ...noCost } = rawPod;
    const err = (() => {
      try {
        parseOne(PodSchema, noCost, 'pod abc123');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(PodbayError);
    expect((err as PodbayError).code).toBe('BAD_RESPONSE');
    expect((err as PodbayError).userMessage).toMatch(/pod abc123.*costPerHr/);
  });

  it('an odd enum value is a typed error', () => {
    expect(() => parseOne(PodSchema, { ...rawPod, desiredStatus: 'MELTING' }, 'pod')).toThrow(PodbayError);
  });

  it('lists keep the readable items and report the odd ones', () => {
    const r = parseList(PodSchema, [rawPod, { id: 'x' }, null, rawPod], 'pods', toPod);
    expect(r.items).toHaveLength(2);
    expect(r.skipped).toEqual([{ index: 1, reason: expect.stringMatching(/name/) }]);
  });

  it('a list that is not a list is a typed error', () => {
    expect(() => parseList(PodSchema, { not: 'a list' }, 'pods', toPod)).toThrow(PodbayError);
  });
});
