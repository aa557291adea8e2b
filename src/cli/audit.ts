// `podbay audit [--since 7d] [--format table|csv|json]`: the append-only audit log, oldest first.
import Table from 'cli-table3';
import { PodbayError } from '../services/errors.ts';
import type { AuditService } from '../services/audit.ts';
import { parseDuration } from '../services/policy-units.ts';
import type { StoredAuditEntry } from '../services/ports.ts';
import type { Print } from './output.ts';

export type AuditFormat = 'table' | 'csv' | 'json';
const COLUMNS = ['seq', 'at', 'user', 'action', 'target', 'outcome', 'detail', 'data'] as const;

function row(e: StoredAuditEntry): string[] {
  return [
    String(e.seq),
    e.at,
    e.userId ?? '',
    e.action,
    e.target,
    e.outcome,
    e.detail,
    e.data ? JSON.stringify(e.data) : '',
  ];
}

/** RFC 4180: quote every field that needs it; a leading = + - @ is prefixed so spreadsheets do not run it. */
export function csvField(s: string): string {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function auditCommand(
  audit: AuditService,
  opts: { since: string; format: string },
  now: Date,
  print: Print,
): Promise<void> {
  const ms = parseDuration(opts.since);
  if (ms === null)
    throw new PodbayError(
      'INVALID_REQUEST',
      `--since takes a duration like 90m, 24h or 7d, not "${opts.since}".`,
    );
  if (opts.format !== 'table' && opts.format !== 'csv' && opts.format !== 'json')
    throw new PodbayError('INVALID_REQUEST', '--format is table, csv or json.');
  const entries = (await audit.since(new Date(now.getTime() - ms).toISOString())).reverse();
  if (opts.format === 'json') return print(JSON.stringify(entries, null, 2));
  if (opts.format === 'csv') {
    print(COLUMNS.join(','));
    for (const e of entries) print(row(e).map(csvField).join(','));
    return;
  }
  if (!entries.length) return print(`No audit entries in the last ${opts.since}.`);
  const t = new Table({
    head: COLUMNS.slice(0, 7).map(String),
    wordWrap: true,
    colWidths: [6, 22, 14, 18, 26, 15, 60],
  });
  for (const e of entries) t.push(row(e).slice(0, 7));
  print(t.toString());
}
