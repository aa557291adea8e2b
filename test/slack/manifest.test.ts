import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS, EVENTS } from '../../src/handlers/ids.ts';

const root = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(
  readFileSync(join(root, '..', 'shared', 'slack', 'manifest.schema.1.0.0.json'), 'utf8'),
);
const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8'));

// strict: false because the official schema uses format `uri` and a non-standard `regex` keyword.
const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);

describe('manifest.yml', () => {
  it('validates against the official manifest schema 1.0.0', () => {
    const ok = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is real: a command without a leading slash fails', () => {
    const broken = structuredClone(manifest);
    broken.features.slash_commands[0].command = 'gpu';
    expect(validate(broken)).toBe(false);
  });

  it('runs in Socket Mode with interactivity on', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('has the Home tab on and subscribes to exactly the events the app handles', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    // podbay DMs people (approvals, alerts, answers from the Home): the Messages tab stays.
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      [...Object.values(EVENTS)].sort(),
    );
  });

  it('declares exactly the slash commands the app handles, each with a description and usage hint', () => {
    const cmds = manifest.features.slash_commands as {
      command: string;
      description: string;
      usage_hint: string;
    }[];
    expect(cmds.map((c) => c.command).sort()).toEqual([...Object.values(COMMANDS)].sort());
    for (const c of cmds) {
      expect(c.description.length).toBeGreaterThan(10);
      expect(c.usage_hint.length).toBeGreaterThan(3);
    }
  });

  it('asks for the minimal bot scopes', () => {
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual([
      'channels:history',
      'chat:write',
      'chat:write.public',
      'commands',
      'files:write',
      'groups:history',
      'usergroups:read',
    ]);
  });
});
