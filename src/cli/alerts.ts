// `podbay alerts --dry-run`: one scan now, against RunPod (or the twin) and podbay's database,
// printing what would be posted; nothing is written and nothing is posted.
import { AlertScan, type ScanReport } from '../services/alert-scan.ts';
import type { Policy } from '../services/policy-schema.ts';
import type { Clock, RunpodApi, Store } from '../services/ports.ts';
import type { Logger } from '../logger.ts';
import { alertLine } from '../handlers/views/alerts.ts';
import type { Print } from './output.ts';

export async function alertsDryRun(
  deps: { runpod: RunpodApi; store: Store; policy: Policy; timeZone: string; logger: Logger; clock: Clock },
  opts: { json: boolean },
  print: Print,
): Promise<ScanReport> {
  const scan = new AlertScan({
    ...deps,
    stop: async () => {
      throw new Error('a dry run stops nothing');
    },
  });
  const r = await scan.scan(deps.clock.now(), { dryRun: true });
  if (opts.json) {
    print(JSON.stringify(r, null, 2));
    return r;
  }
  if (!deps.policy.alerts) print('The policy has no alerts section: nothing would be posted. (See README: Alerts.)');
  print(`Scan at ${new Date(r.atMs).toISOString()}: ${r.pods} pods, ${r.running} running, ${r.idle} idle.`);
  for (const n of r.notes) print(`note: ${n}`);
  const ch = deps.policy.alerts?.channel ?? '-';
  if (!r.opened.length && !r.changed.length && !r.stops.length) print('Nothing would be posted.');
  for (const a of r.opened) print(`would post to ${ch}${a.dmTo ? ` and DM ${a.dmTo}` : ''}: ${alertLine(a, deps.timeZone)}`);
  for (const a of r.changed) print(`would update: ${alertLine(a, deps.timeZone)}`);
  for (const s of r.stops) print(`would stop ${s.podName} (${s.why})`);
  return r;
}
