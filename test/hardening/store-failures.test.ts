// Store writes that callers deliberately carry on after (the pod exists, the action happened) are
// logged with what they were about, and a create whose audit entry was lost says so to the person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_NOT_WRITTEN, recordAudit } from '../../src/services/audit.ts';
import { type AuditEntry, type PodOwnership, systemClock } from '../../src/services/ports.ts';
import { logStoreFailures, MemoryStore } from '../../src/store/index.ts';
import { everythingSlackSaw, type Harness, messageMatching, startPodbay } from '../slack/harness.ts';
import { captureLogger } from '../support/capture-logger.ts';

/** A store whose disk is full for audit entries and for attaching a pod id to a claimed name. */
class FullDiskStore extends MemoryStore {
  override async appendAudit(_entry: AuditEntry): Promise<never> {
    throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  }
  override async savePodOwnership(record: PodOwnership): Promise<void> {
    if (record.podId !== null)
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    return super.savePodOwnership(record);
  }
}

describe('logStoreFailures', () => {
  it('logs a failed write with its context, still fails the caller, and passes reads through', async () => {
    const logs = captureLogger();
    const store = logStoreFailures(new FullDiskStore(), logs.logger);
    const ok = await recordAudit(store, systemClock, {
      requester: { userId: 'U1', teamId: 'T1' },
      action: 'pod.stop',
      target: 'pod-abc',
      outcome: 'done',
      detail: 'Stopped gpu-box.',
    });
    expect(ok).toBe(false);
    const line = JSON.parse(logs.lines.find((l) => l.includes('appendAudit')) ?? '{}');
    expect(line).toMatchObject({
      level: 50,
      op: 'appendAudit',
      action: 'pod.stop',
      target: 'pod-abc',
      outcome: 'done',
      err: { code: 'SQLITE_FULL', message: 'database or disk is full' },
    });
    // The entry's free text (it may quote what someone typed) stays out of the log.
    expect(logs.text()).not.toContain('Stopped gpu-box');
    await expect(
      store.savePodOwnership({ podName: 'a', podId: 'p1', userId: 'U1', teamId: null, createdAt: '' }),
    ).rejects.toThrow(/disk is full/);
    expect(logs.text()).toMatch(/"op":"savePodOwnership","podName":"a","podId":"p1"/);
    await store.savePodOwnership({ podName: 'b', podId: null, userId: 'U1', teamId: null, createdAt: '' });
    expect((await store.podOwnershipByName('b'))?.userId).toBe('U1');
    expect(await store.listAudit()).toEqual([]);
  });
});

describe('a create while the database refuses writes', () => {
  let h: Harness;
  const store = new FullDiskStore();
  beforeAll(async () => {
    h = await startPodbay({ start: { store } });
  });
  afterAll(() => h.close());

  it('the pod is created, the person is told the audit log missed it, and both failures are logged', async () => {
    await h.sim.command('/pod create gpu=a6000 for="audit gap"');
    await messageMatching(h.fake, /audit-gap/);
    await h.fake.waitFor(
      () => everythingSlackSaw(h.fake).includes('could not write this to its audit log') || undefined,
      8000,
      'the audit note',
    );
    expect(everythingSlackSaw(h.fake)).toContain(AUDIT_NOT_WRITTEN.slice(1, 40));
    const text = h.logs.text();
    expect(text).toMatch(/"op":"appendAudit","action":"pod\.create"/);
    const saved = /"op":"savePodOwnership","podName":"([^"]*audit-gap[^"]*)","podId":"[^"]+"/.exec(text);
    expect(saved).not.toBeNull();
    // The name claim made before the create still attributes the pod to its creator.
    const claim = await store.podOwnershipByName(saved?.[1] ?? '');
    expect(claim).toMatchObject({ podId: null, userId: expect.stringMatching(/^U/) });
  }, 30_000);
});
