// Runs `node bin/podbay.js start` in HTTP mode as a real child process (its own memory, its own
// exit code), with Web API calls landing on a loopback SlackFake and RunPod on the in-process twin.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { BIN } from '../support/run-cli.ts';
import { tapWrite } from '../support/tap.ts';
import { SLACK_BOT_TOKEN_SECRET, SLACK_SIGNING_SECRET_VALUE } from '../support/secrets.ts';

export const BOT_TOKEN = SLACK_BOT_TOKEN_SECRET;
export const SIGNING_SECRET = SLACK_SIGNING_SECRET_VALUE;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface PodbayChild {
  child: ChildProcess;
  port: number;
  /** stdout and stderr so far. */
  output(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  kill(): Promise<void>;
}

/** The environment for HTTP mode (no RunPod key: the sandbox twin). */
export function httpEnv(apiUrl: string, port: number, dbPath: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    PORT: String(port),
    PODBAY_DB_PATH: dbPath,
    LOG_LEVEL: 'info',
  };
}

export function spawnPodbay(cwd: string, env: Record<string, string>): PodbayChild {
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd,
    env: { HOME: cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    tapWrite(d.toString());
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
    tapWrite(d.toString());
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    port: Number(env.PORT),
    output: () => out + err,
    stderr: () => err,
    exited,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits until /healthz answers, or fails with what the process printed (or its exit). */
export async function untilHealthy(p: PodbayChild, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (p.child.exitCode !== null) throw new Error(`podbay exited ${p.child.exitCode}:\n${p.output()}`);
    try {
      const r = await fetch(`http://127.0.0.1:${p.port}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`podbay did not start:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Resident memory of a process, in KiB, from /proc/<pid>/status. */
export function rssKiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]);
}
