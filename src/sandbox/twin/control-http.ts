// HTTP face of the control surface: {controlUrl}/advance, /interrupt, /faults, ... (JSON in, JSON out).
import { z } from 'zod';
import type { TwinControl } from './control.ts';
import { FAULT_KINDS } from './faults.ts';
import { SCENARIOS } from './scenarios.ts';

const rate = z.number().min(0).max(1).optional();
const faultRule = z.strictObject({
  http429: rate,
  http5xx: rate,
  timeout: rate,
  drop: rate,
  graphqlError: rate,
  malformed: rate,
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  retryAfterSec: z.number().int().min(0).max(3600).optional(),
});

type Route = (control: TwinControl, body: unknown) => unknown;

/** Drops undefined values so zod's optional output fits exactOptionalPropertyTypes. */
function defined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

const POST: Record<string, Route> = {
  '/advance': (c, body) => {
    const { seconds } = z.object({ seconds: z.number().min(0) }).parse(body);
    return { now: c.advance(seconds).toISOString() };
  },
  '/realtime': (c, body) => {
    const b = z.object({ enabled: z.boolean(), speed: z.number().positive().optional() }).parse(body);
    c.setRealtime(b.enabled, b.speed ?? 1);
    return c.realtime;
  },
  '/interrupt': (c, body) => {
    const { podId } = z.object({ podId: z.string().min(1) }).parse(body);
    c.interruptSpot(podId);
    return { podId };
  },
  '/stock': (c, body) => {
    const b = z
      .object({
        gpuTypeId: z.string().min(1),
        count: z.number().int().min(0),
        dataCenterId: z.string().optional(),
      })
      .parse(body);
    c.setStock(b.gpuTypeId, b.count, b.dataCenterId);
    return { gpuTypeId: b.gpuTypeId, free: c.stock(b.gpuTypeId, b.dataCenterId) };
  },
  '/scenario': (c, body) => {
    const b = z.object({ podId: z.string().min(1), scenario: z.enum(SCENARIOS) }).parse(body);
    c.setScenario(b.podId, b.scenario);
    return b;
  },
  '/faults': (c, body) => {
    const b = z
      .object({ seed: z.number().int().optional(), rules: z.record(z.string(), faultRule).optional() })
      .parse(body);
    const rules = Object.fromEntries(Object.entries(b.rules ?? {}).map(([k, r]) => [k, defined(r)]));
    c.setFaults(b.seed !== undefined ? { seed: b.seed, rules } : { rules });
    return c.faults();
  },
  '/faults/clear': (c) => {
    c.clearFaults();
    return c.faults();
  },
  '/fail-next': (c, body) => {
    const b = z
      .object({
        operation: z.string().min(1),
        kind: z.enum(FAULT_KINDS),
        count: z.number().int().min(1).optional(),
        status: z.union([z.literal(502), z.literal(503)]).optional(),
        malformed: z.enum(['truncated', 'shape']).optional(),
        retryAfterSec: z.number().int().min(0).optional(),
      })
      .parse(body);
    c.failNext(
      b.operation,
      b.kind,
      b.count ?? 1,
      defined({ status: b.status, malformed: b.malformed, retryAfterSec: b.retryAfterSec }),
    );
    return c.faults();
  },
  '/seed-pods': (c, body) => {
    const { n } = z.object({ n: z.number().int().min(0).max(200_000) }).parse(body);
    const ids = c.seedPods(n);
    return { added: ids.length, podCount: c.state.pods.size };
  },
  '/account': (c, body) => {
    const b = z
      .object({
        clientBalance: z.number().optional(),
        spendLimit: z.number().optional(),
        email: z.string().optional(),
      })
      .parse(body);
    c.setAccount(defined(b));
    return c.summary().account;
  },
  '/stats/reset': (c) => {
    c.resetStats();
    return c.stats();
  },
  '/reset': (c) => {
    c.reset();
    return c.summary();
  },
};

const GET: Record<string, (control: TwinControl) => unknown> = {
  '/state': (c) => c.summary(),
  '/stats': (c) => c.stats(),
  '/faults': (c) => c.faults(),
};

export interface ControlAnswer {
  status: number;
  body: unknown;
}

/** Answers one control request; `path` is relative to the control prefix (e.g. "/advance"). */
export function handleControl(
  control: TwinControl,
  method: string,
  path: string,
  rawBody: string,
): ControlAnswer {
  const route = method === 'GET' ? GET[path] : method === 'POST' ? POST[path] : undefined;
  if (!route) {
    const known = [...Object.keys(GET).map((p) => `GET ${p}`), ...Object.keys(POST).map((p) => `POST ${p}`)];
    return { status: 404, body: { error: `no control route ${method} ${path}`, routes: known } };
  }
  let body: unknown = {};
  if (rawBody.trim() !== '') {
    try {
      body = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: { error: 'control body must be JSON' } };
    }
  }
  try {
    return { status: 200, body: { ok: true, ...(route(control, body) as object) } };
  } catch (e) {
    const message = e instanceof z.ZodError ? z.prettifyError(e) : e instanceof Error ? e.message : String(e);
    return { status: 400, body: { error: message } };
  }
}
