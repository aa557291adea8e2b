// A pod's latest container log lines (REST v2's log stream: backfill, then closed). Logs hold
// whatever the container printed, secrets included, so callers show them only to whoever asked.
import type { Pod } from './domain.ts';
import { PodbayError } from './errors.ts';
import type { PodService } from './pods.ts';
import type { PodLogLine, RunpodApi } from './ports.ts';

export const MAX_LOG_LINES = 500;
export const DEFAULT_LOG_LINES = 50;

export interface PodLogTail {
  pod: Pick<Pod, 'id' | 'name' | 'status'>;
  /** Oldest first. */
  lines: PodLogLine[];
  asked: number;
}

export class PodLogService {
  constructor(private readonly deps: { runpod: RunpodApi; pods: Pick<PodService, 'resolve'> }) {}

  /** The newest `lines` lines of a pod named by id or (part of its) name. */
  async tail(ref: string, lines = DEFAULT_LOG_LINES): Promise<PodLogTail> {
    const { runpod, pods } = this.deps;
    if (!runpod.podLogs) {
      throw new PodbayError(
        'CONFIG_INVALID',
        'Pod logs need RunPod’s REST v2 API, which this install has switched off.',
        {
          hint: 'Set RUNPOD_API=auto (the default) or v2.',
        },
      );
    }
    if (!Number.isInteger(lines) || lines < 1 || lines > MAX_LOG_LINES) {
      throw new PodbayError('INVALID_REQUEST', `Ask for 1 to ${MAX_LOG_LINES} log lines.`);
    }
    const r = await pods.resolve(ref);
    if (r.kind === 'none') {
      throw new PodbayError('NOT_FOUND', `There is no pod "${r.ref}".`, {
        hint: 'List pods with /pod list.',
      });
    }
    if (r.kind === 'ambiguous') {
      throw new PodbayError('INVALID_REQUEST', `More than one pod matches "${r.ref}".`, {
        hint: `Use the id: ${r.candidates
          .slice(0, 5)
          .map((p) => `${p.name} (${p.id})`)
          .join(', ')}.`,
      });
    }
    const { id, name, status } = r.pod;
    const got = await runpod.podLogs(id, { lines });
    return { pod: { id, name, status }, lines: got.slice(-lines), asked: lines };
  }
}
