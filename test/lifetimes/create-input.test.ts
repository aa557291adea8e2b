// stop_after on the way in: `/pod create` arguments, the create form's "Stop after" field, the
// role default rule and the sentence the create answers with. Pure code, no fakes.
import { describe, expect, it } from 'vitest';
import { readCreateForm, type StateValues } from '../../src/handlers/actions/create-form.ts';
import { requestFromPrefill } from '../../src/handlers/actions/create-pod.ts';
import { parsePod, POD_HELP } from '../../src/handlers/commands/pod.ts';
import { CREATE } from '../../src/handlers/ids.ts';
import { createPodModal } from '../../src/handlers/views/create-modal.ts';
import { MAX_LIFETIME_MS, MIN_LIFETIME_MS } from '../../src/services/lifetimes.ts';
import { lifetimeNote, roleLifetime, validateCreatePodRequest } from '../../src/services/pod-request.ts';
import { parseStopAfter } from '../../src/services/pod-rules.ts';

const H = 3_600_000;

describe('/pod create stop_after=', () => {
  const create = (text: string) => {
    const r = parsePod(text);
    if (r.kind !== 'create' || !r.args) throw new Error(`expected a create, got ${JSON.stringify(r)}`);
    return r.args.prefill;
  };
  const problem = (text: string) => {
    const r = parsePod(text);
    if (r.kind !== 'usage') throw new Error(`expected a usage answer, got ${JSON.stringify(r)}`);
    return r.problem ?? '';
  };

  it('accepts a duration within the limits, written as the policy writes durations', () => {
    expect(create('create gpu=a6000 stop_after=8h').stopAfter).toBe('8h');
    expect(create('create gpu=a6000 stop_after=90m').stopAfter).toBe('90m');
    expect(create('create gpu=a6000 stop_after=120m').stopAfter).toBe('2h');
    expect(create('create gpu=a6000 STOP-AFTER=2d').stopAfter).toBe('2d');
    expect(create('create gpu=a6000 stop_after=15m').stopAfter).toBe('15m');
    expect(create('create gpu=a6000 stop_after=30d').stopAfter).toBe('30d');
    // Without a GPU the form opens, with the lifetime prefilled.
    expect(create('create stop_after=8h').stopAfter).toBe('8h');
  });

  it('stop_after=none: no lifetime', () => {
    expect(create('create gpu=a6000 stop_after=none').stopAfter).toBe('none');
    expect(create('create gpu=a6000 stop_after=NONE').stopAfter).toBe('none');
    expect(create('create gpu=a6000').stopAfter).toBeUndefined();
  });

  it('refuses what is not a duration, or is out of bounds, with the accepted form', () => {
    expect(problem('create gpu=a6000 stop_after=soon')).toBe(
      'stop_after "soon" is not a duration; write e.g. 90m, 8h or 2d. `stop_after=none` means no automatic stop.',
    );
    expect(problem('create gpu=a6000 stop_after=')).toMatch(/is not a duration; write e\.g\. 90m, 8h or 2d/);
    expect(problem('create gpu=a6000 stop_after=8')).toMatch(/is not a duration/);
    expect(problem('create gpu=a6000 stop_after=5m')).toMatch(
      /stop_after is between 15m and 30d; "5m" is not/,
    );
    expect(problem('create gpu=a6000 stop_after=31d')).toMatch(/between 15m and 30d; "31d" is not/);
  });

  it('a long or odd value comes back short and harmless', () => {
    const p = problem(`create gpu=a6000 stop_after=${'x'.repeat(500)}`);
    expect(p.length).toBeLessThan(200);
    expect(p).toContain('…');
    expect(problem('create gpu=a6000 "stop_after=8h`rm`"')).not.toContain('`rm`');
  });

  it('is in the help text', () => {
    expect(POD_HELP).toContain('stop_after=8h');
    expect(POD_HELP).toContain('stop_after=none');
  });

  it('becomes the request: a number of ms, or null for none; left out, the role default applies', () => {
    const gpu = { gpuTypeId: 'NVIDIA RTX A6000' };
    expect(requestFromPrefill({ ...gpu, stopAfter: '8h' }, 'RTX A6000').lifetimeMs).toBe(8 * H);
    expect(requestFromPrefill({ ...gpu, stopAfter: 'none' }, 'RTX A6000').lifetimeMs).toBeNull();
    expect('lifetimeMs' in requestFromPrefill(gpu, 'RTX A6000')).toBe(false);
  });
});

describe('parseStopAfter and the request rule', () => {
  it('parses the same way everywhere', () => {
    expect(parseStopAfter(' 8h ')).toBe(8 * H);
    expect(parseStopAfter('none')).toBeNull();
    expect(() => parseStopAfter('8 hours')).toThrow(/not a duration/);
  });

  it('a request with a lifetime out of bounds is not valid (the service checks it too)', () => {
    const base = {
      label: 'eval',
      gpuTypeIds: ['NVIDIA RTX A6000'],
      gpuCount: 1,
      kind: 'on-demand' as const,
      imageName: 'vllm/vllm-openai:latest',
    };
    expect(() => validateCreatePodRequest({ ...base, lifetimeMs: 8 * H })).not.toThrow();
    expect(() => validateCreatePodRequest({ ...base, lifetimeMs: null })).not.toThrow();
    expect(() => validateCreatePodRequest({ ...base, lifetimeMs: 60_000 })).toThrow(/between 15m and 30d/);
    expect(() => validateCreatePodRequest({ ...base, lifetimeMs: Number.NaN })).toThrow(/between/);
  });
});

describe('the role default', () => {
  const none = { viewer: null, operator: null, approver: null, admin: null };

  it('is that of the highest role held that has one', () => {
    const l = { viewer: 2 * H, operator: 8 * H, approver: null, admin: 48 * H };
    expect(roleLifetime(l, ['viewer', 'operator'])).toEqual({ ms: 8 * H, role: 'operator' });
    expect(roleLifetime(l, ['viewer', 'operator', 'admin'])).toEqual({ ms: 48 * H, role: 'admin' });
    // The approver role has none here: the operator default still applies.
    expect(roleLifetime(l, new Set(['viewer', 'operator', 'approver'] as const))).toEqual({
      ms: 8 * H,
      role: 'operator',
    });
    expect(roleLifetime(l, [])).toBeNull();
    expect(roleLifetime(none, ['admin', 'operator'])).toBeNull();
  });

  it('stays within the lifetime limits', () => {
    expect(roleLifetime({ ...none, operator: 60_000 }, ['operator'])?.ms).toBe(MIN_LIFETIME_MS);
    expect(roleLifetime({ ...none, operator: 90 * 86_400_000 }, ['operator'])?.ms).toBe(MAX_LIFETIME_MS);
  });
});

describe('the sentence', () => {
  const now = Date.parse('2026-11-26T12:00:00.000Z');
  it('says when, in UTC, and the stop_after it came from; the date when it is not today', () => {
    expect(lifetimeNote(now + 8 * H, 8 * H, now)).toBe('stops automatically at 20:00 UTC (stop_after 8h)');
    expect(lifetimeNote(now + 90 * 60_000, 90 * 60_000, now)).toBe(
      'stops automatically at 13:30 UTC (stop_after 90m)',
    );
    expect(lifetimeNote(now + 48 * H, 48 * H, now)).toBe(
      'stops automatically at 12:00 UTC on 2026-11-28 (stop_after 2d)',
    );
  });
});

describe('the create form', () => {
  const text = (v: string | null) => ({ type: 'plain_text_input', value: v });
  const state = (stopAfter: string | null): StateValues => ({
    [CREATE.label.block]: { [CREATE.label.action]: text('eval') },
    [CREATE.gpu.block]: { [CREATE.gpu.action]: { selected_option: { value: 'NVIDIA RTX A6000' } } },
    [CREATE.count.block]: { [CREATE.count.action]: { selected_option: { value: '1' } } },
    [CREATE.kind.block]: { [CREATE.kind.action]: { selected_option: { value: 'on-demand' } } },
    [CREATE.image.block]: { [CREATE.image.action]: text('vllm/vllm-openai:latest') },
    [CREATE.disk.block]: { [CREATE.disk.action]: text('50') },
    [CREATE.stopAfter.block]: { [CREATE.stopAfter.action]: text(stopAfter) },
  });

  it('reads "Stop after": a duration, none, or empty (the role default)', () => {
    const r8 = readCreateForm(state('8h'));
    expect(r8.ok && r8.request.lifetimeMs).toBe(8 * H);
    const rNone = readCreateForm(state(' none '));
    expect(rNone.ok && rNone.request.lifetimeMs).toBeNull();
    for (const empty of [null, '', '  ']) {
      const r = readCreateForm(state(empty));
      expect(r.ok && 'lifetimeMs' in r.request).toBe(false);
    }
  });

  it('a bad value is an error under that field, and only there', () => {
    for (const [typed, re] of [
      ['tomorrow', /"tomorrow" is not a duration; write e\.g\. 90m, 8h or 2d\. Or write none/],
      ['5m', /between 15m and 30d; "5m" is not/],
    ] as const) {
      const r = readCreateForm(state(typed));
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(Object.keys(r.errors)).toEqual([CREATE.stopAfter.block]);
      expect(r.errors[CREATE.stopAfter.block]).toMatch(re);
    }
  });

  it('the modal has an optional "Stop after" input, prefilled and explained', () => {
    const base = {
      gpus: [{ id: 'NVIDIA RTX A6000', label: 'RTX A6000 · 48 GB' }],
      volumes: null,
      quote: { state: 'incomplete' as const, message: 'Pick a GPU type to see the price.' },
      metadata: { channel: 'C0GPU' },
    };
    const block = (v: ReturnType<typeof createPodModal>) =>
      v.blocks.find((b) => b.block_id === CREATE.stopAfter.block) as Record<string, unknown> | undefined;

    const plain = block(createPodModal({ ...base, prefill: {} }));
    expect(plain).toMatchObject({
      type: 'input',
      optional: true,
      label: { text: 'Stop after' },
      element: { type: 'plain_text_input', action_id: CREATE.stopAfter.action },
    });
    expect(plain?.element).not.toHaveProperty('initial_value');
    expect(JSON.stringify(plain?.hint)).toMatch(/Empty = it runs until you stop it/);

    const withDefault = block(createPodModal({ ...base, prefill: { stopAfter: '8h' }, roleLifetime: '8h' }));
    expect(withDefault?.element).toMatchObject({ initial_value: '8h' });
    expect(JSON.stringify(withDefault?.hint)).toMatch(/your role’s default \(8h\); none = no automatic stop/);

    const unknown = block(createPodModal({ ...base, prefill: {}, roleLifetime: 'unknown' }));
    expect(JSON.stringify(unknown?.hint)).toMatch(/your role’s default, if it has one/);
  });
});
