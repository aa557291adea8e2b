// Fault soak, once per adapter: with the twin failing 30 % of calls (429, 5xx, timeouts,
// dropped connections, server errors, malformed bodies), 1,000 mixed operations end with no
// unhandled rejection, no duplicate pod, and every failure a typed PodbayError.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod, PodSpec } from '../../src/services/domain.ts';
import { PodbayError } from '../../src/services/errors.ts';
import { SOAK_ENV_SECRET } from '../support/secrets.ts';
import { type TwinClient, twinClient } from '../support/twin-client.ts';
import { ADAPTERS } from './adapters.ts';

const OPS = 1_000;
const CONCURRENCY = 10;
const ENV_SECRET = SOAK_ENV_SECRET;
const GPUS = ['NVIDIA RTX A6000', 'NVIDIA GeForce RTX 4090', 'NVIDIA A40'];

/** Deterministic choice of operation mix. */
function* lcg(seed: number) {
  let s = seed;
  for (;;) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    yield s / 2 ** 31;
  }
}

describe.each(ADAPTERS)('$mode adapter', (c) => {
  let t: TwinClient;
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    t = await twinClient(
      {
        seed: true,
        faults: {
          seed: 7,
          rules: {
            '*': {
              http429: 0.05,
              http5xx: 0.05,
              timeout: 0.05,
              drop: 0.05,
              graphqlError: 0.05,
              malformed: 0.05,
              retryAfterSec: 0,
            },
          },
        },
      },
      { timeoutMs: 80, retryBudgetMs: 600, secrets: [ENV_SECRET], api: c.mode },
    );
    for (const gpu of GPUS) t.twin.control.setStock(gpu, 10_000);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await t.close();
  });

  describe('fault soak', () => {
    it(`${OPS} mixed operations at 30 % faults`, async () => {
      const rnd = lcg(42);
      const next = () => rnd.next().value as number;
      const known: Pod[] = [];
      const outcomes = { ok: 0, typed: 0, untyped: [] as unknown[], byCode: {} as Record<string, number> };
      let created = 0;

      const one = async (i: number) => {
        const r = next();
        const pod = known.length ? known[Math.floor(next() * known.length)] : undefined;
        if (r < 0.25) return t.api.listPods();
        if (r < 0.35) return t.api.account();
        if (r < 0.45) return t.api.gpuOffers({ gpuCount: 1 });
        if (r < 0.5) return t.api.listVolumes();
        if (r < 0.55) return t.api.listEndpoints();
        if (r < 0.65 && pod) return t.api.getPod(pod.id);
        if (r < 0.8) {
          const gpuTypeIds = [GPUS[i % GPUS.length] as string];
          const base = { name: `soak-${i}`, imageName: 'img:1', gpuTypeIds, gpuCount: 1 };
          const env = [{ key: 'API_TOKEN', value: ENV_SECRET }];
          const spec: PodSpec =
            next() < 0.7
              ? { kind: 'on-demand', ...base, env }
              : { kind: 'spot', ...base, env, bidPerGpu: 0.6 };
          created++;
          const p = await t.api.createPod(spec);
          known.push(p);
          return p;
        }
        if (!pod) return t.api.listPods();
        if (r < 0.88) return t.api.stopPod(pod.id);
        if (r < 0.95) {
          return pod.kind === 'spot'
            ? t.api.resumePod(pod.id, { kind: 'spot', bidPerGpu: 0.6, gpuCount: 1 })
            : t.api.resumePod(pod.id, { kind: 'on-demand', gpuCount: 1 });
        }
        return t.api.terminatePod(pod.id);
      };

      let i = 0;
      const worker = async () => {
        while (i < OPS) {
          const mine = i++;
          try {
            await one(mine);
            outcomes.ok++;
          } catch (e) {
            if (e instanceof PodbayError) {
              outcomes.typed++;
              outcomes.byCode[e.code] = (outcomes.byCode[e.code] ?? 0) + 1;
              expect(e.userMessage.length).toBeGreaterThan(10);
              expect(e.userMessage).not.toContain(ENV_SECRET);
            } else outcomes.untyped.push(e);
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));

      expect(outcomes.ok + outcomes.typed + outcomes.untyped.length).toBe(OPS);
      expect(outcomes.untyped).toEqual([]);
      expect(unhandled).toEqual([]);
      expect(t.twin.control.stats().faults).toBeTruthy();
      expect(outcomes.ok).toBeGreaterThan(OPS / 2);
      expect(created).toBeGreaterThan(100);

      // No duplicate pod: read the truth with faults off.
      t.twin.control.clearFaults();
      const all = await t.api.listPods();
      const names = all.filter((p) => p.name.startsWith('soak-')).map((p) => p.name);
      expect(new Set(names).size).toBe(names.length);
      // Every pod the client was told about exists under its name (unless later terminated).
      for (const p of known) {
        const live = all.find((x) => x.id === p.id);
        if (live) expect(live.name).toBe(p.name);
      }
      expect(t.log.text()).not.toContain(ENV_SECRET);
    }, 90_000);
  });
});
