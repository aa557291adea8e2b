// `podbay doctor`: are the settings sound, does RunPod answer (per API, with this key), does Slack
// accept the bot token, and which API each operation will use and why. Exits non-zero when
// something a user needs does not work; a feature switched off on purpose is reported, not failed.
import { type Config, ConfigError, loadConfig } from '../config.ts';
import { connectRunpod, type RunpodConnection } from '../connect-runpod.ts';
import { createLogger, type Logger } from '../logger.ts';
import { type ApiMode, createRunpodApi } from '../runpod/index.ts';
import { API_MODES, OPERATIONS, type Operation, routeFor } from '../runpod/routing.ts';
import { asPodbayError } from '../services/errors.ts';
import { type Print, table } from './output.ts';

export type CheckState = 'ok' | 'off' | 'fail';

export interface Check {
  name: string;
  state: CheckState;
  detail: string;
}

export interface OperationRow {
  operation: Operation;
  api: 'graphql' | 'v2' | null;
  why: string;
  state: CheckState;
}

export interface DoctorReport {
  mode: ApiMode;
  sandbox: boolean;
  checks: Check[];
  operations: OperationRow[];
  /** The per-operation choice in every mode, for comparing before switching. */
  modes?: Record<ApiMode, { operation: Operation; api: 'graphql' | 'v2' | null; why: string }[]>;
  ok: boolean;
}

export interface DoctorDeps {
  config: Config;
  conn: RunpodConnection;
  logger: Logger;
  /** Slack's Web API (tests point it at a loopback fake); default from SLACK_API_URL or slack.com. */
  fetch?: typeof fetch;
}

type Probe = (mode: 'graphql' | 'v2') => Promise<void>;

async function attempt(name: string, run: () => Promise<string>): Promise<Check> {
  try {
    return { name, state: 'ok', detail: await run() };
  } catch (e) {
    return { name, state: 'fail', detail: asPodbayError(e).toUserText() };
  }
}

function settingsCheck(config: Config, conn: RunpodConnection): Check {
  const key = config.runpod.apiKey ? 'RUNPOD_API_KEY is set' : 'no RUNPOD_API_KEY: the sandbox twin';
  return {
    name: 'settings',
    state: 'ok',
    detail: `${key}; RUNPOD_API=${config.runpod.api}; GraphQL ${conn.url}; REST ${conn.restUrl}; Slack ${config.slack.mode} mode`,
  };
}

async function slackCheck(deps: DoctorDeps): Promise<Check> {
  const { slack } = deps.config;
  if (!slack.botToken) return { name: 'Slack', state: 'off', detail: 'no Slack tokens: console mode only' };
  const base = (slack.apiUrl ?? 'https://slack.com/api/').replace(/\/?$/, '/');
  let res: Response;
  try {
    res = await (deps.fetch ?? fetch)(`${base}auth.test`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${slack.botToken}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      signal: AbortSignal.timeout(deps.config.runpod.timeoutMs),
    });
  } catch {
    return { name: 'Slack', state: 'fail', detail: `Slack did not answer auth.test at ${base}` };
  }
  const body = (await res.json().catch(() => ({}))) as {
    ok?: boolean;
    error?: string;
    team?: string;
    user?: string;
  };
  // Slack's error names ("invalid_auth") carry no secret; the token itself is never printed.
  if (!body.ok)
    return {
      name: 'Slack',
      state: 'fail',
      detail: `Slack refused the bot token (${body.error ?? `HTTP ${res.status}`})`,
    };
  const who = `${body.team ? ` for ${body.team}` : ''}${body.user ? ` as @${body.user}` : ''}`;
  return { name: 'Slack', state: 'ok', detail: `bot token accepted${who}` };
}

export async function runDoctor(deps: DoctorDeps, opts: { allModes?: boolean } = {}): Promise<DoctorReport> {
  const { config, conn } = deps;
  const mode = conn.mode;
  const probe: Probe = async (api) => {
    const single = createRunpodApi({
      url: conn.url,
      restUrl: conn.restUrl,
      api,
      apiKey: config.runpod.apiKey,
      timeoutMs: config.runpod.timeoutMs,
      // One quick look, not the full retry budget a person waits through.
      retryBudgetMs: Math.min(config.runpod.retryBudgetMs, 3_000),
      logger: deps.logger,
    });
    if (api === 'graphql') await single.account();
    else await single.listVolumes();
  };
  const checks: Check[] = [settingsCheck(config, conn)];
  const uses = new Set(OPERATIONS.map((op) => routeFor(mode, op).api).filter((a) => a !== null));
  const reach: Record<'graphql' | 'v2', Check | null> = { graphql: null, v2: null };
  for (const api of ['graphql', 'v2'] as const) {
    if (!uses.has(api)) {
      checks.push({ name: `RunPod ${api}`, state: 'off', detail: `not used with RUNPOD_API=${mode}` });
      continue;
    }
    const c = await attempt(`RunPod ${api}`, async () => {
      await probe(api);
      return api === 'graphql'
        ? 'answers, key accepted (account read)'
        : 'answers, key accepted (volumes read)';
    });
    reach[api] = c;
    checks.push(c);
  }
  if (uses.has('v2') && reach.v2?.state === 'ok' && conn.api.billingHistory) {
    const day = 86_400_000;
    const now = Date.now();
    checks.push(
      await attempt('RunPod v2 billing', async () => {
        await conn.api.billingHistory?.({ start: new Date(now - day), end: new Date(now), bucket: 'day' });
        return 'billing records readable';
      }),
    );
  }
  checks.push(await slackCheck(deps));
  const billing = checks.find((c) => c.name === 'RunPod v2 billing');
  const operations: OperationRow[] = OPERATIONS.map((operation) => {
    const r = routeFor(mode, operation);
    let state: CheckState = r.api === null ? 'off' : (reach[r.api]?.state ?? 'fail');
    if (operation === 'billing history' && state === 'ok' && billing) state = billing.state;
    return { operation, api: r.api, why: r.why, state };
  });
  const report: DoctorReport = {
    mode,
    sandbox: conn.sandbox,
    checks,
    operations,
    ok: checks.every((c) => c.state !== 'fail') && operations.every((o) => o.state !== 'fail'),
  };
  if (opts.allModes) {
    report.modes = Object.fromEntries(
      API_MODES.map((m) => [m, OPERATIONS.map((operation) => ({ operation, ...routeFor(m, operation) }))]),
    ) as NonNullable<DoctorReport['modes']>;
  }
  return report;
}

const MARK: Record<CheckState, string> = { ok: 'ok', off: 'off', fail: 'FAIL' };

export function printDoctor(report: DoctorReport, print: Print): void {
  print(
    table(
      ['check', 'state', 'detail'],
      report.checks.map((c) => [c.name, MARK[c.state], c.detail]),
    ),
  );
  print(`Per operation with RUNPOD_API=${report.mode}:`);
  print(
    table(
      ['operation', 'API', 'why', 'state'],
      report.operations.map((o) => [o.operation, o.api ?? '-', o.why, MARK[o.state]]),
    ),
  );
  if (report.modes) {
    print('The choice in each mode:');
    print(
      table(
        ['operation', ...API_MODES],
        OPERATIONS.map((op, i) => [op, ...API_MODES.map((m) => report.modes?.[m][i]?.api ?? 'off')]),
      ),
    );
  }
  print(
    report.ok
      ? 'podbay doctor: everything podbay needs works.'
      : 'podbay doctor: something podbay needs does not work (FAIL above).',
  );
}

export async function doctorCommand(
  deps: DoctorDeps,
  opts: { json: boolean; allModes: boolean },
  print: Print,
): Promise<number> {
  const report = await runDoctor(deps, { allModes: opts.allModes || opts.json });
  if (opts.json) print(JSON.stringify(report, null, 2));
  else printDoctor(report, print);
  return report.ok ? 0 : 1;
}

/** The whole of `podbay doctor`: settings first (reported, not thrown), then the live checks. */
export async function doctorMain(opts: { json: boolean; allModes: boolean }, print: Print): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const check: Check = { name: 'settings', state: 'fail', detail: e.problems.join('; ') };
    if (opts.json) print(JSON.stringify({ checks: [check], ok: false }, null, 2));
    else print(table(['check', 'state', 'detail'], [[check.name, MARK.fail, check.detail]]));
    return 1;
  }
  // Doctor's own output is the report; logs only for trouble.
  const logger = createLogger({ level: 'error', secrets: config.secrets });
  const conn = await connectRunpod(config, logger);
  try {
    return await doctorCommand({ config, conn, logger }, opts, print);
  } finally {
    await conn.close();
  }
}
