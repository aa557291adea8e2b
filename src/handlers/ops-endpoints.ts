// The operator's endpoints: GET /healthz (the process is alive and not draining), GET /readyz
// (its store and RunPod answer; which replica holds the scheduler lease), GET /metrics
// (Prometheus). Served by the HTTP receiver in HTTP mode, and on PODBAY_METRICS_PORT otherwise.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { PodbayMetrics } from '../metrics.ts';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PATH = '/metrics';

export interface ReadyCheck {
  ok: boolean;
  detail?: string;
}

export interface OpsProbe {
  health(): { ok: boolean; [k: string]: unknown };
  ready?(): Promise<{ ready: boolean; checks: Record<string, ReadyCheck> }>;
  metrics?: PodbayMetrics;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** One endpoint's answer, as data (the ack front asks the app thread for it across threads). */
export interface OpsAnswer {
  status: number;
  contentType: string;
  body: string;
}

export const jsonAnswer = (status: number, body: unknown): OpsAnswer => ({
  status,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

/** The paths the probe serves. */
export function opsPaths(p: OpsProbe): string[] {
  return [HEALTH_PATH, ...(p.ready ? [READY_PATH] : []), ...(p.metrics ? [METRICS_PATH] : [])];
}

/** The answer for GET `path`, or null when the probe does not serve it. */
export async function opsAnswer(p: OpsProbe, path: string): Promise<OpsAnswer | null> {
  if (path === HEALTH_PATH) {
    const h = p.health();
    return jsonAnswer(h.ok ? 200 : 503, h);
  }
  if (path === READY_PATH && p.ready) {
    try {
      const r = await p.ready();
      return jsonAnswer(r.ready ? 200 : 503, r);
    } catch {
      return jsonAnswer(503, { ready: false, checks: {} });
    }
  }
  if (path === METRICS_PATH && p.metrics) {
    try {
      return { status: 200, contentType: p.metrics.contentType, body: await p.metrics.text() };
    } catch {
      return jsonAnswer(500, { error: 'metrics unavailable' });
    }
  }
  return null;
}

export function writeOpsAnswer(res: ServerResponse, a: OpsAnswer): void {
  res.writeHead(a.status, { 'content-type': a.contentType, 'cache-control': 'no-store' });
  res.end(a.body);
}

/** Bolt custom routes (path, methods, handler) for the endpoints that the probe supports. */
export function opsRoutes(p: OpsProbe): Array<{ path: string; method: string[]; handler: Handler }> {
  return opsPaths(p).map((path) => ({
    path,
    method: ['GET'],
    handler: (_req, res) => {
      void opsAnswer(p, path).then((a) => writeOpsAnswer(res, a ?? jsonAnswer(404, { error: 'not found' })));
    },
  }));
}

/** A small server for the same endpoints (Socket Mode and the console have no HTTP receiver). */
export async function startOpsServer(port: number, host: string, p: OpsProbe): Promise<Server> {
  const routes = opsRoutes(p);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const route = routes.find((r) => r.path === path);
    if (!route) return writeOpsAnswer(res, jsonAnswer(404, { error: 'not found' }));
    if (!route.method.includes(req.method ?? ''))
      return writeOpsAnswer(res, jsonAnswer(405, { error: 'method not allowed' }));
    route.handler(req, res);
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
