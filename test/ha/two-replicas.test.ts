// Two podbay replicas (`podbay start`, HTTP mode, each its own port) on ONE Postgres schema, one
// RunPod twin and one SlackFake, as a load balancer in front of two processes would see them:
// 1. 50 approvers click Approve at once, alternately on each replica: exactly one pod, one
//    approval, one execution; Approve and Deny at once on different replicas: exactly one outcome.
// 2. The scheduler runs on exactly one replica (the lease row names it, its /readyz and /metrics
//    say so, the other only stands by) and each idle alert is posted once.
// 3. The holder is SIGKILLed mid-delivery (its post held at Slack): the other replica takes over
//    once the dead one's lease has run out, within one lease period of the kill, and every idle pod,
//    one made idle after the kill included, ends with exactly one alert message.
// Needs PODBAY_TEST_DATABASE_URL (skipped without it, as the store's Postgres tests are).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, CREATE } from '../../src/handlers/ids.ts';
import { DEFAULT_LEASE_MS } from '../../src/services/alert-jobs.ts';
import { SlackSimulator } from '../../src/sandbox/console/simulator.ts';
import { type FakeMessage, SlackFake } from '../../src/sandbox/console/slack-fake.ts';
import { startTwin, type Twin } from '../../src/sandbox/twin/server.ts';
import {
  ALERTS_CHANNEL,
  alertKey,
  alertMessages,
  busyPods,
  idleMessagesByPod,
  PodbayChild,
  sleep,
  until,
  writePolicy,
} from '../alerts/e2e-world.ts';
import { fixturePayloads } from '../slack/fixtures.ts';
import { everythingSlackSaw } from '../slack/harness.ts';
import { TEST_DATABASE_URL } from '../support/postgres.ts';
import { E2E_ENV_SECRET } from '../support/secrets.ts';
import {
  eventually,
  freshSchemaUrl,
  leaseState,
  metricValue,
  SchemaDb,
  sharedSecretKey,
  transportTo,
} from './ha-world.ts';

const APPROVERS = Array.from({ length: 50 }, (_, i) => `U0AP${String(i).padStart(3, '0')}`);
const APPROVALS_CHANNEL = 'C0APPROVALS';
/** The scan runs every second (e2e-world's PODBAY_SCAN_CRON). */
const SCAN_INTERVAL_MS = 1000;
/** Room for the store's answer, a busy machine and the poll below; not a speed target. */
const TAKEOVER_MARGIN_MS = 5000;

const POLICY = `roles:
  viewer: ["*"]
  operator: [U0ALICE]
  approver: [${APPROVERS.join(', ')}]
  admin: [U0ADMIN]
approvals:
  channel: ${APPROVALS_CHANNEL}
  ttl: 1h
  requote_tolerance: 10%
require_approval:
  pod_create_above_per_hour: 1.00
  gpu_count_above: 4
caps:
  per_user_cost_per_hour: 20
  per_user_pods: 5
alerts:
  channel: ${ALERTS_CHANNEL}
  idle:
    gpu_util_below: 5%
    for: 3s
`;

const title = TEST_DATABASE_URL
  ? 'two podbay replicas on one Postgres'
  : 'two podbay replicas on one Postgres (skipped: PODBAY_TEST_DATABASE_URL is not set)';

describe.skipIf(!TEST_DATABASE_URL)(title, () => {
  let twin: Twin;
  let fake: SlackFake;
  let db: SchemaDb;
  let a: PodbayChild;
  let b: PodbayChild;
  let ports: { a: number; b: number };
  const secretKey = sharedSecretKey();
  /** Busy pods in the twin, made idle one by one below. */
  let pods: string[];
  /** Case 2's lease holder, the one case 3 kills. */
  let holder: { child: PodbayChild; port: number; name: 'a' | 'b' } | undefined;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podbay-ha-'));
    const { schema, url } = await freshSchemaUrl();
    db = await SchemaDb.open(schema);
    twin = await startTwin({ seed: false, realtime: true, createToRunningDelaySec: 2 });
    fake = await new SlackFake().start();
    pods = busyPods(twin, 8);
    const policyPath = writePolicy(dir, POLICY);
    const replica = (name: string) => {
      const home = join(dir, name);
      return new PodbayChild({
        dir: mkdtempSync(`${home}-`),
        fake,
        twin,
        dbPath: join(dir, `${name}-unused.db`),
        policyPath,
        env: { DATABASE_URL: url, PODBAY_SECRET_KEY: secretKey },
      });
    };
    a = replica('a');
    b = replica('b');
    // Both at once: they migrate the fresh schema once, under the advisory lock.
    await Promise.all([a.start(), b.start()]);
    ports = { a: await a.port, b: await b.port };
  }, 90_000);

  afterAll(async () => {
    await a?.kill();
    await b?.kill();
    await twin?.close();
    await fake?.close();
    await db?.close();
  });

  const logs = () => `replica a:\n${a.tail(3000)}\nreplica b:\n${b.tail(3000)}`;
  const simOn = (port: number, userId: string) =>
    new SlackSimulator(fake, transportTo(port), { userId, userName: userId.toLowerCase() }, fixturePayloads);
  const livePodsNamed = (name: string) =>
    twin.control.summary().pods.filter((p) => p.name === name && p.desiredStatus !== 'TERMINATED');

  async function requestRow(label: RegExp) {
    const rows = await db.rows<{ id: string; target: string; status: string }>(
      "SELECT id, payload->>'target' AS target, status FROM pending_request",
    );
    return rows.find((r) => label.test(r.target));
  }

  /** Audit rows about a request: decisions (status approved/denied), executions (done/failed), refusals. */
  async function auditOf(requestId: string) {
    const rows = await db.rows<{ outcome: string; status: string | null; detail: string }>(
      "SELECT outcome, data->>'status' AS status, detail FROM audit_log WHERE data->>'requestId' = $1 ORDER BY seq",
      [requestId],
    );
    return {
      rows,
      decisions: rows.filter((r) => r.status === 'approved' || r.status === 'denied'),
      executed: rows.filter((r) => r.status === 'done' || r.status === 'failed'),
      refused: rows.filter((r) => r.status === null && r.detail.startsWith('Refused')),
    };
  }

  it('50 Approve clicks spread over both replicas create exactly one pod; Approve and Deny at once end in one outcome', async () => {
    // The requester fills the create form (with an env value, sealed by PODBAY_SECRET_KEY) on replica b.
    const alice = simOn(ports.b, 'U0ALICE');
    await alice.command('/pod create');
    const opened = await fake.waitFor(() => alice.openView(), 10_000, 'the create form');
    const a100 = alice
      .inputs(opened)
      .find((i) => i.blockId === CREATE.gpu.block)
      ?.options.find((o) => /A100/.test(o.text));
    expect(a100, 'an A100 in the form').toBeDefined();
    await alice.set(opened, CREATE.gpu.block, a100?.value ?? null);
    await alice.set(fake.view(opened.id) ?? opened, CREATE.count.block, '2');
    await fake.waitFor(
      () => /\$[2-9]\.\d\d\/h/.test(JSON.stringify(fake.view(opened.id)?.view)),
      10_000,
      'the quote for 2× A100',
    );
    const form = fake.view(opened.id) ?? opened;
    await alice.set(form, CREATE.label.block, 'ha one');
    await alice.set(form, CREATE.justification.block, 'replica race');
    await alice.set(form, CREATE.env.block, `HF_TOKEN=${E2E_ENV_SECRET}`);
    const sent = await alice.submit(form);
    expect(sent.errors).toBeNull();
    const message = await fake.waitFor(
      () =>
        fake.messages.find(
          (m) => m.channel === APPROVALS_CHANNEL && /ha-one/.test(m.text) && /Approval needed/.test(m.text),
        ),
      10_000,
      'the approval request',
    );
    const first = await eventually(() => requestRow(/ha-one/), 5000, 'the stored request');
    expect(first.status).toBe('pending');
    const requestId = first.id;
    const podName = first.target;

    // 50 approvers, one click each, alternately on replica a and replica b, all at once.
    const sims = APPROVERS.map((id, i) => simOn(i % 2 === 0 ? ports.a : ports.b, id));
    const acks = await Promise.all(sims.map((s) => s.click(s.button(message, ACTIONS.approvalApprove))));
    expect(acks.map((x) => x.status)).toEqual(APPROVERS.map(() => 200));
    // Each replica handled its half of the clicks (its own counter of finished requests).
    const approveClicks = (port: number) =>
      metricValue(port, 'podbay_slack_requests_total', { kind: 'action', name: ACTIONS.approvalApprove });
    await fake.waitFor(
      () => /and done/.test(fake.message(message.id)?.text ?? ''),
      30_000,
      'the request marked done',
    );
    // Every loser is told, so every click has been handled by now.
    const losersTold = () =>
      fake.messages.filter((m) => m.ephemeral && /Someone was quicker|request is approved/.test(m.text));
    await fake
      .waitFor(() => losersTold().length >= 49, 30_000, '49 clicks told someone was quicker')
      .catch((e: Error) => {
        throw new Error(`${e.message}\n${logs()}`);
      });
    expect(losersTold()).toHaveLength(49);
    expect(await approveClicks(ports.a)).toBe(25);
    expect(await approveClicks(ports.b)).toBe(25);

    expect(livePodsNamed(podName)).toHaveLength(1);
    const row = await requestRow(/ha-one/);
    expect(row?.status).toBe('done');
    const audit = await auditOf(requestId);
    expect(audit.decisions.map((r) => r.status)).toEqual(['approved']);
    expect(audit.executed.map((r) => r.outcome)).toEqual(['done']);
    // Losers that reached the conditional update refused there (and are audited as such); later
    // ones saw the request decided already. None of them decided anything.
    expect(audit.refused.length).toBeLessThanOrEqual(49);
    // The winner, whichever replica it was, opened the env value sealed on replica b.
    const pod = livePodsNamed(podName)[0];
    expect(JSON.stringify(twin.control.pod(pod?.id as string)?.env)).toContain(E2E_ENV_SECRET);
    expect(everythingSlackSaw(fake)).not.toContain(E2E_ENV_SECRET);
    expect(a.output).not.toContain(E2E_ENV_SECRET);
    expect(b.output).not.toContain(E2E_ENV_SECRET);

    // Approve (on b) and Deny (on a) at the same moment.
    const { ack } = await simOn(ports.a, 'U0ALICE').command('/pod create gpu=a100 count=2 for="ha two"');
    expect(ack.status).toBe(200);
    const second = await fake.waitFor(
      () =>
        fake.messages.find(
          (m) => m.channel === APPROVALS_CHANNEL && /ha-two/.test(m.text) && /Approval needed/.test(m.text),
        ),
      10_000,
      'the second approval request',
    );
    const req2 = await requestRow(/ha-two/);
    expect(req2?.status).toBe('pending');
    const denier = simOn(ports.a, APPROVERS[1] as string);
    const approver = simOn(ports.b, APPROVERS[2] as string);
    await denier.click(denier.button(second, ACTIONS.approvalDeny));
    const view = await fake.waitFor(() => denier.openView(), 10_000, 'the deny form');
    await denier.set(view, 'deny_reason', 'too expensive this week');
    const [d, ap] = await Promise.all([
      denier.submit(view),
      approver.click(approver.button(second, ACTIONS.approvalApprove)),
    ]);
    expect(d.ack.status).toBe(200);
    expect(ap.status).toBe(200);
    const final = await fake.waitFor(
      () => {
        const t = fake.message(second.id)?.text ?? '';
        return /denied by|and done|it failed/.test(t) ? t : null;
      },
      20_000,
      'a final state',
    );
    const status2 = (
      await eventually(
        async () => {
          const r = await requestRow(/ha-two/);
          return r && ['denied', 'done', 'failed'].includes(r.status) ? r : undefined;
        },
        20_000,
        'request two in a final state',
        logs,
      )
    ).status;
    // A few more seconds for the losing side to finish: still one outcome.
    for (const end = Date.now() + 3000; Date.now() < end; await sleep(250)) {
      const audit2 = await auditOf(req2?.id as string);
      expect(audit2.decisions, JSON.stringify(audit2.rows)).toHaveLength(1);
      expect(audit2.executed.length).toBeLessThanOrEqual(1);
    }
    const audit2 = await auditOf(req2?.id as string);
    const pods2 = livePodsNamed(req2?.target as string).length;
    if (/denied by/.test(final)) {
      expect(status2).toBe('denied');
      expect(audit2.decisions.map((r) => r.status)).toEqual(['denied']);
      expect(audit2.executed).toHaveLength(0);
      expect(pods2).toBe(0);
    } else {
      expect(status2).toBe('done');
      expect(audit2.decisions.map((r) => r.status)).toEqual(['approved']);
      expect(audit2.executed.map((r) => r.outcome)).toEqual(['done']);
      expect(pods2).toBe(1);
    }
  }, 90_000);

  const idleCount = (podId: string) => idleMessagesByPod(fake).get(podId)?.length ?? 0;
  const idlePosts = () =>
    fake
      .callsTo('chat.postMessage')
      .filter((call) =>
        String((call.args.metadata as { event_payload?: { key?: unknown } })?.event_payload?.key).startsWith(
          'idle:',
        ),
      );

  it('the scheduler runs on exactly one replica, and each idle alert is posted once', async () => {
    const [p0, p1, p2] = pods as [string, string, string];
    for (const id of [p0, p1, p2]) twin.control.setScenario(id, 'idle');
    await until(() => [p0, p1, p2].every((id) => idleCount(id) > 0), 30_000, 'three idle alerts', logs);

    // For three more seconds (several scans by both): one lease row, one holder, always the same.
    const lease = await db.schedulerLease();
    expect(lease).toBeDefined();
    const seen = new Set<string>();
    for (const end = Date.now() + 3000; Date.now() < end; await sleep(250)) {
      const [sa, sb] = await Promise.all([leaseState(ports.a), leaseState(ports.b)]);
      expect([sa, sb].sort(), 'one holder and one standby').toEqual(['holder', 'standby']);
      seen.add(sa === 'holder' ? 'a' : 'b');
      const leases = await db.leases();
      expect(leases.map((l) => [l.name, l.holder])).toEqual([['scheduler', lease?.holder]]);
    }
    expect([...seen], 'the holder never changed').toHaveLength(1);
    const name = [...seen][0] as 'a' | 'b';
    holder = { name, child: name === 'a' ? a : b, port: name === 'a' ? ports.a : ports.b };
    const standbyPort = name === 'a' ? ports.b : ports.a;

    // The holder scans and posts; the standby's scans all stood by, and it posted no alert.
    expect(await metricValue(holder.port, 'podbay_scheduler_leader')).toBe(1);
    expect(await metricValue(standbyPort, 'podbay_scheduler_leader')).toBe(0);
    expect(await metricValue(holder.port, 'podbay_scan_seconds_count', { outcome: 'done' })).toBeGreaterThan(
      0,
    );
    expect(await metricValue(standbyPort, 'podbay_scan_seconds_count', { outcome: 'done' })).toBe(0);
    expect(
      await metricValue(standbyPort, 'podbay_scan_seconds_count', { outcome: 'standby' }),
    ).toBeGreaterThan(0);
    expect(await metricValue(holder.port, 'podbay_alerts_posted_total')).toBe(3);
    expect(await metricValue(standbyPort, 'podbay_alerts_posted_total')).toBe(0);

    for (const id of [p0, p1, p2]) expect(idleCount(id), id).toBe(1);
    expect(idlePosts()).toHaveLength(3);
    for (const id of pods.slice(3)) expect(idleCount(id), id).toBe(0);
  }, 60_000);

  it('the holder SIGKILLed mid-delivery: the other takes over within one lease period, no alert lost or doubled', async () => {
    expect(holder, 'the holder found in the case before').toBeDefined();
    const dead = holder as NonNullable<typeof holder>;
    const survivor = dead.name === 'a' ? { child: b, port: ports.b } : { child: a, port: ports.a };
    const [, , , q0, q1, q2] = pods as [string, string, string, string, string, string];

    // Two pods go idle; the holder's first post for them is held at Slack.
    const heldBefore = fake.heldCalls.filter((c) => c === 'chat.postMessage').length;
    const release = fake.hold('chat.postMessage');
    let released = false;
    try {
      for (const id of [q0, q1]) twin.control.setScenario(id, 'idle');
      await until(
        () => fake.heldCalls.filter((c) => c === 'chat.postMessage').length > heldBefore,
        30_000,
        'the holder posting an alert',
        logs,
      );
      const opened = (await db.storedAlerts()).filter(
        (s) => s.key.startsWith(`idle:${q0}:`) || s.key.startsWith(`idle:${q1}:`),
      );
      expect(opened.length, 'alerts the holder stored before posting').toBeGreaterThanOrEqual(1);
      expect(await leaseState(dead.port)).toBe('holder');

      // SIGKILL while that post is in flight; Slack still handles the request it got.
      const killedAt = Date.now();
      await dead.child.kill('SIGKILL');
      release();
      released = true;
      const atKill = await db.schedulerLease();
      expect(atKill).toBeDefined();
      await fake.waitFor(
        () => idleCount(q0) + idleCount(q1) === 1,
        10_000,
        'the post whose answer the dead replica never got',
      );

      // A third pod goes idle after the kill.
      twin.control.setScenario(q2, 'idle');

      // The survivor takes the lease once the dead one's has run out: not before, and within one
      // lease period (plus one scan and a margin) of the kill.
      const bound = DEFAULT_LEASE_MS + SCAN_INTERVAL_MS + TAKEOVER_MARGIN_MS;
      let takenAt = 0;
      let taken: Awaited<ReturnType<SchemaDb['schedulerLease']>>;
      for (;;) {
        taken = await db.schedulerLease();
        if (taken && taken.holder !== atKill?.holder) {
          takenAt = Date.now();
          break;
        }
        if (Date.now() - killedAt > bound + 30_000)
          throw new Error(`no takeover ${Date.now() - killedAt} ms after the kill\n${logs()}`);
        await sleep(100);
      }
      expect(takenAt - killedAt, 'takeover, ms after the kill').toBeLessThanOrEqual(bound);
      expect(takenAt, 'not before the dead replica’s lease ran out').toBeGreaterThanOrEqual(
        atKill?.expiresMs as number,
      );
      expect(taken?.fencing, 'a new fencing token').toBeGreaterThan(atKill?.fencing as number);
      expect(await leaseState(survivor.port)).toBe('holder');
    } finally {
      if (!released) release();
    }

    // Then: every idle pod has its alert, each exactly once.
    const idle = [pods[0], pods[1], pods[2], q0, q1, q2] as string[];
    await until(
      () => idle.every((id) => idleCount(id) > 0),
      30_000,
      'an alert for every idle pod',
      () => `${JSON.stringify(alertMessages(fake).map(alertKey))}\n${logs()}`,
    );
    await eventually(
      async () => {
        const s = await db.storedAlerts();
        return s.length === idle.length && s.every((x) => x.delivered >= x.revision && x.channelTs);
      },
      20_000,
      'every stored alert delivered',
      logs,
    );
    const settled = Date.now();
    await eventually(async () => (await db.lastScanMs()) > settled + 3000, 20_000, 'three more scans', logs);

    const byPod = idleMessagesByPod(fake);
    expect([...byPod.keys()].sort()).toEqual([...idle].sort());
    for (const id of idle) expect(byPod.get(id), `alert messages for ${id}`).toHaveLength(1);
    // No post was made twice: the one whose answer was lost was found in the channel, not reposted.
    expect(idlePosts()).toHaveLength(idle.length);
    const keys = alertMessages(fake).map(alertKey);
    expect(new Set(keys).size).toBe(keys.length);
    const stored = await db.storedAlerts();
    for (const m of alertMessages(fake) as FakeMessage[])
      expect(stored.find((s) => s.key === alertKey(m))?.channelTs, alertKey(m)).toBe(m.ts);
    expect(await metricValue(survivor.port, 'podbay_scheduler_leader')).toBe(1);
    expect(survivor.child.alive).toBe(true);
  }, 120_000);
});
