// A loopback stand-in for Slack's Socket Mode server: says hello, sends envelopes, and collects the
// app's acks by envelope id. It is the Transport for Socket Mode end-to-end tests.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { AckResult, Transport } from '../../src/sandbox/console/simulator.ts';

type Json = Record<string, unknown>;

export interface Envelope {
  envelope_id: string;
  type: string;
  payload: Json;
  accepts_response_payload: boolean;
}

export class FakeSocketServer implements Transport {
  readonly sent: Envelope[] = [];
  /** Each ack, with the connection (0, 1, …) it came over. */
  readonly acks: Array<{ envelope_id: string; payload?: Json; connection?: number }> = [];
  /** The connection each envelope was sent over, by envelope id. */
  readonly sentOver = new Map<string, number>();
  private wss: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  /** Every open connection; envelopes go round-robin over them, as Slack spreads them over an app's. */
  private readonly sockets: WebSocket[] = [];
  private next = 0;
  private readonly waiting = new Map<string, (ack: { payload?: Json }) => void>();
  private onConnect: Array<(ws: WebSocket) => void> = [];
  connections = 0;

  async start(): Promise<this> {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    wss.on('connection', (ws) => {
      const connection = this.connections++;
      this.ids.set(ws, connection);
      this.socket = ws;
      this.sockets.push(ws);
      ws.on('close', () => {
        const i = this.sockets.indexOf(ws);
        if (i >= 0) this.sockets.splice(i, 1);
      });
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { envelope_id: string; payload?: Json };
        this.acks.push({ ...msg, connection });
        this.waiting.get(msg.envelope_id)?.(msg);
        this.waiting.delete(msg.envelope_id);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake', approximate_connection_time: 3600 },
          connection_info: { app_id: 'A0PODBAY' },
        }),
      );
      for (const f of this.onConnect.splice(0)) f(ws);
    });
    this.wss = wss;
    return this;
  }

  get url(): string {
    if (!this.wss) throw new Error('the fake socket server is not started');
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}/link/?ticket=fake`;
  }

  connected(): Promise<WebSocket> {
    if (this.socket) return Promise.resolve(this.socket);
    return new Promise((resolve) => this.onConnect.push(resolve));
  }

  async close(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  /** Sends an envelope; resolves with the app's ack (or a 404-like result after 3 s). */
  async send(
    type: string,
    payload: Json,
    acceptsResponse: boolean,
  ): Promise<AckResult & { envelopeId: string }> {
    await this.connected();
    const ws = this.sockets.length
      ? (this.sockets[this.next++ % this.sockets.length] as WebSocket)
      : await this.connected();
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: acceptsResponse,
    };
    this.sent.push(envelope);
    this.sentOver.set(envelope.envelope_id, this.connectionOf(ws));
    const ack = new Promise<{ payload?: Json } | null>((resolve) => {
      this.waiting.set(envelope.envelope_id, resolve);
      setTimeout(() => resolve(null), 3000);
    });
    ws.send(JSON.stringify(envelope));
    const got = await ack;
    if (!got) return { status: 404, body: null, envelopeId: envelope.envelope_id };
    const body = got.payload && Object.keys(got.payload).length ? got.payload : null;
    return { status: 200, body, envelopeId: envelope.envelope_id };
  }

  private readonly ids = new WeakMap<WebSocket, number>();
  private connectionOf(ws: WebSocket): number {
    return this.ids.get(ws) ?? -1;
  }

  command(form: Record<string, string>): Promise<AckResult> {
    return this.send('slash_commands', { ...form }, true);
  }

  interaction(payload: Json): Promise<AckResult> {
    return this.send('interactive', payload, payload.type === 'view_submission');
  }
}
