// Names and labels come from people, and from pods made outside podbay: in every message podbay
// sends, the plain-text fallback is escaped as the blocks are (no <!channel>, no links, no control
// characters), while podbay's own mentions still work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outgoing } from '../../src/handlers/reply.ts';
import { type InProc, startInProcess } from './inproc.ts';

const NASTY = 'x <!channel> <https://evil.example|click> \u0007bell';

describe('escaping in plain-text fallbacks', () => {
  let h: InProc;
  beforeAll(async () => {
    h = await startInProcess();
    h.runpod.seedPod({ name: NASTY });
  });
  afterAll(() => h.close());

  /** What Slack would parse: each fallback text and every mrkdwn text (plain_text is shown as is). */
  const parsed = (): string => {
    const out: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
        Object.values(o).forEach(walk);
      }
    };
    for (const m of h.fake.messages) {
      out.push(m.text);
      walk(m.blocks);
    }
    return out.join('\n');
  };

  it('a pod named to ping the channel is listed without pinging it', async () => {
    await h.sim.command('/pod list');
    await h.idle();
    const list = h.fake.messages.find((m) => /All pods/.test(m.text));
    expect(list?.text).toContain('&lt;!channel&gt;');
    expect(list?.text).not.toContain('<!channel>');
    expect(list?.text).not.toContain('<https://evil');
    expect(list?.text).not.toContain('\u0007');
    expect(parsed()).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(parsed().includes('\u0007')).toBe(false);
  });

  it('a label typed into /pod create is shown, not obeyed', async () => {
    await h.sim.command('/pod create gpu=a6000 for="eval <!here>"');
    await h.idle();
    expect(parsed()).toMatch(/eval &lt;!here&gt;|eval-here/);
    expect(parsed()).not.toMatch(/<!here>|<!channel>/);
  });

  it('podbay’s own mentions stay mentions', () => {
    const m = outgoing({
      text: 'Ask <@U0ADMIN> in <#C0APPROVALS> or <!subteam^S0LEADS>; not <!everyone>',
      blocks: [],
    });
    expect(m.text).toBe('Ask <@U0ADMIN> in <#C0APPROVALS> or <!subteam^S0LEADS>; not &lt;!everyone&gt;');
  });
});
