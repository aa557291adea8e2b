// A pod's container log as the twin makes it up: image pull, start-up, then one line per
// simulated minute that follows the pod's utilisation scenario. Same pod and time, same lines.
import type { PodRecord } from '../records.ts';
import { gpuSample } from '../scenarios.ts';

export interface LogLine {
  ts: string;
  source: 'container' | 'system';
  line: string;
}

const MINUTE_MS = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function startup(p: PodRecord): LogLine[] {
  const at = (ms: number, source: LogLine['source'], line: string): LogLine => ({
    ts: iso(ms),
    source,
    line,
  });
  const lines = [
    at(p.startedAtMs, 'system', `Pulling image ${p.imageName}`),
    at(p.startedAtMs + 1000, 'system', `Pulled image ${p.imageName}`),
  ];
  if (p.readyAtMs <= p.startedAtMs + 2000) return lines;
  return [
    ...lines,
    at(p.readyAtMs, 'system', 'Container started'),
    at(
      p.readyAtMs,
      'container',
      `Starting ${p.imageName.split(':')[0] ?? 'container'} ${p.dockerArgs}`.trim(),
    ),
    at(p.readyAtMs + 1000, 'container', `Listening on ports ${p.ports ?? 'none'}`),
  ];
}

/** The newest `tail` lines at `nowMs` (0..5000), oldest first; only `source` when given. */
export function podLogLines(
  p: PodRecord,
  nowMs: number,
  tail: number,
  source?: LogLine['source'],
): LogLine[] {
  const head = startup(p).filter((l) => Date.parse(l.ts) <= nowMs);
  const running = p.desiredStatus === 'RUNNING' && nowMs >= p.readyAtMs;
  const minutes = running ? Math.floor((nowMs - p.readyAtMs) / MINUTE_MS) : 0;
  const first = Math.max(1, minutes - tail + 1);
  const body: LogLine[] = [];
  for (let m = first; m <= minutes; m++) {
    const t = p.readyAtMs + m * MINUTE_MS;
    const util = gpuSample(p.scenario, p.seed, 0, t / 1000).gpuUtilPercent;
    body.push({
      ts: iso(t),
      source: 'container',
      line:
        util > 50
          ? `INFO step ${m * 20} throughput=${Math.round(util * 12)} tok/s gpu=${Math.round(util)}%`
          : `INFO idle: no requests in the last minute (gpu=${Math.round(util)}%)`,
    });
  }
  const tailLines: LogLine[] =
    p.desiredStatus === 'EXITED' ? [{ ts: iso(nowMs), source: 'system', line: 'Container stopped' }] : [];
  const all = [...head, ...body, ...tailLines].filter((l) => source === undefined || l.source === source);
  return tail === 0 ? [] : all.slice(-tail);
}
