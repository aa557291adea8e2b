// /pod: list, status, create (modal or arguments), stop / resume / terminate.
import { createHash } from 'node:crypto';
import { asPodbayError } from '../../services/errors.ts';
import { NO_LIFETIME, parseStopAfter, podProblems, problemsSentence } from '../../services/pod-rules.ts';
import { formatDuration } from '../../services/policy-units.ts';
import type { PodScope } from '../../services/pods.ts';
import { openCreateModal, startCreate } from '../actions/create-pod.ts';
import { confirmTerminate, runPodAction, showPodList, showPodStatus } from '../actions/pod-buttons.ts';
import { type HandlerDeps, requesterOf } from '../deps.ts';
import type { Routes } from '../routes.ts';
import { COMMANDS } from '../ids.ts';
import { ackUsage, ephemeral, withErrors } from '../reply.ts';
import { errorMessage } from '../views/common.ts';
import type { CreatePrefill } from '../views/create-modal.ts';
import { quoteWord, splitOptions, tokenize, type Usage, usage } from './args.ts';
import { POD_LOGS_HELP, type PodLogsCommand, parsePodLogs, showPodLogs } from './pod-logs.ts';

export const POD_HELP = `/pod list [mine|all]        pods with owner, cost and buttons (default: all)
/pod status <pod>           one pod: status, GPU use, how to connect
/pod create                 opens the create form (with a live quote)
/pod create gpu=<gpu> [count=2] [spot | bid=0.35] [image=<image> | template=<id>]
            [disk=50] [volume=20] [network-volume=<id>] [ports=8888/http,22/tcp] [for="what it is for"]
            [stop_after=8h | stop_after=none]
                            creates right away (env variables: use the form)
                            stop_after: podbay stops the pod that long after creating it (15m to 30d);
                            left out, your role's default from the policy applies (none: no stop)
/pod stop <pod>             stop (billing for the GPU stops; the volume is kept)
/pod resume <pod>           start a stopped pod again
/pod terminate <pod>        delete a pod for good (asks you to confirm)
${POD_LOGS_HELP}
<pod> is a pod id or name (a unique part of the name is enough).`;

export interface PodCreateArgs {
  /** The GPU as typed (resolved against the catalog by the handler). */
  gpu: string | undefined;
  prefill: CreatePrefill;
}

export type PodCommand =
  | { kind: 'list'; scope: PodScope }
  | { kind: 'status'; ref: string }
  | { kind: 'create'; args: PodCreateArgs | null }
  | { kind: 'stop' | 'resume' | 'terminate'; ref: string }
  | PodLogsCommand;

const CREATE_KEYS = [
  'gpu',
  'count',
  'bid',
  'image',
  'template',
  'disk',
  'volume',
  'network-volume',
  'ports',
  'for',
  'stop_after',
  'stop-after',
];

export function parsePod(text: string): PodCommand | Usage {
  const words = tokenize(text);
  if (words === null) return usage('A quote is not closed.');
  const [sub, ...rest] = words;
  const verb = sub?.toLowerCase();
  switch (verb) {
    case undefined:
      return { kind: 'list', scope: 'all' };
    case 'help':
    case '-h':
    case '--help':
      return usage();
    case 'list':
    case 'ls': {
      if (rest.length > 1) return usage('`/pod list` takes at most one word: mine or all.');
      const scope = (rest[0] ?? 'all').toLowerCase();
      if (scope !== 'mine' && scope !== 'all')
        return usage(`\`/pod list\` shows \`mine\` or \`all\`, not “${quoteWord(rest[0] ?? '')}”.`);
      return { kind: 'list', scope };
    }
    case 'status':
    case 'stop':
    case 'resume':
    case 'terminate': {
      if (rest.length === 0) return usage(`Which pod? \`/pod ${verb} <pod id or name>\``);
      if (rest.length > 1)
        return usage(`\`/pod ${verb}\` takes one pod id or name; put a name with spaces in quotes.`);
      const ref = (rest[0] ?? '').trim();
      if (ref === '' || ref.length > 200) return usage(`Which pod? \`/pod ${verb} <pod id or name>\``);
      return { kind: verb, ref };
    }
    case 'create':
    case 'new':
      return parseCreate(rest);
    case 'logs':
      return parsePodLogs(rest);
    default:
      return usage(`\`/pod\` has no “${quoteWord(sub ?? '')}” command.`);
  }
}

function parseCreate(words: string[]): { kind: 'create'; args: PodCreateArgs | null } | Usage {
  if (words.length === 0) return { kind: 'create', args: null };
  const { plain, options } = splitOptions(words);
  const flags = plain.map((w) => w.toLowerCase());
  const unknownFlag = flags.find((f) => f !== 'spot' && f !== 'on-demand');
  if (unknownFlag !== undefined)
    return usage(`\`/pod create\` does not know “${quoteWord(unknownFlag)}”; options are written key=value.`);
  if (options.has('env'))
    return usage(
      'Environment variables can only be given in the create form, so their values stay private: `/pod create`.',
    );
  const badKey = [...options.keys()].find((k) => !CREATE_KEYS.includes(k));
  if (badKey !== undefined) return usage(`\`/pod create\` has no option “${quoteWord(badKey)}”.`);

  const prefill: CreatePrefill = {};
  const gpu = options.get('gpu')?.trim();
  if (options.has('gpu') && !gpu) return usage('gpu= needs a GPU, e.g. gpu=a6000.');
  // Numbers as typed; a word where a number goes becomes NaN and the pod rules say what is wanted.
  const num = (k: string) => {
    const v = options.get(k);
    return v === undefined
      ? undefined
      : /^\$?\d+(\.\d+)?$/.test(v)
        ? Number(v.replace(/^\$/, ''))
        : Number.NaN;
  };
  const count = num('count');
  if (count !== undefined) prefill.gpuCount = count;
  const bid = num('bid');
  if (bid !== undefined) prefill.bidPerGpu = bid;
  if (flags.includes('spot') || bid !== undefined) prefill.kind = 'spot';
  if (flags.includes('on-demand')) {
    if (prefill.kind === 'spot') return usage('Choose spot or on-demand, not both.');
    prefill.kind = 'on-demand';
  }
  const image = options.get('image');
  if (image !== undefined) prefill.image = image;
  const template = options.get('template');
  if (template !== undefined) prefill.templateId = template;
  const disk = num('disk');
  if (disk !== undefined) prefill.diskGb = disk;
  const volume = num('volume');
  if (volume !== undefined) prefill.volumeGb = volume;
  const nv = options.get('network-volume');
  if (nv !== undefined) prefill.networkVolumeId = nv;
  const ports = options.get('ports');
  if (ports !== undefined) prefill.ports = ports;
  const label = options.get('for');
  if (label !== undefined) prefill.label = label.trim();
  const stopAfter = options.get('stop_after') ?? options.get('stop-after');
  if (stopAfter !== undefined) {
    try {
      const ms = parseStopAfter(stopAfter);
      prefill.stopAfter = ms === null ? NO_LIFETIME : formatDuration(ms);
    } catch (e) {
      return usage(`${asPodbayError(e).userMessage} \`stop_after=none\` means no automatic stop.`);
    }
  }
  // The same rules as the form and the service (the GPU's own maximum is checked once it is known).
  const problems = podProblems({
    ...(prefill.label !== undefined ? { label: prefill.label } : {}),
    ...(prefill.gpuCount !== undefined ? { gpuCount: prefill.gpuCount } : {}),
    ...(prefill.kind !== undefined ? { kind: prefill.kind } : {}),
    ...(prefill.bidPerGpu !== undefined ? { bidPerGpu: prefill.bidPerGpu } : {}),
    ...(prefill.image !== undefined ? { imageName: prefill.image } : {}),
    ...(prefill.templateId !== undefined ? { templateId: prefill.templateId } : {}),
    ...(prefill.diskGb !== undefined ? { containerDiskInGb: prefill.diskGb } : {}),
    ...(prefill.volumeGb !== undefined ? { volumeInGb: prefill.volumeGb } : {}),
    ...(prefill.networkVolumeId !== undefined ? { networkVolumeId: prefill.networkVolumeId } : {}),
    ...(prefill.ports !== undefined ? { ports: prefill.ports } : {}),
  });
  if (problems.length) return usage(problemsSentence(problems));
  return { kind: 'create', args: { gpu, prefill } };
}

/** The identity of one typed create: Slack's trigger id is unique per invocation. */
export function createKey(triggerId: string, userId: string, text: string): string {
  return `cmd:${createHash('sha256').update(`${triggerId}\n${userId}\n${text}`).digest('hex').slice(0, 32)}`;
}

export function registerPodCommand(app: Routes, deps: HandlerDeps): void {
  app.command(COMMANDS.pod, async ({ command, ack, respond, client }) => {
    const parsed = parsePod(command.text);
    if (parsed.kind === 'usage') return ackUsage(ack, COMMANDS.pod, POD_HELP, parsed.problem);
    const requester = requesterOf({ id: command.user_id, name: command.user_name }, command.team_id);
    const meta = { channel: command.channel_id, team: command.team_id };

    if (parsed.kind === 'create' && deps.access?.quickAllows(command.user_id, 'pod.create') === false) {
      // Known at once from the policy: say so instead of opening a form that cannot be submitted.
      const refused = await deps.access.authorize(requester, 'pod.create').catch((e: unknown) => e);
      return ack(ephemeral(errorMessage(refused)));
    }
    if (parsed.kind === 'create' && (parsed.args === null || parsed.args.gpu === undefined)) {
      await ack();
      // The trigger id lives 3 s: open the form before any RunPod call.
      await openCreateModal(
        deps,
        client,
        command.trigger_id,
        parsed.args?.prefill ?? {},
        meta,
        command.user_id,
        respond,
      );
      return;
    }
    await ack();
    deps.work.run(`/pod ${parsed.kind}`, (signal) =>
      withErrors(deps, respond, async () => {
        switch (parsed.kind) {
          case 'list':
            return showPodList(deps, respond, { scope: parsed.scope, page: 0, userId: command.user_id });
          case 'status':
            return showPodStatus(deps, respond, parsed.ref, false);
          case 'create': {
            const args = parsed.args as PodCreateArgs;
            const gpu = deps.gpu.resolveGpu(args.gpu ?? '');
            if (!gpu) {
              await respond(
                ephemeral(
                  `I do not know the GPU “${quoteWord(args.gpu ?? '')}”. \`/gpu prices\` lists them; \`/pod create\` opens the form.`,
                ),
              );
              return;
            }
            return startCreate(
              deps,
              client,
              { ...args.prefill, gpuTypeId: gpu },
              null,
              requester,
              meta,
              signal,
              // A replayed signed request carries the same trigger and text: it creates nothing new.
              { respond, idempotencyKey: createKey(command.trigger_id, command.user_id, command.text) },
            );
          }
          case 'terminate':
            return confirmTerminate(deps, respond, parsed.ref);
          case 'logs':
            return showPodLogs(deps, respond, parsed);
          default:
            return runPodAction(deps, respond, parsed.kind, parsed.ref, requester, false);
        }
      }),
    );
  });
}
