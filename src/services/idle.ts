// Whether a pod is idle, from its utilisation samples alone (pure). A sample is the highest GPU
// utilisation of the pod at one scan, or null when it is unknown (no runtime yet, a GPU missing
// from the answer, a GPU without a number). Unknown never counts as idle: a stretch of idle
// samples is broken by an unknown one, by a gap longer than allowed, and ended by a busy one.

/** [time (ms), highest GPU utilisation in percent, or null when unknown]. */
export type Sample = readonly [atMs: number, maxUtil: number | null];

export interface IdleRule {
  /** A sample below this (percent) is idle. */
  utilBelowPercent: number;
  /** The idle stretch must cover this long. */
  forMs: number;
  /** Longest allowed time between two samples (and since the last one). */
  maxGapMs: number;
}

export type IdleVerdict =
  | { state: 'idle'; sinceMs: number }
  /** Below the line, but not yet for the whole window. */
  | { state: 'quiet'; sinceMs: number }
  | { state: 'busy' }
  | { state: 'unknown' };

/** The samples of one pod, oldest first. */
export function idleVerdict(samples: readonly Sample[], nowMs: number, rule: IdleRule): IdleVerdict {
  const n = samples.length;
  if (n === 0) return { state: 'unknown' };
  const last = samples[n - 1] as Sample;
  if (nowMs - last[0] > rule.maxGapMs || last[1] === null) return { state: 'unknown' };
  if (last[1] >= rule.utilBelowPercent) return { state: 'busy' };
  let since = last[0];
  for (let i = n - 2; i >= 0; i--) {
    const s = samples[i] as Sample;
    if (s[1] === null || s[1] >= rule.utilBelowPercent || since - s[0] > rule.maxGapMs) break;
    since = s[0];
  }
  return nowMs - since >= rule.forMs ? { state: 'idle', sinceMs: since } : { state: 'quiet', sinceMs: since };
}

/** Keeps the samples newer than `keepMs` before now, appending `next` (bounded, oldest first). */
export function appendSample(samples: readonly Sample[], next: Sample, keepMs: number): Sample[] {
  const from = next[0] - keepMs;
  const n = samples.length;
  let start = 0;
  while (start < n && (samples[start] as Sample)[0] < from) start++;
  // A second scan in the same instant replaces the first sample rather than adding one.
  const end = start < n && (samples[n - 1] as Sample)[0] === next[0] ? n - 1 : n;
  // Copied once into an array of the final length: slice-then-push copied every window twice
  // (the push grows the array), the largest allocation of a scan over thousands of pods.
  const out: Sample[] = new Array(end - start + 1);
  for (let i = start; i < end; i++) out[i - start] = samples[i] as Sample;
  out[end - start] = next;
  return out;
}
