// The authorization matrix through the real Bolt app: every command, button and modal action ×
// every role × own, someone else's and unattributed pods. An action is either allowed (it acts, or
// goes for approval) or refused with a message naming the rule; a refusal changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/handlers/ids.ts';
import type { Pod } from '../../src/services/domain.ts';
import type { FakeMessage } from '../../src/sandbox/console/slack-fake.ts';
import { type InProc, startInProcess } from '../handlers/inproc.ts';
import { EXAMPLE_POLICY } from './world.ts';

// The example, with a second operator (whose pods are "someone else's") and no viewer "*" so a
// person without any role can be tried too.
// Caps are raised: this matrix creates many pods, and caps have tests of their own.
const POLICY = EXAMPLE_POLICY.replace('operator: [U0REQ]', 'operator: [U0REQ, U0OTHER]')
  .replace('viewer: ["*"]', 'viewer: [U0VIEW]')
  .replace('per_user_pods: 5', 'per_user_pods: 1000')
  .replace('per_user_cost_per_hour: 20', 'per_user_cost_per_hour: 100000');

type Role = 'nobody' | 'viewer' | 'operator' | 'approver' | 'admin';
const USERS: Record<Role, { id: string; name: string }> = {
  nobody: { id: 'U0NOBODY', name: 'nobody' },
  viewer: { id: 'U0VIEW', name: 'viewer' },
  operator: { id: 'U0REQ', name: 'req' },
  approver: { id: 'U0LEAD', name: 'lead' }, // through the S0GPULEADS group
  admin: { id: 'U0ADMIN', name: 'admin' },
};
const ROLES = Object.keys(USERS) as Role[];
type Whose = 'own' | 'other' | 'unattributed';
const WHOSE: Whose[] = ['own', 'other', 'unattributed'];

let h: InProc;
let n = 0;

beforeAll(async () => {
  h = await startInProcess({ policy: POLICY, groups: { S0GPULEADS: ['U0LEAD'] } });
});
afterAll(() => h.close());

function as(role: Role): void {
  h.sim.actAs(USERS[role].id, USERS[role].name);
}

/** A fresh pod owned by the operator ("own"), by another operator, or by nobody. */
async function podFor(whose: Whose, running = true): Promise<Pod> {
  const label = `m${++n}`;
  let pod: Pod;
  if (whose === 'unattributed') {
    pod = h.runpod.seedPod({ name: `outside-${label}` });
  } else {
    const owner = whose === 'own' ? 'U0REQ' : 'U0OTHER';
    const r = await h.deps.pods.create(
      { label, gpuTypeIds: ['NVIDIA RTX A6000'], gpuCount: 1, kind: 'on-demand', imageName: 'img:1' },
      { userId: owner, teamId: 'T0PODBAY', handle: owner.toLowerCase() },
    );
    if (r.outcome !== 'created') throw new Error(r.message);
    pod = r.pod;
  }
  if (!running) await h.runpod.stopPod(pod.id);
  return (await h.runpod.getPod(pod.id)) as Pod;
}

/** Messages that arrived for the current person since `from`. */
async function answers(from: number): Promise<FakeMessage[]> {
  await h.idle();
  return h.fake.messages.slice(from).filter((m) => !m.deleted);
}

const REFUSED = /You can’t|cannot decide|needs the .* role|Only the person who asked/;

async function refusedSince(from: number): Promise<boolean> {
  const ms = await answers(from);
  return ms.some((m) => REFUSED.test(m.text));
}

/** A message with one button on it, as if podbay had posted it (the click is what is checked). */
async function buttonMessage(actionId: string, value: string): Promise<FakeMessage> {
  const res = await fetch(`${h.fake.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: 'C0GPU',
      text: 'buttons',
      blocks: [
        {
          type: 'actions',
          elements: [
            { type: 'button', action_id: actionId, text: { type: 'plain_text', text: 'Go' }, value },
          ],
        },
      ],
    }),
  });
  const body = (await res.json()) as { ts: string };
  const m = h.fake.messages.find((x) => x.ts === body.ts);
  if (!m) throw new Error('no message');
  return m;
}

async function click(actionId: string, value: string): Promise<void> {
  const m = await buttonMessage(actionId, value);
  await h.sim.click(h.sim.button(m, actionId));
}

const allowedPodAction = (role: Role, whose: Whose) =>
  role === 'admin' || (role === 'operator' && whose !== 'other');

const pendingFor = async (podId: string) =>
  (await h.deps.approvals?.pending())?.filter((r) => r.payload.target === podId) ?? [];

describe('authorization matrix: pod actions', () => {
  const cases: Array<{ via: string; action: 'stop' | 'resume' | 'terminate' }> = [
    { via: 'command', action: 'stop' },
    { via: 'command', action: 'resume' },
    { via: 'button', action: 'stop' },
    { via: 'button', action: 'resume' },
    { via: 'button', action: 'terminate' },
  ];
  for (const c of cases)
    for (const role of ROLES)
      for (const whose of WHOSE) {
        const allowed = allowedPodAction(role, whose);
        it(`${c.via} ${c.action} × ${role} × ${whose} pod: ${allowed ? 'allowed' : 'refused'}`, async () => {
          const pod = await podFor(whose, c.action !== 'resume');
          as(role);
          const from = h.fake.messages.length;
          if (c.via === 'command') await h.sim.command(`/pod ${c.action} ${pod.id}`);
          else {
            const id = { stop: ACTIONS.podStop, resume: ACTIONS.podResume, terminate: ACTIONS.podTerminate }[
              c.action
            ];
            await click(id, pod.id);
            await h.idle();
            // A terminate that goes to approvers asks why first.
            const form = h.sim.openView();
            if (form) {
              await h.sim.set(form, 'ask_reason', 'matrix');
              await h.sim.submit(form);
            }
          }
          await h.idle();
          const after = (await h.runpod.getPod(pod.id)) as Pod | null;
          const changed = after?.status !== pod.status || (await pendingFor(pod.id)).length > 0;
          expect(changed, 'acted or asked for approval').toBe(allowed);
          expect(await refusedSince(from), 'said it was refused').toBe(!allowed);
        });
      }
});

describe('authorization matrix: commands and forms', () => {
  const allowedCreate = (role: Role) => role === 'operator' || role === 'admin';
  for (const role of ROLES) {
    it(`/pod create gpu=a6000 × ${role}`, async () => {
      as(role);
      const before = (await h.runpod.listPods()).length;
      const from = h.fake.messages.length;
      await h.sim.command('/pod create gpu=a6000 for="matrix"');
      await h.idle();
      expect((await h.runpod.listPods()).length - before).toBe(allowedCreate(role) ? 1 : 0);
      expect(await refusedSince(from)).toBe(!allowedCreate(role));
    });

    it(`create form × ${role}: ${allowedCreate(role) ? 'opens and creates' : 'refused before it opens'}`, async () => {
      as(role);
      const from = h.fake.messages.length;
      await h.sim.command('/pod create');
      await h.idle();
      const view = h.sim.openView();
      expect(view !== undefined).toBe(allowedCreate(role));
      if (!view) {
        expect(await refusedSince(from)).toBe(true);
        return;
      }
      await h.sim.set(view, 'label', 'form matrix');
      await h.sim.set(view, 'gpu', 'NVIDIA RTX A6000');
      await h.idle();
      const before = (await h.runpod.listPods()).length;
      const sent = await h.sim.submit(h.fake.view(view.id) ?? view);
      await h.idle();
      expect(sent.errors).toBeNull();
      expect((await h.runpod.listPods()).length - before).toBe(1);
    });

    it(`a form opened by an admin, submitted × ${role}: refused unless it is the admin`, async () => {
      as('admin');
      await h.sim.command('/pod create');
      await h.idle();
      const view = h.sim.openView();
      expect(view).toBeDefined();
      await h.sim.set(view!, 'label', 'form matrix');
      await h.sim.set(view!, 'gpu', 'NVIDIA RTX A6000');
      await h.idle();
      as(role);
      const before = (await h.runpod.listPods()).length;
      const from = h.fake.messages.length;
      const sent = await h.sim.submit(h.fake.view(view!.id) ?? view!);
      await h.idle();
      const own = role === 'admin';
      expect((await h.runpod.listPods()).length - before).toBe(own ? 1 : 0);
      if (role === 'nobody')
        expect(await refusedSince(from)).toBe(true); // refused on entry, by DM
      else expect(sent.errors === null).toBe(own);
      if (!own && role !== 'nobody')
        expect(Object.values(sent.errors ?? {}).join(' ')).toMatch(/does not know this form/);
      h.sim.cancel(view!);
    });

    const reads = [
      '/pod list',
      '/pod status outside',
      '/spend',
      '/volume list',
      '/endpoint list',
      '/gpu 70b awq',
      '/podbay whoami',
    ];
    for (const line of reads) {
      it(`${line} × ${role}: ${role === 'nobody' ? 'refused' : 'allowed'}`, async () => {
        as(role);
        const from = h.fake.messages.length;
        await h.sim.command(line);
        expect(await refusedSince(from)).toBe(role === 'nobody');
      });
    }

    for (const line of ['/podbay policy', '/podbay audit --since 1d']) {
      it(`${line} × ${role}: admins only`, async () => {
        as(role);
        const from = h.fake.messages.length;
        await h.sim.command(line);
        // The answer itself may quote earlier refusals (the audit log): look at what it is.
        const ms = await answers(from);
        const answered = ms.some((m) => /Effective policy|Audit log/.test(JSON.stringify(m.blocks)));
        expect(answered).toBe(role === 'admin');
        if (role !== 'admin') expect(await refusedSince(from)).toBe(true);
      });
    }

    it(`volume and endpoint changes × ${role}`, async () => {
      const vol = h.runpod.seedVolume({ name: `v${++n}`, sizeGb: 10, dataCenterId: 'EU-RO-1' });
      as(role);
      const may = role === 'operator' || role === 'admin';
      for (const line of [
        `/volume resize ${vol.id} 20`,
        `/volume delete ${vol.id}`,
        '/endpoint update whisper workers-max=4',
      ]) {
        const from = h.fake.messages.length;
        await h.sim.command(line);
        expect(await refusedSince(from), line).toBe(!may);
        // A typed delete asks first; its Delete button sends it on.
        const ask = (await answers(from)).find((m) => /Confirm: delete/.test(m.text));
        expect(ask !== undefined, `${line} asks`).toBe(may && line.includes('delete'));
        if (ask) {
          await h.sim.click(h.sim.button(ask, ACTIONS.volumeDelete));
          await h.idle();
        }
      }
      // Someone without the role clicking a Delete button made for another is refused too.
      if (!may) {
        const from = h.fake.messages.length;
        await click(ACTIONS.volumeDelete, JSON.stringify({ id: vol.id, why: null }));
        expect(await refusedSince(from), 'forged Delete click').toBe(true);
      }
      const v = (await h.runpod.listVolumes()).find((x) => x.id === vol.id);
      expect(v?.sizeGb).toBe(may ? 20 : 10);
      // Deleting needs approval under the policy: the volume is still there either way.
      expect(v).toBeDefined();
      const pendingDelete = (await h.deps.approvals?.pending())?.some((r) => r.payload.target === vol.id);
      expect(pendingDelete).toBe(may);
    });
  }
});

/** Clicks a button on the request's own message (a copy elsewhere does not count). */
async function clickOnRequest(actionId: string, id: string): Promise<void> {
  const req = await h.deps.approvals?.get(id);
  const m = h.fake.messages.find(
    (x) => x.ts === req?.payload.message?.ts && x.channel === req?.payload.message?.channel,
  );
  if (!m) throw new Error(`no message for ${id}`);
  await h.sim.click(h.sim.button(m, actionId));
}

describe('authorization matrix: approval buttons', () => {
  async function request(): Promise<string> {
    const r = await h.deps.pods.create(
      {
        label: `big${++n}`,
        gpuTypeIds: ['NVIDIA A100 80GB PCIe'],
        gpuCount: 2,
        kind: 'on-demand',
        imageName: 'img:1',
      },
      { userId: 'U0REQ', teamId: 'T0PODBAY', handle: 'req' },
    );
    if (r.outcome !== 'needs-approval' || !r.requestId) throw new Error(r.message);
    return r.requestId;
  }
  const deciders = new Set<Role>(['approver', 'admin']);
  for (const role of ROLES) {
    it(`Approve × ${role}: ${deciders.has(role) ? 'decides' : 'refused'}`, async () => {
      const id = await request();
      as(role);
      const from = h.fake.messages.length;
      await clickOnRequest(ACTIONS.approvalApprove, id);
      await h.idle();
      expect((await h.deps.approvals?.get(id))?.status).toBe(deciders.has(role) ? 'done' : 'pending');
      expect(await refusedSince(from)).toBe(!deciders.has(role));
    });

    it(`Deny × ${role}: ${deciders.has(role) ? 'asks for a reason' : 'refused'}`, async () => {
      const id = await request();
      as(role);
      const from = h.fake.messages.length;
      await clickOnRequest(ACTIONS.approvalDeny, id);
      await h.idle();
      const view = h.sim.openView();
      expect(view !== undefined).toBe(deciders.has(role));
      if (view) {
        await h.sim.set(view, 'deny_reason', 'not this week');
        await h.sim.submit(view);
        await h.idle();
      }
      expect((await h.deps.approvals?.get(id))?.status).toBe(deciders.has(role) ? 'denied' : 'pending');
      expect(await refusedSince(from)).toBe(!deciders.has(role));
    });

    it(`Withdraw × ${role}: only the requester`, async () => {
      const id = await request();
      as(role);
      await click(ACTIONS.approvalWithdraw, id);
      await h.idle();
      expect((await h.deps.approvals?.get(id))?.status).toBe(role === 'operator' ? 'withdrawn' : 'pending');
    });
  }

  it('the requester cannot approve their own request, even as an approver', async () => {
    const id = await request();
    as('operator');
    const from = h.fake.messages.length;
    await clickOnRequest(ACTIONS.approvalApprove, id);
    await h.idle();
    expect((await h.deps.approvals?.get(id))?.status).toBe('pending');
    expect((await answers(from)).some((m) => /your own request/.test(m.text))).toBe(true);
  });

  it('an Approve button copied onto another message is refused, changes nothing and is audited', async () => {
    const id = await request();
    as('admin');
    const from = h.fake.messages.length;
    await click(ACTIONS.approvalApprove, id);
    await h.idle();
    expect((await h.deps.approvals?.get(id))?.status).toBe('pending');
    expect((await answers(from)).some((m) => /does not belong to this request/.test(m.text))).toBe(true);
    const audit = await h.deps.audit?.recent({ limit: 5 });
    expect(audit?.[0]).toMatchObject({ action: 'approval.approve', outcome: 'denied', target: id });
  });
});
