import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Twin, startTwin } from '../../src/sandbox/twin/server.ts';
import { CREATE_ON_DEMAND, firstError, gql } from './twin-helpers.ts';

const KEY = 'rpa_test_key_123456';
let twin: Twin;
beforeAll(async () => {
  twin = await startTwin({ apiKey: KEY });
});
afterAll(async () => {
  await twin.close();
});

describe('HTTP and GraphQL behaviour', () => {
  it('serves on loopback at /graphql', () => {
    expect(twin.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(twin.controlUrl).toBe(twin.url.replace('/graphql', '/control'));
  });

  it('answers 401 with a JSON errors body for a missing or wrong key', async () => {
    const none = await gql(twin, '{ myself { id } }', undefined, { key: null });
    expect(none.status).toBe(401);
    expect(firstError(none)).toMatch(/Unauthorized/);
    const wrong = await gql(twin, '{ myself { id } }', undefined, { key: 'rpa_wrong' });
    expect(wrong.status).toBe(401);
    expect(twin.control.stats().unauthorized).toBeGreaterThanOrEqual(2);
  });

  it('accepts the key as Bearer header or as ?api_key=', async () => {
    expect((await gql(twin, '{ myself { id } }', undefined, { key: KEY })).status).toBe(200);
    const res = await fetch(`${twin.url}?api_key=${KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ myself { id } }' }),
    });
    expect(res.status).toBe(200);
  });

  it('rejects invalid documents and bad bodies with 400 and errors[]', async () => {
    const unknownField = await gql(twin, '{ myself { balance } }', undefined, { key: KEY });
    expect(unknownField.status).toBe(400);
    expect(firstError(unknownField)).toMatch(/Cannot query field "balance"/);

    const voidSelection = await gql(
      twin,
      'mutation { podTerminate(input: {podId: "x"}) { id } }',
      undefined,
      { key: KEY },
    );
    expect(voidSelection.status).toBe(400);

    const syntax = await gql(twin, '{ myself { id ', undefined, { key: KEY });
    expect(syntax.status).toBe(400);
    expect(firstError(syntax)).toMatch(/Syntax Error/);

    const res = await fetch(twin.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);

    const badVar = await gql(
      twin,
      'query($id: String!) { pod(input: {podId: $id}) { id } }',
      { id: 5 },
      { key: KEY },
    );
    expect(badVar.status).toBe(400);
    expect(firstError(badVar)).toMatch(/\$id/);
  });

  it('selects the named operation', async () => {
    const doc = 'query A { myself { id } } query B { dataCenters { id } }';
    const a = await gql(twin, doc, undefined, { key: KEY, operationName: 'B' });
    expect(Object.keys(a.json.data)).toEqual(['dataCenters']);
    const none = await gql(twin, doc, undefined, { key: KEY });
    expect(none.status).toBe(400);
  });

  it('rejects explicit nulls, literal or through variables, before anything is applied', async () => {
    const before = twin.state.pods.size;
    const literal = await gql(
      twin,
      'mutation { podFindAndDeployOnDemand(input: {name: "n", imageName: "i", gpuTypeId: "NVIDIA RTX A6000", templateId: null}) { id } }',
      undefined,
      { key: KEY },
    );
    expect(literal.status).toBe(200);
    expect(firstError(literal)).toBe(
      'explicit null is not accepted for field templateId; omit the field instead',
    );

    const viaVariables = await gql(
      twin,
      CREATE_ON_DEMAND,
      {
        input: {
          name: 'n',
          imageName: 'i',
          gpuTypeId: 'NVIDIA RTX A6000',
          env: [{ key: 'A', value: 'b' }],
          dockerArgs: null,
        },
      },
      { key: KEY },
    );
    expect(firstError(viaVariables)).toMatch(/explicit null .* dockerArgs/);

    const scalarVar = await gql(
      twin,
      'mutation($n: Int) { podResume(input: {podId: "x", gpuCount: $n}) { id } }',
      { n: null },
      { key: KEY },
    );
    expect(firstError(scalarVar)).toMatch(/explicit null .* gpuCount/);
    expect(twin.state.pods.size).toBe(before);

    // An omitted variable is fine (the field is simply absent).
    const omitted = await gql(
      twin,
      'query($n: Int) { gpuTypes(input: {id: "NVIDIA L4"}) { lowestPrice(input: {gpuCount: 1, minDisk: $n}) { stockStatus } } }',
      {},
      { key: KEY },
    );
    expect(omitted.json.errors).toBeUndefined();
  });

  it('answers null for Void mutations', async () => {
    const create = await gql(
      twin,
      'mutation { createNetworkVolume(input: {name: "tmp", size: 10, dataCenterId: "US-KS-2"}) { id } }',
      undefined,
      { key: KEY },
    );
    const id = create.json.data.createNetworkVolume.id;
    const del = await gql(twin, `mutation { deleteNetworkVolume(input: {id: "${id}"}) }`, undefined, {
      key: KEY,
    });
    expect(del.json).toEqual({ data: { deleteNetworkVolume: null } });
  });

  it('returns 404 for other paths', async () => {
    const res = await fetch(twin.url.replace('/graphql', '/v1/pods'));
    expect(res.status).toBe(404);
  });
});
