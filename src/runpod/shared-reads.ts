// A RunpodApi decorator that shares identical reads for a moment (see coalesceReads).
import type { RunpodApi } from '../services/ports.ts';

/**
 * RunPod reads shared for a moment: when many people ask at once (a channel full of /pod list) RunPod
 * sees one call, not fifty. Any change made through podbay clears them; getPod (used to follow a pod)
 * is never shared. Callers get their own copy of every list.
 */
export function coalesceReads(api: RunpodApi, ttlMs: number): RunpodApi {
  if (ttlMs <= 0) return api;
  const cache = new Map<string, { at: number; p: Promise<unknown> }>();
  const read = <T>(key: string, fn: () => Promise<T[]>): Promise<T[]> => {
    const now = performance.now();
    const hit = cache.get(key);
    if (!hit || now - hit.at >= ttlMs) {
      const p = fn();
      cache.set(key, { at: now, p });
      p.catch(() => cache.delete(key));
      return p.then((xs) => [...xs]);
    }
    return (hit.p as Promise<T[]>).then((xs) => [...xs]);
  };
  const write = async <T>(fn: () => Promise<T>): Promise<T> => {
    cache.clear();
    try {
      return await fn();
    } finally {
      cache.clear();
    }
  };
  const shared: RunpodApi = {
    account: async () =>
      (await read('account', async () => [await api.account()]))[0] as Awaited<
        ReturnType<RunpodApi['account']>
      >,
    listPods: () => read('pods', () => api.listPods()),
    getPod: (id) => api.getPod(id),
    createPod: (spec) => write(() => api.createPod(spec)),
    stopPod: (id) => write(() => api.stopPod(id)),
    resumePod: (id, o) => write(() => api.resumePod(id, o)),
    terminatePod: (id) => write(() => api.terminatePod(id)),
    gpuOffers: (q) => read(`offers:${JSON.stringify(q)}`, () => api.gpuOffers(q)),
    dataCenters: (o) => read(`dcs:${JSON.stringify(o ?? {})}`, () => api.dataCenters(o)),
    listVolumes: () => read('volumes', () => api.listVolumes()),
    createVolume: (i) => write(() => api.createVolume(i)),
    updateVolume: (i) => write(() => api.updateVolume(i)),
    deleteVolume: (id) => write(() => api.deleteVolume(id)),
    listEndpoints: () => read('endpoints', () => api.listEndpoints()),
    createEndpoint: (c) => write(() => api.createEndpoint(c)),
    updateEndpoint: (id, c) => write(() => api.updateEndpoint(id, c)),
    deleteEndpoint: (id) => write(() => api.deleteEndpoint(id)),
    listTemplates: () => read('templates', () => api.listTemplates()),
  };
  // Only where the adapter has them; never shared (logs and billing are asked for one at a time).
  if (api.billingHistory) shared.billingHistory = api.billingHistory.bind(api);
  if (api.spendRate) shared.spendRate = api.spendRate.bind(api);
  if (api.podLogs) shared.podLogs = api.podLogs.bind(api);
  return shared;
}
