// GPU utilisation scenarios. A sample depends only on (pod seed, gpu index, simulated time),
// so the same run always shows the same numbers, whatever order requests come in.
import { unitHash } from './prng.ts';

export type Scenario = 'busy' | 'idle' | 'bursty';
export const SCENARIOS: readonly Scenario[] = ['busy', 'idle', 'bursty'];

/** Metrics are resampled once per simulated minute, like a real metrics scrape. */
export const SAMPLE_PERIOD_SEC = 60;
/** Bursty pods alternate busy and idle blocks of this length (shorter than a typical idle window). */
export const BURST_BLOCK_SEC = 15 * 60;

export interface GpuSampleValues {
  gpuUtilPercent: number;
  memoryUtilPercent: number;
}

export interface ContainerSampleValues {
  cpuPercent: number;
  memoryPercent: number;
}

const one = (n: number): number => Math.round(n * 10) / 10;

/** Whether a scenario is in a busy phase at simulated second `t`. */
export function isBusyAt(scenario: Scenario, podSeed: number, t: number): boolean {
  if (scenario === 'busy') return true;
  if (scenario === 'idle') return false;
  const phase = podSeed % BURST_BLOCK_SEC;
  return Math.floor((t + phase) / BURST_BLOCK_SEC) % 2 === 0;
}

export function gpuSample(scenario: Scenario, podSeed: number, gpuIndex: number, t: number): GpuSampleValues {
  const bucket = Math.floor(t / SAMPLE_PERIOD_SEC);
  const a = unitHash(podSeed, gpuIndex, bucket, 1);
  const b = unitHash(podSeed, gpuIndex, bucket, 2);
  if (isBusyAt(scenario, podSeed, t)) {
    return { gpuUtilPercent: one(85 + a * 15), memoryUtilPercent: one(70 + b * 25) };
  }
  // Idle: the model usually stays loaded, so memory stays up while compute is near zero.
  return { gpuUtilPercent: one(a * 3), memoryUtilPercent: one(20 + b * 15) };
}

export function containerSample(scenario: Scenario, podSeed: number, t: number): ContainerSampleValues {
  const bucket = Math.floor(t / SAMPLE_PERIOD_SEC);
  const a = unitHash(podSeed, 99, bucket, 3);
  const b = unitHash(podSeed, 99, bucket, 4);
  if (isBusyAt(scenario, podSeed, t))
    return { cpuPercent: one(35 + a * 40), memoryPercent: one(40 + b * 30) };
  return { cpuPercent: one(a * 4), memoryPercent: one(15 + b * 10) };
}
