// A create form's submission is held to podbay's record of it: opened by podbay, by the same person,
// and for the choices the shown quote was for.
import { describe, expect, it } from 'vitest';
import { CreateFormService, FORM_TTL_MS } from '../../src/services/create-forms.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { FakeClock } from '../fakes/runpod-memory.ts';

const a6000x1 = { gpuTypeId: 'NVIDIA RTX A6000', gpuCount: 1, kind: 'on-demand' as const };

describe('CreateFormService', () => {
  const setup = async () => {
    const clock = new FakeClock();
    const forms = new CreateFormService({ store: new MemoryStore(), clock });
    await forms.opened({ viewId: 'V1', userId: 'U1', channel: 'C1', teamId: 'T1' });
    return { clock, forms };
  };

  it('passes the person who opened it, with the choices that were quoted', async () => {
    const { forms } = await setup();
    await forms.quoted('V1', a6000x1);
    expect(await forms.check('V1', 'U1', a6000x1)).toMatchObject({ channel: 'C1', teamId: 'T1' });
  });

  it('refuses choices other than the quoted ones, a stranger, an unknown or old form', async () => {
    const { clock, forms } = await setup();
    await forms.quoted('V1', a6000x1);
    await expect(forms.check('V1', 'U1', { ...a6000x1, gpuCount: 4 })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(forms.check('V1', 'U1', { ...a6000x1, kind: 'spot' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(forms.check('V1', 'U2', a6000x1)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(forms.check('V9', 'U1', a6000x1)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    clock.advance(FORM_TTL_MS + 1);
    await expect(forms.check('V1', 'U1', a6000x1)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('with no price shown any choice passes; done forgets the form', async () => {
    const { forms } = await setup();
    await forms.quoted('V1', null);
    await forms.check('V1', 'U1', { ...a6000x1, gpuCount: 2 });
    await forms.done('V1');
    await expect(forms.check('V1', 'U1', a6000x1)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
  });
});
