// Small HTTP helpers for talking to the twin over real loopback HTTP.
import type { Twin } from '../../src/sandbox/twin/server.ts';

/** Parsed JSON from the twin; tests navigate it freely and assert on the values. */
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary GraphQL and control JSON
export type AnyJson = any;

export interface GqlAnswer {
  status: number;
  headers: Headers;
  text: string;
  json: AnyJson;
}

export async function gql(
  twin: Twin,
  query: string,
  variables?: Record<string, unknown>,
  opts: { key?: string | null; signal?: AbortSignal; operationName?: string } = {},
): Promise<GqlAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  const res = await fetch(twin.url, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables, operationName: opts.operationName }),
    ...(opts.signal && { signal: opts.signal }),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export async function control(
  twin: Twin,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: AnyJson }> {
  const res = await fetch(`${twin.controlUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

export const POD_FIELDS = `id name desiredStatus podType costPerHr gpuCount env lastStatusChange uptimeSeconds
  machineId machine { gpuDisplayName location podHostId }
  runtime { uptimeInSeconds gpus { id gpuUtilPercent memoryUtilPercent } container { cpuPercent memoryPercent }
    ports { ip isIpPublic privatePort publicPort type } }`;

export const CREATE_ON_DEMAND = `mutation Create($input: PodFindAndDeployOnDemandInput!) {
  podFindAndDeployOnDemand(input: $input) { ${POD_FIELDS} }
}`;

export const CREATE_SPOT = `mutation CreateSpot($input: PodRentInterruptableInput!) {
  podRentInterruptable(input: $input) { ${POD_FIELDS} }
}`;

export const GET_POD = `query Pod($podId: String!) { pod(input: {podId: $podId}) { ${POD_FIELDS} } }`;

export const ACCOUNT = '{ myself { clientBalance currentSpendPerHr spendLimit } }';

export const firstError = (a: GqlAnswer): string | undefined => a.json?.errors?.[0]?.message;
