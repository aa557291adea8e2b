// The console builds requests with its own builders (it cannot read the fixtures at run time); they
// must have the same shapes as the fixture-based builders the end-to-end tests use.
import { describe, expect, it } from 'vitest';
import { defaultPayloads } from '../../src/sandbox/console/payloads.ts';
import { DEFAULT_IDENTITY } from '../../src/sandbox/console/simulator.ts';
import { fixture, fixturePayloads } from './fixtures.ts';

type Json = Record<string, unknown>;

/** Every key path in an object ("a", "a.b", "actions.0.value"), values ignored. */
function shape(v: unknown, prefix = ''): string[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [`${prefix}${i}`, ...shape(x, `${prefix}${i}.`)]);
  if (typeof v === 'object' && v !== null)
    return Object.entries(v as Json).flatMap(([k, x]) => [`${prefix}${k}`, ...shape(x, `${prefix}${k}.`)]);
  return [];
}

const who = DEFAULT_IDENTITY;
const message = {
  ts: '1.2',
  channel: 'C1',
  ephemeral: false,
  text: 't',
  blocks: [{ type: 'divider', block_id: 'b' }],
};
const action = { actionId: 'pod.stop', blockId: 'b', text: 'Stop', value: 'pod1', type: 'button' };
const view = { id: 'V1', type: 'modal', callback_id: 'pod.create', state: { values: {} }, blocks: [] };

describe('console payloads have the shapes of Slack’s own examples', () => {
  it('slash command: the same fields as the documented body', () => {
    const args = { command: '/pod', text: 'list', responseUrl: 'http://x/r', triggerId: '1.2.3' };
    const ours = Object.keys(defaultPayloads.slashCommand(who, args)).sort();
    const doc = Object.keys(fixture('slash-command.json'));
    for (const k of doc) expect(ours).toContain(k);
    expect(Object.keys(fixturePayloads.slashCommand(who, args)).sort()).toEqual([...doc].sort());
  });

  it('block_actions from a channel message and from an ephemeral one', () => {
    for (const ephemeral of [false, true]) {
      const a = { message: { ...message, ephemeral }, action, responseUrl: 'http://x/r', triggerId: '1' };
      const ours = new Set(shape(defaultPayloads.messageButton(who, a)));
      const theirs = shape(fixturePayloads.messageButton(who, a)).filter(
        (p) => !/^(token|team\.enterprise|team\.domain|user\.|message\.blocks|message\.team)/.test(p),
      );
      for (const p of theirs) expect(ours, p).toContain(p);
    }
  });

  it('view_submission and block_actions inside a modal', () => {
    const sub = { view, triggerId: '1' };
    const ours = new Set(shape(defaultPayloads.viewSubmission(who, sub)));
    for (const p of shape(fixturePayloads.viewSubmission(who, sub)).filter(
      (p) => !p.startsWith('view.') && !p.startsWith('team.enterprise'),
    ))
      expect(ours, p).toContain(p);
    const va = {
      view,
      action: { actionId: 'a', blockId: 'b', type: 'static_select', extra: {} },
      triggerId: '1',
    };
    expect(defaultPayloads.viewAction(who, va)).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: 'V1' },
    });
    expect(fixturePayloads.viewAction(who, va)).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: 'V1' },
    });
  });
});
