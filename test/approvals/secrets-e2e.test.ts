// An env value typed in the create form of a pod that needs approval: it waits sealed, the pod gets
// it once approved, and it never reaches Slack, the log, the stored request or the audit export.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/audit.ts';
import { ACTIONS, CREATE } from '../../src/handlers/ids.ts';
import { SlackSimulator } from '../../src/sandbox/console/simulator.ts';
import { AuditService } from '../../src/services/audit.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { fixturePayloads } from '../slack/fixtures.ts';
import { everythingSlackSaw, type Harness, startPodbay } from '../slack/harness.ts';
import { E2E_ENV_SECRET } from '../support/secrets.ts';
import { EXAMPLE_POLICY } from './world.ts';

describe('secrets in an approved create', () => {
  let h: Harness & { transport: import('../../src/sandbox/console/simulator.ts').Transport };
  const store = new MemoryStore();

  beforeAll(async () => {
    const policy = join(mkdtempSync(join(tmpdir(), 'podbay-secret-')), 'policy.yml');
    writeFileSync(policy, EXAMPLE_POLICY.replace('operator: [U0REQ]', 'operator: [U0ALICE]'));
    h = await startPodbay({ env: { PODBAY_POLICY: policy }, start: { store } });
  });
  afterAll(() => h.close());

  it('the form says "sent for approval", the approver approves, the pod gets the value', async () => {
    await h.sim.command('/pod create');
    const opened = await h.fake.waitFor(() => h.sim.openView(), 5000, 'the create form');
    const a100 = h.sim
      .inputs(opened)
      .find((i) => i.blockId === CREATE.gpu.block)
      ?.options.find((o) => /A100/.test(o.text));
    await h.sim.set(opened, CREATE.gpu.block, a100?.value ?? null);
    await h.sim.set(h.fake.view(opened.id) ?? opened, CREATE.count.block, '2');
    await h.fake.waitFor(
      () => /\$[2-9]\.\d\d\/h/.test(JSON.stringify(h.fake.view(opened.id)?.view)),
      8000,
      'the quote for 2× A100',
    );
    const form = h.fake.view(opened.id) ?? opened;
    await h.sim.set(form, CREATE.label.block, 'secret eval');
    await h.sim.set(form, CREATE.justification.block, 'needed for the <!channel> release');
    await h.sim.set(form, CREATE.env.block, `HF_TOKEN=${E2E_ENV_SECRET}`);
    const sent = await h.sim.submit(form);
    expect(sent.errors).toBeNull();
    expect(sent.ack.body).toMatchObject({
      response_action: 'update',
      view: { title: { text: 'Sent for approval' } },
    });

    const req = await h.fake.waitFor(
      () => h.fake.messages.find((m) => m.channel === 'C0APPROVALS' && /secret-eval/.test(m.text)),
      8000,
      'the request',
    );
    const shown = JSON.stringify(req.blocks);
    expect(shown).toContain('HF_TOKEN');
    expect(shown).toContain('&lt;!channel&gt;'); // the reason is shown, escaped
    expect(shown).not.toContain('<!channel>');
    const ap = new SlackSimulator(
      h.fake,
      h.transport,
      { userId: 'U0AP01', userName: 'ap1' },
      fixturePayloads,
    );
    await ap.click(ap.button(req, ACTIONS.approvalApprove));
    await h.fake.waitFor(() => /and done/.test(h.fake.message(req.id)?.text ?? ''), 15000, 'done');
    const pod = h.twin.control.summary().pods.find((p) => /secret-eval/.test(p.name));
    expect(pod).toBeDefined();
    expect(JSON.stringify(h.twin.control.pod(pod?.id as string)?.env)).toContain(E2E_ENV_SECRET);
  }, 60_000);

  it('the value is nowhere else: Slack, the log, stored requests, the audit export', async () => {
    expect(everythingSlackSaw(h.fake)).not.toContain(E2E_ENV_SECRET);
    expect(h.logs.text()).not.toContain(E2E_ENV_SECRET);
    expect(JSON.stringify(await store.listPending())).not.toContain(E2E_ENV_SECRET);
    for (const format of ['json', 'csv', 'table']) {
      const out: string[] = [];
      await auditCommand(new AuditService(store), { since: '1d', format }, new Date(), (l) => out.push(l));
      expect(out.join('\n')).toContain('pod.create');
      expect(out.join('\n')).not.toContain(E2E_ENV_SECRET);
    }
  });
});
