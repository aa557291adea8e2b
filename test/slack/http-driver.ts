// Drives podbay over HTTP the way Slack does: form-encoded bodies, `payload=` for interactions,
// signed with the signing secret (v0 HMAC-SHA256 over "v0:<ts>:<raw body>").
import { createHmac } from 'node:crypto';
import type { AckResult, Transport } from '../../src/sandbox/console/simulator.ts';

export function sign(secret: string, timestamp: string | number, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export interface RawResponse {
  status: number;
  text: string;
  contentType: string | null;
}

export async function postRaw(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
}

export function parseAck(r: RawResponse): AckResult {
  if (!r.text) return { status: r.status, body: null };
  try {
    return { status: r.status, body: JSON.parse(r.text) };
  } catch {
    return { status: r.status, body: r.text };
  }
}

export class SignedHttpTransport implements Transport {
  /** Seconds added to the signing time (e.g. -301 to make a stale request). */
  skewSec = 0;

  constructor(
    readonly eventsUrl: string,
    private readonly secret: string,
  ) {}

  headers(rawBody: string): Record<string, string> {
    const ts = String(Math.floor(Date.now() / 1000) + this.skewSec);
    return {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': ts,
      'x-slack-signature': sign(this.secret, ts, rawBody),
    };
  }

  async send(rawBody: string): Promise<AckResult> {
    return parseAck(await postRaw(this.eventsUrl, rawBody, this.headers(rawBody)));
  }

  command(form: Record<string, string>): Promise<AckResult> {
    return this.send(new URLSearchParams(form).toString());
  }

  interaction(payload: Record<string, unknown>): Promise<AckResult> {
    return this.send(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  }
}
