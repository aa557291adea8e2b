// The Directory port over Slack's usergroups.users.list. A free plan answers paid_only (and a token
// without usergroups:read, missing_scope): those mean "no user groups here", not a failure.
import type { webApi } from '@slack/bolt';
import { type Directory, GroupsUnavailableError } from '../services/roles.ts';

const NO_GROUPS = new Set([
  'paid_only',
  'paid_teams_only',
  'missing_scope',
  'not_allowed_token_type',
  'no_such_subteam_plan',
]);

export class SlackDirectory implements Directory {
  constructor(private readonly client: webApi.WebClient) {}

  async groupMembers(groupId: string): Promise<string[]> {
    try {
      const res = await this.client.usergroups.users.list({ usergroup: groupId });
      return res.users ?? [];
    } catch (e) {
      const code = (e as { data?: { error?: string } }).data?.error;
      if (code && NO_GROUPS.has(code)) throw new GroupsUnavailableError(code);
      if (code === 'no_such_subteam') return [];
      throw e;
    }
  }
}
