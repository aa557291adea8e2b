import { describe, expect, it } from 'vitest';
import { PodbayError } from '../../src/services/errors.ts';
import {
  followPod,
  type PodProgressUpdate,
  podConnections,
  podPhase,
} from '../../src/services/pod-progress.ts';
import type { PodSpec } from '../../src/services/domain.ts';
import { FakeClock, InMemoryRunpod } from '../fakes/runpod-memory.ts';

const spec: PodSpec = {
  name: 'ana-vllm-000001',
  kind: 'on-demand',
  imageName: 'vllm/vllm-openai:v0.6.3',
  gpuTypeIds: ['NVIDIA RTX A6000'],
  gpuCount: 1,
  ports: '8000/http,22/tcp',
};

function world(pullSeconds = 45) {
  const clock = new FakeClock();
  const runpod = new InMemoryRunpod({ clock, pullSeconds });
  const updates: PodProgressUpdate[] = [];
  const onUpdate = (u: PodProgressUpdate) => {
    updates.push(u);
  };
  return { clock, runpod, updates, onUpdate };
}

describe('followPod', () => {
  it('goes pulling → running, reporting each phase once, with connection details', async () => {
    const { clock, runpod, updates, onUpdate } = world(45);
    const pod = await runpod.createPod(spec);
    const r = await followPod(pod.id, {
      runpod,
      onUpdate,
      clock,
      sleep: clock.sleep,
      intervalSec: 10,
      timeoutSec: 600,
    });
    expect(r.outcome).toBe('running');
    if (r.outcome !== 'running') return;
    expect(updates.map((u) => u.phase)).toEqual(['pulling', 'running']);
    expect(runpod.calls.filter((c) => c.method === 'getPod').length).toBe(6); // t = 0,10,20,30,40,50
    expect(r.waitedSec).toBe(50);
    expect(r.connections).toEqual([
      { privatePort: 22, type: 'tcp', publicAddress: '203.0.113.10:40022', proxyUrl: null },
      {
        privatePort: 8000,
        type: 'http',
        publicAddress: null,
        proxyUrl: `https://${pod.id}-8000.proxy.runpod.net`,
      },
    ]);
    expect(updates[1]?.connections).toEqual(r.connections);
    expect(updates[0]?.message).toMatch(/pulling the image vllm\/vllm-openai:v0\.6\.3/);
    expect(r.message).toMatch(/is running on RTX A6000/);
  });

  it('fails with a reason and next step when the pod stops while starting', async () => {
    const { clock, runpod, updates, onUpdate } = world(300);
    const pod = await runpod.createPod(spec);
    const sleep = async (ms: number) => {
      clock.advance(ms);
      if (clock.now().getTime() - Date.parse('2026-11-26T12:00:00.000Z') >= 30_000)
        runpod.setStatus(pod.id, 'EXITED');
    };
    const r = await followPod(pod.id, { runpod, onUpdate, clock, sleep, intervalSec: 10 });
    expect(r).toMatchObject({ outcome: 'failed', phase: 'stopped' });
    if (r.outcome !== 'failed') return;
    expect(r.reason).toMatch(/stopped before it came up/);
    expect(r.nextStep).toMatch(/resume the pod or terminate it/);
    expect(updates.map((u) => u.phase)).toEqual(['pulling', 'stopped']);
  });

  it('fails as gone when the pod is terminated while starting', async () => {
    const { clock, runpod, onUpdate } = world(300);
    const pod = await runpod.createPod(spec);
    const sleep = async (ms: number) => {
      clock.advance(ms);
      runpod.removePod(pod.id);
    };
    const r = await followPod(pod.id, { runpod, onUpdate, clock, sleep });
    expect(r).toMatchObject({ outcome: 'failed', phase: 'gone', pod: null });
    if (r.outcome === 'failed') expect(r.nextStep).toMatch(/another GPU type or data center/);
  });

  it('times out with the last phase seen and a next step', async () => {
    const { clock, runpod, updates, onUpdate } = world();
    const pod = await runpod.createPod(spec);
    runpod.stuckPulling(pod.id);
    const r = await followPod(pod.id, {
      runpod,
      onUpdate,
      clock,
      sleep: clock.sleep,
      intervalSec: 30,
      timeoutSec: 300,
    });
    expect(r).toMatchObject({ outcome: 'failed', phase: 'timeout' });
    if (r.outcome !== 'failed') return;
    expect(r.reason).toBe('ana-vllm-000001 is still not running after 5 min (last seen: pulling).');
    expect(r.nextStep).toMatch(/check again .* or terminate ana-vllm-000001/);
    expect(r.waitedSec).toBeLessThanOrEqual(300);
    expect(updates.map((u) => u.phase)).toEqual(['pulling', 'timeout']);
  });

  it('stops even when the sleep does not move the clock', async () => {
    const { clock, runpod } = world();
    const pod = await runpod.createPod(spec);
    runpod.stuckPulling(pod.id);
    const r = await followPod(pod.id, {
      runpod,
      clock,
      sleep: async () => {},
      intervalSec: 10,
      timeoutSec: 60,
    });
    expect(r).toMatchObject({ outcome: 'failed', phase: 'timeout' });
    expect(runpod.calls.filter((c) => c.method === 'getPod').length).toBe(7);
  });

  it('rides out passing RunPod errors but stops on ones that will not pass', async () => {
    const { clock, runpod } = world(20);
    const pod = await runpod.createPod(spec);
    runpod.failNext(
      'getPod',
      new PodbayError('RUNPOD_UNAVAILABLE', 'RunPod is not answering.', { retryable: true }),
    );
    const ok = await followPod(pod.id, { runpod, clock, sleep: clock.sleep, intervalSec: 10 });
    expect(ok.outcome).toBe('running');

    const other = await runpod.createPod({ ...spec, name: 'x-000002' });
    runpod.failNext(
      'getPod',
      new PodbayError('AUTH_FAILED', 'RunPod refused the API key.', { hint: 'Check RUNPOD_API_KEY.' }),
    );
    const bad = await followPod(other.id, { runpod, clock, sleep: clock.sleep });
    expect(bad).toMatchObject({ outcome: 'failed', phase: 'failed', nextStep: 'Check RUNPOD_API_KEY.' });
    if (bad.outcome === 'failed') expect(bad.reason).toMatch(/RunPod refused the API key/);
  });

  it('a failing onUpdate does not stop the follow', async () => {
    const { clock, runpod } = world(10);
    const pod = await runpod.createPod(spec);
    const r = await followPod(pod.id, {
      runpod,
      clock,
      sleep: clock.sleep,
      onUpdate: () => {
        throw new Error('Slack is down');
      },
    });
    expect(r.outcome).toBe('running');
  });

  it('an abort signal ends it as a timeout that says so', async () => {
    const { clock, runpod } = world(600);
    const pod = await runpod.createPod(spec);
    const ac = new AbortController();
    const sleep = async (ms: number) => {
      clock.advance(ms);
      ac.abort();
    };
    const r = await followPod(pod.id, { runpod, clock, sleep, signal: ac.signal });
    expect(r).toMatchObject({ outcome: 'failed', phase: 'timeout' });
    if (r.outcome === 'failed') expect(r.reason).toMatch(/^Stopped watching/);
  });
});

describe('podPhase and podConnections', () => {
  it('maps RunPod states to phases', async () => {
    const runpod = new InMemoryRunpod();
    const p = runpod.seedPod({ name: 'x' });
    expect(podPhase(p)).toBe('running');
    expect(podPhase({ ...p, runtime: null })).toBe('pulling');
    expect(podPhase({ ...p, status: 'CREATED', runtime: null })).toBe('starting');
    expect(podPhase({ ...p, status: 'EXITED', runtime: null })).toBe('stopped');
    expect(podPhase({ ...p, status: 'DEAD', runtime: null })).toBe('failed');
    expect(podPhase({ ...p, status: 'TERMINATED', runtime: null })).toBe('gone');
    expect(podPhase(null)).toBe('gone');
  });

  it('adds proxy URLs for declared http ports runtime does not list, and prefers a public address', async () => {
    const runpod = new InMemoryRunpod();
    const p = runpod.seedPod({ id: 'abc', name: 'x', ports: '8888/http' });
    const withExtra = {
      ...p,
      ports: '8888/http,7860/http,22/tcp',
      runtime: p.runtime && {
        ...p.runtime,
        ports: [
          { ip: '100.64.0.2', isPublic: false, privatePort: 8888, publicPort: 8888, type: 'http' },
          { ip: '198.51.100.7', isPublic: true, privatePort: 8888, publicPort: 18888, type: 'http' },
        ],
      },
    };
    expect(podConnections(withExtra)).toEqual([
      { privatePort: 7860, type: 'http', publicAddress: null, proxyUrl: 'https://abc-7860.proxy.runpod.net' },
      {
        privatePort: 8888,
        type: 'http',
        publicAddress: '198.51.100.7:18888',
        proxyUrl: 'https://abc-8888.proxy.runpod.net',
      },
    ]);
  });
});
