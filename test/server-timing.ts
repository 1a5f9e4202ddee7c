/** One metric of a `Server-Timing` header. */
export type ServerTimingMetric = { durMs: number; description: string };

/**
 * Reads a `Server-Timing` header (`name;dur=1.2;desc="…", …`) into its metrics by name. Metrics
 * without a duration are left out; an absent header gives an empty map.
 */
export function readServerTiming(header: string | null | undefined): Map<string, ServerTimingMetric> {
  const metrics = new Map<string, ServerTimingMetric>();
  // Commas may sit inside a quoted description, so split only before the next metric's name.
  for (const metric of (header ?? '').split(/,\s*(?=[\w-]+(?:;|,|$))/)) {
    const [name, ...params] = metric.trim().split(';');
    const dur = params.find((param) => param.startsWith('dur='));
    if (!name || dur === undefined) continue;
    const desc = params.find((param) => param.startsWith('desc='))?.slice('desc='.length) ?? '';
    metrics.set(name, { durMs: Number(dur.slice('dur='.length)), description: desc.replace(/^"|"$/g, '') });
  }
  return metrics;
}

/** How many Logto calls the portal's `logto` metric says it made ("Logto answers, 2 calls"). */
export function logtoCallsOf(metrics: Map<string, ServerTimingMetric>): number | undefined {
  const match = /(\d+) calls?$/.exec(metrics.get('logto')?.description ?? '');
  return match ? Number(match[1]) : undefined;
}
