// Request bodies as Slack sends them (shapes from Slack's docs and SDK test fixtures: slash command
// form fields, block_actions and view_submission payloads). The console and the tests build every
// request here, changing values, never shapes.

type Json = Record<string, unknown>;

export interface SlackIdentity {
  teamId: string;
  teamDomain: string;
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
  appId: string;
}

export interface PayloadBuilders {
  slashCommand(
    who: SlackIdentity,
    a: { command: string; text: string; responseUrl: string; triggerId: string },
  ): Record<string, string>;
  messageButton(
    who: SlackIdentity,
    a: {
      message: { ts: string; channel: string; ephemeral: boolean; text: string; blocks: Json[] };
      action: { actionId: string; blockId: string; text: string; value?: string; type: string; extra?: Json };
      responseUrl: string;
      triggerId: string;
    },
  ): Json;
  viewAction(
    who: SlackIdentity,
    a: {
      view: Json;
      action: { actionId: string; blockId: string; type: string; extra: Json };
      triggerId: string;
    },
  ): Json;
  viewSubmission(who: SlackIdentity, a: { view: Json; triggerId: string }): Json;
}

const actionTs = () => (Date.now() / 1000).toFixed(6);

export const defaultPayloads: PayloadBuilders = {
  slashCommand(who, a) {
    return {
      token: 'verification_token',
      team_id: who.teamId,
      team_domain: who.teamDomain,
      channel_id: who.channelId,
      channel_name: who.channelName,
      user_id: who.userId,
      user_name: who.userName,
      command: a.command,
      text: a.text,
      api_app_id: who.appId,
      is_enterprise_install: 'false',
      response_url: a.responseUrl,
      trigger_id: a.triggerId,
    };
  },

  messageButton(who, a) {
    const body: Json = {
      type: 'block_actions',
      user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
      api_app_id: who.appId,
      token: 'verification_token',
      container: {
        type: 'message',
        message_ts: a.message.ts,
        channel_id: a.message.channel,
        is_ephemeral: a.message.ephemeral,
      },
      trigger_id: a.triggerId,
      team: { id: who.teamId, domain: who.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: a.message.channel, name: who.channelName },
      state: { values: {} },
      response_url: a.responseUrl,
      actions: [
        {
          action_id: a.action.actionId,
          block_id: a.action.blockId,
          text: { type: 'plain_text', text: a.action.text, emoji: true },
          ...(a.action.value !== undefined ? { value: a.action.value } : {}),
          type: a.action.type,
          action_ts: actionTs(),
          ...(a.action.extra ?? {}),
        },
      ],
    };
    // Slack includes the message for non-ephemeral messages only.
    if (!a.message.ephemeral)
      body.message = {
        bot_id: 'B0PODBAY',
        type: 'message',
        text: a.message.text,
        user: 'U0PODBAY',
        ts: a.message.ts,
        app_id: who.appId,
        blocks: a.message.blocks,
        team: who.teamId,
      };
    return body;
  },

  viewAction(who, a) {
    return {
      type: 'block_actions',
      user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
      api_app_id: who.appId,
      token: 'verification_token',
      container: { type: 'view', view_id: a.view.id },
      trigger_id: a.triggerId,
      team: { id: who.teamId, domain: who.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
      view: a.view,
      actions: [
        {
          action_id: a.action.actionId,
          block_id: a.action.blockId,
          type: a.action.type,
          action_ts: actionTs(),
          ...a.action.extra,
        },
      ],
    };
  },

  viewSubmission(who, a) {
    return {
      type: 'view_submission',
      team: { id: who.teamId, domain: who.teamDomain },
      user: { id: who.userId, username: who.userName, name: who.userName, team_id: who.teamId },
      api_app_id: who.appId,
      token: 'verification_token',
      trigger_id: a.triggerId,
      view: a.view,
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  },
};
