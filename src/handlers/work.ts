// Work that runs after an ack (Slack never retries slash commands or clicks, so it must not be lost
// silently): tracked so shutdown can stop taking new work and wait for what is in flight.
import type { Logger } from '../logger.ts';

export class WorkTracker {
  private readonly inflight = new Set<Promise<void>>();
  private readonly controller = new AbortController();
  private accepting = true;

  /** Called when a task ends (the ack front is told how much work the app has left). */
  onSettled: (() => void) | undefined;

  constructor(private readonly logger: Logger) {}

  /** Aborted when shutdown gives up waiting (long waits such as following a pod watch it). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get size(): number {
    return this.inflight.size;
  }

  get isAccepting(): boolean {
    return this.accepting;
  }

  /** Runs `task` in the background; a failure is logged (the task itself tells the user). */
  run(name: string, task: (signal: AbortSignal) => Promise<void>): void {
    const p = (async () => {
      try {
        await task(this.controller.signal);
      } catch (e) {
        this.logger.error({ err: describe(e), task: name }, 'background task failed');
      }
    })();
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      this.onSettled?.();
    });
  }

  /** Resolves when nothing is in flight (for tests and the console). */
  async idle(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /**
   * Stops taking work and waits up to `graceMs` for what is running; then aborts long waits
   * (they end by telling the user podbay stopped watching) and waits for them to wind down.
   */
  async drain(graceMs: number): Promise<void> {
    this.accepting = false;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const all = this.idle().then(() => 'done' as const);
    const first = await Promise.race([all, grace]);
    if (timer) clearTimeout(timer);
    if (first === 'timeout') {
      this.controller.abort();
      const hard = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
      await Promise.race([this.idle(), hard]);
    }
  }
}

/** An error for a log line: name, code and message only (never request bodies). */
export function describe(e: unknown): { name: string; code?: string; message: string } {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string'
      ? { name: e.name, code, message: e.message }
      : { name: e.name, message: e.message };
  }
  return { name: 'non-error', message: String(e) };
}
