// Which RunPod API each operation goes to, per RUNPOD_API: `auto` uses REST v2 wherever v2 has
// the operation and GraphQL only for balance and spot; `graphql` and `v2` use one API alone.
// podbay doctor prints the same table this module routes by.
import type { GpuOffer } from '../services/domain.ts';
import type { RunpodApi } from '../services/ports.ts';

export type ApiMode = 'auto' | 'graphql' | 'v2';
export const API_MODES: readonly ApiMode[] = ['auto', 'graphql', 'v2'];

export type Operation =
  | 'balance'
  | 'list pods'
  | 'create on-demand pod'
  | 'create spot pod'
  | 'stop / resume / terminate'
  | 'resume spot pod'
  | 'GPU prices and stock'
  | 'spot prices'
  | 'data centers'
  | 'network volumes'
  | 'serverless endpoints'
  | 'templates'
  | 'spend per hour'
  | 'billing history'
  | 'pod logs';

type Has = 'both' | 'graphql' | 'v2';

/** What each API offers (runpod-api.md §6; v2 from the official OpenAPI). */
const OFFERED: Record<Operation, Has> = {
  balance: 'graphql',
  'list pods': 'both',
  'create on-demand pod': 'both',
  'create spot pod': 'graphql',
  'stop / resume / terminate': 'both',
  'resume spot pod': 'graphql',
  'GPU prices and stock': 'both',
  'spot prices': 'graphql',
  'data centers': 'both',
  'network volumes': 'both',
  'serverless endpoints': 'both',
  templates: 'both',
  // GraphQL reports RunPod's own rate; v2 adds up running pods and volumes.
  'spend per hour': 'both',
  'billing history': 'v2',
  'pod logs': 'v2',
};

export const OPERATIONS = Object.keys(OFFERED) as Operation[];

export interface Route {
  api: 'graphql' | 'v2' | null;
  why: string;
}

export function routeFor(mode: ApiMode, op: Operation): Route {
  const has = OFFERED[op];
  if (mode === 'auto') {
    if (op === 'spend per hour') return { api: 'graphql', why: 'RunPod’s own figure, beside the balance' };
    if (op === 'list pods') return { api: 'v2', why: 'REST v2 has it; GraphQL only says which pods are spot' };
    if (has === 'graphql')
      return { api: 'graphql', why: 'only GraphQL has it (until RunPod retires GraphQL)' };
    return { api: 'v2', why: has === 'v2' ? 'only REST v2 has it' : 'REST v2 has it' };
  }
  if (mode === 'graphql') {
    if (has === 'v2') return { api: null, why: 'needs REST v2, which RUNPOD_API=graphql switches off' };
    return { api: 'graphql', why: 'RUNPOD_API=graphql' };
  }
  if (has === 'graphql') return { api: null, why: 'needs GraphQL, which RUNPOD_API=v2 switches off' };
  if (op === 'spend per hour') return { api: 'v2', why: 'the sum of running pods and network volumes' };
  return { api: 'v2', why: 'RUNPOD_API=v2' };
}

/**
 * One RunpodApi over the two adapters as `mode` routes. In `auto`, GPU offers come from v2 with
 * spot prices added from GraphQL while it answers (a failure there only loses the spot prices).
 */
export function routedApi(
  mode: ApiMode,
  apis: {
    graphql?: RunpodApi;
    v2?: RunpodApi;
    /** Spot pod ids from GraphQL: v2 lists spot pods as ordinary ones. */
    spotPodIds?: () => Promise<Set<string>>;
  },
): RunpodApi {
  const { graphql, v2, spotPodIds } = apis;
  if (mode === 'graphql') {
    if (!graphql) throw new Error('RUNPOD_API=graphql needs the GraphQL adapter');
    return graphql;
  }
  if (!v2) throw new Error(`RUNPOD_API=${mode} needs the REST v2 adapter`);
  if (mode === 'v2') return v2;
  if (!graphql) throw new Error('RUNPOD_API=auto needs the GraphQL adapter');
  const api: RunpodApi = {
    account: () => graphql.account(),
    listPods: async () => {
      // While GraphQL answers, spot pods keep their kind (their Resume must bid); else v2 alone.
      const [pods, spot] = await Promise.all([v2.listPods(), spotPodIds?.().catch(() => null) ?? null]);
      if (!spot?.size) return pods;
      return pods.map((p) => (spot.has(p.id) ? { ...p, kind: 'spot' as const } : p));
    },
    getPod: (id) => v2.getPod(id),
    createPod: (spec) => (spec.kind === 'spot' ? graphql.createPod(spec) : v2.createPod(spec)),
    stopPod: (id) => v2.stopPod(id),
    resumePod: (id, o) => (o.kind === 'spot' ? graphql.resumePod(id, o) : v2.resumePod(id, o)),
    terminatePod: (id) => v2.terminatePod(id),
    gpuOffers: async (q) => {
      const [offers, spot] = await Promise.all([v2.gpuOffers(q), graphql.gpuOffers(q).catch(() => null)]);
      return spot ? withSpotPrices(offers, spot) : offers;
    },
    dataCenters: (o) => v2.dataCenters(o),
    listVolumes: () => v2.listVolumes(),
    createVolume: (i) => v2.createVolume(i),
    updateVolume: (i) => v2.updateVolume(i),
    deleteVolume: (id) => v2.deleteVolume(id),
    listEndpoints: () => v2.listEndpoints(),
    createEndpoint: (c) => v2.createEndpoint(c),
    updateEndpoint: (id, c) => v2.updateEndpoint(id, c),
    deleteEndpoint: (id) => v2.deleteEndpoint(id),
    listTemplates: () => v2.listTemplates(),
  };
  if (v2.billingHistory) api.billingHistory = v2.billingHistory.bind(v2);
  if (v2.podLogs) api.podLogs = v2.podLogs.bind(v2);
  return api;
}

function withSpotPrices(offers: GpuOffer[], spot: GpuOffer[]): GpuOffer[] {
  const byId = new Map(spot.map((o) => [o.id, o]));
  return offers.map((o) => {
    const s = byId.get(o.id);
    if (!s) return o;
    return {
      ...o,
      secureSpotPrice: s.secureSpotPrice,
      communitySpotPrice: s.communitySpotPrice,
      lowest: o.lowest ? { ...o.lowest, minimumBidPrice: s.lowest?.minimumBidPrice ?? null } : s.lowest,
    };
  });
}
