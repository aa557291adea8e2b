// `podbay <command>`: the same services as the Slack app, from a terminal.
import { Command, InvalidArgumentError } from 'commander';
import { doctorMain } from './cli/doctor.ts';
import { logsCommand } from './cli/logs.ts';
import { GPU_COMMAND_HELP, gpuCommand, gpuExitCode, gpuPricesCommand, gpuStockCommand } from './cli/gpu.ts';
import { accountCommand, podsCommand } from './cli/pods.ts';
import { endpointsCommand, spendCommand, volumesCommand } from './cli/resources.ts';
import { alertsDryRun } from './cli/alerts.ts';
import { auditCommand } from './cli/audit.ts';
import { loadPolicy } from './load-policy.ts';
import { policyCheckCommand } from './cli/policy.ts';
import type { Print } from './cli/output.ts';
import { AuditService } from './services/audit.ts';
import { PolicyError } from './services/policy-file.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { connectRunpod, type RunpodConnection, SANDBOX_BANNER } from './connect-runpod.ts';
import { createLogger, type Logger } from './logger.ts';
import { startTwin } from './sandbox/twin/server.ts';
import { EndpointService } from './services/endpoints.ts';
import { asPodbayError, isPodbayError } from './services/errors.ts';
import { GpuAdvisor } from './services/gpu-advisor.ts';
import { systemClock } from './services/ports.ts';
import { SpendService } from './services/spend.ts';
import { VolumeService } from './services/volumes.ts';
import { openConfiguredStore } from './store/index.ts';

const print: Print = (text) => process.stdout.write(`${text}\n`);
const warn: Print = (text) => process.stderr.write(`${text}\n`);

function setup(): { config: Config; logger: Logger } {
  const config = loadConfig();
  // CLI output is for people: logs go to stderr, and only warnings unless asked for more.
  const level = config.logLevel === 'info' ? 'warn' : config.logLevel;
  return { config, logger: createLogger({ level, secrets: config.secrets }) };
}

/** Runs a command against RunPod (or the sandbox twin), then closes what it opened. */
async function withRunpod(fn: (conn: RunpodConnection, config: Config) => Promise<void>): Promise<void> {
  const { config, logger } = setup();
  const conn = await connectRunpod(config, logger);
  if (conn.sandbox) warn(SANDBOX_BANNER);
  try {
    await fn(conn, config);
  } finally {
    await conn.close();
  }
}

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return n;
};

export function buildProgram(): Command {
  const program = new Command('podbay')
    .description('RunPod GPU work from Slack and the terminal: sizing, pods, volumes, endpoints, spend.')
    .showHelpAfterError();

  for (const [name, what] of [
    ['start', 'start podbay: Socket Mode, HTTP mode or the console, from the Slack settings'],
    ['console', 'the terminal console: type slash commands as in Slack (sandbox unless RUNPOD_API_KEY)'],
  ] as const) {
    program
      .command(name)
      .description(what)
      .action(async () => {
        // Loaded only here, so the quick commands do not pay for Bolt.
        const running =
          name === 'console'
            ? await (await import('./main.ts')).start({ mode: 'console' })
            : await (await import('./serve.ts')).serve();
        await running.done;
        process.exit(0);
      });
  }

  program
    .command('account')
    .description('balance, spend per hour, runway and spend limit')
    .option('--json', 'print one JSON document')
    .action((o: { json?: boolean }) => withRunpod((c) => accountCommand(c.api, { json: !!o.json }, print)));

  program
    .command('pods')
    .description('list pods with status, GPUs, cost and GPU utilisation')
    .option('--json', 'print one JSON document')
    .action((o: { json?: boolean }) => withRunpod((c) => podsCommand(c.api, { json: !!o.json }, print)));

  program
    .command('volumes')
    .description('network volumes with size, data center and the pods using them')
    .option('--json', 'print one JSON document')
    .action((o: { json?: boolean }) =>
      withRunpod((c) =>
        volumesCommand(new VolumeService({ runpod: c.api, clock: systemClock }), { json: !!o.json }, print),
      ),
    );

  program
    .command('endpoints')
    .description('serverless endpoints with GPU pools and workers')
    .option('--json', 'print one JSON document')
    .action((o: { json?: boolean }) =>
      withRunpod((c) =>
        endpointsCommand(
          new EndpointService({ runpod: c.api, clock: systemClock }),
          { json: !!o.json },
          print,
        ),
      ),
    );

  program
    .command('spend')
    .description('balance, spend per hour, runway and today’s spend by owner (owners from podbay’s database)')
    .option('--json', 'print one JSON document')
    .action((o: { json?: boolean }) =>
      withRunpod(async (c, config) => {
        const store = await openConfiguredStore({ ...config, cwd: process.cwd() });
        try {
          await spendCommand(
            new SpendService({ runpod: c.api, store, clock: systemClock }),
            { json: !!o.json },
            print,
          );
        } finally {
          await store.close();
        }
      }),
    );

  const gpu = program
    .command('gpu')
    .description('which GPU a model needs and what it costs; also `gpu prices [gpu]`, `gpu stock [gpu]`')
    .argument('<question...>', 'the question, e.g. "70b awq at 32k for 4 users"')
    .option('--json', 'print one JSON document')
    .addHelpText('after', `\n${GPU_COMMAND_HELP}`)
    .action((words: string[], o: { json?: boolean }) =>
      withRunpod(async (c) => {
        const advisor = new GpuAdvisor(c.api, systemClock);
        const answer = await gpuCommand(words.join(' '), { json: !!o.json }, advisor, print);
        process.exitCode = gpuExitCode(answer);
      }),
    );
  gpu.enablePositionalOptions();
  for (const [name, run, what] of [
    ['prices', gpuPricesCommand, 'on-demand and spot prices per GPU type'],
    ['stock', gpuStockCommand, 'availability by data center'],
  ] as const) {
    program
      .command(`gpu-${name}`)
      .description(`${what} (also: podbay gpu ${name} [gpu])`)
      .argument('[gpu]', 'a GPU name, e.g. "4090" or "H100"')
      .option('--json', 'print one JSON document')
      .action((g: string | undefined, o: { json?: boolean }) =>
        withRunpod((c) => run(g, { json: !!o.json }, new GpuAdvisor(c.api, systemClock), print)),
      );
  }

  program
    .command('policy')
    .description('check a policy file and print the effective policy: `podbay policy check [FILE]`')
    .argument('<check>', 'the word "check"')
    .argument('[file]', 'the policy file (default: PODBAY_POLICY)')
    .action((verb: string, file: string | undefined) => {
      if (verb !== 'check')
        throw new InvalidArgumentError('the only policy command is `podbay policy check [FILE]`');
      process.exitCode = policyCheckCommand(file ?? loadConfig().policyPath, print, warn);
    });

  program
    .command('alerts')
    .description('run one alert scan now and print what would be posted: `podbay alerts --dry-run`')
    .option('--dry-run', 'post nothing and write nothing (the only mode)')
    .option('--json', 'print the scan report as JSON')
    .action((o: { dryRun?: boolean; json?: boolean }) => {
      if (!o.dryRun)
        throw new InvalidArgumentError(
          'alerts are posted by `podbay start`; here use `podbay alerts --dry-run`',
        );
      return withRunpod(async (c, config) => {
        const { policy } = loadPolicy({ path: config.policyPath, cwd: process.cwd(), demo: c.sandbox });
        const store = await openConfiguredStore({ ...config, cwd: process.cwd() });
        try {
          const logger = createLogger({ level: 'silent', secrets: config.secrets });
          await alertsDryRun(
            { runpod: c.api, store, policy, timeZone: config.schedule.timeZone, logger, clock: systemClock },
            { json: !!o.json },
            print,
          );
        } finally {
          await store.close();
        }
      });
    });

  program
    .command('audit')
    .description('the audit log: who did what, decisions, outcomes (from podbay’s database)')
    .option('--since <duration>', 'how far back, e.g. 24h or 7d', '7d')
    .option('--format <format>', 'table, csv or json', 'table')
    .action(async (o: { since: string; format: string }) => {
      const { config } = setup();
      const store = await openConfiguredStore({ ...config, cwd: process.cwd() });
      try {
        await auditCommand(new AuditService(store), o, systemClock.now(), print);
      } finally {
        await store.close();
      }
    });

  program
    .command('logs')
    .description('the newest lines of a pod’s container log (REST v2)')
    .argument('<pod>', 'pod id or name')
    .argument('[lines]', 'how many lines (default 50, up to 500)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('expected 1 to 500 lines');
      return n;
    })
    .option('--json', 'print one JSON document')
    .action((pod: string, lines: number | undefined, o: { json?: boolean }) =>
      withRunpod((c) => logsCommand(c.api, pod, lines, { json: !!o.json }, print)),
    );

  program
    .command('doctor')
    .description('check settings, RunPod (per API) and Slack; print which API each operation uses and why')
    .option('--json', 'print one JSON document')
    .option('--all-modes', 'also show the choice for RUNPOD_API=auto, graphql and v2')
    .action(async (o: { json?: boolean; allModes?: boolean }) => {
      process.exitCode = await doctorMain({ json: !!o.json, allModes: !!o.allModes }, print);
    });

  program
    .command('twin')
    .description('run the local RunPod twin (GraphQL at /graphql) for development')
    .option('--port <port>', 'port to listen on', port, 4010)
    .option('--no-seed', 'start without demo data')
    .action(async (o: { port: number; seed: boolean }) => {
      const twin = await startTwin({ port: o.port, seed: o.seed, realtime: true });
      print(`RunPod twin listening: GraphQL ${twin.url}  control ${twin.controlUrl}`);
      print(`Point podbay at it with RUNPOD_GRAPHQL_URL=${twin.url}`);
      const stop = async () => {
        await twin.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  return program;
}

/** `podbay gpu prices [gpu]` reads better than `podbay gpu-prices`; both work. */
function aliasGpuSubcommands(argv: string[]): string[] {
  const [node, script, first, second, ...rest] = argv;
  if (first === 'gpu' && (second === 'prices' || second === 'stock')) {
    return [node ?? '', script ?? '', `gpu-${second}`, ...rest];
  }
  return argv;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(aliasGpuSubcommands(argv));
  } catch (e) {
    if (
      e instanceof ConfigError ||
      e instanceof PolicyError ||
      (e instanceof Error && e.name === 'StartFailed')
    )
      warn(e.message);
    // A usage mistake found inside a command's action (commander reports its own before it runs).
    else if (e instanceof InvalidArgumentError) warn(`podbay: ${e.message}`);
    else if (isPodbayError(e)) warn(`podbay: ${e.toUserText()}`);
    else warn(`podbay: ${asPodbayError(e).toUserText()}`);
    process.exitCode = 1;
  }
}

await runCli(process.argv);
