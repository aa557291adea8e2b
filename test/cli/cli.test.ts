// The `podbay` bin as a user runs it: a real child process, no RunPod key (so the sandbox twin).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { podbayIn } from '../support/run-cli.ts';

const cwd = mkdtempSync(join(tmpdir(), 'podbay-cli-'));

const podbay = podbayIn(cwd);

describe('podbay CLI', () => {
  it('pods --json lists the twin’s demo pods, loudly labelled sandbox', () => {
    const r = podbay(['pods', '--json']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/SANDBOX/);
    const doc = JSON.parse(r.out) as { pods: { name: string; status: string }[] };
    expect(doc.pods.map((p) => p.name)).toContain('alice-llama70b-serve');
    expect(doc.pods.some((p) => p.status === 'EXITED')).toBe(true);
    expect(r.out).not.toMatch(/hf_demo_secret/);
  });

  it('pods prints a readable table', () => {
    const r = podbay(['pods']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/alice-llama70b-serve/);
    expect(r.out).toMatch(/\d+ pod\(s\), \d+ running/);
  });

  it('account --json is one JSON document with balance and runway', () => {
    const doc = JSON.parse(podbay(['account', '--json']).out);
    expect(doc.account.balanceUsd).toBeGreaterThan(0);
    expect(doc.runwayHours).toBeGreaterThan(0);
  });

  it('gpu answers in JSON with ranked options and their price source; a closed model is refused', () => {
    const ok = podbay(['gpu', '70b awq', '--json']);
    expect(ok.code).toBe(0);
    const a = JSON.parse(ok.out);
    expect(a.status).toBe('ok');
    expect(a.options[0]).toMatchObject({ count: 1, priceSource: expect.any(String) });
    const refused = podbay(['gpu', 'gpt-4o']);
    expect(refused.code).toBe(3);
  });

  it('bad settings are reported by name, with a non-zero exit and no stack trace', () => {
    const r = podbay(['pods'], { RUNPOD_TIMEOUT_MS: 'soon', LOG_LEVEL: 'chatty' });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/RUNPOD_TIMEOUT_MS/);
    expect(r.err).toMatch(/LOG_LEVEL/);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('an unknown command says so', () => {
    const r = podbay(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/unknown command/i);
  });
});
