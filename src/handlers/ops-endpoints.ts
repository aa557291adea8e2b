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

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Bolt custom routes (path, methods, handler) for the three endpoints that the probe supports. */
export function opsRoutes(p: OpsProbe): Array<{ path: string; method: string[]; handler: Handler }> {
  const routes: Array<{ path: string; method: string[]; handler: Handler }> = [
    {
      path: HEALTH_PATH,
      method: ['GET'],
      handler: (_req, res) => {
        const h = p.health();
        json(res, h.ok ? 200 : 503, h);
      },
    },
  ];
  const ready = p.ready;
  if (ready)
    routes.push({
      path: READY_PATH,
      method: ['GET'],
      handler: (_req, res) => {
        ready()
          .then((r) => json(res, r.ready ? 200 : 503, r))
          .catch(() => json(res, 503, { ready: false, checks: {} }));
      },
    });
  const m = p.metrics;
  if (m)
    routes.push({
      path: METRICS_PATH,
      method: ['GET'],
      handler: (_req, res) => {
        m.text()
          .then((text) => {
            res.writeHead(200, { 'content-type': m.contentType });
            res.end(text);
          })
          .catch(() => json(res, 500, { error: 'metrics unavailable' }));
      },
    });
  return routes;
}

/** A small server for the same endpoints (Socket Mode and the console have no HTTP receiver). */
export async function startOpsServer(port: number, host: string, p: OpsProbe): Promise<Server> {
  const routes = opsRoutes(p);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const route = routes.find((r) => r.path === path);
    if (!route) return json(res, 404, { error: 'not found' });
    if (!route.method.includes(req.method ?? '')) return json(res, 405, { error: 'method not allowed' });
    route.handler(req, res);
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
