// Spend against budgets and the prepaid runway (pure). Alerts fire when a value crosses its line
// and re-arm only after a real recovery (hysteresis), so a value hovering at the line cannot flap.

/** A budget alert re-arms when the projection falls below this share of the budget. */
export const BUDGET_REARM = 0.9;
/** A runway alert re-arms when the runway is back above this multiple of the threshold. */
export const RUNWAY_REARM = 1.25;

export interface Projection {
  spentUsd: number;
  /** What the period ends at if the current burn rate holds. */
  projectedUsd: number;
  budgetUsd: number;
  burnPerHr: number;
  /** When the budget is used up at this rate (ms), or null if it is not within the period. */
  reachedAtMs: number | null;
}

export function project(
  spentUsd: number,
  burnPerHr: number,
  budgetUsd: number,
  nowMs: number,
  periodEndMs: number,
): Projection {
  const hoursLeft = Math.max(0, (periodEndMs - nowMs) / 3_600_000);
  const projectedUsd = spentUsd + burnPerHr * hoursLeft;
  let reachedAtMs: number | null = null;
  if (spentUsd >= budgetUsd) reachedAtMs = nowMs;
  else if (burnPerHr > 0) {
    const at = nowMs + ((budgetUsd - spentUsd) / burnPerHr) * 3_600_000;
    if (at <= periodEndMs) reachedAtMs = at;
  }
  return { spentUsd, projectedUsd, budgetUsd, burnPerHr, reachedAtMs };
}

export interface Runway {
  balanceUsd: number;
  burnPerHr: number;
  /** Hours until the balance is 0 at this rate; null when nothing is being spent. */
  hours: number | null;
  runsOutAtMs: number | null;
}

export function runway(balanceUsd: number, burnPerHr: number, nowMs: number): Runway {
  if (!(burnPerHr > 0)) return { balanceUsd, burnPerHr, hours: null, runsOutAtMs: null };
  const hours = Math.max(0, balanceUsd) / burnPerHr;
  return { balanceUsd, burnPerHr, hours, runsOutAtMs: nowMs + hours * 3_600_000 };
}

/**
 * One step of a threshold with hysteresis. `over` says the value is past the line now, `recovered`
 * that it is back well inside it. Armed + over → fire (and disarm); disarmed + recovered → re-arm.
 */
export function crossing(
  armed: boolean,
  over: boolean,
  recovered: boolean,
): { fire: boolean; armed: boolean } {
  if (armed && over) return { fire: true, armed: false };
  if (!armed && recovered) return { fire: false, armed: true };
  return { fire: false, armed };
}
