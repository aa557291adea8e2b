// Keeps each person's Home tab current without a timer per person: it is published when they open
// it, and again when something changes for them — a request opened or decided (the requester, the
// pod's owner and the approvers who see it), an alert posted or updated (the pod's owner), a pod
// created, stopped, resumed or terminated through podbay (who did it and the owner). Only people
// who opened the Home at least once get refreshes. Publishes go through the HomePacer (≤ 1 call
// per 0.6 s, one entry per person); one whose view did not change is not sent at all.
import { createHash } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import type { Alert } from '../../services/alert-model.ts';
import type { ApprovalNotifier, ApprovalRecord } from '../../services/approvals.ts';
import type { HomeService } from '../../services/home.ts';
import type { PodService } from '../../services/pods.ts';
import { homeView } from '../views/home.ts';
import { describe } from '../work.ts';
import { HomePacer, type PacerOptions } from './home-pacer.ts';

/** A short digest of the blocks: carried in the view's private_metadata, so an unchanged Home is not sent again. */
export function viewDigest(blocks: unknown): string {
  return createHash('sha256').update(JSON.stringify(blocks)).digest('base64url').slice(0, 32);
}

export interface HomeRefresherDeps {
  home: HomeService;
  logger: Logger;
  /** Web API client for background publishes (main sets it once the app exists; see setClient). */
  client?: webApi.WebClient;
  pacer?: Omit<PacerOptions, 'onError'>;
}

export class HomeRefresher {
  private client: webApi.WebClient | null;
  private readonly pacer: HomePacer;
  /** What this process last published per person (a digest): an identical view is not sent again. */
  private readonly shown = new Map<string, string>();
  private readonly log: Logger;

  constructor(private readonly deps: HomeRefresherDeps) {
    this.client = deps.client ?? null;
    this.log = deps.logger.child({ component: 'home' });
    this.pacer = new HomePacer((u) => this.publish(u), {
      ...deps.pacer,
      onError: (userId, e) => {
        this.shown.delete(userId);
        this.log.warn({ err: describe(e), user: userId }, 'could not publish a Home tab');
      },
    });
  }

  setClient(client: webApi.WebClient): void {
    this.client = client;
  }

  /**
   * app_home_opened: remembers the person and publishes their Home (paced, ahead of background
   * refreshes). `shownDigest` is the private_metadata of the view Slack shows them now, if any.
   */
  async opened(userId: string, shownDigest: string | null, client?: webApi.WebClient): Promise<void> {
    if (!this.client && client) this.client = client;
    if (shownDigest) this.shown.set(userId, shownDigest);
    else this.shown.delete(userId);
    await this.deps.home.remember(userId).catch((e: unknown) => {
      this.log.warn({ err: describe(e), user: userId }, 'could not record who opened the Home');
    });
    this.pacer.soon(userId);
  }

  /** Something changed for these people: those with a Home get it republished (debounced). */
  changed(userIds: Iterable<string>): void {
    this.later('refresh', () => this.deps.home.withHome(userIds));
  }

  /** A request was opened, decided, run, withdrawn or expired. */
  requestChanged(req: ApprovalRecord): void {
    this.later('refresh after a request', () => this.deps.home.requestAudience(req));
  }

  /** An alert was posted or its message updated. */
  alertChanged(alert: Alert): void {
    this.later('refresh after an alert', () => this.deps.home.alertAudience(alert));
  }

  /** Resolves once every refresh asked for so far is published (tests). */
  async idle(): Promise<void> {
    while (this.finding.size) await Promise.allSettled([...this.finding]);
    await this.pacer.idle();
  }

  close(): void {
    this.pacer.close();
  }

  private readonly finding = new Set<Promise<void>>();

  private later(what: string, audience: () => Promise<string[]>): void {
    const p = audience().then(
      (users) => {
        for (const u of users) this.pacer.changed(u);
      },
      (e: unknown) => this.log.warn({ err: describe(e) }, `could not ${what}`),
    );
    this.finding.add(p);
    void p.finally(() => this.finding.delete(p));
  }

  private async publish(userId: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const view = homeView(await this.deps.home.model(userId));
    const digest = viewDigest(view.blocks);
    if (this.shown.get(userId) === digest) return;
    await client.views.publish({ user_id: userId, view: { ...view, private_metadata: digest } as never });
    this.shown.set(userId, digest);
  }
}

/** The approvals notifier, and after each post or change the Homes the request shows on. */
export function refreshingApprovalNotifier(inner: ApprovalNotifier, home: HomeRefresher): ApprovalNotifier {
  return {
    async posted(req) {
      try {
        return await inner.posted(req);
      } finally {
        home.requestChanged(req);
      }
    },
    async changed(req, event) {
      try {
        await inner.changed(req, event);
      } finally {
        home.requestChanged(req);
        if (event.kind === 'requoted') home.requestChanged(event.next);
      }
    },
  };
}

/**
 * The pod service as the handlers use it, telling the refresher whose pods changed: after a create,
 * stop, resume or terminate (who asked and the owner), and when a new pod has come up (its creator).
 */
export function refreshingPods(pods: PodService, home: HomeRefresher): PodService {
  const creators = new Map<string, string>();
  const watched = Object.create(pods) as PodService;
  const touched = (actor: string, owner: string | null | undefined) =>
    home.changed(owner && owner !== actor ? [actor, owner] : [actor]);
  watched.create = async (request, requester, opts) => {
    const r = await pods.create(request, requester, opts);
    if (r.outcome === 'created') {
      touched(requester.userId, r.pod.owner?.userId);
      if (creators.size < 1000) creators.set(r.pod.id, requester.userId);
    }
    return r;
  };
  for (const name of ['stop', 'resume', 'terminate'] as const) {
    const original = pods[name].bind(pods) as (...a: unknown[]) => ReturnType<PodService['stop']>;
    (watched as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const r = await original(...args);
      const requester = args[1] as { userId: string };
      if (r.outcome === 'done') touched(requester.userId, r.pod?.owner?.userId);
      return r;
    };
  }
  watched.follow = async (podId, opts) => {
    try {
      return await pods.follow(podId, opts);
    } finally {
      const creator = creators.get(podId);
      creators.delete(podId);
      if (creator) home.changed([creator]);
    }
  };
  return watched;
}
