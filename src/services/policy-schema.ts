// The policy file's shape (zod, strict: an unknown key is an error, so a typo cannot switch a rule
// off) and the effective Policy the services use. Without a file the built-in policy applies.
import { z } from 'zod';
import { parseDollars, parseDuration, parsePercent } from './policy-units.ts';

export const ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const MEMBER = /^([UW][A-Z0-9]{2,}|S[A-Z0-9]{2,}|\*)$/;
const CHANNEL = /^[CGD][A-Z0-9]{2,}$/;

const member = z
  .string({ error: 'expected a Slack user id (U…/W…), a user group id (S…) or "*"' })
  .regex(MEMBER, 'expected a Slack user id (U…/W…), a user group id (S…) or "*"');
const members = z.array(member, { error: 'expected a list, e.g. [U0123ABC, S0GROUP]' });

/** A value written in a unit (1h, $1.00, 10%): parsed by `parse`, else `message` at that key. */
function unit(parse: (v: string | number) => number | null, message: string) {
  return z.union([z.string(), z.number()], { error: message }).transform((v, ctx) => {
    const n = parse(v);
    if (n === null) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return n;
  });
}

const duration = unit(
  (v) => (typeof v === 'string' ? parseDuration(v) : null),
  'expected a duration like 90s, 30m, 1h or 2d',
);
const money = unit(parseDollars, 'expected an amount in dollars, e.g. 1.00');
const percentage = unit(parsePercent, 'expected a percentage, e.g. 10%');

const count = z
  .number({ error: 'expected a whole number' })
  .int('expected a whole number')
  .min(0, 'expected 0 or more');
const flag = z.boolean({ error: 'expected true or false' });

/** Each section on its own, so error messages can list the keys a section knows. */
export const SECTIONS = {
  '': null,
  roles: z.strictObject({
    viewer: members.optional(),
    operator: members.optional(),
    approver: members.optional(),
    admin: members.optional(),
  }),
  approvals: z.strictObject({
    channel: z
      .string({ error: 'expected a channel id like C0APPROVALS' })
      .regex(CHANNEL, 'expected a channel id like C0APPROVALS'),
    ttl: duration.optional(),
    requote_tolerance: percentage.optional(),
    require_reason: flag.optional(),
  }),
  require_approval: z.strictObject({
    pod_create_above_per_hour: money.optional(),
    gpu_count_above: count.optional(),
    terminate: flag.optional(),
    volume_delete: flag.optional(),
    endpoint_delete: flag.optional(),
  }),
  caps: z.strictObject({
    per_user_cost_per_hour: money.optional(),
    per_user_pods: count.optional(),
  }),
  usergroups: z.strictObject({
    cache_ttl: duration.optional(),
  }),
  alerts: z.strictObject({
    channel: z
      .string({ error: 'expected a channel id like C0ALERTS' })
      .regex(CHANNEL, 'expected a channel id like C0ALERTS'),
    idle: z
      .strictObject({
        gpu_util_below: percentage,
        for: duration,
        auto_stop_after: duration.optional(),
      })
      .optional(),
    stopped_longer_than: duration.optional(),
    budgets: z.strictObject({ daily: money.optional(), monthly: money.optional() }).optional(),
    runway_below: duration.optional(),
    digest_channel: z
      .string({ error: 'expected a channel id like C0DIGEST' })
      .regex(CHANNEL, 'expected a channel id like C0DIGEST')
      .optional(),
    dm_owner: flag.optional(),
  }),
  lifetimes: z.strictObject({
    default: duration.optional(),
    viewer: duration.optional(),
    operator: duration.optional(),
    approver: duration.optional(),
    admin: duration.optional(),
  }),
} as const;

export const PolicyFileSchema = z.strictObject({
  roles: SECTIONS.roles.optional(),
  approvals: SECTIONS.approvals.optional(),
  require_approval: SECTIONS.require_approval.optional(),
  caps: SECTIONS.caps.optional(),
  usergroups: SECTIONS.usergroups.optional(),
  alerts: SECTIONS.alerts.optional(),
  lifetimes: SECTIONS.lifetimes.optional(),
});

export type PolicyFile = z.infer<typeof PolicyFileSchema>;

/** The policy the services enforce, with every default filled in. */
export interface Policy {
  /** The file it came from; null for the built-in policy (no PODBAY_POLICY). */
  source: string | null;
  roles: Record<Role, string[]>;
  approvals: {
    /** Where requests are posted; null when nothing needs approval. */
    channel: string | null;
    ttlMs: number;
    /** 0.1 = a re-quote may be 10 % above the approved quote. */
    requoteTolerance: number;
    requireReason: boolean;
  };
  requireApproval: {
    /** $/h of the quote above which a create needs approval; null = never. */
    podCreateAbovePerHour: number | null;
    gpuCountAbove: number | null;
    terminate: boolean;
    volumeDelete: boolean;
    endpointDelete: boolean;
  };
  caps: { perUserCostPerHour: number | null; perUserPods: number | null };
  usergroupCacheMs: number;
  /** Scheduled alerts; null when the file has no alerts section (nothing is posted). */
  alerts: AlertPolicy | null;
  /** Default lifetime (ms) of a pod created by someone of this role; null = none. */
  lifetimes: Record<Role, number | null>;
}

export interface AlertPolicy {
  channel: string;
  /** Idle rule; null: pods are not watched for idleness. */
  idle: {
    /** A GPU below this utilisation (percent, 0–100) counts as idle. */
    utilBelowPercent: number;
    forMs: number;
    autoStopAfterMs: number | null;
  } | null;
  stoppedLongerThanMs: number | null;
  budgets: { daily: number | null; monthly: number | null };
  runwayBelowMs: number | null;
  digestChannel: string;
  /** Idle and lifetime alerts also go to the pod's owner by DM (default true). */
  dmOwner: boolean;
}

export const DEFAULT_TTL_MS = 3_600_000;
export const DEFAULT_REQUOTE_TOLERANCE = 0.1;
export const DEFAULT_USERGROUP_CACHE_MS = 10 * 60_000;

/**
 * No policy file: everyone is an operator (own and unattributed pods), acting on someone else's
 * pod needs an admin (there is none until a file names one), nothing needs approval.
 */
export const BUILT_IN_POLICY: Policy = {
  source: null,
  roles: { viewer: ['*'], operator: ['*'], approver: [], admin: [] },
  approvals: {
    channel: null,
    ttlMs: DEFAULT_TTL_MS,
    requoteTolerance: DEFAULT_REQUOTE_TOLERANCE,
    requireReason: false,
  },
  requireApproval: {
    podCreateAbovePerHour: null,
    gpuCountAbove: null,
    terminate: false,
    volumeDelete: false,
    endpointDelete: false,
  },
  caps: { perUserCostPerHour: null, perUserPods: null },
  usergroupCacheMs: DEFAULT_USERGROUP_CACHE_MS,
  alerts: null,
  lifetimes: { viewer: null, operator: null, approver: null, admin: null },
};

/** The effective policy from a parsed file: what the file leaves out takes the default. */
export function effectivePolicy(file: PolicyFile, source: string): Policy {
  const r = file.roles ?? {};
  const a = file.approvals;
  const q = file.require_approval ?? {};
  return {
    source,
    roles: {
      viewer: r.viewer ?? [],
      operator: r.operator ?? [],
      approver: r.approver ?? [],
      admin: r.admin ?? [],
    },
    approvals: {
      channel: a?.channel ?? null,
      ttlMs: a?.ttl ?? DEFAULT_TTL_MS,
      requoteTolerance: a?.requote_tolerance ?? DEFAULT_REQUOTE_TOLERANCE,
      requireReason: a?.require_reason ?? false,
    },
    requireApproval: {
      podCreateAbovePerHour: q.pod_create_above_per_hour ?? null,
      gpuCountAbove: q.gpu_count_above ?? null,
      terminate: q.terminate ?? false,
      volumeDelete: q.volume_delete ?? false,
      endpointDelete: q.endpoint_delete ?? false,
    },
    caps: {
      perUserCostPerHour: file.caps?.per_user_cost_per_hour ?? null,
      perUserPods: file.caps?.per_user_pods ?? null,
    },
    usergroupCacheMs: file.usergroups?.cache_ttl ?? DEFAULT_USERGROUP_CACHE_MS,
    alerts: file.alerts ? alertPolicy(file.alerts) : null,
    lifetimes: lifetimesOf(file.lifetimes ?? {}),
  };
}

function alertPolicy(a: NonNullable<PolicyFile['alerts']>): AlertPolicy {
  return {
    channel: a.channel,
    idle: a.idle
      ? {
          utilBelowPercent: a.idle.gpu_util_below * 100,
          forMs: a.idle.for,
          autoStopAfterMs: a.idle.auto_stop_after ?? null,
        }
      : null,
    stoppedLongerThanMs: a.stopped_longer_than ?? null,
    budgets: { daily: a.budgets?.daily ?? null, monthly: a.budgets?.monthly ?? null },
    runwayBelowMs: a.runway_below ?? null,
    digestChannel: a.digest_channel ?? a.channel,
    dmOwner: a.dm_owner ?? true,
  };
}

function lifetimesOf(l: NonNullable<PolicyFile['lifetimes']>): Record<Role, number | null> {
  const d = l.default ?? null;
  return {
    viewer: l.viewer ?? d,
    operator: l.operator ?? d,
    approver: l.approver ?? d,
    admin: l.admin ?? d,
  };
}

/** True when some action needs approval under this policy. */
export function hasApprovalRules(p: Policy): boolean {
  const q = p.requireApproval;
  return (
    q.podCreateAbovePerHour !== null ||
    q.gpuCountAbove !== null ||
    q.terminate ||
    q.volumeDelete ||
    q.endpointDelete
  );
}
