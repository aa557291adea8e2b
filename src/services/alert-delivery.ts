// Posts and updates alert messages from the stored episodes (a state-based outbox): whatever
// revision an alert is at and its message does not show yet is delivered, after a restart too.
// A post whose answer was lost is looked for in the channel before it is posted again.
import type { Logger } from '../logger.ts';
import type { Alert, MessageRef } from './alert-model.ts';
import { AlertStore } from './alert-store.ts';
import type { DigestModel } from './digest.ts';
import type { Store } from './ports.ts';

/** The Slack side of alerts (handlers/alert-notifier.ts); views render the alert record. */
export interface AlertNotifier {
  /** Posts the alert to a channel (or a user id: a DM); null when it could not be posted. */
  post(to: string, alert: Alert): Promise<MessageRef | null>;
  /** Replaces the posted message with the alert as it is now; false when that failed. */
  update(ref: MessageRef, alert: Alert): Promise<boolean>;
  /** The message an earlier post of this alert made, if it reached Slack. */
  find(to: string, key: string, sinceMs: number): Promise<MessageRef | null>;
  digest(to: string, model: DigestModel): Promise<boolean>;
}

type Target = 'channel' | 'dm';

export class AlertDelivery {
  private readonly alerts: AlertStore;
  private notifier: AlertNotifier | null = null;
  private running: Promise<number> | null = null;
  private again = false;

  constructor(private readonly deps: { store: Store; logger: Logger; nowMs: () => number }) {
    this.alerts = new AlertStore(deps.store);
  }

  setNotifier(n: AlertNotifier): void {
    this.notifier = n;
  }

  /** Only the process holding the scheduler's lease posts (set by AlertJobs; default: always). */
  mayPost: () => boolean = () => true;

  async digest(to: string, model: DigestModel): Promise<boolean> {
    return this.notifier ? this.notifier.digest(to, model) : false;
  }

  /** Delivers every alert whose message is behind; one flush at a time (a second call queues one more). */
  flush(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let n = 0;
      do {
        this.again = false;
        n += await this.once();
      } while (this.again);
      return n;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async once(): Promise<number> {
    const notifier = this.notifier;
    if (!notifier || !this.mayPost()) return 0;
    let delivered = 0;
    const behind = (await this.alerts.list()).filter((s) => s.alert.delivered < s.alert.revision);
    behind.sort((a, b) => a.alert.openedAtMs - b.alert.openedAtMs);
    for (const s of behind) {
      try {
        if (await this.deliver(notifier, s.alert.key)) delivered++;
      } catch (e) {
        this.deps.logger.warn(
          { alert: s.alert.key, err: e instanceof Error ? e.message : String(e) },
          'alert not delivered',
        );
      }
    }
    return delivered;
  }

  private async deliver(notifier: AlertNotifier, key: string): Promise<boolean> {
    const cur = await this.alerts.get(key);
    if (!cur || cur.alert.delivered >= cur.alert.revision) return false;
    let alert = cur.alert;
    const targets: Array<[Target, string]> = [];
    if (alert.channel) targets.push(['channel', alert.channel]);
    if (alert.dmTo) targets.push(['dm', alert.dmTo]);
    let ok = true;
    for (const [target, to] of targets) {
      let ref = alert.messages[target];
      if (!ref) {
        const since = alert.postingSinceMs[target];
        if (since !== null) ref = await notifier.find(to, alert.key, since);
        if (!ref) {
          // Noted before posting, so a crash after Slack's answer is found again, not posted twice.
          const marked = await this.alerts.update(key, (a) => ({
            ...a,
            postingSinceMs: { ...a.postingSinceMs, [target]: a.postingSinceMs[target] ?? this.deps.nowMs() },
          }));
          if (!marked) return false;
          alert = marked;
          ref = await notifier.post(to, alert);
          if (!ref) {
            ok = false;
            continue;
          }
        } else if (!(await notifier.update(ref, alert))) ok = false;
        const found = ref;
        const written = await this.alerts.update(key, (a) => ({
          ...a,
          messages: { ...a.messages, [target]: found },
          postingSinceMs: { ...a.postingSinceMs, [target]: null },
        }));
        if (written) alert = written;
      } else if (!(await notifier.update(ref, alert))) ok = false;
    }
    if (!ok) return false;
    const shown = alert.revision;
    await this.alerts.update(key, (a) => (a.delivered >= shown ? null : { ...a, delivered: shown }));
    return true;
  }
}
