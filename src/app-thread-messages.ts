// What the ack front (serve.ts) and the app thread (app-thread.ts) say to each other.
import type { ForwardedAck, ForwardedRequest } from './handlers/forwarded-receiver.ts';
import type { OpsAnswer } from './handlers/ops-endpoints.ts';

/** Start options that cross to the app thread (plain data). */
export interface AppThreadData {
  entry: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  readCacheMs?: number;
  shutdownGraceMs?: number;
}

export type ToApp =
  | { t: 'req'; id: number; req: ForwardedRequest }
  | { t: 'ops'; id: number; path: string }
  | { t: 'stop'; reason: string };

export type ToFront =
  | { t: 'ready' }
  | { t: 'failed'; text: string }
  | { t: 'ack'; id: number; ack: ForwardedAck }
  /** The listener returned; `work`: answers the app still has in progress. */
  | { t: 'taken'; id: number; work: number }
  | { t: 'ops'; id: number; answer: OpsAnswer | null }
  /** Answers the app has in progress, after some ended. */
  | { t: 'load'; work: number }
  | { t: 'stopped' };
