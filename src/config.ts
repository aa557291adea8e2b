// The only reader of process.env. One zod schema; every problem is reported at once,
// naming the variable and what it expects. Secret values are never echoed.
import cron from 'node-cron';
import { isTimeZone } from './services/zoned-time.ts';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

export const DEFAULT_RUNPOD_GRAPHQL_URL = 'https://api.runpod.io/graphql';
/** REST v2 base: the API's paths start with /v2. */
export const DEFAULT_RUNPOD_REST_URL = 'https://api.runpod.io';

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((s) => /^https?:\/\/[^\s]+$/.test(s), { message: `expected an http(s) URL for ${what}` });

// A node-cron expression: five fields, or six with seconds first (e.g. every 30 s).
const cronText = (expr: string, example: string) =>
  z
    .string()
    .trim()
    .refine((s) => /^\S+(\s+\S+){4,5}$/.test(s) && cron.validate(s), {
      message: `expected a cron expression of 5 fields (or 6 with seconds), e.g. "${expr}" for ${example}`,
    });

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  RUNPOD_API_KEY: optionalText,
  RUNPOD_GRAPHQL_URL: url('the RunPod GraphQL endpoint').optional(),
  RUNPOD_REST_URL: url('the RunPod REST v2 base (its paths start with /v2)').optional(),
  RUNPOD_API: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['auto', 'graphql', 'v2']))
    .default('auto'),
  RUNPOD_TIMEOUT_MS: int(100, 120_000).default(15_000),
  RUNPOD_RETRY_BUDGET_MS: int(0, 600_000).default(20_000),
  SLACK_BOT_TOKEN: optionalText.refine((s) => s === undefined || s.startsWith('xoxb-'), {
    message: 'expected a bot token starting with xoxb-',
  }),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.refine((s) => s === undefined || s.startsWith('xapp-'), {
    message: 'expected an app-level token starting with xapp-',
  }),
  SLACK_API_URL: url('the Slack Web API base').optional(),
  PORT: int(1, 65_535).default(3000),
  PODBAY_DB_PATH: z.string().trim().min(1).default('.podbay/podbay.db'),
  // May hold a password: the message names the variable only, never the value.
  DATABASE_URL: optionalText.refine((s) => s === undefined || /^postgres(ql)?:\/\/\S+$/.test(s), {
    message: 'expected a Postgres URL starting with postgres:// or postgresql://',
  }),
  PODBAY_TWIN_PORT: int(0, 65_535).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PODBAY_SANDBOX_SEED: z.stringbool().default(true),
  PODBAY_POLICY: optionalText,
  PODBAY_SCAN_CRON: cronText('* * * * *', 'every minute').default('* * * * *'),
  PODBAY_DIGEST_CRON: cronText('0 9 * * 1-5', 'weekdays at 09:00').default('0 9 * * 1-5'),
  PODBAY_METRICS_PORT: int(1, 65_535).optional(),
  PODBAY_APP_THREAD_NICE: int(0, 19).default(10),
  // Replicas on one database must seal with the same key (a pending request's env values).
  PODBAY_SECRET_KEY: optionalText.refine((s) => s === undefined || Buffer.from(s, 'base64').length === 32, {
    message: 'expected 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`',
  }),
  PODBAY_TZ: z
    .string()
    .trim()
    .refine(isTimeZone, {
      message: 'expected an IANA time zone such as UTC, Europe/Berlin or America/New_York',
    })
    .default('UTC'),
});

export type SlackMode = 'socket' | 'http' | 'console';

export interface Config {
  runpod: {
    /** undefined → the local RunPod twin (sandbox). */
    apiKey: string | undefined;
    graphqlUrl: string | undefined;
    /** REST v2 base; undefined → RunPod's (or the twin's in the sandbox). */
    restUrl: string | undefined;
    /** Which API each operation uses: auto (v2 where it can), graphql, v2. */
    api: 'auto' | 'graphql' | 'v2';
    sandbox: boolean;
    timeoutMs: number;
    retryBudgetMs: number;
  };
  slack: {
    mode: SlackMode;
    botToken: string | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    port: number;
  };
  dbPath: string;
  /** Postgres URL (may hold a password): set → the Postgres store, shared by replicas; unset → SQLite at dbPath. */
  databaseUrl: string | undefined;
  /** Policy file (roles, approvals, caps); undefined → the built-in default policy. */
  policyPath: string | undefined;
  /** node-cron schedules of the alert scan and the daily digest, and the zone they and alerts use. */
  schedule: { scanCron: string; digestCron: string; timeZone: string };
  /** Where /healthz, /readyz and /metrics are served in Socket Mode and the console (HTTP mode: on PORT). */
  metricsPort: number | undefined;
  /** HTTP mode (Linux): how much lower the app thread's CPU priority is than the ack thread's (0: the same). */
  appThreadNice: number;
  /** The key that seals values kept while a request waits; unset: a key file beside the database. */
  secretKey: string | undefined;
  twinPort: number;
  sandboxSeed: boolean;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  /** Every secret value, so loggers can scrub them wherever they appear. */
  secrets: string[];
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`podbay cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads `.env` from `cwd` when present; variables already set in the environment win. */
export function readDotEnv(cwd: string): Record<string, string> {
  const file = join(cwd, '.env');
  if (!existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  cwd: string = process.cwd(),
): Config {
  const merged = { ...readDotEnv(cwd), ...definedOnly(env) };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const v = parsed.data;
  const problems: string[] = [];
  const mode = slackMode(v, problems);
  if (problems.length) throw new ConfigError(problems);
  return {
    runpod: {
      apiKey: v.RUNPOD_API_KEY,
      graphqlUrl: v.RUNPOD_GRAPHQL_URL,
      restUrl: v.RUNPOD_REST_URL?.replace(/\/+$/, ''),
      api: v.RUNPOD_API,
      sandbox: v.RUNPOD_API_KEY === undefined,
      timeoutMs: v.RUNPOD_TIMEOUT_MS,
      retryBudgetMs: v.RUNPOD_RETRY_BUDGET_MS,
    },
    slack: {
      mode,
      botToken: v.SLACK_BOT_TOKEN,
      signingSecret: v.SLACK_SIGNING_SECRET,
      appToken: v.SLACK_APP_TOKEN,
      apiUrl: v.SLACK_API_URL,
      port: v.PORT,
    },
    dbPath: v.PODBAY_DB_PATH,
    databaseUrl: v.DATABASE_URL,
    policyPath: v.PODBAY_POLICY,
    schedule: { scanCron: v.PODBAY_SCAN_CRON, digestCron: v.PODBAY_DIGEST_CRON, timeZone: v.PODBAY_TZ },
    metricsPort: v.PODBAY_METRICS_PORT,
    appThreadNice: v.PODBAY_APP_THREAD_NICE,
    secretKey: v.PODBAY_SECRET_KEY,
    twinPort: v.PODBAY_TWIN_PORT,
    sandboxSeed: v.PODBAY_SANDBOX_SEED,
    logLevel: v.LOG_LEVEL,
    secrets: [
      v.RUNPOD_API_KEY,
      v.SLACK_BOT_TOKEN,
      v.SLACK_SIGNING_SECRET,
      v.SLACK_APP_TOKEN,
      v.PODBAY_SECRET_KEY,
      ...databaseSecrets(v.DATABASE_URL),
    ].filter((s): s is string => typeof s === 'string' && s.length >= 6),
  };
}

function slackMode(v: z.infer<typeof schema>, problems: string[]): SlackMode {
  const { SLACK_BOT_TOKEN: bot, SLACK_SIGNING_SECRET: secret, SLACK_APP_TOKEN: app } = v;
  if (!bot && !secret && !app) return 'console';
  if (!bot) problems.push('SLACK_BOT_TOKEN: required when SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set');
  if (app) return 'socket';
  if (!secret)
    problems.push('SLACK_SIGNING_SECRET: required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  return 'http';
}

/** The URL and its password (as written and decoded), so a log line carrying either is scrubbed. */
function databaseSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const password = new URL(url).password;
    return password ? [url, password, decodeURIComponent(password)] : [url];
  } catch {
    return [url];
  }
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(env)) if (val !== undefined) out[k] = val;
  return out;
}
