// The bot's identity, asked of Slack once at start-up (auth.test), which also checks the token.
import { webApi } from '@slack/bolt';
import { PodbayError } from '../services/errors.ts';

/** Asks Slack once who the bot is (also checks the token), so Bolt never has to. */
export async function botIdentity(
  token: string,
  apiUrl: string | undefined,
): Promise<{ botId: string; botUserId: string }> {
  const client = new webApi.WebClient(token, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 2 },
  });
  try {
    const r = await client.auth.test();
    if (!r.bot_id || !r.user_id) throw new Error('no bot id');
    return { botId: r.bot_id, botUserId: r.user_id };
  } catch (e) {
    const why =
      (e as { data?: { error?: string } }).data?.error ?? (e instanceof Error ? e.message : 'no answer');
    throw new PodbayError('AUTH_FAILED', `Slack did not accept SLACK_BOT_TOKEN (${why}).`, {
      hint: 'Copy the Bot User OAuth Token (xoxb-…) from the app’s OAuth & Permissions page.',
    });
  }
}
