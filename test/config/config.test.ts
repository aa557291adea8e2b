import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'podbay-cfg-'));

describe('config', () => {
  it('with no settings: console mode on the sandbox', () => {
    const c = loadConfig({}, emptyDir());
    expect(c.slack.mode).toBe('console');
    expect(c.runpod.sandbox).toBe(true);
    expect(c.slack.port).toBe(3000);
  });

  it('Socket Mode when an app token is set; HTTP mode with signing secret and bot token', () => {
    expect(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_APP_TOKEN: 'xapp-1-2' }, emptyDir()).slack.mode,
    ).toBe('socket');
    const http = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'shh-secret', PORT: '8080' },
      emptyDir(),
    );
    expect(http.slack.mode).toBe('http');
    expect(http.slack.port).toBe(8080);
  });

  it('reports every problem at once, by variable name, without echoing secrets', () => {
    let err: unknown;
    try {
      loadConfig(
        {
          SLACK_BOT_TOKEN: 'xoxp-user-token-secret',
          SLACK_APP_TOKEN: 'bad-app-token-secret',
          PORT: 'eighty',
          RUNPOD_GRAPHQL_URL: 'not a url',
          LOG_LEVEL: 'loud',
        },
        emptyDir(),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN', 'PORT', 'RUNPOD_GRAPHQL_URL', 'LOG_LEVEL']) {
      expect(problems).toContain(name);
    }
    expect((err as Error).message).not.toContain('xoxp-user-token-secret');
    expect((err as Error).message).not.toContain('bad-app-token-secret');
  });

  it('needs the bot token when other Slack settings are present', () => {
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 'abcdef' }, emptyDir())).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }, emptyDir())).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('reads .env from the working directory; the environment wins', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, '.env'), 'RUNPOD_API_KEY=rpa_from_file_123\nPORT=4000\nLOG_LEVEL=debug\n');
    const c = loadConfig({ PORT: '5000' }, dir);
    expect(c.runpod.apiKey).toBe('rpa_from_file_123');
    expect(c.runpod.sandbox).toBe(false);
    expect(c.slack.port).toBe(5000);
    expect(c.logLevel).toBe('debug');
    expect(c.secrets).toContain('rpa_from_file_123');
  });

  it('flags are z.stringbool: "false" is false', () => {
    expect(loadConfig({ PODBAY_SANDBOX_SEED: 'false' }, emptyDir()).sandboxSeed).toBe(false);
    expect(loadConfig({ PODBAY_SANDBOX_SEED: 'true' }, emptyDir()).sandboxSeed).toBe(true);
    expect(() => loadConfig({ PODBAY_SANDBOX_SEED: 'maybe' }, emptyDir())).toThrow(/PODBAY_SANDBOX_SEED/);
  });
});
