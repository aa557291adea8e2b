// A small fetch on node:http(s) with keep-alive agents, for Slack's Web API and response_url and for
// RunPod's GraphQL endpoint. Node's built-in fetch costs about three times the CPU per call (bench:
// ~260 µs against ~75 µs for a 4 KB POST on loopback), and podbay makes one such call for nearly
// every command it answers after the ack, and one per RunPod read.
import http from 'node:http';
import https from 'node:https';

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

function headersOf(h: RequestInit['headers']): Record<string, string> {
  if (!h) return {};
  if (h instanceof Headers) return Object.fromEntries(h.entries());
  if (Array.isArray(h)) return Object.fromEntries(h);
  return { ...(h as Record<string, string>) };
}

/** fetch(url, init) for string or Buffer bodies; anything else (e.g. FormData uploads) uses the built-in fetch. */
export const keepAliveFetch: typeof fetch = (input, init = {}) => {
  const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : new URL(input.url);
  const body = init.body;
  const simpleBody = body === undefined || body === null || typeof body === 'string' || Buffer.isBuffer(body);
  if (
    !simpleBody ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    (typeof input === 'object' && !(input instanceof URL))
  )
    return fetch(input, init);
  const mod = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents.https : agents.http;
  return new Promise<Response>((resolve, reject) => {
    const req = mod.request(
      url,
      { method: init.method ?? 'GET', headers: headersOf(init.headers), agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const status = res.statusCode ?? 500;
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) headers.append(k, x);
            else if (v !== undefined) headers.set(k, v);
          }
          const noBody = status === 204 || status === 304 || (status >= 100 && status < 200);
          resolve(
            new Response(noBody ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers,
            }),
          );
        });
      },
    );
    req.on('error', reject);
    const signal = init.signal;
    if (signal) {
      if (signal.aborted) req.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      // The signal's reason (a TimeoutError for AbortSignal.timeout) is the error, as fetch gives it.
      else
        signal.addEventListener(
          'abort',
          () =>
            req.destroy(
              signal.reason instanceof Error ? signal.reason : new Error('The operation was aborted'),
            ),
          { once: true },
        );
    }
    req.end(body ?? undefined);
  });
};
