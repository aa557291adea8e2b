// Follows a new or resumed pod until it runs (with its connection details) or clearly fails.
import type { Pod } from './domain.ts';
import { asPodbayError, type PodbayError } from './errors.ts';
import { type Clock, type RunpodApi, systemClock } from './ports.ts';

/**
 * Where a pod is on its way up.
 * starting: placed, container not started; pulling: RunPod wants it running but it has no runtime yet
 * (the image is still being pulled); running: runtime present; stopped: EXITED/PAUSED;
 * failed: DEAD; gone: terminated or no longer listed; timeout: we stopped waiting.
 */
export type PodPhase = 'starting' | 'pulling' | 'running' | 'stopped' | 'failed' | 'gone' | 'timeout';

/** One way to reach a port of a running pod. */
export interface PodConnection {
  privatePort: number;
  /** "http" or "tcp" as RunPod reports it. */
  type: string;
  /** "ip:port" when the port is exposed publicly; null otherwise. */
  publicAddress: string | null;
  /** https://<podId>-<port>.proxy.runpod.net for http ports; null for tcp. */
  proxyUrl: string | null;
}

export interface PodProgressUpdate {
  phase: PodPhase;
  /** null when the pod is gone. */
  pod: Pod | null;
  /** A sentence for the person waiting, e.g. "Pulling the image (pod is placed on an RTX A6000)…". */
  message: string;
  /** Filled when phase is running. */
  connections: PodConnection[];
}

export type FollowResult =
  | { outcome: 'running'; pod: Pod; connections: PodConnection[]; message: string; waitedSec: number }
  | {
      outcome: 'failed';
      phase: 'stopped' | 'failed' | 'gone' | 'timeout';
      pod: Pod | null;
      /** Why it did not come up. */
      reason: string;
      /** What the person can do next. */
      nextStep: string;
      waitedSec: number;
    };

export interface FollowOptions {
  runpod: RunpodApi;
  /** Called once per phase change (not on every poll). Errors it throws are ignored. */
  onUpdate?: (update: PodProgressUpdate) => void | Promise<void>;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: a real timer. Tests pass one that advances their fake clock. */
  sleep?: (ms: number) => Promise<void>;
  /** Give up after this long. Default 900 s (big images take a while to pull). */
  timeoutSec?: number;
  /** Poll interval. Default 10 s. */
  intervalSec?: number;
  /** Stops following early; resolves as a timeout with a "stopped watching" reason. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_SEC = 900;
const DEFAULT_INTERVAL_SEC = 10;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The phase a pod snapshot is in (null pod → gone). */
export function podPhase(pod: Pod | null): Exclude<PodPhase, 'timeout'> {
  if (!pod || pod.status === 'TERMINATED') return 'gone';
  if (pod.status === 'DEAD') return 'failed';
  if (pod.status === 'EXITED' || pod.status === 'PAUSED') return 'stopped';
  if (pod.status === 'RUNNING') return pod.runtime ? 'running' : 'pulling';
  return 'starting';
}

/** The RunPod proxy URL for an http port of a pod. */
export function proxyUrl(podId: string, port: number): string {
  return `https://${podId}-${port}.proxy.runpod.net`;
}

/** Ports declared on the pod ("8888/http,22/tcp") as [port, type]. */
function declaredPorts(ports: string | null): Array<{ port: number; type: string }> {
  if (!ports) return [];
  const out: Array<{ port: number; type: string }> = [];
  for (const part of ports.split(',')) {
    const m = /^\s*(\d+)\s*\/\s*(http|tcp|udp)\s*$/i.exec(part);
    if (m?.[1] && m[2]) out.push({ port: Number(m[1]), type: m[2].toLowerCase() });
  }
  return out;
}

/** Connection details of a running pod: runtime ports plus the RunPod proxy URL for http ports. */
export function podConnections(pod: Pod): PodConnection[] {
  const byPort = new Map<number, PodConnection>();
  for (const p of pod.runtime?.ports ?? []) {
    const type = p.type.toLowerCase();
    const existing = byPort.get(p.privatePort);
    const publicAddress = p.isPublic ? `${p.ip}:${p.publicPort}` : null;
    if (existing) {
      if (!existing.publicAddress && publicAddress) existing.publicAddress = publicAddress;
      continue;
    }
    byPort.set(p.privatePort, {
      privatePort: p.privatePort,
      type,
      publicAddress,
      proxyUrl: type === 'http' ? proxyUrl(pod.id, p.privatePort) : null,
    });
  }
  // Declared http ports are reachable through the proxy even when runtime does not list them.
  for (const d of declaredPorts(pod.ports)) {
    if (byPort.has(d.port) || d.type !== 'http') continue;
    byPort.set(d.port, {
      privatePort: d.port,
      type: 'http',
      publicAddress: null,
      proxyUrl: proxyUrl(pod.id, d.port),
    });
  }
  return [...byPort.values()].sort((a, b) => a.privatePort - b.privatePort);
}

function phaseMessage(phase: Exclude<PodPhase, 'timeout'>, pod: Pod | null, podId: string): string {
  const name = pod?.name ?? podId;
  const where = pod?.gpuName ? ` on ${pod.gpuCount > 1 ? `${pod.gpuCount}× ` : ''}${pod.gpuName}` : '';
  switch (phase) {
    case 'starting':
      return `${name} is being placed${where}; starting the container…`;
    case 'pulling':
      return `${name} has a machine${where}; pulling the image${pod?.imageName ? ` ${pod.imageName}` : ''} and starting it…`;
    case 'running':
      return `${name} is running${where}.`;
    case 'stopped':
      return `${name} stopped before it came up.`;
    case 'failed':
      return `RunPod marked ${name} as dead.`;
    case 'gone':
      return `${name} is gone (terminated, or RunPod no longer lists it).`;
  }
}

function failure(
  phase: 'stopped' | 'failed' | 'gone',
  pod: Pod | null,
  podId: string,
): { reason: string; nextStep: string } {
  const name = pod?.name ?? podId;
  if (phase === 'stopped') {
    return {
      reason: `${name} stopped before it came up; the container may have exited on start.`,
      nextStep: 'Check the image and its start command, then resume the pod or terminate it.',
    };
  }
  if (phase === 'failed') {
    return {
      reason: `RunPod marked ${name} as dead before it came up.`,
      nextStep: 'Terminate it and create a new pod, perhaps on another GPU type or data center.',
    };
  }
  return {
    reason: `${name} was terminated (or RunPod no longer lists it) before it came up.`,
    nextStep: 'Create it again; if this keeps happening, try another GPU type or data center.',
  };
}

/**
 * Polls getPod until the pod runs (resolves 'running' with connection details) or fails
 * (terminated, exited, dead, or timeout: resolves 'failed' with a reason and a next step).
 * Never throws for pod states; a RunPod error that cannot get better (bad key) ends it as 'failed',
 * every other one (timeouts, 5xx, malformed answers) is retried until the timeout.
 */
export async function followPod(podId: string, opts: FollowOptions): Promise<FollowResult> {
  const clock = opts.clock ?? systemClock;
  const sleep = opts.sleep ?? realSleep;
  const timeoutSec = opts.timeoutSec ?? DEFAULT_TIMEOUT_SEC;
  const intervalMs = Math.max(0, (opts.intervalSec ?? DEFAULT_INTERVAL_SEC) * 1000);
  const started = clock.now().getTime();
  const waited = () => Math.round((clock.now().getTime() - started) / 1000);
  let lastPhase: PodPhase | null = null;
  let lastPod: Pod | null = null;
  let lastError: PodbayError | null = null;
  // Also bounded by poll count, so a sleep that does not move the clock cannot loop forever.
  const maxPolls = Math.ceil((timeoutSec * 1000) / Math.max(intervalMs, 1)) + 1;
  let polls = 0;

  const announce = async (update: PodProgressUpdate) => {
    if (update.phase === lastPhase) return;
    lastPhase = update.phase;
    try {
      await opts.onUpdate?.(update);
    } catch {
      // A failing progress message must not stop the follow.
    }
  };

  for (;;) {
    polls++;
    let pod: Pod | null | undefined;
    try {
      pod = await opts.runpod.getPod(podId);
      lastError = null;
    } catch (e) {
      lastError = asPodbayError(e);
      // Only a refused key cannot get better; a garbled or lost answer says nothing about the pod.
      if (lastError.code === 'AUTH_FAILED' || lastError.code === 'FORBIDDEN') {
        return {
          outcome: 'failed',
          phase: 'failed',
          pod: lastPod,
          reason: `Could not check on the pod: ${lastError.userMessage}`,
          nextStep: lastError.hint ?? 'Check it later with the pod status command.',
          waitedSec: waited(),
        };
      }
    }
    if (pod !== undefined) {
      lastPod = pod;
      const phase = podPhase(pod);
      const connections = phase === 'running' && pod ? podConnections(pod) : [];
      await announce({ phase, pod, message: phaseMessage(phase, pod, podId), connections });
      if (phase === 'running' && pod) {
        return {
          outcome: 'running',
          pod,
          connections,
          message: phaseMessage(phase, pod, podId),
          waitedSec: waited(),
        };
      }
      if (phase === 'stopped' || phase === 'failed' || phase === 'gone') {
        return { outcome: 'failed', phase, pod, ...failure(phase, pod, podId), waitedSec: waited() };
      }
    }
    const aborted = opts.signal?.aborted === true;
    const outOfTime = clock.now().getTime() - started + intervalMs > timeoutSec * 1000 || polls >= maxPolls;
    if (aborted || outOfTime) {
      const seen = lastPhase && lastPhase !== 'timeout' ? ` (last seen: ${lastPhase})` : '';
      const name = lastPod?.name ?? podId;
      const reason = aborted
        ? `Stopped watching ${name}${seen}.`
        : `${name} is still not running after ${Math.round(timeoutSec / 60)} min${seen}.${
            lastError ? ` RunPod last said: ${lastError.userMessage}` : ''
          }`;
      await announce({ phase: 'timeout', pod: lastPod, message: reason, connections: [] });
      return {
        outcome: 'failed',
        phase: 'timeout',
        pod: lastPod,
        reason,
        nextStep: `Large images can take a while: check again with the pod status command, or terminate ${name} if it is stuck.`,
        waitedSec: waited(),
      };
    }
    await sleep(intervalMs);
  }
}
