// The HTTP edge against hostile input, on a real podbay process: a flood of large unsigned bodies
// costs it little memory and gets 401/413, and a signed `payload=null` is refused while it serves on.
import { request } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { sign } from '../slack/http-driver.ts';
import {
  freePort,
  httpEnv,
  type PodbayChild,
  rssKiB,
  SIGNING_SECRET,
  spawnPodbay,
  untilHealthy,
} from './child.ts';

const FOUR_MB = Buffer.alloc(4 * 1024 * 1024, 'a');

/** POSTs `body` (with a Content-Length, or chunked), resolving with the status or the socket error. */
function post(
  port: number,
  body: Buffer,
  opts: { chunked?: boolean; headers?: Record<string, string> } = {},
) {
  return new Promise<number | string>((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/slack/events',
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(opts.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }),
        ...opts.headers,
      },
    });
    let settled = false;
    req.on('response', (res) => {
      settled = true;
      resolve(res.statusCode ?? 0);
      res.resume();
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!settled) resolve(e.code ?? e.message);
    });
    if (opts.chunked) {
      // 64 KiB at a time, the way a client streams a body it has not finished producing.
      let off = 0;
      const more = () => {
        while (off < body.length) {
          const ok = req.write(body.subarray(off, off + 65_536));
          off += 65_536;
          if (!ok) return void req.once('drain', more);
        }
        req.end();
      };
      req.on('close', () => {
        off = body.length;
      });
      more();
    } else {
      req.end(body);
    }
  });
}

describe('HTTP edge of a running podbay (child process)', () => {
  let fake: SlackFake;
  let p: PodbayChild;
  beforeAll(async () => {
    fake = await new SlackFake().start();
    const dir = mkdtempSync(join(tmpdir(), 'podbay-edge-'));
    p = spawnPodbay(dir, httpEnv(fake.apiUrl, await freePort(), join(dir, 'podbay.db')));
    await untilHealthy(p);
  }, 40_000);
  afterAll(async () => {
    await p?.kill();
    await fake?.close();
  });

  /** Runs a flood, checks every answer is one of `allowed`, and returns the RSS growth in MB. */
  async function flood(
    label: string,
    allowed: Array<number | string>,
    run: () => Promise<Array<number | string>>,
  ) {
    const pid = p.child.pid as number;
    const before = rssKiB(pid);
    const answers = new Set(await run());
    const after = rssKiB(pid);
    expect(
      [...answers].every((s) => allowed.includes(s)),
      `answers: ${[...answers].join(', ')}`,
    ).toBe(true);
    const growthMb = (after - before) / 1024;
    process.stdout.write(
      `edge RSS (${label}): before ${before} KiB, after ${after} KiB, growth ${growthMb.toFixed(1)} MB\n`,
    );
    return growthMb;
  }

  const times = (n: number, f: () => Promise<number | string>) => Promise.all(Array.from({ length: n }, f));

  /** A signed POST to the events path, the way Slack sends one. */
  const signedPost = (body: string) => {
    const ts = String(Math.floor(Date.now() / 1000));
    return fetch(`http://127.0.0.1:${p.port}/slack/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': ts,
        'x-slack-signature': sign(SIGNING_SECRET, ts, body),
      },
    });
  };

  it('120 concurrent unsigned 4 MB posts: every answer 401 or 413, RSS grows < 100 MB', async () => {
    // Warm up the request path first so the baseline includes what any request costs.
    expect(await post(p.port, Buffer.from('x=1'))).toBe(401);
    const growth = await flood('unsigned', [401, 413], async () => [
      ...(await times(120, () => post(p.port, FOUR_MB))),
      ...(await times(120, () => post(p.port, FOUR_MB, { chunked: true }))),
    ]);
    expect(growth).toBeLessThan(100);
    // Still serving.
    expect((await fetch(`http://127.0.0.1:${p.port}/healthz`)).status).toBe(200);
  }, 60_000);

  it('120 concurrent 4 MB posts with a forged signature: read only to the limit, 413 or 503, RSS < 100 MB', async () => {
    const forged = () => {
      const ts = String(Math.floor(Date.now() / 1000));
      return { 'x-slack-request-timestamp': ts, 'x-slack-signature': sign('not-the-secret', ts, 'x') };
    };
    const growth = await flood('forged', [413, 503], () =>
      times(120, () => post(p.port, FOUR_MB, { chunked: true, headers: forged() })),
    );
    expect(growth).toBeLessThan(100);
  }, 60_000);

  it('a signed payload=null is answered 400 and the process keeps serving', async () => {
    expect((await signedPost('payload=null')).status).toBe(400);
    await new Promise((r) => setTimeout(r, 200));
    expect(p.child.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${p.port}/healthz`)).status).toBe(200);
    // A real command still gets its answer.
    const cmd = new URLSearchParams({
      command: '/pod',
      text: 'help',
      user_id: 'U1',
      channel_id: 'C1',
      team_id: 'T1',
      response_url: `${fake.apiUrl}/respond`,
      trigger_id: 't',
    }).toString();
    expect((await signedPost(cmd)).status).toBe(200);
  }, 30_000);
});
