// A database podbay cannot open stops it, naming the file and the reason; it never carries on
// with a memory store that forgets pod owners and the audit log at the next restart.
import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { SqliteStore } from '../../src/store/index.ts';
import { podbayIn } from '../support/run-cli.ts';
import { BOT_TOKEN, freePort, httpEnv, SIGNING_SECRET, spawnPodbay, untilHealthy } from './child.ts';

describe('start-up with a database it cannot open', () => {
  let fake: SlackFake;
  let dir: string;
  beforeAll(async () => {
    fake = await new SlackFake().start();
    dir = mkdtempSync(join(tmpdir(), 'podbay-db-open-'));
  });
  afterAll(() => fake.close());

  async function startWith(dbPath: string) {
    const p = spawnPodbay(dir, httpEnv(fake.apiUrl, await freePort(), dbPath));
    const code = await Promise.race([
      p.exited,
      new Promise<'still running'>((r) => setTimeout(() => r('still running'), 25_000)),
    ]);
    await p.kill();
    return { code, stderr: p.stderr(), output: p.output() };
  }

  function expectRefused(
    r: { code: number | null | 'still running'; stderr: string; output: string },
    path: string,
  ) {
    expect(r.code).not.toBe('still running');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(path);
    expect(r.output).not.toContain(BOT_TOKEN);
    expect(r.output).not.toContain(SIGNING_SECRET);
    expect(r.output).not.toMatch(/in-memory store/);
  }

  it('a file of garbage: exits non-zero, naming the file and saying it is not a database', async () => {
    const path = join(dir, 'garbage.db');
    writeFileSync(path, 'this is not a database, only bytes that look like nothing\n'.repeat(200));
    const r = await startWith(path);
    expectRefused(r, path);
    expect(r.stderr).toMatch(/not a database/);
    // The file is left as it was for someone to look at.
    expect(readFileSync(path, 'utf8')).toMatch(/^this is not a database/);
  }, 40_000);

  it('a truncated podbay database: exits non-zero naming the file', async () => {
    const good = join(dir, 'good.db');
    const store = new SqliteStore({ path: good });
    for (let i = 0; i < 400; i++)
      await store.appendAudit({
        at: new Date(0).toISOString(),
        userId: 'U1',
        teamId: null,
        action: 'pod.create',
        target: `pod-${i}`,
        outcome: 'done',
        detail: 'x'.repeat(200),
      });
    await store.close();
    const path = join(dir, 'truncated.db');
    copyFileSync(good, path);
    truncateSync(path, 8192);
    const r = await startWith(path);
    expectRefused(r, path);
    expect(r.stderr).toMatch(/malformed|not a database/);
  }, 40_000);

  it('a folder it cannot create (a regular file is in the way): exits non-zero naming the path', async () => {
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file, not a folder');
    const path = join(blocker, 'podbay.db');
    const r = await startWith(path);
    expectRefused(r, path);
  }, 40_000);

  it('the control: a good path starts and serves /healthz', async () => {
    const p = spawnPodbay(dir, httpEnv(fake.apiUrl, await freePort(), join(dir, 'fresh', 'podbay.db')));
    try {
      await untilHealthy(p);
    } finally {
      await p.kill();
    }
  }, 40_000);

  it('`podbay spend` with a garbage database fails naming it (no memory store either)', () => {
    const path = join(dir, 'garbage-spend.db');
    writeFileSync(path, 'garbage '.repeat(500));
    const r = podbayIn(dir)(['spend'], { PODBAY_DB_PATH: path });
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(path);
    expect(r.err).toMatch(/not a database/);
  }, 40_000);
});
