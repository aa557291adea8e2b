// `podbay alerts --dry-run` as a user runs it: one scan against the sandbox twin with the demo
// policy, printing what would be posted, writing nothing; without --dry-run it explains itself.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { podbayIn } from '../support/run-cli.ts';

describe('podbay alerts --dry-run', () => {
  it('prints the scan and what would be posted, and writes no alert', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'podbay-alerts-cli-'));
    const r = podbayIn(cwd)(['alerts', '--dry-run']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Scan at .*: 6 pods, \d+ running, 0 idle\./);
    // The demo budget is far below the demo's burn rate projected over the month.
    expect(r.out).toMatch(/would post to C0ALERTS: \[budget\] Spend is ahead of budget/);
    const db = join(cwd, '.podbay', 'podbay.db');
    if (existsSync(db)) {
      const store = new SqliteStore({ path: db });
      expect(await store.kvList('alert')).toEqual([]);
      expect(await store.kvList('samples')).toEqual([]);
      await store.close();
    }
  });

  it('with --json prints the report; without --dry-run says how alerts are posted; a policy without alerts says so', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'podbay-alerts-cli-'));
    const podbay = podbayIn(cwd);
    const j = podbay(['alerts', '--dry-run', '--json']);
    expect(j.code, j.err).toBe(0);
    const report = JSON.parse(j.out.slice(j.out.indexOf('{'))) as { dryRun: boolean; pods: number };
    expect(report).toMatchObject({ dryRun: true, pods: 6 });
    const bare = podbay(['alerts']);
    expect(bare.code).not.toBe(0);
    expect(bare.err).toMatch(/podbay alerts --dry-run/);
    writeFileSync(join(cwd, 'p.yml'), 'roles:\n  viewer: ["*"]\n');
    const none = podbay(['alerts', '--dry-run'], { PODBAY_POLICY: 'p.yml' });
    expect(none.code, none.err).toBe(0);
    expect(none.out).toMatch(/no alerts section: nothing would be posted/);
  });
});
