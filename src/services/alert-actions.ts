// What the buttons on an alert do. A click carries only the alert's key: the alert is looked up,
// the person who clicked is checked by the same rules as a command (stopping or keeping someone
// else's pod needs an admin; terminate may need approval), and the alert message is updated with
// who did what instead of a new message being posted.
import { EXEMPT_NS, noted, type Alert } from './alert-model.ts';
import { AlertStore } from './alert-store.ts';
import type { AlertDelivery } from './alert-delivery.ts';
import { PodbayError } from './errors.ts';
import { authorize, type Guard } from './guard.ts';
import type { LifetimeService } from './lifetimes.ts';
import type { Requester } from './policy.ts';
import { formatDuration } from './policy-units.ts';
import type { Clock, Store } from './ports.ts';
import type { PodService } from './pods.ts';
import { formatLocal } from './zoned-time.ts';

export const SNOOZE_CHOICES_MS = [3_600_000, 4 * 3_600_000] as const;
export const EXTEND_CHOICES_MS = [2 * 3_600_000, 8 * 3_600_000] as const;
/** "Keep running" exempts the pod from idle alerts this long. */
export const KEEP_MS = 86_400_000;

export interface AlertActionResult {
  ok: boolean;
  message: string;
}

export interface AlertActionDeps {
  store: Store;
  clock: Clock;
  pods: PodService;
  guard: Guard;
  lifetimes: LifetimeService;
  delivery: AlertDelivery;
  timeZone: string;
}

const who = (r: Requester) => `<@${r.userId}>`;

export class AlertActions {
  private readonly alerts: AlertStore;

  constructor(private readonly deps: AlertActionDeps) {
    this.alerts = new AlertStore(deps.store);
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  private async alertOf(key: string): Promise<Alert> {
    const s = key ? await this.alerts.get(key) : null;
    if (!s)
      throw new PodbayError(
        'NOT_FOUND',
        'This alert is no longer known to podbay (it may be older than 8 days).',
      );
    return s.alert;
  }

  private podOf(a: Alert) {
    if (!a.pod) throw new PodbayError('INVALID_REQUEST', 'This alert is not about a pod.');
    return a.pod;
  }

  /** Notes what happened on the alert and shows it. */
  private async note(key: string, text: string, patch: Partial<Alert> = {}): Promise<void> {
    const at = this.now();
    await this.alerts.update(key, (a) => noted(a, at, text, patch));
    await this.deps.delivery.flush();
  }

  /** Same rights as stopping the pod: snoozing or keeping it running overrides an automatic stop. */
  private async mayManage(r: Requester, a: Alert): Promise<void> {
    const pod = this.podOf(a);
    await authorize(this.deps.guard, r, 'pod.stop', { owner: pod.owner, name: pod.name }, pod.id);
  }

  async stop(key: string, r: Requester): Promise<AlertActionResult> {
    const a = await this.alertOf(key);
    const pod = this.podOf(a);
    const res = await this.deps.pods.stop(pod.id, r);
    if (res.outcome === 'done')
      await this.note(key, `Stopped by ${who(r)}.`, { open: false, stage: 'stopped', autoStopAtMs: null });
    return { ok: true, message: res.message };
  }

  async snooze(key: string, ms: number, r: Requester): Promise<AlertActionResult> {
    if (!SNOOZE_CHOICES_MS.includes(ms as (typeof SNOOZE_CHOICES_MS)[number]))
      throw new PodbayError('INVALID_REQUEST', 'That snooze length is not offered.');
    const a = await this.alertOf(key);
    await this.mayManage(r, a);
    if (!a.open) return { ok: false, message: 'This alert is over; there is nothing to snooze.' };
    const until = this.now() + ms;
    const autoStopAtMs = a.autoStopAtMs === null ? null : Math.max(a.autoStopAtMs, until + 15 * 60_000);
    await this.note(
      key,
      `Snoozed ${formatDuration(ms)} by ${who(r)}, until ${formatLocal(until, this.deps.timeZone)}.`,
      {
        snoozedUntilMs: until,
        autoStopAtMs,
        stage: 'snoozed',
      },
    );
    return { ok: true, message: `Snoozed until ${formatLocal(until, this.deps.timeZone)}.` };
  }

  async keep(key: string, r: Requester): Promise<AlertActionResult> {
    const a = await this.alertOf(key);
    await this.mayManage(r, a);
    const pod = this.podOf(a);
    const until = this.now() + KEEP_MS;
    await this.deps.store.kvPut(EXEMPT_NS, pod.id, { untilMs: until, by: r.userId });
    await this.note(
      key,
      `Kept running by ${who(r)}: no idle alerts for this pod until ${formatLocal(until, this.deps.timeZone)}.`,
      {
        open: false,
        stage: 'kept',
        autoStopAtMs: null,
      },
    );
    return { ok: true, message: `${pod.name} stays up; no idle alerts for it for a day.` };
  }

  async terminate(key: string, r: Requester): Promise<AlertActionResult> {
    const a = await this.alertOf(key);
    const pod = this.podOf(a);
    const res = await this.deps.pods.terminate(pod.id, r, {
      origin: { channel: a.messages.channel?.channel ?? null },
      justification: `From the ${a.kind} alert`,
    });
    if (res.outcome === 'needs-approval')
      await this.note(key, `Terminate asked by ${who(r)}: waiting for approval.`);
    else if (res.outcome === 'done')
      await this.note(key, `Terminated by ${who(r)}.`, {
        open: false,
        stage: 'terminated',
        autoStopAtMs: null,
      });
    return { ok: true, message: res.message };
  }

  async extend(key: string, ms: number, r: Requester): Promise<AlertActionResult> {
    if (!EXTEND_CHOICES_MS.includes(ms as (typeof EXTEND_CHOICES_MS)[number]))
      throw new PodbayError('INVALID_REQUEST', 'That extension is not offered.');
    const a = await this.alertOf(key);
    await this.mayManage(r, a);
    const pod = this.podOf(a);
    const life = await this.deps.lifetimes.extend(pod.name, ms, r.userId);
    if (!life) return { ok: false, message: `${pod.name} has no lifetime any more (it was stopped).` };
    const when = formatLocal(life.stopAtMs, this.deps.timeZone);
    await this.note(key, `Extended ${formatDuration(ms)} by ${who(r)}: stops at ${when}.`, {
      stage: 'extended',
      autoStopAtMs: life.stopAtMs,
      facts: { stopAtMs: life.stopAtMs },
    } as Partial<Alert>);
    return { ok: true, message: `${pod.name} now stops at ${when}.` };
  }

  async resume(key: string, r: Requester): Promise<AlertActionResult> {
    const a = await this.alertOf(key);
    const pod = this.podOf(a);
    // No bid given: the service bids the current minimum plus a cent, as the alert says.
    const res = await this.deps.pods.resume(pod.id, r);
    if (res.outcome === 'done') await this.note(key, `Resumed by ${who(r)}.`, { stage: 'resuming' });
    return { ok: true, message: res.message };
  }

  async recreate(key: string, r: Requester): Promise<AlertActionResult> {
    const a = await this.alertOf(key);
    if (a.kind !== 'spot' || !a.pod)
      throw new PodbayError('INVALID_REQUEST', 'Only a spot interruption offers a recreate.');
    const f = a.facts;
    if (!f.gpuTypeId || !f.imageName)
      throw new PodbayError(
        'INVALID_REQUEST',
        `podbay does not know ${a.pod.name}'s GPU type or image; create it with /pod create.`,
      );
    const res = await this.deps.pods.create(
      {
        label: a.pod.name.replace(/-[a-z0-9]{4,8}$/, '').slice(0, 40) || 'recreated',
        kind: 'on-demand',
        gpuTypeIds: [f.gpuTypeId],
        gpuCount: Math.max(1, a.pod.gpuCount),
        imageName: f.imageName,
        ...(a.pod.networkVolumeId ? { networkVolumeId: a.pod.networkVolumeId } : {}),
      },
      r,
      { idempotencyKey: `alert:${key}:recreate`, origin: { channel: a.messages.channel?.channel ?? null } },
    );
    const text =
      res.outcome === 'created'
        ? `Recreated on-demand by ${who(r)} as ${res.pod.name}.`
        : res.outcome === 'needs-approval'
          ? `Recreate on-demand asked by ${who(r)}: waiting for approval.`
          : res.outcome === 'duplicate'
            ? null
            : `Recreate on-demand by ${who(r)} was refused: ${res.reason}`;
    if (text)
      await this.note(key, text, res.outcome === 'created' ? { open: false, stage: 'recreated' } : {});
    return { ok: res.outcome !== 'denied', message: res.message };
  }

  /** "Dismiss" on a proposal or an account alert: closes it for everyone. */
  async dismiss(key: string, r: Requester): Promise<AlertActionResult> {
    const a = await this.alertOf(key);
    if (a.pod) await this.mayManage(r, a);
    else await authorize(this.deps.guard, r, 'pod.stop', {}, key);
    if (!a.open) return { ok: false, message: 'This alert is already closed.' };
    await this.note(key, `Dismissed by ${who(r)}.`, { open: false, stage: 'dismissed' });
    return { ok: true, message: 'Dismissed.' };
  }
}
