// /endpoint: serverless endpoints.
import type { CreateEndpointRequest, UpdateEndpointRequest } from '../../services/endpoints.ts';
import { type HandlerDeps, requesterOf } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { ACTIONS, COMMANDS } from '../ids.ts';
import { ackThenAnswer, ackUsage } from '../reply.ts';
import { deleteConfirmMessage } from '../views/common.ts';
import { endpointActionMessage, endpointListMessage } from '../views/endpoints.ts';
import { parseIntIn, quoteWord, splitOptions, tokenize, type Usage, usage, refAndReason } from './args.ts';

export const ENDPOINT_HELP = `/endpoint list [page]
/endpoint create <name> <template-id> <gpu-pool[,pool]> [option=value…]
/endpoint update <endpoint> option=value…
/endpoint delete <endpoint> [why="…"]       scales workers to 0 first, then deletes
Options: workers-min=0 workers-max=3 gpus=1 idle=5 (s) scaler=queue-delay|request-count
         scaler-value=4 flashboot=on|off network-volume=<id>|none execution-timeout=600 (s)
GPU pools look like AMPERE_48, ADA_24, HOPPER_141. <endpoint> is an id or a name.`;

type Change = UpdateEndpointRequest;

export type EndpointCommand =
  | { kind: 'list'; page: number }
  | { kind: 'create'; request: CreateEndpointRequest }
  | { kind: 'update'; ref: string; change: Change }
  | { kind: 'delete'; ref: string; why: string | null };

const KEYS = [
  'workers-min',
  'workers-max',
  'gpus',
  'idle',
  'scaler',
  'scaler-value',
  'flashboot',
  'network-volume',
  'execution-timeout',
  'template',
  'name',
  'pools',
];

function parseChange(options: Map<string, string>, allowIdentity: boolean): Change | Usage {
  const c: Change = {};
  for (const [key, raw] of options) {
    if (!KEYS.includes(key) || (!allowIdentity && (key === 'template' || key === 'name' || key === 'pools')))
      return usage(`Unknown option “${quoteWord(key)}”.`);
    const int = (min: number, max: number) => parseIntIn(raw, min, max);
    switch (key) {
      case 'workers-min':
      case 'workers-max':
      case 'gpus':
      case 'idle':
      case 'scaler-value':
      case 'execution-timeout': {
        const [min, max] =
          key === 'gpus'
            ? [1, 8]
            : key === 'idle'
              ? [1, 3600]
              : key === 'execution-timeout'
                ? [1, 86_400]
                : key === 'scaler-value'
                  ? [1, 1000]
                  : [0, 100];
        const n = int(min, max);
        if (n === null) return usage(`${key}= is a whole number from ${min} to ${max}.`);
        if (key === 'workers-min') c.workersMin = n;
        else if (key === 'workers-max') c.workersMax = n;
        else if (key === 'gpus') c.gpuCount = n;
        else if (key === 'idle') c.idleTimeoutSec = n;
        else if (key === 'scaler-value') c.scalerValue = n;
        else c.executionTimeoutMs = n * 1000;
        break;
      }
      case 'scaler': {
        const v = raw.toLowerCase();
        if (v === 'queue-delay') c.scalerType = 'QUEUE_DELAY';
        else if (v === 'request-count') c.scalerType = 'REQUEST_COUNT';
        else return usage('scaler= is queue-delay or request-count.');
        break;
      }
      case 'flashboot': {
        const v = raw.toLowerCase();
        if (['on', 'true', 'yes'].includes(v)) c.flashBoot = true;
        else if (['off', 'false', 'no'].includes(v)) c.flashBoot = false;
        else return usage('flashboot= is on or off.');
        break;
      }
      case 'network-volume':
        if (raw.toLowerCase() === 'none') c.networkVolumeId = null;
        else if (/^[\w-]{1,100}$/.test(raw)) c.networkVolumeId = raw;
        else return usage('network-volume= is a volume id or none.');
        break;
      case 'template':
        if (!/^[\w-]{1,100}$/.test(raw)) return usage('template= is a template id.');
        c.templateId = raw;
        break;
      case 'name':
        if (raw.trim() === '' || raw.length > 100) return usage('name= is 1 to 100 characters.');
        c.name = raw.trim();
        break;
      case 'pools': {
        const pools = parsePools(raw);
        if (!pools) return usage('pools= is a comma-separated list like AMPERE_48,ADA_48_PRO.');
        c.gpuPoolIds = pools;
        break;
      }
    }
  }
  return c;
}

function parsePools(raw: string): string[] | null {
  const pools = raw.split(',').map((p) => p.trim().toUpperCase());
  return pools.length > 0 && pools.length <= 10 && pools.every((p) => /^[A-Z0-9_]{2,40}$/.test(p))
    ? pools
    : null;
}

export function parseEndpoint(text: string): EndpointCommand | Usage {
  const words = tokenize(text);
  if (words === null) return usage('A quote is not closed.');
  const [sub, ...rest] = words;
  const { plain: a, options } = splitOptions(rest);
  switch (sub?.toLowerCase()) {
    case undefined:
      return { kind: 'list', page: 0 };
    case 'help':
      return usage();
    case 'list':
    case 'ls': {
      if (rest.length > 1) return usage('`/endpoint list` takes at most a page number.');
      if (rest.length === 0) return { kind: 'list', page: 0 };
      const page = parseIntIn(rest[0], 1, 10_000);
      return page === null
        ? usage('The page is a number, e.g. `/endpoint list 2`.')
        : { kind: 'list', page: page - 1 };
    }
    case 'create': {
      if (a.length !== 3)
        return usage('`/endpoint create <name> <template-id> <gpu-pool[,pool]> [option=value…]`');
      const [name, template, poolText] = a as [string, string, string];
      if (name.trim() === '' || name.length > 100) return usage('The name is 1 to 100 characters.');
      if (!/^[\w-]{1,100}$/.test(template)) return usage(`“${quoteWord(template)}” is not a template id.`);
      const pools = parsePools(poolText);
      if (!pools)
        return usage(`“${quoteWord(poolText)}” is not a GPU pool list (e.g. AMPERE_48,ADA_48_PRO).`);
      const change = parseChange(options, false);
      if ('kind' in change) return change;
      const request: CreateEndpointRequest = { name: name.trim(), templateId: template, gpuPoolIds: pools };
      if (change.gpuCount !== undefined) request.gpuCount = change.gpuCount;
      if (change.workersMin !== undefined) request.workersMin = change.workersMin;
      if (change.workersMax !== undefined) request.workersMax = change.workersMax;
      if (change.idleTimeoutSec !== undefined) request.idleTimeoutSec = change.idleTimeoutSec;
      if (change.scalerType !== undefined) request.scalerType = change.scalerType;
      if (change.scalerValue !== undefined) request.scalerValue = change.scalerValue;
      if (change.flashBoot !== undefined) request.flashBoot = change.flashBoot;
      if (change.networkVolumeId !== undefined) request.networkVolumeId = change.networkVolumeId;
      if (change.executionTimeoutMs !== undefined) request.executionTimeoutMs = change.executionTimeoutMs;
      return { kind: 'create', request };
    }
    case 'update':
    case 'set': {
      if (a.length !== 1 || (a[0] ?? '').trim() === '')
        return usage('`/endpoint update <endpoint> option=value…`');
      if (options.size === 0)
        return usage('Say what to change, e.g. `/endpoint update my-endpoint workers-max=5`.');
      const change = parseChange(options, true);
      if ('kind' in change) return change;
      return { kind: 'update', ref: (a[0] as string).trim(), change };
    }
    case 'delete':
    case 'rm': {
      const r = refAndReason(rest, '`/endpoint delete <endpoint> [why="…"]`');
      return 'kind' in r ? r : { kind: 'delete', ...r };
    }
    default:
      return usage(`\`/endpoint\` has no “${quoteWord(sub ?? '')}” command.`);
  }
}

export function registerEndpointCommand(app: Routes, deps: HandlerDeps): void {
  app.command(COMMANDS.endpoint, async ({ command, ack, respond }) => {
    const parsed = parseEndpoint(command.text);
    if (parsed.kind === 'usage') return ackUsage(ack, COMMANDS.endpoint, ENDPOINT_HELP, parsed.problem);
    const requester = requesterOf({ id: command.user_id, name: command.user_name }, command.team_id);
    const s = deps.endpoints;
    if (parsed.kind === 'delete') {
      // Show what goes and ask first (the button carries the exact id).
      return ackThenAnswer(deps, ack, respond, '/endpoint delete', async () => {
        const e = await s.previewDelete(parsed.ref, requester);
        const workers =
          e.workersMin || e.workersMax
            ? ` Its workers (min ${e.workersMin}, max ${e.workersMax}) are scaled to 0 first.`
            : '';
        return deleteConfirmMessage({
          what: 'endpoint',
          id: e.id,
          name: e.name,
          detail: `Requests to it will fail.${workers}`,
          actionId: ACTIONS.endpointDelete,
          why: parsed.why,
        });
      });
    }
    await ackThenAnswer(deps, ack, respond, `/endpoint ${parsed.kind}`, async () =>
      parsed.kind === 'list'
        ? endpointListMessage(await s.list(), parsed.page)
        : endpointActionMessage(
            parsed.kind === 'create'
              ? await s.create(parsed.request, requester)
              : await s.update(parsed.ref, parsed.change, requester),
          ),
    );
  });
}
