// Every rule about who may do what, in one place: the role an action needs, whose pods an
// operator may touch, the caps, and which actions need someone else's approval. Services ask it
// before they act; a refusal is a FORBIDDEN error naming the rule and who can help, and is audited.
import { recordAudit } from './audit.ts';
import { PodbayError } from './errors.ts';
import type { PolicyDecision, PolicyGate, PolicyRequest, Requester } from './policy.ts';
import type { Policy, Role } from './policy-schema.ts';
import { dollars } from './policy-units.ts';
import type { Clock, Store } from './ports.ts';
import type { RoleResolver } from './roles.ts';

export type Action =
  | 'read'
  | 'pod.create'
  | 'pod.stop'
  | 'pod.resume'
  | 'pod.terminate'
  | 'volume.create'
  | 'volume.resize'
  | 'volume.rename'
  | 'volume.delete'
  | 'endpoint.create'
  | 'endpoint.update'
  | 'endpoint.delete'
  | 'approval.decide'
  | 'policy.view'
  | 'audit.view';

/** What an action is about: a pod's owner (null = unattributed), and a name for messages. */
export interface Resource {
  owner?: string | null;
  name?: string;
}

const NEEDS: Record<Action, readonly Role[]> = {
  read: ['viewer', 'operator', 'approver', 'admin'],
  'pod.create': ['operator', 'admin'],
  'pod.stop': ['operator', 'admin'],
  'pod.resume': ['operator', 'admin'],
  'pod.terminate': ['operator', 'admin'],
  'volume.create': ['operator', 'admin'],
  'volume.resize': ['operator', 'admin'],
  'volume.rename': ['operator', 'admin'],
  'volume.delete': ['operator', 'admin'],
  'endpoint.create': ['operator', 'admin'],
  'endpoint.update': ['operator', 'admin'],
  'endpoint.delete': ['operator', 'admin'],
  'approval.decide': ['approver', 'admin'],
  'policy.view': ['admin'],
  'audit.view': ['admin'],
};

const POD_ACTIONS: ReadonlySet<Action> = new Set(['pod.stop', 'pod.resume', 'pod.terminate']);

const VERB: Record<Action, string> = {
  read: 'see pods and prices',
  'pod.create': 'create pods',
  'pod.stop': 'stop',
  'pod.resume': 'resume',
  'pod.terminate': 'terminate',
  'volume.create': 'create network volumes',
  'volume.resize': 'resize network volumes',
  'volume.rename': 'rename network volumes',
  'volume.delete': 'delete network volumes',
  'endpoint.create': 'create endpoints',
  'endpoint.update': 'change endpoints',
  'endpoint.delete': 'delete endpoints',
  'approval.decide': 'decide requests',
  'policy.view': 'see the policy',
  'audit.view': 'read the audit log',
};

/** A refusal: which rule said no, and who can help (Slack ids: users, or S… groups). */
export class AccessDeniedError extends PodbayError {
  constructor(
    message: string,
    readonly rule: string,
    readonly helpers: string[],
  ) {
    super('FORBIDDEN', message, helpers.length ? { hint: `Ask ${mentionList(helpers)}.` } : {});
    this.name = 'AccessDeniedError';
  }
}

/** Slack mentions for ids: <@U…> for people, <!subteam^S…> for groups. */
export function mentionList(ids: readonly string[]): string {
  const shown = ids.filter((i) => i !== '*').map((i) => (i.startsWith('S') ? `<!subteam^${i}>` : `<@${i}>`));
  if (shown.length <= 1) return shown[0] ?? '';
  return `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/** What a user may do, for /podbay whoami. */
export interface Abilities {
  roles: Role[];
  may: string[];
  mayNot: string[];
}

/** Running pods of one user, for the caps. */
export interface UserUsage {
  pods: number;
  costPerHr: number;
}

export interface AccessControlDeps {
  roles: RoleResolver;
  store?: Store;
  clock: Clock;
  /** The user's live pods and their $/h (for the caps); default: no caps are checked. */
  usage?: (userId: string) => Promise<UserUsage>;
}

export class AccessControl implements PolicyGate {
  readonly policy: Policy;
  constructor(private readonly deps: AccessControlDeps) {
    this.policy = deps.roles.policy;
  }

  get roles(): RoleResolver {
    return this.deps.roles;
  }

  /** Answer at once when no user group needs looking up (for work done inside an ack). */
  quickAllows(userId: string, action: Action): boolean | null {
    const roles = this.deps.roles.peek(userId);
    return roles === null ? null : NEEDS[action].some((r) => roles.has(r));
  }

  /** Throws AccessDeniedError (and audits it) unless the requester may do `action` on `resource`. */
  async authorize(requester: Requester, action: Action, resource: Resource = {}, target = ''): Promise<void> {
    const roles = await this.deps.roles.of(requester.userId);
    const refusal = this.refusal(requester.userId, roles, action, resource);
    if (!refusal) return;
    await recordAudit(this.deps.store, this.deps.clock, {
      requester,
      action,
      target: target || resource.name || '-',
      outcome: 'denied',
      detail: `Refused: ${refusal.userMessage} (${refusal.rule})`,
    });
    throw refusal;
  }

  /** The roles and abilities of a user, in words. */
  async abilities(userId: string): Promise<Abilities> {
    const roles = await this.deps.roles.of(userId);
    const may: string[] = [];
    const mayNot: string[] = [];
    const check = (action: Action, text: string, resource: Resource = {}) =>
      (this.refusal(userId, roles, action, resource) ? mayNot : may).push(text);
    check('read', 'see pods, prices, spend and ask /gpu');
    check('pod.create', 'create pods', {});
    check('pod.stop', 'stop, resume and terminate your own and unattributed pods', { owner: userId });
    check('pod.stop', 'stop, resume and terminate other people’s pods', { owner: '\u0000someone-else' });
    check('volume.create', 'manage network volumes and serverless endpoints');
    check('approval.decide', 'approve or deny other people’s requests');
    check('audit.view', 'see the policy and read the audit log');
    return { roles: [...roles], may, mayNot };
  }

  /** Approval rules and caps for a create (the PolicyGate seam of PodService). */
  async check(request: PolicyRequest): Promise<PolicyDecision> {
    const p = this.policy;
    const { subject, quote, requester } = request;
    const roles = await this.deps.roles.of(requester.userId);
    if (!roles.has('admin') && this.deps.usage) {
      const cap = await this.capRefusal(requester.userId, quote?.perHourUsd ?? null);
      if (cap) return { decision: 'deny', reason: cap };
    }
    const reasons: string[] = [];
    const limit = p.requireApproval.podCreateAbovePerHour;
    if (limit !== null) {
      if (quote?.perHourUsd == null)
        reasons.push('its price could not be worked out, and creates above a price need approval');
      else if (quote.perHourUsd > limit)
        reasons.push(
          `it costs ${dollars(quote.perHourUsd)}/h, above the ${dollars(limit)}/h that needs approval`,
        );
    }
    const gpus = p.requireApproval.gpuCountAbove;
    if (gpus !== null && subject.gpuCount > gpus)
      reasons.push(`it has ${subject.gpuCount} GPUs, more than the ${gpus} that need approval`);
    return reasons.length
      ? { decision: 'needs-approval', reason: reasons.join('; ') }
      : { decision: 'allow' };
  }

  /** Whether a destructive action needs approval under the policy (the reason), or null. */
  approvalFor(action: 'pod.terminate' | 'volume.delete' | 'endpoint.delete'): string | null {
    const q = this.policy.requireApproval;
    if (action === 'pod.terminate' && q.terminate) return 'terminating a pod needs approval';
    if (action === 'volume.delete' && q.volumeDelete) return 'deleting a network volume needs approval';
    if (action === 'endpoint.delete' && q.endpointDelete) return 'deleting an endpoint needs approval';
    return null;
  }

  /** People (or groups) who can decide requests. */
  deciders(): string[] {
    return unique([...this.policy.roles.approver, ...this.policy.roles.admin]);
  }

  private refusal(
    userId: string,
    roles: Set<Role>,
    action: Action,
    resource: Resource,
  ): AccessDeniedError | null {
    const needs = NEEDS[action];
    const what = resource.name ? `${VERB[action]} ${resource.name}` : VERB[action];
    if (!needs.some((r) => roles.has(r))) {
      // Admins can change the policy, so they are who can help.
      const rule = needs.map((r) => `roles.${r}`).join(' or ');
      const held = roles.size ? `you are ${[...roles].join(', ')}` : 'you have no role';
      return new AccessDeniedError(
        `You can’t ${what}: that needs the ${needs.join(' or ')} role (${rule}), and ${held}.`,
        rule,
        this.policy.roles.admin,
      );
    }
    if (POD_ACTIONS.has(action) && !roles.has('admin')) {
      const owner = resource.owner ?? null;
      if (owner !== null && owner !== userId) {
        return new AccessDeniedError(
          `You can’t ${what}: it belongs to <@${owner}>, and acting on someone else’s pod needs the admin role (roles.admin).`,
          'roles.admin',
          this.policy.roles.admin,
        );
      }
    }
    return null;
  }

  private async capRefusal(userId: string, addPerHour: number | null): Promise<string | null> {
    const { perUserPods, perUserCostPerHour } = this.policy.caps;
    if (perUserPods === null && perUserCostPerHour === null) return null;
    const usage = await (this.deps.usage as (u: string) => Promise<UserUsage>)(userId);
    if (perUserPods !== null && usage.pods + 1 > perUserPods)
      return `you have ${usage.pods} pod${usage.pods === 1 ? '' : 's'}, and caps.per_user_pods allows ${perUserPods}`;
    if (
      perUserCostPerHour !== null &&
      addPerHour !== null &&
      usage.costPerHr + addPerHour > perUserCostPerHour + 1e-9
    )
      return `your pods would cost ${dollars(usage.costPerHr + addPerHour)}/h, above caps.per_user_cost_per_hour of ${dollars(perUserCostPerHour)}/h`;
    return null;
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}
