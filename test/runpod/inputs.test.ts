import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertNoNulls, compact } from '../../src/runpod/inputs.ts';

describe('compact: unset fields are omitted, never sent as null', () => {
  it('drops null and undefined at every depth', () => {
    expect(
      compact({ a: 1, b: null, c: undefined, d: { e: null, f: 'x' }, g: [1, null, { h: null }] }),
    ).toEqual({
      a: 1,
      d: { f: 'x' },
      g: [1, {}],
    });
  });

  it('keeps falsy values that are real settings', () => {
    expect(compact({ workersMin: 0, startSsh: false, dockerArgs: '' })).toEqual({
      workersMin: 0,
      startSsh: false,
      dockerArgs: '',
    });
  });

  it('never leaves a null anywhere (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        if (v === null) return;
        expect(() => assertNoNulls(compact(v), 'test')).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('the last guard refuses a null with its path', () => {
    expect(() => assertNoNulls({ input: { env: [{ key: 'A', value: null }] } }, 'createOnDemandPod')).toThrow(
      /variables\.input\.env\[0\]\.value/,
    );
  });
});
