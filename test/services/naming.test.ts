import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randomIds, sequentialIds } from '../../src/services/ids.ts';
import { isSafePodName, makePodName, POD_NAME_MAX, slugify } from '../../src/services/naming.ts';

describe('pod names', () => {
  it('is <handle>-<slug>-<6 chars>', () => {
    expect(makePodName({ handle: 'Ana', label: 'Llama 70B eval!' }, sequentialIds())).toBe(
      'ana-llama-70b-eval-000001',
    );
  });

  it('cleans handles and labels to RunPod-safe characters', () => {
    expect(slugify('  Émile_Zoë / GPU#1 ')).toBe('emile-zoe-gpu-1');
    expect(makePodName({ handle: '@@@', label: '***' }, sequentialIds())).toBe('user-pod-000001');
  });

  it('stays within 60 characters with a long label', () => {
    const name = makePodName(
      { handle: 'a-very-long-handle-that-goes-on', label: 'x'.repeat(200) },
      randomIds,
    );
    expect(name.length).toBeLessThanOrEqual(POD_NAME_MAX);
    expect(isSafePodName(name)).toBe(true);
  });

  it('is always safe and unique-suffixed for any input (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (handle, label) => {
        const name = makePodName({ handle, label }, randomIds);
        expect(isSafePodName(name)).toBe(true);
        expect(name).toMatch(/-[a-z0-9]{6}$/);
      }),
    );
  });

  it('random suffixes are drawn from [a-z0-9] and differ', () => {
    const seen = new Set(Array.from({ length: 200 }, () => randomIds.suffix(6)));
    expect(seen.size).toBe(200);
    for (const s of seen) expect(s).toMatch(/^[a-z0-9]{6}$/);
  });

  it('rejects unsafe names', () => {
    expect(isSafePodName('Ana-pod')).toBe(false);
    expect(isSafePodName('ana--pod')).toBe(false);
    expect(isSafePodName('-ana')).toBe(false);
    expect(isSafePodName('a'.repeat(61))).toBe(false);
  });
});
