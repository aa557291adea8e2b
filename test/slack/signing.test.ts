// Request signing: Slack's documented vector verifies, and podbay's HTTP endpoint refuses
// unsigned, tampered and stale requests with 401.
import { verifySlackRequest } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, fixtureText, type SigningExample } from './fixtures.ts';
import { type Harness, SIGNING_SECRET, startPodbay } from './harness.ts';
import { parseAck, postRaw, sign } from './http-driver.ts';

describe("Slack's documented signing example", () => {
  const ex = fixture<SigningExample>('request-signing-example.json');

  it('our signer reproduces the documented signature over the raw body fixture', () => {
    const raw = fixtureText('slash-command.body.txt');
    expect(raw).toBe(ex.raw_body);
    expect(sign(ex.signing_secret, ex.verify_at_unix_seconds, raw)).toBe(ex.expected_signature);
  });

  it("verifies with Bolt's verifier at the example's time and fails 301 s later", () => {
    const headers = {
      'x-slack-signature': ex.expected_signature,
      'x-slack-request-timestamp': ex.verify_at_unix_seconds,
    };
    const at = ex.verify_at_unix_seconds * 1000;
    expect(() =>
      verifySlackRequest({
        signingSecret: ex.signing_secret,
        body: ex.raw_body,
        headers,
        nowMilliseconds: at,
      }),
    ).not.toThrow();
    expect(() =>
      verifySlackRequest({
        signingSecret: ex.signing_secret,
        body: ex.raw_body,
        headers,
        nowMilliseconds: at + 301_000,
      }),
    ).toThrow();
    expect(() =>
      verifySlackRequest({
        signingSecret: ex.signing_secret,
        body: `${ex.raw_body}x`,
        headers,
        nowMilliseconds: at,
      }),
    ).toThrow();
  });
});

describe('HTTP mode refuses requests Slack did not sign', () => {
  let h: Harness;
  let url: string;
  const body = new URLSearchParams({
    ...fixture<Record<string, string>>('slash-command.json'),
    command: '/pod',
    text: 'help',
  }).toString();
  const now = () => String(Math.floor(Date.now() / 1000));

  beforeAll(async () => {
    h = await startPodbay();
    url = `http://127.0.0.1:${h.running.port}/slack/events`;
  });
  afterAll(() => h.close());

  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  it('a correctly signed command gets its answer (the control case)', async () => {
    const ts = now();
    const r = parseAck(
      await postRaw(url, body, {
        ...form,
        'x-slack-request-timestamp': ts,
        'x-slack-signature': sign(SIGNING_SECRET, ts, body),
      }),
    );
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain('/pod list');
  });

  it('header names in another letter case still verify', async () => {
    const ts = now();
    const r = await postRaw(url, body, {
      'Content-Type': form['content-type'],
      'X-SLACK-REQUEST-TIMESTAMP': ts,
      'X-Slack-Signature': sign(SIGNING_SECRET, ts, body),
    });
    expect(r.status).toBe(200);
  });

  it('unsigned → 401', async () => {
    const r = await postRaw(url, body, form);
    expect(r.status).toBe(401);
  });

  it('tampered body (one byte changed after signing) → 401', async () => {
    const ts = now();
    const sig = sign(SIGNING_SECRET, ts, body);
    const tampered = body.replace('text=help', 'text=helq');
    const r = await postRaw(url, tampered, {
      ...form,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': sig,
    });
    expect(r.status).toBe(401);
  });

  it('signed with another secret → 401', async () => {
    const ts = now();
    const r = await postRaw(url, body, {
      ...form,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': sign('not-the-secret', ts, body),
    });
    expect(r.status).toBe(401);
  });

  it('v1= instead of v0= → 401; v0= dropped → 401', async () => {
    const ts = now();
    const sig = sign(SIGNING_SECRET, ts, body);
    expect(
      (
        await postRaw(url, body, {
          ...form,
          'x-slack-request-timestamp': ts,
          'x-slack-signature': sig.replace('v0=', 'v1='),
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await postRaw(url, body, {
          ...form,
          'x-slack-request-timestamp': ts,
          'x-slack-signature': sig.slice(3),
        })
      ).status,
    ).toBe(401);
  });

  it('301 seconds old (correctly signed for that time) → 401', async () => {
    const ts = String(Math.floor(Date.now() / 1000) - 301);
    const r = await postRaw(url, body, {
      ...form,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': sign(SIGNING_SECRET, ts, body),
    });
    expect(r.status).toBe(401);
  });

  it('nothing reached a listener from the refused requests', () => {
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('GET /healthz answers 200 without a signature', async () => {
    const r = await fetch(`http://127.0.0.1:${h.running.port}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ ok: true, mode: 'http' });
  });
});
