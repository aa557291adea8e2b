// Who holds which role: user ids and "*" are known at once; user groups (S…) are asked of Slack
// through the Directory port, cached with a TTL, and only after an ack (callers use peek() first).
import type { Logger } from '../logger.ts';
import { type Policy, ROLES, type Role } from './policy-schema.ts';
import type { Clock } from './ports.ts';

/** Slack's user groups (usergroups.users.list). */
export interface Directory {
  /**
   * Members of a user group. Throws GroupsUnavailableError when the workspace has no user groups
   * (free plan) or the token lacks the scope; other failures throw as they come.
   */
  groupMembers(groupId: string): Promise<string[]>;
}

export class GroupsUnavailableError extends Error {
  constructor(readonly why: string) {
    super(`user groups are not available: ${why}`);
    this.name = 'GroupsUnavailableError';
  }
}

/** No user groups (tests, the CLI): a group has no members. */
export const noDirectory: Directory = { groupMembers: async () => [] };

interface CachedGroup {
  members: ReadonlySet<string>;
  fetchedMs: number;
}

export class RoleResolver {
  private readonly groups = new Map<string, CachedGroup>();
  private readonly inflight = new Map<string, Promise<ReadonlySet<string>>>();
  /** Set once Slack said the workspace has no user groups: ids alone count from then on. */
  private groupsOff: string | null = null;

  constructor(
    readonly policy: Policy,
    private readonly directory: Directory,
    private readonly clock: Clock,
    private readonly logger?: Logger,
  ) {}

  /** Group ids any role names. */
  get groupIds(): string[] {
    return [...new Set(ROLES.flatMap((r) => this.policy.roles[r].filter((m) => m.startsWith('S'))))];
  }

  /** Roles decided without calling Slack; null when a group membership is needed and not cached. */
  peek(userId: string): Set<Role> | null {
    const out = new Set<Role>();
    for (const role of ROLES) {
      const v = this.holdsNow(role, userId);
      if (v === null) return null;
      if (v) out.add(role);
    }
    return out;
  }

  /** Every role the user holds (may ask Slack for group members). */
  async of(userId: string): Promise<Set<Role>> {
    const out = new Set<Role>();
    for (const role of ROLES) {
      if (await this.holds(role, userId)) out.add(role);
    }
    return out;
  }

  /** The members listed for a role, for "who can help" (groups as groups). */
  listed(role: Role): string[] {
    return this.policy.roles[role];
  }

  /** At start: tells whether user groups work here (a free plan has none). */
  async probeGroups(): Promise<string | null> {
    const [first] = this.groupIds;
    if (!first) return null;
    try {
      await this.members(first);
      return this.groupsOff;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  }

  private holdsNow(role: Role, userId: string): boolean | null {
    let unknown = false;
    for (const m of this.policy.roles[role]) {
      if (m === '*' || m === userId) return true;
      if (!m.startsWith('S') || this.groupsOff) continue;
      const cached = this.fresh(m);
      if (!cached) unknown = true;
      else if (cached.has(userId)) return true;
    }
    return unknown ? null : false;
  }

  private async holds(role: Role, userId: string): Promise<boolean> {
    const now = this.holdsNow(role, userId);
    if (now !== null) return now;
    for (const m of this.policy.roles[role]) {
      if (!m.startsWith('S') || this.groupsOff) continue;
      try {
        if ((await this.members(m)).has(userId)) return true;
      } catch (e) {
        // A group we cannot read grants nothing (fail closed); the ids listed still count.
        this.logger?.warn(
          { group: m, err: e instanceof Error ? e.message : String(e) },
          'could not read a user group',
        );
      }
    }
    return false;
  }

  private fresh(groupId: string): ReadonlySet<string> | null {
    const c = this.groups.get(groupId);
    if (!c) return null;
    return this.clock.now().getTime() - c.fetchedMs < this.policy.usergroupCacheMs ? c.members : null;
  }

  private members(groupId: string): Promise<ReadonlySet<string>> {
    const cached = this.fresh(groupId);
    if (cached) return Promise.resolve(cached);
    let p = this.inflight.get(groupId);
    if (!p) {
      p = this.directory
        .groupMembers(groupId)
        .then((ids) => {
          const members = new Set(ids);
          this.groups.set(groupId, { members, fetchedMs: this.clock.now().getTime() });
          return members as ReadonlySet<string>;
        })
        .catch((e: unknown) => {
          if (e instanceof GroupsUnavailableError) {
            this.groupsOff = e.why;
            this.logger?.warn(
              { why: e.why },
              'Slack user groups are not available here; roles use the user ids alone',
            );
            return new Set<string>() as ReadonlySet<string>;
          }
          throw e;
        })
        .finally(() => this.inflight.delete(groupId));
      this.inflight.set(groupId, p);
    }
    return p;
  }
}
