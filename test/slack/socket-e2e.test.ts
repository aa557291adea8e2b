// Socket Mode end to end over loopback: the fake Web API answers apps.connections.open with a local
// WebSocket URL, the fake socket sends a slash command and a block_actions envelope, and podbay acks
// both with their envelope ids; answers go out through response_url to the fake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import { type Harness, messageMatching, startPodbay } from './harness.ts';
import { FakeSocketServer } from './socket-fake.ts';

describe('podbay in Socket Mode, end to end', () => {
  let h: Harness;
  let socket: FakeSocketServer;

  beforeAll(async () => {
    socket = await new FakeSocketServer().start();
    h = await startPodbay({ mode: 'socket', socketUrl: socket.url, transport: socket });
    await socket.connected();
  });
  afterAll(async () => {
    await h.close();
    await socket.close();
  });

  it('connected through apps.connections.open with the app token', () => {
    expect(h.running.mode).toBe('socket');
    expect(h.fake.callsTo('apps.connections.open')).toHaveLength(1);
    expect(socket.connections).toBe(1);
  });

  it('a slash-command envelope is acked with its envelope id and answered', async () => {
    const { ack } = await h.sim.command('/pod list');
    const env = socket.sent.at(-1);
    expect(env?.type).toBe('slash_commands');
    expect(ack.status).toBe(200);
    expect(socket.acks.map((a) => a.envelope_id)).toContain(env?.envelope_id);
    const list = await messageMatching(h.fake, /All pods/);
    expect(h.sim.buttons(list).length).toBeGreaterThan(0);
  });

  it('an ack can carry the answer (usage) in the envelope ack payload', async () => {
    const { ack, message } = await h.sim.command('/pod help');
    expect(ack.body).toMatchObject({ response_type: 'ephemeral' });
    expect(message?.text).toContain('/pod list');
  });

  it('a block_actions envelope (a Status button on the list) is acked with its envelope id and answered', async () => {
    const list = await messageMatching(h.fake, /All pods/);
    const status = h.sim.button(list, ACTIONS.podStatus);
    const before = h.fake.messages.length;
    const ack = await h.sim.click(status);
    const env = socket.sent.at(-1);
    expect(env?.type).toBe('interactive');
    expect((env?.payload as { type?: string } | undefined)?.type).toBe('block_actions');
    expect(ack.status).toBe(200);
    expect(socket.acks.at(-1)?.envelope_id).toBe(env?.envelope_id);
    await h.fake.waitFor(
      () => h.fake.messages.slice(before).find((m) => /\(.*\): /.test(m.text)),
      8000,
      'the status answer',
    );
  });

  it('Slack refused nothing podbay sent', () => {
    expect(h.fake.rejections).toEqual([]);
  });
});
