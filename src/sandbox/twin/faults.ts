// Fault injection per GraphQL root field ('*' = every field). Decisions come from a seeded
// generator, one draw per request, so a soak run replays identically for the same request order.
import { Prng } from './prng.ts';

export const FAULT_KINDS = ['http429', 'http5xx', 'timeout', 'drop', 'graphqlError', 'malformed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Rates are probabilities in 0..1 (their sum should stay <= 1).
 * - http429: 429 with a Retry-After header; nothing applied.
 * - http5xx: 502 (HTML gateway page) or 503 (JSON); nothing applied.
 * - timeout: never answered until the client gives up; a mutation IS applied first.
 * - drop: the operation is applied, then the socket is destroyed.
 * - graphqlError: 200 with errors[] "Something went wrong..."; nothing applied.
 * - malformed: the operation is applied, then a truncated JSON body or a body of the wrong shape.
 */
export interface FaultRule {
  http429?: number;
  http5xx?: number;
  timeout?: number;
  drop?: number;
  graphqlError?: number;
  malformed?: number;
  /** Extra delay before the request is handled. */
  latencyMs?: number;
  /** Retry-After seconds sent with 429 (default 1). */
  retryAfterSec?: number;
}

export interface FaultsConfig {
  /** Seed for fault decisions (default 1). Setting faults restarts the sequence. */
  seed?: number;
  /** Keyed by root field name, or '*' for all. */
  rules?: Record<string, FaultRule>;
}

export type MalformedVariant = 'truncated' | 'shape';

export interface FaultDecision {
  kind: FaultKind | null;
  latencyMs: number;
  retryAfterSec: number;
  /** For http5xx. */
  status: 502 | 503;
  malformed: MalformedVariant;
}

interface Pending {
  kind: FaultKind;
  remaining: number;
  status?: 502 | 503;
  malformed?: MalformedVariant;
  retryAfterSec?: number;
}

export interface FailNextOptions {
  status?: 502 | 503;
  malformed?: MalformedVariant;
  retryAfterSec?: number;
}

export class FaultInjector {
  private prng = new Prng(1);
  private rules = new Map<string, FaultRule>();
  private readonly pending = new Map<string, Pending[]>();

  configure(cfg: FaultsConfig): void {
    this.prng = new Prng(cfg.seed ?? 1);
    this.rules = new Map(Object.entries(cfg.rules ?? {}));
    for (const [field, rule] of this.rules) validateRule(field, rule);
  }

  /** The next `count` calls of `operation` (root field name or '*') fail with `kind`. */
  failNext(operation: string, kind: FaultKind, count = 1, opts: FailNextOptions = {}): void {
    if (!FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind ${kind}`);
    const list = this.pending.get(operation) ?? [];
    list.push({ kind, remaining: Math.max(1, Math.floor(count)), ...opts });
    this.pending.set(operation, list);
  }

  clear(): void {
    this.rules.clear();
    this.pending.clear();
    this.prng = new Prng(1);
  }

  snapshot(): { rules: Record<string, FaultRule>; pending: Record<string, Pending[]> } {
    return {
      rules: Object.fromEntries(this.rules),
      pending: Object.fromEntries([...this.pending].map(([k, v]) => [k, v.map((p) => ({ ...p }))])),
    };
  }

  decide(rootFields: readonly string[]): FaultDecision {
    const base: FaultDecision = {
      kind: null,
      latencyMs: 0,
      retryAfterSec: 1,
      status: 503,
      malformed: 'truncated',
    };
    const forced = this.takePending(rootFields);
    const rule = rootFields.map((f) => this.rules.get(f)).find((r) => r !== undefined) ?? this.rules.get('*');
    if (rule) {
      base.latencyMs = rule.latencyMs ?? 0;
      base.retryAfterSec = rule.retryAfterSec ?? 1;
    }
    if (forced) {
      return {
        ...base,
        kind: forced.kind,
        status: forced.status ?? 503,
        malformed: forced.malformed ?? 'truncated',
        retryAfterSec: forced.retryAfterSec ?? base.retryAfterSec,
      };
    }
    if (!rule) return base;
    const r = this.prng.next();
    let acc = 0;
    for (const kind of FAULT_KINDS) {
      acc += rule[kind] ?? 0;
      if (r < acc) {
        const status = kind === 'http5xx' && this.prng.next() < 0.5 ? 502 : 503;
        const malformed = kind === 'malformed' && this.prng.next() < 0.5 ? 'shape' : 'truncated';
        return { ...base, kind, status, malformed };
      }
    }
    return base;
  }

  private takePending(rootFields: readonly string[]): Pending | null {
    for (const key of [...rootFields, '*']) {
      const list = this.pending.get(key);
      const head = list?.[0];
      if (!list || !head) continue;
      head.remaining -= 1;
      if (head.remaining <= 0) list.shift();
      if (list.length === 0) this.pending.delete(key);
      return head;
    }
    return null;
  }
}

function validateRule(field: string, rule: FaultRule): void {
  let sum = 0;
  for (const kind of FAULT_KINDS) {
    const v = rule[kind] ?? 0;
    if (typeof v !== 'number' || v < 0 || v > 1)
      throw new Error(`fault rate ${field}.${kind} must be within 0..1`);
    sum += v;
  }
  if (sum > 1 + 1e-9) throw new Error(`fault rates for ${field} add up to more than 1`);
  for (const key of Object.keys(rule)) {
    if (!(FAULT_KINDS as readonly string[]).includes(key) && key !== 'latencyMs' && key !== 'retryAfterSec')
      throw new Error(`unknown fault setting ${field}.${key}`);
  }
}
