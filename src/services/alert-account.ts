// Account-wide alerts: spend against the daily and monthly budgets (projected from the burn rate
// and what was spent so far) and the prepaid runway. Each is an episode that opens when its value
// crosses the line and closes only after a real recovery (budget.ts), so a hovering value is quiet.
import type { Alert, AlertPod, StoredAlert } from './alert-model.ts';
import { noted } from './alert-model.ts';
import { BUDGET_REARM, crossing, project, RUNWAY_REARM, runway } from './budget.ts';
import type { Account, Pod } from './domain.ts';
import type { Policy } from './policy-schema.ts';
import { formatDuration } from './policy-units.ts';
import { dayKey, endOfDayMs, endOfMonthMs, monthKey } from './zoned-time.ts';

type NewAlertFields = {
  kind: 'budget' | 'runway';
  key: string;
  subject: string;
  stage: string;
  facts: Extract<Alert, { kind: 'budget' | 'runway' }>['facts'];
  pod: AlertPod | null;
  dm: boolean;
};

export interface AccountContext {
  now: number;
  policy: Policy;
  timeZone: string;
  account: Account | null;
  burnPerHr: number | null;
  todayUsd: number;
  monthUsd: number;
  pods: ReadonlyArray<{ pod: Pod; owner: string | null }>;
  open(kind: 'budget' | 'runway', subject: string): StoredAlert | undefined;
  /** How many episodes about this subject the store holds (the next key's number). */
  episodes(kind: 'budget' | 'runway', subject: string): number;
  /** Open alerts of a kind, whatever their subject (an old day's budget alert to close). */
  allOpen(kind: 'budget' | 'runway'): StoredAlert[];
  newAlert(fields: NewAlertFields): Alert;
}

export interface AccountPlan {
  created: Alert[];
  changed: Array<{ prev: StoredAlert; next: Alert }>;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function planAccountAlerts(ctx: AccountContext, plan: AccountPlan): void {
  const a = ctx.policy.alerts;
  if (!a) return;
  const now = new Date(ctx.now);
  const burn = ctx.burnPerHr;
  const periods = [
    {
      period: 'daily' as const,
      budget: a.budgets.daily,
      key: dayKey(now, ctx.timeZone),
      spent: ctx.todayUsd,
      end: endOfDayMs(now, ctx.timeZone),
    },
    {
      period: 'monthly' as const,
      budget: a.budgets.monthly,
      key: monthKey(now, ctx.timeZone),
      spent: ctx.monthUsd,
      end: endOfMonthMs(now, ctx.timeZone),
    },
  ];
  for (const p of periods) {
    const subject = `${p.period}:${p.key}`;
    // An episode of a period that is over closes with what was spent.
    for (const old of ctx.allOpen('budget')) {
      const x = old.alert;
      if (x.kind === 'budget' && x.facts.period === p.period && x.subject !== subject)
        plan.changed.push({
          prev: old,
          next: noted(x, ctx.now, `The ${p.period === 'daily' ? 'day' : 'month'} is over.`, {
            open: false,
            stage: 'over',
          }),
        });
    }
    if (p.budget === null || burn === null) continue;
    const proj = project(p.spent, burn, p.budget, ctx.now, p.end);
    const open = ctx.open('budget', subject);
    const facts = { period: p.period, periodKey: p.key, ...proj };
    const step = crossing(!open, proj.projectedUsd > p.budget, proj.projectedUsd < p.budget * BUDGET_REARM);
    if (step.fire) {
      plan.created.push(
        ctx.newAlert({
          kind: 'budget',
          key: `budget:${subject}:${ctx.episodes('budget', subject) + 1}`,
          subject,
          stage: 'over',
          facts,
          pod: null,
          dm: false,
        }),
      );
    } else if (open && step.armed) {
      plan.changed.push({
        prev: open,
        next: noted(
          { ...open.alert, facts } as Alert,
          ctx.now,
          `Back on budget: projected ${usd(proj.projectedUsd)} of ${usd(p.budget)}.`,
          {
            open: false,
            stage: 'recovered',
          },
        ),
      });
    } else if (open && open.alert.kind === 'budget') {
      plan.changed.push({ prev: open, next: { ...open.alert, facts, updatedAtMs: ctx.now } });
    }
  }

  if (a.runwayBelowMs === null || !ctx.account || burn === null) return;
  const r = runway(ctx.account.balanceUsd, burn, ctx.now);
  const thresholdH = a.runwayBelowMs / 3_600_000;
  const atRisk = ctx.pods
    .filter(({ pod }) => pod.networkVolumeId === null && pod.status !== 'TERMINATED')
    .map(({ pod, owner }) => ({ id: pod.id, name: pod.name, owner }));
  const facts = {
    balanceUsd: r.balanceUsd,
    burnPerHr: r.burnPerHr,
    hours: r.hours,
    runsOutAtMs: r.runsOutAtMs,
    thresholdMs: a.runwayBelowMs,
    atRisk,
  };
  const open = ctx.open('runway', 'account');
  const over = r.hours !== null && r.hours < thresholdH;
  const recovered = r.hours === null || r.hours > thresholdH * RUNWAY_REARM;
  const step = crossing(!open, over, recovered);
  if (step.fire) {
    plan.created.push(
      ctx.newAlert({
        kind: 'runway',
        key: `runway:account:${ctx.episodes('runway', 'account') + 1}`,
        subject: 'account',
        stage: 'low',
        facts,
        pod: null,
        dm: false,
      }),
    );
  } else if (open && step.armed) {
    const left =
      r.hours === null
        ? 'nothing is being spent'
        : `${formatDuration(Math.round(r.hours * 60) * 60_000)} left`;
    plan.changed.push({
      prev: open,
      next: noted({ ...open.alert, facts } as Alert, ctx.now, `Runway recovered: ${left}.`, {
        open: false,
        stage: 'recovered',
      }),
    });
  } else if (open && open.alert.kind === 'runway') {
    plan.changed.push({ prev: open, next: { ...open.alert, facts, updatedAtMs: ctx.now } });
  }
}
