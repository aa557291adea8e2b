// `podbay policy check` and `podbay audit` as a user runs them (child processes), and the
// README's example being exactly examples/policy.yml.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { podbayIn } from '../support/run-cli.ts';
import { AuditService } from '../../src/services/audit.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { EXAMPLE_POLICY } from './world.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const cwd = mkdtempSync(join(tmpdir(), 'podbay-policy-cli-'));

const podbay = podbayIn(cwd);

describe('podbay policy check', () => {
  it('the README shows examples/policy.yml exactly', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`\`\`\`yaml\n${EXAMPLE_POLICY}\`\`\``);
  });

  it('passes the example and prints the effective policy', () => {
    const r = podbay(['policy', 'check', join(ROOT, 'examples', 'policy.yml')]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OK/);
    expect(r.out).toMatch(/approver\s+U0AP01, U0AP02, S0GPULEADS/);
    expect(r.out).toMatch(
      /Needs approval: pod create above \$1\.00\/h; pod create with more than 4 GPUs; pod terminate; network volume delete/,
    );
    expect(r.out).toMatch(/expire after 1h/);
  });

  it('fails a broken file with its line and column, exit 1', () => {
    const path = join(cwd, 'broken.yml');
    writeFileSync(path, EXAMPLE_POLICY.replace('  volume_delete: true', '  volume_delete: yes please'));
    const r = podbay(['policy', 'check', path]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path}:14:18 require_approval.volume_delete: expected true or false`);
  });

  it('reads PODBAY_POLICY when no file is named; without either it describes the built-in policy', () => {
    expect(podbay(['policy', 'check'], { PODBAY_POLICY: join(ROOT, 'examples', 'policy.yml') }).out).toMatch(
      /examples\/policy\.yml/,
    );
    const r = podbay(['policy', 'check']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/No policy file/);
    expect(r.out).toMatch(/operator\s+everyone/);
  });

  it('podbay start refuses a broken policy, naming the line', () => {
    const path = join(cwd, 'typo.yml');
    writeFileSync(path, EXAMPLE_POLICY.replace('  terminate: true', '  termnate: true'));
    const r = podbay(['start'], {
      PODBAY_POLICY: path,
      SLACK_BOT_TOKEN: 'xoxb-cli-test-token',
      SLACK_SIGNING_SECRET: 'cli-test-signing-secret',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
      PODBAY_DB_PATH: ':memory:',
    });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`${path}:13:3 require_approval.termnate: unknown key`);
  });
});

describe('podbay audit', () => {
  it('exports the log as table, csv and json; a bad --since is refused', async () => {
    const db = join(cwd, 'audit.db');
    const store = new SqliteStore({ path: db });
    await store.appendAudit({
      at: new Date().toISOString(),
      userId: 'U0REQ',
      teamId: 'T1',
      action: 'pod.create',
      target: 'pod-1',
      outcome: 'done',
      detail: 'Created alice-eval, "quoted" =cmd',
      data: { approvedBy: 'U0AP01', quote: { perHourUsd: 3.28 } },
    });
    expect((await new AuditService(store).since('2000-01-01T00:00:00Z')).length).toBe(1);
    await store.close();
    const env = { PODBAY_DB_PATH: db };
    const csv = podbay(['audit', '--since', '1d', '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    const [head, line] = csv.out.trim().split('\n');
    expect(head).toBe('seq,at,user,action,target,outcome,detail,data');
    expect(line).toContain('"Created alice-eval, ""quoted"" =cmd"');
    expect(line).toContain('U0AP01');
    const json = JSON.parse(podbay(['audit', '--format', 'json'], env).out) as Array<{ action: string }>;
    expect(json.map((e) => e.action)).toEqual(['pod.create']);
    expect(podbay(['audit'], env).out).toMatch(/pod\.create/);
    const bad = podbay(['audit', '--since', 'yesterday'], env);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/--since takes a duration/);
  });
});
