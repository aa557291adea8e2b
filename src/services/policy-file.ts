// Reads a policy file: YAML with positions, checked by the strict schema. Every problem carries
// file:line:column, the key and what was expected; doubtful settings come back as warnings.
import { readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import {
  effectivePolicy,
  hasApprovalRules,
  type Policy,
  PolicyFileSchema,
  ROLES,
  SECTIONS,
} from './policy-schema.ts';
import { formatDuration, percent } from './policy-units.ts';

export interface PolicyProblem {
  line: number;
  column: number;
  /** Dotted key, e.g. "require_approval.terminate"; "" for the whole file. */
  key: string;
  message: string;
}

export type PolicyLoad =
  | { ok: true; policy: Policy; warnings: string[] }
  | { ok: false; problems: PolicyProblem[] };

export class PolicyError extends Error {
  readonly problems: PolicyProblem[];
  constructor(source: string, problems: PolicyProblem[]) {
    super(`podbay cannot start; the policy file has problems:\n${formatProblems(source, problems)}`);
    this.name = 'PolicyError';
    this.problems = problems;
  }
}

export function formatProblems(source: string, problems: readonly PolicyProblem[]): string {
  return problems
    .map((p) => `  ${source}:${p.line}:${p.column} ${p.key ? `${p.key}: ` : ''}${p.message}`)
    .join('\n');
}

/** Parses and checks policy text. `source` names it in messages (the file path). */
export function parsePolicy(text: string, source: string): PolicyLoad {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      ...at(e.pos[0]),
      key: '',
      message: `not valid YAML: ${e.message.split('\n')[0] ?? e.code}`,
    }));
    return { ok: false, problems };
  }
  const data = doc.toJS() ?? {};
  const parsed = PolicyFileSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => toProblems(issue, doc.contents, at));
    problems.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, problems };
  }
  const policy = effectivePolicy(parsed.data, source);
  const semantic = semanticProblems(policy);
  if (semantic.length > 0) {
    return {
      ok: false,
      problems: semantic.map((s) => ({
        ...positionOf(doc.contents, s.path, at),
        key: s.path.join('.'),
        message: s.message,
      })),
    };
  }
  return { ok: true, policy, warnings: doubtful(policy) };
}

/** Reads and checks the file at `path`; a missing or unreadable file is one problem at 1:1. */
export function loadPolicyFile(path: string): PolicyLoad {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    return { ok: false, problems: [{ line: 1, column: 1, key: '', message: `the policy file ${why}` }] };
  }
  return parsePolicy(text, path);
}

// ---- positions --------------------------------------------------------------------------------------

type At = (offset: number) => { line: number; column: number };

/** The node at a path, and the key node of its last step (for pointing at the key itself). */
function nodeAt(
  root: unknown,
  path: readonly PropertyKey[],
): { node: Node | null; key: Node | null; found: boolean } {
  let node: unknown = root;
  let key: Node | null = null;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step),
      );
      if (!pair) return { node: node as Node, key: null, found: false };
      key = pair.key as Node;
      node = pair.value;
    } else if (
      node &&
      typeof node === 'object' &&
      'items' in node &&
      Array.isArray((node as { items: unknown[] }).items)
    ) {
      const item = (node as { items: unknown[] }).items[Number(step)];
      if (item === undefined) return { node: node as Node, key: null, found: false };
      key = null;
      node = item;
    } else {
      break;
    }
  }
  return { node: (node as Node) ?? null, key, found: true };
}

function positionOf(root: unknown, path: readonly PropertyKey[], at: At): { line: number; column: number } {
  const { node, key } = nodeAt(root, path);
  const offset = node?.range?.[0] ?? key?.range?.[0] ?? 0;
  return at(offset);
}

function toProblems(issue: z.core.$ZodIssue, root: unknown, at: At): PolicyProblem[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const section = path.join('.');
    const known = knownKeys(section);
    return issue.keys.map((k) => {
      const { key } = nodeAt(root, [...path, k]);
      return {
        ...at(key?.range?.[0] ?? 0),
        key: [...path, k].join('.'),
        message: `unknown key; ${section || 'the file'} knows ${known.join(', ')}`,
      };
    });
  }
  const { node, key, found } = nodeAt(root, path);
  const missing = issue.code === 'invalid_type' && !found;
  const offset = missing ? (node?.range?.[0] ?? 0) : (node?.range?.[0] ?? key?.range?.[0] ?? 0);
  return [
    { ...at(offset), key: path.join('.'), message: missing ? `required: ${issue.message}` : issue.message },
  ];
}

function knownKeys(section: string): string[] {
  if (section === '') return Object.keys(PolicyFileSchema.shape);
  const s = SECTIONS[section as keyof typeof SECTIONS];
  return s ? Object.keys(s.shape) : [];
}

// ---- rules across keys -------------------------------------------------------------------------------

function semanticProblems(p: Policy): Array<{ path: string[]; message: string }> {
  const out: Array<{ path: string[]; message: string }> = [];
  if (hasApprovalRules(p) && p.approvals.channel === null) {
    out.push({ path: ['require_approval'], message: 'needs approvals.channel: where requests are posted' });
  }
  return out;
}

function doubtful(p: Policy): string[] {
  const out: string[] = [];
  const gated = hasApprovalRules(p);
  const deciders = new Set([...p.roles.approver, ...p.roles.admin]);
  if (gated && deciders.size === 0)
    out.push(
      'require_approval has rules but nobody holds approver or admin: every request will wait until it expires.',
    );
  else if (gated && deciders.size === 1 && !deciders.has('*') && ![...deciders][0]?.startsWith('S'))
    out.push(
      'Only one person can approve, and nobody approves their own request: that person’s requests will expire.',
    );
  if (p.approvals.ttlMs < 5 * 60_000)
    out.push(
      `approvals.ttl is ${formatDuration(p.approvals.ttlMs)}: approvers may not see a request in time.`,
    );
  if (p.approvals.ttlMs > 7 * 86_400_000)
    out.push(
      `approvals.ttl is ${formatDuration(p.approvals.ttlMs)}: a quote that old says little about today’s price.`,
    );
  if (p.approvals.requoteTolerance > 0.5)
    out.push(
      `approvals.requote_tolerance is ${percent(p.approvals.requoteTolerance)}: a price may rise by that much after approval without a second look.`,
    );
  if (p.approvals.requoteTolerance > 0 && p.approvals.requoteTolerance < 0.01)
    out.push(
      `approvals.requote_tolerance is ${percent(p.approvals.requoteTolerance)}; write percentages like 10%.`,
    );
  for (const role of ROLES) {
    const list = p.roles[role];
    if (new Set(list).size !== list.length) out.push(`roles.${role} lists someone twice.`);
  }
  if (p.roles.admin.includes('*'))
    out.push('roles.admin is "*": everyone can act on everyone’s pods and read the audit log.');
  if (p.roles.approver.includes('*'))
    out.push('roles.approver is "*": anyone but the requester can approve.');
  if (!ROLES.some((r) => p.roles[r].length > 0)) out.push('No role lists anyone: nobody can use podbay.');
  if (p.caps.perUserPods === 0) out.push('caps.per_user_pods is 0: operators cannot create pods.');
  return out;
}
