// SIMULATED data centers and their starting GPU stock. Ids are real RunPod data-center ids;
// which GPUs sit where, and how many, is invented (deterministically, from the ids).
import { GPU_SPECS, type GpuSpec } from './prices.ts';
import { hashString, unitHash } from './prng.ts';

export type Region = 'NORTH_AMERICA' | 'EUROPE' | 'OCEANIA' | 'ASIA';

export interface DataCenterSpec {
  id: string;
  name: string;
  location: string;
  region: Region;
  /** Secure-cloud (RunPod-run) site; otherwise community hosts. */
  secure: boolean;
  storageSupport: boolean;
  listed: boolean;
  countryCode: string;
}

export const DATA_CENTERS: readonly DataCenterSpec[] = [
  dc('US-KS-2', 'Kansas 2', 'United States', 'NORTH_AMERICA', true, true, 'US'),
  dc('US-TX-3', 'Texas 3', 'United States', 'NORTH_AMERICA', true, true, 'US'),
  dc('US-CA-2', 'California 2', 'United States', 'NORTH_AMERICA', true, true, 'US'),
  dc('US-GA-1', 'Georgia 1', 'United States', 'NORTH_AMERICA', false, false, 'US'),
  dc('CA-MTL-1', 'Montreal 1', 'Canada', 'NORTH_AMERICA', true, true, 'CA'),
  dc('EU-RO-1', 'Romania 1', 'Romania', 'EUROPE', true, true, 'RO'),
  dc('EU-SE-1', 'Sweden 1', 'Sweden', 'EUROPE', false, false, 'SE'),
  dc('EUR-IS-1', 'Iceland 1', 'Iceland', 'EUROPE', true, true, 'IS'),
  dc('OC-AU-1', 'Australia 1', 'Australia', 'OCEANIA', false, false, 'AU'),
  dc('AP-JP-1', 'Japan 1', 'Japan', 'ASIA', false, false, 'JP'),
  { ...dc('US-DE-1', 'Delaware 1', 'United States', 'NORTH_AMERICA', true, true, 'US'), listed: false },
];

function dc(
  id: string,
  name: string,
  location: string,
  region: Region,
  secure: boolean,
  storageSupport: boolean,
  countryCode: string,
): DataCenterSpec {
  return { id, name, location, region, secure, storageSupport, listed: true, countryCode };
}

const DC_BY_ID = new Map(DATA_CENTERS.map((d) => [d.id, d]));

export function dataCenterSpec(id: string): DataCenterSpec | undefined {
  return DC_BY_ID.get(id);
}

/** Whether a GPU type can be rented in a data center at all (its cloud must offer it). */
export function offeredIn(gpu: GpuSpec, d: DataCenterSpec): boolean {
  return d.secure ? gpu.securePrice !== null : gpu.communityPrice !== null;
}

/** Key for the stock map. */
export const stockKey = (gpuTypeId: string, dataCenterId: string): string => `${gpuTypeId}|${dataCenterId}`;

/**
 * Starting stock (free GPUs) per GPU type and data center. Each type is offered in roughly
 * two thirds of the sites of its cloud, always in at least one, with 4..23 free GPUs there.
 */
export function initialStock(): Map<string, number> {
  const stock = new Map<string, number>();
  for (const gpu of GPU_SPECS) {
    const sites = DATA_CENTERS.filter((d) => d.listed && offeredIn(gpu, d));
    sites.forEach((d, i) => {
      const h = hashString(`${gpu.id}@${d.id}`);
      if (i > 0 && unitHash(h, 1) > 0.66) return;
      stock.set(stockKey(gpu.id, d.id), 4 + Math.floor(unitHash(h, 2) * 20));
    });
  }
  return stock;
}
