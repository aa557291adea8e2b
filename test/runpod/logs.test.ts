// Pod logs end to end: the REST v2 log stream read by the adapter (backfill, then closed), the
// service that finds the pod, and the Slack rendering within Block Kit's limits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePodLogs, podLogsMessage } from '../../src/handlers/commands/pod-logs.ts';
import { parseEvent } from '../../src/runpod/v2/logs.ts';
import type { PodLogTail } from '../../src/services/pod-logs.ts';
import { PodLogService } from '../../src/services/pod-logs.ts';
import { PodService } from '../../src/services/pods.ts';
import { systemClock } from '../../src/services/ports.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { type TwinClient, twinClient } from '../support/twin-client.ts';

let t: TwinClient;
let g: TwinClient;
beforeAll(async () => {
  [t, g] = await Promise.all([twinClient({}, { api: 'v2' }), twinClient({}, { api: 'graphql' })]);
});
afterAll(() => Promise.all([t.close(), g.close()]));
beforeEach(() => t.twin.control.reset());

const service = (c: TwinClient) =>
  new PodLogService({
    runpod: c.api,
    pods: new PodService({ runpod: c.api, store: new MemoryStore(), clock: systemClock }),
  });

describe('pod logs from REST v2', () => {
  it('reads the newest lines, oldest first, and closes the stream after the backfill', async () => {
    const [pod] = (await t.api.listPods()).filter((p) => p.name === 'alice-llama70b-serve');
    const lines = await t.api.podLogs!(pod!.id, { lines: 7 });
    expect(lines).toHaveLength(7);
    expect(lines.every((l) => l.source === 'container')).toBe(true);
    expect([...lines].sort((a, b) => a.ts.localeCompare(b.ts))).toEqual(lines);
    const x = t.twin.v2.exchanges().find((e) => e.operationId === 'getPodLogs');
    expect(x?.query).toBe('?tail=7&source=container');
  });

  it('a pod that just started has only its start-up lines', async () => {
    const pod = await t.api.createPod({
      kind: 'on-demand',
      name: 'fresh-pod',
      imageName: 'vllm/vllm-openai:v0.6.3',
      gpuTypeIds: ['NVIDIA RTX A6000'],
      gpuCount: 1,
    });
    t.twin.control.advance(45);
    const tail = await service(t).tail('fresh-pod', 50);
    expect(tail.pod.id).toBe(pod.id);
    expect(tail.lines.map((l) => l.line)).toEqual(['Starting vllm/vllm-openai', 'Listening on ports none']);
  });

  it('finds the pod by part of its name; unknown pods and bad counts are clear errors', async () => {
    const tail = await service(t).tail('alice-llama70b', 3);
    expect(tail.pod.name).toBe('alice-llama70b-serve');
    expect(tail.lines).toHaveLength(3);
    expect(
      (
        await service(t)
          .tail('no-such-pod')
          .catch((e) => e)
      ).code,
    ).toBe('NOT_FOUND');
    expect(
      (
        await service(t)
          .tail('alice', 0)
          .catch((e) => e)
      ).code,
    ).toBe('INVALID_REQUEST');
  });

  it('with RUNPOD_API=graphql, logs say they need REST v2', async () => {
    const err = await service(g)
      .tail('alice-llama70b-serve')
      .catch((e) => e);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.userMessage).toMatch(/Pod logs need RunPod’s REST v2 API/);
  });

  it('reads SSE events, skipping comments and broken data', () => {
    expect(parseEvent('id: 1\ndata: {"ts":"t","source":"system","line":"hi"}')).toEqual({
      ts: 't',
      source: 'system',
      line: 'hi',
    });
    expect(parseEvent(': keep-alive')).toBeNull();
    expect(parseEvent('data: {not json')).toBeNull();
  });
});

describe('/pod logs', () => {
  it('parses a pod and an optional line count', () => {
    expect(parsePodLogs(['my-pod'])).toEqual({ kind: 'logs', ref: 'my-pod', lines: 50 });
    expect(parsePodLogs(['my-pod', '200'])).toEqual({ kind: 'logs', ref: 'my-pod', lines: 200 });
    expect(parsePodLogs([]).kind).toBe('usage');
    expect(parsePodLogs(['p', '0']).kind).toBe('usage');
    expect(parsePodLogs(['p', '501']).kind).toBe('usage');
    expect(parsePodLogs(['p', '10', 'more']).kind).toBe('usage');
  });

  const tail = (lines: string[], asked = lines.length): PodLogTail => ({
    pod: { id: 'abc123', name: 'my-pod', status: 'RUNNING' },
    lines: lines.map((line, i) => ({ ts: `t${i}`, source: 'container', line })),
    asked,
  });

  it('shows the newest lines that fit one section, in order, escaped, fences defused', () => {
    const many = Array.from({ length: 500 }, (_, i) => `line ${i} <${'x'.repeat(40)}> & \`\`\` done`);
    const m = podLogsMessage(tail(many));
    const code = (m.blocks[1] as { text: { text: string } }).text.text;
    expect(code.length).toBeLessThanOrEqual(3000);
    expect(code.startsWith('```') && code.endsWith('```')).toBe(true);
    const body = code.slice(3, -3);
    expect(body).not.toContain('```');
    expect(body).toContain('&lt;');
    const shown = body.split('\n');
    expect(shown.at(-1)).toContain('line 499 ');
    expect(Number(/line (\d+)/.exec(shown[0] ?? '')?.[1])).toBe(500 - shown.length);
    const note = JSON.stringify(m.blocks[2]);
    expect(note).toContain(`${500 - shown.length} older lines did not fit`);
    expect(m.text).not.toContain('line 499');
  });

  it('says when there is nothing, and why', () => {
    const m = podLogsMessage({ ...tail([]), pod: { id: 'p', name: 'stopped', status: 'EXITED' } });
    expect(m.text).toBe('No log lines for pod stopped.');
    expect(JSON.stringify(m.blocks)).toContain('it is exited');
  });
});
