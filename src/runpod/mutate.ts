// Mutation rules both adapters share: send once; a 429 means RunPod did not act, so that one is
// sent again; after a failure that may have followed RunPod acting, read the state back rather
// than retry; a pod create is reconciled by the unique name podbay gave it.
import type { Logger } from '../logger.ts';
import type { Pod } from '../services/domain.ts';
import { PodbayError } from '../services/errors.ts';
import { backoffDelayMs, type RetryPolicy } from './retry.ts';

/** Failures after which RunPod may or may not have carried out a mutation. */
export const mayHaveApplied = (e: PodbayError): boolean =>
  e.code === 'TIMEOUT' || e.code === 'RUNPOD_UNAVAILABLE' || (e.code === 'BAD_RESPONSE' && e.retryable);

export interface MutateOptions<T> {
  /** Operation name for the log. */
  op: string;
  /** Reads the state back: a value means the change happened; undefined means podbay cannot tell. */
  verify?: () => Promise<T | undefined>;
  what: string;
  unknownHint: string;
}

export async function mutateOnce<T>(
  retry: RetryPolicy,
  log: Logger,
  send: () => Promise<T>,
  opts: MutateOptions<T>,
): Promise<T> {
  const started = retry.nowMs();
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (e) {
      if (!(e instanceof PodbayError)) throw e;
      if (e.code === 'RATE_LIMITED' && attempt + 1 < retry.maxAttempts) {
        const delay = backoffDelayMs(retry, attempt, e);
        if (retry.nowMs() - started + delay <= retry.budgetMs) {
          await retry.sleep(delay);
          continue;
        }
      }
      if (!mayHaveApplied(e)) throw e;
      log.warn({ op: opts.op, code: e.code }, 'mutation outcome unknown; checking');
      const confirmed = opts.verify
        ? await opts.verify().catch((v: unknown) => {
            // The read-back failed too: say so, then answer "unknown" (never guess).
            log.warn(
              { op: opts.op, code: v instanceof PodbayError ? v.code : 'unexpected' },
              'could not read the outcome back',
            );
            return undefined;
          })
        : undefined;
      if (confirmed !== undefined) return confirmed;
      throw new PodbayError(
        'OUTCOME_UNKNOWN',
        `podbay could not confirm whether ${opts.what} went through.`,
        {
          hint: opts.unknownHint,
        },
      );
    }
  }
}

export interface ReconcileOptions {
  lookups: number;
  delayMs: number;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  /** Every pod's id and name. */
  listNames: () => Promise<{ id: string; name: string }[]>;
  getPod: (id: string) => Promise<Pod | null>;
}

/** Looks for a pod by its unique podbay name, a few times (a create may still be landing). */
export async function findPodByName(name: string, o: ReconcileOptions): Promise<Pod | undefined> {
  for (let i = 0; i < o.lookups; i++) {
    if (i > 0) await o.sleep(o.delayMs);
    const hits = (await o.listNames()).filter((p) => p.name === name);
    const hit = hits[0];
    if (!hit) continue;
    if (hits.length > 1) o.log.warn({ name, count: hits.length }, 'several pods share a podbay name');
    const pod = await o.getPod(hit.id);
    if (pod) {
      o.log.info({ podId: pod.id }, 'ambiguous create reconciled: pod exists');
      return pod;
    }
  }
  return undefined;
}

/** A create's answer that is already a domain pod: the one reconciliation found by name. */
export function isReconciledPod(x: unknown): x is Pod {
  return typeof x === 'object' && x !== null && 'envKeys' in x && 'status' in x;
}

export const unknownCreateHint = (name: string) =>
  `RunPod did not answer clearly and podbay did not retry, so there is at most one such pod. In a minute, look for a pod named "${name}" (podbay pods, or /pod status ${name}) before creating it again.`;

/** A pod spec podbay can send: checked before any call. */
export function validateSpec(spec: {
  name: string;
  imageName?: string;
  templateId?: string;
  gpuTypeIds: string[];
  gpuCount: number;
  kind: string;
  bidPerGpu?: number;
}): void {
  const problems: string[] = [];
  if (!spec.name.trim()) problems.push('a name');
  if (!spec.imageName && !spec.templateId) problems.push('an image or a template');
  if (spec.gpuTypeIds.length === 0) problems.push('a GPU type');
  if (!Number.isInteger(spec.gpuCount) || spec.gpuCount < 1) problems.push('a GPU count of at least 1');
  if (spec.kind === 'spot' && !((spec.bidPerGpu ?? 0) > 0)) problems.push('a positive spot bid per GPU');
  if (problems.length) throw new PodbayError('INVALID_REQUEST', `A pod needs ${problems.join(', ')}.`);
}
