// `podbay volumes`, `podbay endpoints` and `podbay spend`: the same services the Slack commands use.
import type { EndpointService } from '../services/endpoints.ts';
import type { SpendService } from '../services/spend.ts';
import type { VolumeService } from '../services/volumes.ts';
import { hours, type Print, table, usd } from './output.ts';

export async function volumesCommand(
  volumes: VolumeService,
  opts: { json: boolean },
  print: Print,
): Promise<void> {
  const list = await volumes.list();
  if (opts.json) return print(JSON.stringify({ volumes: list }, null, 2));
  if (!list.length) return print('No network volumes.');
  print(
    table(
      ['id', 'name', 'size', 'data center', 'used by'],
      list.map((v) => [
        v.id,
        v.name,
        `${v.sizeGb} GB`,
        v.dataCenterId,
        v.usedBy.map((p) => p.name).join(', ') || '-',
      ]),
    ),
  );
}

export async function endpointsCommand(
  endpoints: EndpointService,
  opts: { json: boolean },
  print: Print,
): Promise<void> {
  const list = await endpoints.list();
  if (opts.json) return print(JSON.stringify({ endpoints: list }, null, 2));
  if (!list.length) return print('No serverless endpoints.');
  print(
    table(
      ['id', 'name', 'gpu pools', 'workers (min-max)', 'running', 'idle timeout'],
      list.map((e) => [
        e.id,
        e.name,
        e.gpuPoolIds.join(', '),
        `${e.workersMin}-${e.workersMax}`,
        e.workersRunning,
        `${e.idleTimeoutSec} s`,
      ]),
    ),
  );
}

export async function spendCommand(
  spend: SpendService,
  opts: { json: boolean },
  print: Print,
): Promise<void> {
  const s = await spend.summary();
  if (opts.json) return print(JSON.stringify({ spend: s }, null, 2));
  print(
    table(
      ['balance', 'spend per hour', 'runway', 'spend limit', 'today (est.)'],
      [
        [
          usd(s.balanceUsd),
          usd(s.spendPerHrUsd, 3),
          hours(s.runwayHours),
          usd(s.spendLimitUsd),
          usd(s.todayTotalUsd),
        ],
      ],
    ),
  );
  if (s.byOwner.length) {
    print(
      table(
        ['owner', '$/h now', 'today (est.)', 'pods'],
        s.byOwner.map((o) => [
          o.userId ?? 'unattributed',
          usd(o.costPerHrUsd, 3),
          usd(o.todayUsd),
          o.pods.map((p) => p.name).join(', '),
        ]),
      ),
    );
  }
  for (const note of s.notes) print(`note: ${note}`);
}
