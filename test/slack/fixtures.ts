// Payload builders that start from Slack's own examples (../shared/slack/fixtures) and change
// values, never shapes. The console's builders (src/sandbox/console/payloads.ts) are checked against
// these in payloads.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PayloadBuilders } from '../../src/sandbox/console/payloads.ts';

type Json = Record<string, unknown>;

export const FIXTURES_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'slack', 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES_DIR, name), 'utf8');
}

export function fixture<T = Json>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

export interface SigningExample {
  signing_secret: string;
  headers: Record<string, string>;
  raw_body: string;
  expected_signature: string;
  verify_at_unix_seconds: number;
}

const clone = <T>(v: T): T => structuredClone(v);
const nowTs = () => (Date.now() / 1000).toFixed(6);

export const fixturePayloads: PayloadBuilders = {
  slashCommand(who, a) {
    const f = fixture<Record<string, string>>('slash-command.json');
    const out: Record<string, string> = {};
    for (const key of Object.keys(f)) out[key] = f[key] as string;
    Object.assign(out, {
      team_id: who.teamId,
      team_domain: who.teamDomain,
      channel_id: who.channelId,
      channel_name: who.channelName,
      user_id: who.userId,
      user_name: who.userName,
      command: a.command,
      text: a.text,
      response_url: a.responseUrl,
      trigger_id: a.triggerId,
    });
    return out;
  },

  messageButton(who, a) {
    // The full example (with `message`) for channel messages; the minimal one for ephemeral messages.
    const body = clone(
      fixture(a.message.ephemeral ? 'block-actions.button-minimal.json' : 'block-actions.button-click.json'),
    );
    body.user = { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId };
    body.api_app_id = who.appId;
    body.team = { id: who.teamId, domain: who.teamDomain };
    body.enterprise = null;
    body.is_enterprise_install = false;
    body.container = {
      type: 'message',
      message_ts: a.message.ts,
      channel_id: a.message.channel,
      is_ephemeral: a.message.ephemeral,
    };
    body.channel = { id: a.message.channel, name: who.channelName };
    body.trigger_id = a.triggerId;
    body.response_url = a.responseUrl;
    if ('message' in body) {
      const m = body.message as Json;
      m.text = a.message.text;
      m.ts = a.message.ts;
      m.blocks = a.message.blocks;
      m.team = who.teamId;
      m.app_id = who.appId;
    }
    const template = (body.actions as Json[])[0] as Json;
    const action: Json = {
      ...clone(template),
      action_id: a.action.actionId,
      block_id: a.action.blockId,
      type: a.action.type,
      action_ts: nowTs(),
    };
    action.text = { type: 'plain_text', text: a.action.text, emoji: true };
    if (a.action.value !== undefined) action.value = a.action.value;
    else delete action.value;
    body.actions = [action];
    return body;
  },

  viewAction(who, a) {
    // No fixture has a block_actions from inside a modal; Slack sends the button shape with a view
    // container and the view instead of a message and response_url.
    const body = clone(fixture('block-actions.button-minimal.json'));
    body.user = { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId };
    body.api_app_id = who.appId;
    body.team = { id: who.teamId, domain: who.teamDomain };
    body.enterprise = null;
    body.is_enterprise_install = false;
    body.container = { type: 'view', view_id: a.view.id };
    body.trigger_id = a.triggerId;
    delete body.channel;
    delete body.response_url;
    body.view = a.view;
    body.actions = [
      {
        action_id: a.action.actionId,
        block_id: a.action.blockId,
        type: a.action.type,
        action_ts: nowTs(),
        ...a.action.extra,
      },
    ];
    return body;
  },

  viewSubmission(who, a) {
    const body = clone(fixture('view-submission.json'));
    body.team = { id: who.teamId, domain: who.teamDomain };
    body.user = { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId };
    body.api_app_id = who.appId;
    body.trigger_id = a.triggerId;
    body.view = { ...(body.view as Json), ...a.view };
    body.response_urls = [];
    return body;
  },
};
