// `podbay logs <pod> [lines] [--json]`: the newest lines of a pod's container log, as /pod logs
// shows them in Slack, printed plainly.
import { PodLogService, DEFAULT_LOG_LINES } from '../services/pod-logs.ts';
import { PodService } from '../services/pods.ts';
import { systemClock, type RunpodApi } from '../services/ports.ts';
import { MemoryStore } from '../store/memory.ts';
import type { Print } from './output.ts';

export async function logsCommand(
  runpod: RunpodApi,
  ref: string,
  lines: number | undefined,
  opts: { json: boolean },
  print: Print,
): Promise<void> {
  // Owners do not matter for finding a pod by id or name, so no database is opened.
  const pods = new PodService({ runpod, store: new MemoryStore(), clock: systemClock });
  const tail = await new PodLogService({ runpod, pods }).tail(ref, lines ?? DEFAULT_LOG_LINES);
  if (opts.json) {
    print(JSON.stringify(tail, null, 2));
    return;
  }
  if (!tail.lines.length) {
    print(`No log lines for pod ${tail.pod.name} (${tail.pod.id}).`);
    return;
  }
  for (const l of tail.lines) print(`${l.ts} ${l.line}`);
}
