// The alert services as main.ts wires them, over the RunPod twin (its clock is the fake clock: the
// scan takes `now` from it) and a SQLite store, with a notifier port that records what Slack would
// be sent. `minutes(n)` moves the twin one minute at a time and scans after each, as cron would.
import type { ApiMode } from '../../src/runpod/index.ts';
import { AccessControl } from '../../src/services/access.ts';
import { AlertActions } from '../../src/services/alert-actions.ts';
import { ApprovalService } from '../../src/services/approvals.ts';
import { registerExecutors } from '../../src/services/approval-executors.ts';
import { EndpointService } from '../../src/services/endpoints.ts';
import { RoleResolver } from '../../src/services/roles.ts';
import { VolumeService } from '../../src/services/volumes.ts';
import { ephemeralSecretBox } from '../../src/store/secret-box.ts';
import { AlertDelivery, type AlertNotifier } from '../../src/services/alert-delivery.ts';
import { AlertJobs } from '../../src/services/alert-jobs.ts';
import type { Alert, MessageRef } from '../../src/services/alert-model.ts';
import { AlertScan, type ScanReport } from '../../src/services/alert-scan.ts';
import { AlertStore } from '../../src/services/alert-store.ts';
import type { PodSpec } from '../../src/services/domain.ts';
import { LifetimeService } from '../../src/services/lifetimes.ts';
import { parsePolicy } from '../../src/services/policy-file.ts';
import type { Requester } from '../../src/services/policy.ts';
import { policyStop } from '../../src/services/policy-stop.ts';
import type { Clock } from '../../src/services/ports.ts';
import { PodService } from '../../src/services/pods.ts';
import { SqliteStore } from '../../src/store/sqlite.ts';
import { type TwinClient, twinClient } from '../support/twin-client.ts';

export const OWNER: Requester = { userId: 'U0OWNER', teamId: 'T1', handle: 'owner' };

export class RecordingAlerts implements AlertNotifier {
  readonly posts: Array<{ to: string; alert: Alert; ref: MessageRef }> = [];
  readonly updates: Array<{ ref: MessageRef; alert: Alert }> = [];
  readonly digests: unknown[] = [];
  private n = 0;
  async post(to: string, alert: Alert): Promise<MessageRef> {
    const ref = { channel: to, ts: `${++this.n}.000100` };
    this.posts.push({ to, alert: structuredClone(alert), ref });
    return ref;
  }
  async update(ref: MessageRef, alert: Alert): Promise<boolean> {
    this.updates.push({ ref, alert: structuredClone(alert) });
    return true;
  }
  async find(): Promise<MessageRef | null> {
    return null;
  }
  async digest(_to: string, model: unknown): Promise<boolean> {
    this.digests.push(model);
    return true;
  }
  /** Alerts posted to the channel (not the DM copies), optionally of one kind. */
  channelPosts(kind?: Alert['kind']): Alert[] {
    return this.posts
      .filter((p) => p.to.startsWith('C') && (!kind || p.alert.kind === kind))
      .map((p) => p.alert);
  }
  /** The latest state shown of an alert (post or update). */
  shown(key: string): Alert | undefined {
    const all = [...this.posts.map((p) => p.alert), ...this.updates.map((u) => u.alert)].filter(
      (a) => a.key === key,
    );
    return all.sort((a, b) => a.revision - b.revision)[all.length - 1];
  }
}

export interface AlertWorld {
  t: TwinClient;
  clock: Clock;
  store: SqliteStore;
  pods: PodService;
  approvals: ApprovalService;
  lifetimes: LifetimeService;
  actions: AlertActions;
  jobs: AlertJobs;
  slack: RecordingAlerts;
  alerts: AlertStore;
  /** Moves the twin n minutes, scanning after each minute; answers every scan's report. */
  minutes(n: number): Promise<ScanReport[]>;
  /** A running pod of this scenario, owned by OWNER. */
  pod(scenario: 'busy' | 'idle' | 'bursty', opts?: { spot?: boolean; name?: string }): Promise<string>;
  close(): Promise<void>;
}

export const POLICY_HEAD = `
roles:
  viewer: ["*"]
  operator: ["*"]
  admin: [U0ADMIN]
`;

export async function alertWorld(
  alertsYaml: string,
  opts: { api?: ApiMode; startTime?: string; pullSec?: number; policyHead?: string } = {},
): Promise<AlertWorld> {
  const parsed = parsePolicy(`${opts.policyHead ?? POLICY_HEAD}${alertsYaml}`, 'alerts-test.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const policy = parsed.policy;
  const t = await twinClient(
    {
      seed: false,
      createToRunningDelaySec: opts.pullSec ?? 0,
      startTime: opts.startTime ?? '2026-12-03T06:00:00Z',
    },
    { api: opts.api ?? 'graphql' },
  );
  for (const gpu of ['NVIDIA RTX A6000', 'NVIDIA GeForce RTX 4090']) t.twin.control.setStock(gpu, 50);
  const clock: Clock = { now: () => t.twin.control.now() };
  const store = new SqliteStore({ path: ':memory:' });
  const lifetimes = new LifetimeService({ store, clock });
  // The policy's roles and approvals, as main.ts wires them.
  let pods: PodService | undefined;
  const roles = new RoleResolver(policy, { groupMembers: async () => [] }, clock);
  const access = new AccessControl({ roles, store, clock, usage: (u) => (pods as PodService).usage(u) });
  const approvals = new ApprovalService({ store, clock, access, secrets: ephemeralSecretBox() });
  const guard = { access, approvals };
  pods = new PodService({ runpod: t.api, store, clock, lifetimes, guard });
  registerExecutors(approvals, {
    pods,
    volumes: new VolumeService({ runpod: t.api, clock, store, guard }),
    endpoints: new EndpointService({ runpod: t.api, clock, store, guard }),
  });
  const logger = t.log.logger;
  const delivery = new AlertDelivery({ store, logger, nowMs: () => clock.now().getTime() });
  const slack = new RecordingAlerts();
  delivery.setNotifier(slack);
  const scan = new AlertScan({
    runpod: t.api,
    store,
    policy,
    timeZone: 'UTC',
    logger,
    stop: policyStop({ runpod: t.api, store, clock }),
  });
  const jobs = new AlertJobs({
    scan,
    delivery,
    store,
    runpod: t.api,
    logger,
    timeZone: 'UTC',
    holder: 'test',
  });
  const actions = new AlertActions({ store, clock, pods, guard, lifetimes, delivery, timeZone: 'UTC' });
  let n = 0;
  return {
    t,
    clock,
    store,
    pods,
    approvals,
    lifetimes,
    actions,
    jobs,
    slack,
    alerts: new AlertStore(store),
    async minutes(count) {
      const out: ScanReport[] = [];
      for (let i = 0; i < count; i++) {
        t.twin.control.advance(60);
        const r = await jobs.tick(clock.now());
        if (r) out.push(r);
      }
      return out;
    },
    async pod(scenario, o = {}) {
      const name = o.name ?? `owner-${scenario}-${++n}`;
      const base = {
        name,
        imageName: 'img:1',
        gpuTypeIds: ['NVIDIA RTX A6000'],
        gpuCount: 1,
        volumeInGb: 20,
      };
      const spec: PodSpec = o.spot
        ? { kind: 'spot', ...base, bidPerGpu: 0.5 }
        : { kind: 'on-demand', ...base };
      const pod = await t.api.createPod(spec);
      await store.savePodOwnership({
        podName: name,
        podId: pod.id,
        userId: OWNER.userId,
        teamId: OWNER.teamId,
        createdAt: clock.now().toISOString(),
      });
      t.twin.control.setScenario(pod.id, scenario);
      return pod.id;
    },
    async close() {
      await store.close();
      await t.close();
    },
  };
}

export const IDLE_30M = `
alerts:
  channel: C0ALERTS
  idle:
    gpu_util_below: 5
    for: 30m
`;
