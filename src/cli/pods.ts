// `podbay pods [--json]` and `podbay account [--json]`.
import type { Pod } from '../services/domain.ts';
import type { RunpodApi } from '../services/ports.ts';
import { duration, hours, type Print, table, usd } from './output.ts';

function utilisation(pod: Pod): string {
  const gpus = pod.runtime?.gpus ?? [];
  if (!gpus.length) return '-';
  const avg = gpus.reduce((a, g) => a + (g.utilPercent ?? 0), 0) / gpus.length;
  return `${Math.round(avg)}%`;
}

function state(pod: Pod): string {
  if (pod.status === 'RUNNING' && !pod.runtime) return 'STARTING';
  return pod.status;
}

export async function podsCommand(api: RunpodApi, opts: { json: boolean }, print: Print): Promise<void> {
  const pods = await api.listPods();
  if (opts.json) {
    print(JSON.stringify({ pods }, null, 2));
    return;
  }
  if (!pods.length) {
    print('No pods.');
    return;
  }
  const rows = pods.map((p) => [
    p.id,
    p.name,
    state(p),
    p.kind,
    `${p.gpuCount}× ${p.gpuName ?? '?'}`,
    usd(p.costPerHr, 3),
    utilisation(p),
    p.runtime ? duration(p.runtime.uptimeSeconds) : '-',
  ]);
  print(table(['id', 'name', 'status', 'type', 'gpus', '$/h', 'gpu util', 'uptime'], rows));
  const running = pods.filter((p) => p.status === 'RUNNING');
  const burn = running.reduce((a, p) => a + p.costPerHr, 0);
  print(`${pods.length} pod(s), ${running.length} running, ${usd(burn, 3)}/h`);
}

export async function accountCommand(api: RunpodApi, opts: { json: boolean }, print: Print): Promise<void> {
  const a = await api.account();
  const runwayHours = a.spendPerHrUsd > 0 ? a.balanceUsd / a.spendPerHrUsd : null;
  if (opts.json) {
    print(JSON.stringify({ account: a, runwayHours }, null, 2));
    return;
  }
  print(
    table(
      ['balance', 'spend per hour', 'runway', 'spend limit'],
      [[usd(a.balanceUsd), usd(a.spendPerHrUsd, 3), hours(runwayHours), usd(a.spendLimitUsd)]],
    ),
  );
}
