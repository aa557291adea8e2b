// Joins podbay's ownership records onto live pods: by pod id, else by the claimed unique name
// (a create whose answer was lost has a record without an id).
import type { Pod } from './domain.ts';
import type { PodOwnership } from './ports.ts';

export interface OwnerMatch {
  record: PodOwnership | null;
  /** True when matched by name only: the caller may store the pod id on the record. */
  byNameOnly: boolean;
}

/** For each pod (same order), its ownership record or null (unattributed). */
export function matchOwners(pods: readonly Pod[], records: readonly PodOwnership[]): OwnerMatch[] {
  const byId = new Map<string, PodOwnership>();
  const unclaimedByName = new Map<string, PodOwnership>();
  for (const r of records) {
    if (r.podId !== null) byId.set(r.podId, r);
    else unclaimedByName.set(r.podName, r);
  }
  return pods.map((pod) => {
    const rec = byId.get(pod.id);
    if (rec) return { record: rec, byNameOnly: false };
    const named = unclaimedByName.get(pod.name);
    if (named) {
      unclaimedByName.delete(pod.name);
      return { record: named, byNameOnly: true };
    }
    return { record: null, byNameOnly: false };
  });
}
