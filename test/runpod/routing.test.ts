// RUNPOD_API and RUNPOD_REST_URL as settings, the per-operation table, and where a connection
// points in the sandbox when one URL names a standalone twin.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { connectRunpod } from '../../src/connect-runpod.ts';
import { silentLogger } from '../../src/logger.ts';
import { API_MODES, OPERATIONS, routeFor } from '../../src/runpod/routing.ts';
import { startTwin } from '../../src/sandbox/twin/server.ts';

const cwd = '/nonexistent-podbay-dir';

describe('settings', () => {
  it('RUNPOD_API defaults to auto, takes any case, and names itself when wrong', () => {
    expect(loadConfig({}, cwd).runpod.api).toBe('auto');
    expect(loadConfig({ RUNPOD_API: ' V2 ' }, cwd).runpod.api).toBe('v2');
    const err = (() => {
      try {
        loadConfig({ RUNPOD_API: 'rest' }, cwd);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems.join(' ')).toMatch(/RUNPOD_API/);
  });

  it('RUNPOD_REST_URL must be a URL; a trailing slash is dropped', () => {
    expect(loadConfig({ RUNPOD_REST_URL: 'http://127.0.0.1:4010/' }, cwd).runpod.restUrl).toBe(
      'http://127.0.0.1:4010',
    );
    expect(() => loadConfig({ RUNPOD_REST_URL: 'twin' }, cwd)).toThrow(/RUNPOD_REST_URL/);
  });
});

describe('the per-operation table', () => {
  it('auto uses GraphQL only for balance, spend rate and spot; v2 for the rest', () => {
    const graphql = OPERATIONS.filter((op) => routeFor('auto', op).api === 'graphql');
    expect(graphql.sort()).toEqual([
      'balance',
      'create spot pod',
      'resume spot pod',
      'spend per hour',
      'spot prices',
    ]);
    expect(OPERATIONS.every((op) => routeFor('auto', op).api !== null)).toBe(true);
  });

  it('graphql and v2 switch off what only the other API has, and say why', () => {
    expect(routeFor('graphql', 'pod logs')).toEqual({
      api: null,
      why: 'needs REST v2, which RUNPOD_API=graphql switches off',
    });
    expect(routeFor('v2', 'balance').why).toMatch(/needs GraphQL/);
    expect(routeFor('v2', 'spend per hour').api).toBe('v2');
    for (const mode of API_MODES)
      for (const op of OPERATIONS) expect(routeFor(mode, op).why.length).toBeGreaterThan(5);
  });
});

describe('where the sandbox connects', () => {
  it('one URL of a standalone twin names the other; no twin is started in process', async () => {
    const twin = await startTwin({ seed: true });
    try {
      const config = loadConfig({ RUNPOD_REST_URL: twin.restUrl, RUNPOD_API: 'auto' }, cwd);
      const conn = await connectRunpod(config, silentLogger);
      expect(conn.twin).toBeUndefined();
      expect(conn.url).toBe(twin.url);
      expect((await conn.api.listPods()).length).toBeGreaterThan(0);
      expect((await conn.api.account()).balanceUsd).toBeGreaterThan(0);
      await conn.close();
    } finally {
      await twin.close();
    }
  });
});
