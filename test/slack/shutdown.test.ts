// Graceful shutdown: stop taking requests, finish (or wind down) work in flight, close what was opened.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { BOT_TOKEN, messageMatching, SIGNING_SECRET, startPodbay } from './harness.ts';

const root = join(import.meta.dirname, '..', '..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('graceful shutdown', () => {
  it('stop(): no new requests; a pod being followed ends with "stopped watching" instead of silence', async () => {
    // A pod that takes ten simulated minutes to start, on a twin running in real time.
    const h = await startPodbay({
      twin: { createToRunningDelaySec: 600, realtime: { speed: 1, tickMs: 100 } },
      start: { shutdownGraceMs: 300 },
    });
    try {
      await h.sim.command('/pod create gpu=a6000 for="slow start"');
      const progress = await messageMatching(h.fake, /slow-start/);
      expect(h.running.work.size).toBeGreaterThan(0);

      await h.running.stop('test');
      expect(h.running.work.size).toBe(0);
      const final = h.fake.message(progress.id)!;
      expect(final.text).toMatch(/Stopped watching/);
      expect(final.text).toMatch(/Next step/);
      await h.running.done;
      // The port is closed.
      await expect(fetch(`http://127.0.0.1:${h.running.port}/healthz`)).rejects.toThrow();
    } finally {
      await h.twin.close();
      await h.fake.close();
    }
  }, 30_000);

  // `podbay start` runs HTTP mode on two threads (serve.ts); src/main.ts alone runs it on one.
  it.each([
    ['podbay start (ack front and app thread)', ['src/cli.ts', 'start']],
    ['src/main.ts (one thread)', ['src/main.ts']],
  ])(
    'SIGTERM to a real process, %s: it stops cleanly and exits 0',
    async (_name, entry) => {
      const fake = await new SlackFake().start();
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [
          '--import',
          pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href,
          join(root, entry[0] as string),
          ...entry.slice(1),
        ],
        {
          cwd: mkdtempSync(join(tmpdir(), 'podbay-sigterm-')),
          env: {
            PATH: process.env.PATH,
            SLACK_BOT_TOKEN: BOT_TOKEN,
            SLACK_SIGNING_SECRET: SIGNING_SECRET,
            SLACK_API_URL: fake.apiUrl,
            PORT: String(port),
            PODBAY_DB_PATH: 'podbay.db',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let log = '';
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
      });
      child.stdout.on('data', (d: Buffer) => {
        log += d.toString();
      });
      try {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`not listening: ${log}`)), 20_000);
          const check = () => {
            if (log.includes('listening for Slack')) {
              clearTimeout(t);
              resolve();
            }
          };
          child.stderr.on('data', check);
          child.stdout.on('data', check);
        });
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ sandbox: true });
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(log).toContain('podbay stopped');
        expect(log).not.toContain(BOT_TOKEN);
        expect(log).not.toContain(SIGNING_SECRET);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        await fake.close();
      }
    },
    40_000,
  );
});
