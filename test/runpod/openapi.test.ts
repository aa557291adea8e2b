// Every request the REST v2 adapter can make, checked against RunPod's official OpenAPI: the
// path and method exist, query parameters are declared, the body fits the request schema; and
// every answer the twin gave validates against the response schema for its status.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodSpec } from '../../src/services/domain.ts';
import type { V2Exchange } from '../../src/sandbox/twin/server.ts';
import { TEST_API_KEY, type TwinClient, twinClient } from '../support/twin-client.ts';

const SPEC_PATH = new URL('../../src/runpod/v2/openapi-v2.json', import.meta.url);
const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
};

interface Operation {
  operationId: string;
  parameters?: ({ $ref: string } | { name: string; in: string })[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
}

// ajv 8 forgets what allOf evaluated when a sibling top-level `if` fails, so unevaluatedProperties
// then refuses every field; the same `if`/`then` one level down, inside the allOf, means the same
// in JSON Schema 2020-12 and ajv reads it right.
for (const schema of Object.values(
  (spec as unknown as { components: { schemas: Record<string, Record<string, unknown>> } }).components
    .schemas,
)) {
  if (schema.if && Array.isArray(schema.allOf) && schema.unevaluatedProperties === false) {
    schema.allOf.push(
      Object.fromEntries([
        ['if', schema.if],
        ['then', schema.then],
      ]),
    );
    delete schema.if;
    delete schema.then;
  }
}
// OpenAPI 3.1 schemas are JSON Schema 2020-12; OpenAPI's own keywords (discriminator, example) are allowed.
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema(spec, 'openapi');
const resolve = <T>(ref: string): T =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((o: Record<string, unknown>, k) => o[k] as Record<string, unknown>, spec as never) as T;
const pointer = (...parts: string[]) =>
  `openapi#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** Every (method, path) the adapter's source can call, read from its typed openapi-fetch calls. */
function adapterCalls(): Set<string> {
  const src = readFileSync(new URL('../../src/runpod/v2/client.ts', import.meta.url), 'utf8');
  return new Set(
    [...src.matchAll(/c\.(GET|POST|PATCH|PUT|DELETE)\('([^']+)'/g)].map((m) => `${m[1]} ${m[2]}`),
  );
}

function problems(x: V2Exchange): string[] {
  const out: string[] = [];
  const op = spec.paths[x.path]?.[x.method.toLowerCase()];
  if (!op) return [`${x.method} ${x.path}: not in the OpenAPI`];
  const declared = new Set(
    (op.parameters ?? []).map((p) => ('$ref' in p ? resolve<{ name: string }>(p.$ref).name : p.name)),
  );
  for (const name of new URLSearchParams(x.query).keys())
    if (!declared.has(name)) out.push(`${op.operationId}: query parameter ${name} is not declared`);
  const body = op.requestBody?.content['application/json'];
  if (x.requestBody !== undefined) {
    if (!body) out.push(`${op.operationId}: sent a body the operation does not take`);
    else {
      const ok = ajv.validate(
        {
          $ref: pointer(
            'paths',
            x.path,
            x.method.toLowerCase(),
            'requestBody',
            'content',
            'application/json',
            'schema',
          ),
        },
        x.requestBody,
      );
      if (!ok) out.push(`${op.operationId} request: ${ajv.errorsText(ajv.errors)}`);
    }
  }
  const key = op.responses[String(x.status)] ? String(x.status) : 'default';
  let response = op.responses[key];
  if (!response) return [...out, `${op.operationId}: status ${x.status} not declared`];
  let base = pointer('paths', x.path, x.method.toLowerCase(), 'responses', key);
  if (response.$ref) {
    base = `openapi${response.$ref}`;
    response = resolve<NonNullable<typeof response>>(response.$ref);
  }
  if (x.responseBody === undefined) {
    if (response.content && x.status !== 204) out.push(`${op.operationId}: ${x.status} without a body`);
    return out;
  }
  const type = x.contentType || 'application/json';
  if (!response.content?.[type]) return [...out, `${op.operationId}: ${x.status} ${type} not declared`];
  if (type === 'text/event-stream') return out;
  const ok = ajv.validate({ $ref: `${base}/content/${type.replace(/\//g, '~1')}/schema` }, x.responseBody);
  if (!ok) out.push(`${op.operationId} ${x.status} response: ${ajv.errorsText(ajv.errors)}`);
  return out;
}

let t: TwinClient;
beforeAll(async () => {
  t = await twinClient({}, { api: 'v2' });
});
afterAll(() => t.close());

const podSpec = (over: Partial<PodSpec> = {}): PodSpec =>
  ({
    kind: 'on-demand',
    name: `openapi-${Math.random().toString(36).slice(2, 8)}`,
    imageName: 'vllm/vllm-openai:latest',
    gpuTypeIds: ['NVIDIA RTX A6000'],
    gpuCount: 1,
    containerDiskInGb: 20,
    volumeInGb: 20,
    volumeMountPath: '/workspace',
    ports: '8000/http,22/tcp',
    env: [{ key: 'HF_TOKEN', value: 'hf_openapi_not_a_secret' }],
    startSsh: true,
    dockerArgs: '--port 8000',
    cloudType: 'SECURE',
    dataCenterId: 'US-KS-2',
    ...over,
  }) as PodSpec;

/** Every port operation the v2 adapter has, with the variants its bodies take. */
async function everyOperation(): Promise<void> {
  const api = t.api;
  const pods = await api.listPods();
  await api.getPod(pods[0]!.id);
  await api.getPod('nosuchpod00000');
  const pod = await api.createPod(podSpec());
  const [vol] = await api.listVolumes();
  await api.createPod(podSpec({ networkVolumeId: vol!.id, dataCenterId: vol!.dataCenterId, volumeInGb: 0 }));
  t.twin.control.setStock('NVIDIA H100 80GB HBM3', 0);
  await api
    .createPod(podSpec({ gpuTypeIds: ['NVIDIA H100 80GB HBM3'], cloudType: 'ALL' }))
    .catch(() => undefined);
  t.twin.control.advance(120);
  await api.stopPod(pod.id);
  await api.stopPod(pod.id);
  await api.resumePod(pod.id, { kind: 'on-demand', gpuCount: 1 });
  await api.podLogs!(pod.id, { lines: 20 });
  await api.terminatePod(pod.id);
  await api.stopPod(pod.id).catch(() => undefined);
  await api.gpuOffers({ gpuCount: 2, secureCloud: false, ids: ['NVIDIA A40'] });
  await api.gpuOffers({ gpuCount: 1 });
  await api.dataCenters({ gpuCount: 1 });
  const v = await api.createVolume({ name: 'openapi', sizeGb: 20, dataCenterId: 'US-KS-2' });
  await api.updateVolume({ id: v.id, name: 'openapi-2', sizeGb: 30 });
  await api.updateVolume({ id: v.id, sizeGb: 10 }).catch(() => undefined);
  await api.deleteVolume(v.id);
  await api.createVolume({ name: 'nowhere', sizeGb: 20, dataCenterId: 'US-GA-1' }).catch(() => undefined);
  const tpl = (await api.listTemplates()).find((x) => x.isServerless)!;
  const base = {
    name: 'openapi-ep',
    templateId: tpl.id,
    gpuPoolIds: ['AMPERE_48'],
    gpuCount: 1,
    workersMin: 0,
    workersMax: 2,
    idleTimeoutSec: 30,
    scalerType: 'QUEUE_DELAY' as const,
    scalerValue: 4,
    networkVolumeId: vol!.id,
    locations: 'US-KS-2',
    executionTimeoutMs: 600_000,
    flashBoot: true,
  };
  const ep = await api.createEndpoint(base);
  await api.createEndpoint({ ...base, name: 'openapi-rc', scalerType: 'REQUEST_COUNT', scalerValue: 3 });
  await api.updateEndpoint(ep.id, { workersMax: 3, scalerType: 'REQUEST_COUNT', scalerValue: 2 });
  await api.updateEndpoint(ep.id, { gpuPoolIds: ['ADA_24'], gpuCount: 2, flashBoot: false, name: 'renamed' });
  await api.updateEndpoint(ep.id, {
    networkVolumeId: null,
    locations: 'EU-RO-1',
    executionTimeoutMs: 1000,
    templateId: tpl.id,
  });
  await api.updateEndpoint(ep.id, { workersMin: 0, workersMax: 0 });
  await api.deleteEndpoint(ep.id);
  await api.listEndpoints();
  await api.billingHistory!({
    start: new Date(Date.UTC(2026, 10, 20)),
    end: new Date(Date.UTC(2026, 10, 27)),
    bucket: 'day',
  });
  await api.spendRate!();
}

describe('REST v2 against the official OpenAPI', () => {
  it('every request the adapter makes, and every answer, fits the OpenAPI', async () => {
    t.twin.v2.clearExchanges();
    await everyOperation();
    const exchanges = t.twin.v2.exchanges();
    expect(exchanges.length).toBeGreaterThan(30);
    expect(exchanges.flatMap(problems)).toEqual([]);
    // Error answers were among them (404, 409, 400), and they are problems too.
    expect(exchanges.some((x) => x.status === 404 && x.contentType === 'application/problem+json')).toBe(
      true,
    );
    expect(exchanges.some((x) => x.status === 409)).toBe(true);
  });

  it('covers every call in the adapter source', async () => {
    t.twin.v2.clearExchanges();
    await everyOperation();
    const made = new Set(t.twin.v2.exchanges().map((x) => `${x.method} ${x.path}`));
    const missing = [...adapterCalls()].filter((c) => !made.has(c));
    expect(adapterCalls().size).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });

  it('refuses a body that breaks the request schema, and a wrong key, with problems that fit the OpenAPI', async () => {
    t.twin.v2.clearExchanges();
    const bad = await fetch(`${t.twin.restUrl}/v2/pods`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', image: null, gpu: { id: 'NVIDIA A40' } }),
    });
    expect(bad.status).toBe(422);
    const noKey = await fetch(`${t.twin.restUrl}/v2/pods`);
    expect(noKey.status).toBe(401);
    const xs = t.twin.v2.exchanges();
    expect(xs.map((x) => x.status)).toEqual([422, 401]);
    // The refused body breaks the request schema (the same check every adapter request passes).
    expect(problems(xs[0]!).some((p) => p.includes('request'))).toBe(true);
    expect(xs.flatMap((x) => problems({ ...x, requestBody: undefined }))).toEqual([]);
  });
});
