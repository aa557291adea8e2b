// Request counters, so tests can check how many RunPod calls a use case made.
import type { FaultKind } from './faults.ts';

export interface TwinStatsSnapshot {
  /** HTTP requests to /graphql, whatever their outcome. */
  requests: number;
  /** Calls per GraphQL root field (a document with two root fields counts both). */
  operations: Record<string, number>;
  /** Injected faults per kind. */
  faults: Partial<Record<FaultKind, number>>;
  /** Requests refused with 401. */
  unauthorized: number;
  /** Requests refused before execution: bad JSON, parse/validation errors, explicit nulls. */
  rejected: number;
}

export class TwinStats {
  private snap: TwinStatsSnapshot = TwinStats.empty();

  static empty(): TwinStatsSnapshot {
    return { requests: 0, operations: {}, faults: {}, unauthorized: 0, rejected: 0 };
  }

  request(): void {
    this.snap.requests += 1;
  }

  operations(fields: readonly string[]): void {
    for (const f of fields) this.snap.operations[f] = (this.snap.operations[f] ?? 0) + 1;
  }

  fault(kind: FaultKind): void {
    this.snap.faults[kind] = (this.snap.faults[kind] ?? 0) + 1;
  }

  unauthorized(): void {
    this.snap.unauthorized += 1;
  }

  rejected(): void {
    this.snap.rejected += 1;
  }

  snapshot(): TwinStatsSnapshot {
    return structuredClone(this.snap);
  }

  reset(): void {
    this.snap = TwinStats.empty();
  }
}
