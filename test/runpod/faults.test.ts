// Behaviour at the edge of the API, against the twin's injected faults, once per adapter: which
// calls retry, which never do, and how a create with an unknown outcome is reconciled by name.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRunpodApi } from '../../src/runpod/index.ts';
import type { PodSpec } from '../../src/services/domain.ts';
import { PodbayError } from '../../src/services/errors.ts';
import { captureLogger } from '../support/capture-logger.ts';
import { WRONG_API_KEY } from '../support/secrets.ts';
import { tapped } from '../support/tap.ts';
import { TEST_API_KEY, type TwinClient, twinClient } from '../support/twin-client.ts';
import { ADAPTERS } from './adapters.ts';

describe.each(ADAPTERS)('$mode adapter', (c) => {
  let t: TwinClient;
  beforeAll(async () => {
    t = await twinClient({}, { timeoutMs: 250, retryBudgetMs: 3_000, api: c.mode });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t.twin.control.reset();
  });

  const ops = (field: string) => t.twin.control.stats().operations[field] ?? 0;
  const podsNamed = async (name: string) => (await t.api.listPods()).filter((p) => p.name === name);
  let n = 0;
  const spec = (): PodSpec => ({
    kind: 'on-demand',
    name: `reconcile-${++n}`,
    imageName: 'img:1',
    gpuTypeIds: ['NVIDIA RTX A6000'],
    gpuCount: 1,
  });

  describe('typed errors', () => {
    it('a wrong key is AUTH_FAILED and is not retried', async () => {
      const log = captureLogger([WRONG_API_KEY]);
      const api = createRunpodApi({
        url: t.twin.url,
        restUrl: t.twin.restUrl,
        api: c.mode,
        apiKey: WRONG_API_KEY,
        timeoutMs: 500,
        retryBudgetMs: 1000,
        logger: log.logger,
      });
      const before = t.twin.control.stats().unauthorized;
      const err = await api.listPods().catch(tapped);
      expect(err).toBeInstanceOf(PodbayError);
      expect(err.code).toBe('AUTH_FAILED');
      // auto asks both APIs at once (the v2 list and GraphQL's spot ids): one refused call each, neither
      // retried. The second may still be on its way when the first refusal ends listPods.
      await new Promise((r) => setTimeout(r, 200));
      expect(t.twin.control.stats().unauthorized - before).toBe(c.mode === 'auto' ? 2 : 1);
      expect(`${err.message}${log.text()}`).not.toContain(WRONG_API_KEY);
    });

    it('retries that run out surface the last typed error', async () => {
      t.twin.control.failNext(c.op.list, 'http5xx', 100, { status: 503 });
      const err = await t.api.listPods().catch((e) => e);
      expect(err.code).toBe('RUNPOD_UNAVAILABLE');
      expect(ops(c.op.list)).toBeGreaterThan(1);
    });

    it('timeouts that keep coming are TIMEOUT', async () => {
      t.twin.control.failNext(c.op.list, 'timeout', 100);
      const err = await t.api.listPods().catch(tapped);
      expect(err.code).toBe('TIMEOUT');
      expect(err.retryable).toBe(true);
    });

    it('bodies that stay malformed are BAD_RESPONSE', async () => {
      t.twin.control.failNext(c.op.list, 'malformed', 100);
      const err = await t.api.listPods().catch(tapped);
      expect(err.code).toBe('BAD_RESPONSE');
    });

    it('an unknown pod is NOT_FOUND for actions and null for reads', async () => {
      expect(await t.api.getPod('zzzzzzzzzzzzzz')).toBeNull();
      const err = await t.api.stopPod('zzzzzzzzzzzzzz').catch(tapped);
      expect(err.code).toBe('NOT_FOUND');
    });

    it('a 429 that keeps coming is RATE_LIMITED', async () => {
      t.twin.control.failNext(c.op.list, 'http429', 100, { retryAfterSec: 0 });
      const err = await t.api.listPods().catch((e) => e);
      expect(err.code).toBe('RATE_LIMITED');
    });
  });

  describe('reads retry on 429, 5xx, timeouts, errors[] and malformed bodies', () => {
    it.each(['http429', 'http5xx', 'timeout', 'drop', 'graphqlError', 'malformed'] as const)(
      '%s then success',
      async (kind) => {
        t.twin.control.failNext(c.op.list, kind, 2, { retryAfterSec: 0 });
        const pods = await t.api.listPods();
        expect(pods.length).toBeGreaterThan(0);
        expect(ops(c.op.list)).toBe(3);
      },
    );
  });

  describe('mutations are not retried blindly', () => {
    it.each(['timeout', 'drop', 'malformed'] as const)(
      'create whose answer is lost (%s) is reconciled by name: one pod, returned',
      async (kind) => {
        t.twin.control.failNext(c.op.create, kind, 1);
        const s = spec();
        const pod = await t.api.createPod(s);
        expect(pod.name).toBe(s.name);
        expect(ops(c.op.create)).toBe(1);
        expect(await podsNamed(s.name)).toHaveLength(1);
      },
    );

    it.each([['http5xx'], ['graphqlError']] as const)(
      'create that failed before acting (%s) is OUTCOME_UNKNOWN with how to check, never retried',
      async (kind) => {
        t.twin.control.failNext(c.op.create, kind, 1);
        const s = spec();
        const err = await t.api.createPod(s).catch((e) => e);
        expect(err).toBeInstanceOf(PodbayError);
        expect(err.code).toBe('OUTCOME_UNKNOWN');
        expect(err.toUserText()).toContain(s.name);
        expect(ops(c.op.create)).toBe(1);
        expect(await podsNamed(s.name)).toHaveLength(0);
      },
    );

    it('create after a 429 is sent again (RunPod did not act): exactly one pod', async () => {
      t.twin.control.failNext(c.op.create, 'http429', 1, { retryAfterSec: 0 });
      const s = spec();
      await t.api.createPod(s);
      expect(ops(c.op.create)).toBe(2);
      expect(await podsNamed(s.name)).toHaveLength(1);
    });

    it.runIf(c.spot)('a spot create with a lost answer is reconciled too', async () => {
      t.twin.control.failNext(c.op.spotCreate, 'drop', 1);
      const s: PodSpec = { ...spec(), kind: 'spot', bidPerGpu: 0.4 };
      const pod = await t.api.createPod(s);
      expect(pod.kind).toBe('spot');
      expect(await podsNamed(s.name)).toHaveLength(1);
    });

    it('stop and terminate with lost answers are confirmed by reading the pod back', async () => {
      const pod = await t.api.createPod(spec());
      t.twin.control.failNext(c.op.stop, 'timeout', 1);
      await t.api.stopPod(pod.id);
      expect(ops(c.op.stop)).toBe(1);
      t.twin.control.failNext(c.op.resume, 'drop', 1);
      await t.api.resumePod(pod.id, { kind: 'on-demand', gpuCount: 1 });
      t.twin.control.failNext(c.op.terminate, 'malformed', 1);
      await t.api.terminatePod(pod.id);
      expect(ops(c.op.terminate)).toBe(1);
      expect(await t.api.getPod(pod.id)).toBeNull();
    });

    it('a volume delete with a lost answer is confirmed by listing', async () => {
      const v = await t.api.createVolume({ name: 'tmp', sizeGb: 10, dataCenterId: 'US-KS-2' });
      t.twin.control.failNext(c.op.deleteVolume, 'drop', 1);
      await t.api.deleteVolume(v.id);
      expect(ops(c.op.deleteVolume)).toBe(1);
    });

    it('a volume create with a lost answer is OUTCOME_UNKNOWN (not retried, so never two)', async () => {
      t.twin.control.failNext(c.op.createVolume, 'timeout', 1);
      const err = await t.api
        .createVolume({ name: 'once', sizeGb: 10, dataCenterId: 'US-KS-2' })
        .catch((e) => e);
      expect(err.code).toBe('OUTCOME_UNKNOWN');
      expect(ops(c.op.createVolume)).toBe(1);
      expect((await t.api.listVolumes()).filter((v) => v.name === 'once')).toHaveLength(1);
    });
  });

  describe('the API key stays in the header', () => {
    it('is what the twin authenticated with', () => {
      expect(TEST_API_KEY).toMatch(/^rpa_/);
      expect(t.log.text()).not.toContain(TEST_API_KEY);
    });
  });
});
