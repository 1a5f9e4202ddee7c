/**
 * The `p`-th percentile (0–100) of `samples` by linear interpolation between closest ranks
 * (the method of NumPy's default and most spreadsheets). Throws on an empty sample.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error('percentile of an empty sample');
  if (p < 0 || p > 100) throw new Error(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

/** The median to one decimal, or null for an empty sample (a figure some runs cannot give). */
export function medianOrNull(samples: readonly number[]): number | null {
  return samples.length === 0 ? null : round(percentile(samples, 50), 1);
}

/** Arithmetic mean; throws on an empty sample. */
export function mean(samples: readonly number[]): number {
  if (samples.length === 0) throw new Error('mean of an empty sample');
  return samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

/** Rounds to `digits` decimals (for reports, never for computation). */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Least-squares slope of `values` against `times` (units of value per unit of time), used to tell
 * a steady memory climb from noise.
 */
export function slope(times: readonly number[], values: readonly number[]): number {
  if (times.length !== values.length || times.length < 2) {
    throw new Error('slope needs two or more paired samples');
  }
  const meanTime = mean(times);
  const meanValue = mean(values);
  let covariance = 0;
  let variance = 0;
  for (let index = 0; index < times.length; index += 1) {
    const dt = times[index]! - meanTime;
    covariance += dt * (values[index]! - meanValue);
    variance += dt * dt;
  }
  if (variance === 0) throw new Error('slope needs samples at different times');
  return covariance / variance;
}

/** Events at known times (ms, ascending), each with a weight (1 per request, n per block of permits). */
export type TimedEvents = ReadonlyArray<readonly [atMs: number, weight: number]>;

/**
 * The most weight in any window of `windowMs`, counted as a sliding-window rate limiter counts
 * it (what fell in `(t − windowMs, t]`), and where the first such window ends.
 */
export function maxInWindow(events: TimedEvents, windowMs: number): { max: number; endsAtMs: number } {
  let max = 0;
  let endsAtMs = 0;
  let inWindow = 0;
  let start = 0;
  for (const [at, weight] of events) {
    inWindow += weight;
    while (events[start]![0] <= at - windowMs) {
      inWindow -= events[start]![1];
      start += 1;
    }
    if (inWindow > max) {
      max = inWindow;
      endsAtMs = at;
    }
  }
  return { max, endsAtMs };
}

/** The weight of `events` per interval of `intervalMs` from time 0, empty intervals included. */
export function countsPerInterval(events: TimedEvents, intervalMs: number): number[] {
  const counts: number[] = [];
  for (const [at, weight] of events) {
    const interval = Math.floor(at / intervalMs);
    while (counts.length <= interval) counts.push(0);
    counts[interval]! += weight;
  }
  return counts;
}
