// Paces Home tab publishes for a whole workspace. views.publish is Tier 4 (about 100 calls a minute
// per workspace), so calls start at least `gapMs` apart (600 ms: at most 100 a minute) and run one
// at a time; the rest wait in a queue that holds each person once. A change for a person waits
// `debounceMs` first, so a burst of changes (a decision, its execution, the DM) makes one publish,
// and the publish reads the state as it is when its turn comes. People who just opened the Home go
// ahead of background refreshes. Time comes in through `timers` (tests drive it by hand).

export interface PacerTimers {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimers: PacerTimers = {
  now: () => performance.now(),
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, ms).unref();
    }),
};

export interface PacerOptions {
  /** Least time between the starts of two publishes (default 600 ms). */
  gapMs?: number;
  /** How long changes for one person are gathered before their publish is queued (default 2 s). */
  debounceMs?: number;
  timers?: PacerTimers;
  /** A publish that failed (the pacer goes on with the next person). */
  onError?: (userId: string, err: unknown) => void;
}

export const HOME_PUBLISH_GAP_MS = 600;
export const HOME_DEBOUNCE_MS = 2000;

export class HomePacer {
  private readonly urgent = new Set<string>();
  private readonly queued = new Set<string>();
  private readonly gathering = new Set<string>();
  private readonly waits = new Set<Promise<void>>();
  private running: Promise<void> | null = null;
  private lastStartMs = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly gapMs: number;
  private readonly debounceMs: number;
  private readonly timers: PacerTimers;

  constructor(
    private readonly publish: (userId: string) => Promise<void>,
    private readonly opts: PacerOptions = {},
  ) {
    this.gapMs = opts.gapMs ?? HOME_PUBLISH_GAP_MS;
    this.debounceMs = opts.debounceMs ?? HOME_DEBOUNCE_MS;
    this.timers = opts.timers ?? realTimers;
  }

  /** People waiting for a publish (queued or gathering changes). */
  get waiting(): number {
    return new Set([...this.urgent, ...this.queued, ...this.gathering]).size;
  }

  /** Something changed for this person: one publish after the debounce, however many changes come. */
  changed(userId: string): void {
    if (this.closed || this.gathering.has(userId) || this.queued.has(userId) || this.urgent.has(userId))
      return;
    this.gathering.add(userId);
    const wait = this.timers.sleep(this.debounceMs).then(() => {
      this.gathering.delete(userId);
      this.enqueue(userId, false);
    });
    this.waits.add(wait);
    void wait.finally(() => this.waits.delete(wait));
  }

  /** The person opened the Home: publish without the debounce, ahead of background refreshes. */
  soon(userId: string): void {
    this.enqueue(userId, true);
  }

  /** Resolves when nothing is gathering, queued or being published (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.waits.size || this.running) {
      await Promise.allSettled([...this.waits]);
      if (this.running) await this.running;
    }
  }

  /** Stops taking work; what is queued is dropped (the next app_home_opened publishes again). */
  close(): void {
    this.closed = true;
    this.urgent.clear();
    this.queued.clear();
  }

  private enqueue(userId: string, urgent: boolean): void {
    if (this.closed) return;
    if (urgent) {
      this.queued.delete(userId);
      this.urgent.add(userId);
    } else if (!this.urgent.has(userId)) this.queued.add(userId);
    this.kick();
  }

  private next(): string | undefined {
    for (const set of [this.urgent, this.queued]) {
      const [first] = set;
      if (first !== undefined) {
        set.delete(first);
        return first;
      }
    }
    return undefined;
  }

  private kick(): void {
    if (this.running) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      if (!this.closed && (this.urgent.size || this.queued.size)) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (!this.closed && (this.urgent.size || this.queued.size)) {
      const wait = this.lastStartMs + this.gapMs - this.timers.now();
      if (wait > 0) await this.timers.sleep(wait);
      // Picked after the wait: someone who opened the Home meanwhile goes first.
      const userId = this.next();
      if (userId === undefined) return;
      this.lastStartMs = this.timers.now();
      try {
        await this.publish(userId);
      } catch (e) {
        this.opts.onError?.(userId, e);
      }
    }
  }
}
