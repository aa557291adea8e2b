// The `podbay` bin on REST v2, as a user runs it (a real child process): against a standalone
// twin named by RUNPOD_REST_URL, `pods --json` goes through v2 only; `doctor` prints the
// per-operation choice for auto, graphql and v2 and fails when something needed does not work.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import { json, startLoopback } from '../support/loopback-graphql.ts';
import { SLACK_APP_TOKEN_SECRET, SLACK_BOT_TOKEN_SECRET } from '../support/secrets.ts';
import { tapWrite } from '../support/tap.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'podbay.js');
const cwd = mkdtempSync(join(tmpdir(), 'podbay-cli-v2-'));

/** Async, so the twin in this process keeps answering while the child runs. */
function podbay(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, timeout: 30_000, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env } },
      (error, stdout, stderr) => {
        tapWrite(`${stdout}\n${stderr}`);
        resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr });
      },
    );
  });
}

let twin: Twin;
beforeAll(async () => {
  twin = await startTwin({ seed: true, recordV2: true });
});
afterAll(() => twin.close());
beforeEach(() => {
  twin.control.resetStats();
  twin.v2.clearExchanges();
});

describe('podbay on REST v2', () => {
  it('RUNPOD_API=v2 pods --json lists the twin’s pods through v2, never GraphQL', async () => {
    const r = await podbay(['pods', '--json'], { RUNPOD_API: 'v2', RUNPOD_REST_URL: twin.restUrl });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as { pods: { name: string }[] };
    expect(doc.pods.map((p) => p.name)).toContain('alice-llama70b-serve');
    expect(twin.v2.exchanges().map((x) => x.operationId)).toContain('listPods');
    expect(twin.control.stats().operations.myself).toBeUndefined();
    expect(r.out).not.toMatch(/hf_demo_secret/);
  });

  it('account on v2 says the balance needs GraphQL, plainly', async () => {
    const r = await podbay(['account'], { RUNPOD_API: 'v2', RUNPOD_REST_URL: twin.restUrl });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Balance needs RunPod’s GraphQL API, which this install has switched off/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('logs prints the newest lines of a pod’s container log', async () => {
    const r = await podbay(['logs', 'alice-llama70b-serve', '4'], { RUNPOD_REST_URL: twin.restUrl });
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(4);
    expect(
      twin.v2.exchanges().some((x) => x.operationId === 'getPodLogs' && x.query.includes('tail=4')),
    ).toBe(true);
  });
});

describe('podbay doctor', () => {
  it.each([
    ['auto', 'graphql', 'v2'],
    ['graphql', 'graphql', 'graphql'],
    ['v2', '-', 'v2'],
  ])('RUNPOD_API=%s: balance on %s, pods on %s, exit 0', async (mode, balance, pods) => {
    const r = await podbay(['doctor'], { RUNPOD_API: mode, RUNPOD_REST_URL: twin.restUrl });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Per operation with RUNPOD_API=${mode}`);
    expect(r.out).toMatch(new RegExp(`│ balance\\s+│ ${balance}\\s+│`));
    expect(r.out).toMatch(new RegExp(`│ list pods\\s+│ ${pods}\\s+│`));
    expect(r.out).toMatch(/everything podbay needs works/);
  });

  it('--json carries the choice in every mode', async () => {
    const r = await podbay(['doctor', '--json'], { RUNPOD_REST_URL: twin.restUrl });
    const doc = JSON.parse(r.out);
    expect(doc.ok).toBe(true);
    const balance = (m: string) =>
      doc.modes[m].find((o: { operation: string }) => o.operation === 'balance').api;
    expect([balance('auto'), balance('graphql'), balance('v2')]).toEqual(['graphql', 'graphql', null]);
    const logs = (m: string) =>
      doc.modes[m].find((o: { operation: string }) => o.operation === 'pod logs').api;
    expect([logs('auto'), logs('graphql'), logs('v2')]).toEqual(['v2', null, 'v2']);
  });

  it('fails (exit 1) when the REST API it needs does not answer', async () => {
    const dead = await startLoopback(() => {});
    const url = dead.url.replace('/graphql', '');
    await dead.close();
    const r = await podbay(['doctor'], { RUNPOD_API: 'v2', RUNPOD_REST_URL: url, RUNPOD_TIMEOUT_MS: '500' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/RunPod v2\s+│ FAIL/);
    expect(r.out).toMatch(/│ list pods\s+│ v2\s+│.*│ FAIL/);
  });

  it('fails on bad settings, naming them', async () => {
    const r = await podbay(['doctor'], { RUNPOD_API: 'rest' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/settings\s+│ FAIL\s+│ RUNPOD_API/);
  });

  it('checks the Slack bot token with auth.test, never printing it', async () => {
    const slack = await startLoopback((req, res) =>
      req.headers.authorization === `Bearer ${SLACK_BOT_TOKEN_SECRET}`
        ? json(res, 200, { ok: false, error: 'invalid_auth' })
        : json(res, 200, { ok: false, error: 'not_authed' }),
    );
    try {
      const r = await podbay(['doctor'], {
        RUNPOD_REST_URL: twin.restUrl,
        SLACK_BOT_TOKEN: SLACK_BOT_TOKEN_SECRET,
        SLACK_APP_TOKEN: SLACK_APP_TOKEN_SECRET,
        SLACK_API_URL: slack.url.replace('/graphql', '/api/'),
      });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/Slack\s+│ FAIL\s+│ Slack refused the bot token \(invalid_auth\)/);
      expect(slack.requests[0]?.url).toBe('/api/auth.test');
      expect(`${r.out}${r.err}`).not.toContain(SLACK_BOT_TOKEN_SECRET);
    } finally {
      await slack.close();
    }
  });
});
