import { type BenchContext, observeLogto } from '../lib/context';
import type { PortalSession } from '../lib/http-session';
import { PORTAL_BUDGET } from '../lib/context';
import { countsPerInterval, maxInWindow, percentile, round, slope } from '../lib/stats';

/** Rows per page of the members table (its default page size). */
export const PAGE_SIZE = 20;
/** A load request that takes longer than this counts as an error (`timeout`). */
export const REQUEST_TIMEOUT_MS = 30_000;
const MEMORY_SAMPLE_EVERY_MS = 1_000;
const IDLE_AFTER_MS = 5_000;
/**
 * Live heap (after a full GC) growing more than this over the second half of the run counts as
 * steady growth; the first half absorbs warm-up (code paths compiled, caches filled).
 */
const STEADY_GROWTH_MB = 5;

/** Item 6's figures and what backs them. */
export type LoadResult = {
  sessions: number;
  durationS: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Requests the portal first answered "busy, retrying" (answered after the wait it asked for). */
  busyAnswered: number;
  /** Live heap after a full GC: before the run, half-way, and after it plus a short idle. */
  heapMb: { before: number; middle: number; after: number };
  /** Resident set size: before, highest seen (sampled every second, no GC), after. */
  rssMb: { before: number; peak: number; after: number };
  /** RSS trend over the second half of the run, MB per minute (no GC: informative only). */
  rssSecondHalfSlopeMbPerMin: number;
  memoryGrowthMb: number;
  hasSteadyGrowth: boolean;
  logtoCallsPerSecond: number;
  /** Requests Logto received per second, and in its busiest budget window (see maxInWindow). */
  logtoPerSecond: number[];
  logtoMaxPerWindow: number;
  method: string;
};

/**
 * One load request as a person waits for it: how long until the answer, what went wrong if it
 * was not a 200, and how many times the portal said "busy" first (the table then waits the
 * answer's Retry-After and asks again, as the bench does).
 */
export type Sample = { ms: number; error?: string; busyRetries?: number };

/** A busy answer's wait before asking again: the body's milliseconds, else Retry-After's seconds. */
function retryDelayMs(response: Response, body: string): number {
  try {
    const parsed = JSON.parse(body) as { error?: { retryAfterMs?: number } };
    if (typeof parsed.error?.retryAfterMs === 'number') return parsed.error.retryAfterMs;
  } catch {
    // Not the portal's JSON: the header decides.
  }
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

/**
 * GETs `url` with a session's cookies the way the table does: a 503 with Retry-After is the
 * portal's "busy, retrying", so it waits and asks again until an answer or the time-out. Never
 * throws (failures become `error`); `body` is the final answer's text.
 */
export async function getLikeTheTable(
  url: string,
  cookie: string,
  accept: string,
  { isPrefetch = false }: { isPrefetch?: boolean } = {},
): Promise<Sample & { body?: string; prefetchRefused?: boolean }> {
  const started = performance.now();
  const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const headers: Record<string, string> = { cookie, accept };
  // The table's prefetch says so, and gives up at a busy answer (lib/prefetch.ts).
  if (isPrefetch) headers.purpose = 'prefetch';
  let busyRetries = 0;
  try {
    for (;;) {
      const response = await fetch(url, { headers, redirect: 'manual', signal });
      const body = await response.text();
      if (isPrefetch && response.status === 503) {
        return { ms: performance.now() - started, busyRetries, prefetchRefused: true };
      }
      if (response.status === 503 && response.headers.has('retry-after')) {
        busyRetries += 1;
        const delay = retryDelayMs(response, body);
        if (performance.now() - started + delay > REQUEST_TIMEOUT_MS) {
          return { ms: performance.now() - started, error: 'busy', busyRetries };
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      const ms = performance.now() - started;
      return response.status === 200
        ? { ms, busyRetries, body }
        : { ms, error: `HTTP ${response.status}`, busyRetries };
    }
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    return {
      ms: performance.now() - started,
      error: name === 'TimeoutError' ? 'timeout' : `network ${name}`,
      busyRetries,
    };
  }
}

/** {@link getLikeTheTable} without the body. */
export async function getOnce(url: string, cookie: string, accept: string): Promise<Sample> {
  const { ms, error, busyRetries } = await getLikeTheTable(url, cookie, accept);
  return { ms, error, busyRetries };
}

/**
 * Item 6: `sessions` signed-in users at once, each opening the members page (server render) and
 * then paging through it with the GET route the table uses, back to back, for the duration.
 * Latency is per request; errors are non-200 answers, network errors and 30 s timeouts. The
 * server's RSS is sampled every second from /proc, and once more after a short idle.
 */
export async function measureLoad(
  context: BenchContext,
  sessions: readonly PortalSession[],
): Promise<LoadResult> {
  const durationMs = (context.isQuick ? 10 : 60) * 1000;
  const pages = Math.floor(context.members / PAGE_SIZE);
  const base = `${context.stack.portalUrl}`;
  const membersPath = `/orgs/${context.orgId}/members`;
  const routePath = `/api/orgs/${context.orgId}/members`;

  // Warm every session once, so "before" is a server that has already served everyone.
  await Promise.all(
    sessions.map((session) => getOnce(`${base}${routePath}?page=1`, session.cookie, 'application/json')),
  );
  const before = await context.stack.measureMemory();

  const memory: { at: number; mb: number }[] = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    memory.push({ at: (performance.now() - started) / 1000, mb: context.stack.serverRssMb() });
  }, MEMORY_SAMPLE_EVERY_MS);
  const middle = new Promise<Awaited<ReturnType<typeof context.stack.measureMemory>>>((resolve, reject) => {
    setTimeout(() => context.stack.measureMemory().then(resolve, reject), durationMs / 2);
  });

  const stopRecording = await context.stack.recordLogtoArrivals();
  const { value: samples, stats } = await observeLogto(context, 'load', async () => {
    const deadline = started + durationMs;
    const all: Sample[] = [];
    await Promise.all(
      sessions.map(async (session, index) => {
        let page = ((index * 37) % pages) + 1;
        all.push(await getOnce(`${base}${membersPath}?page=${page}`, session.cookie, 'text/html'));
        while (performance.now() < deadline) {
          page = (page % pages) + 1;
          all.push(await getOnce(`${base}${routePath}?page=${page}`, session.cookie, 'application/json'));
        }
      }),
    );
    return all;
  });
  const elapsedS = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const arrivals = (await stopRecording()).times.map((at) => [at, 1] as const);

  await new Promise((resolve) => setTimeout(resolve, IDLE_AFTER_MS));
  const after = await context.stack.measureMemory();
  const halfway = await middle;

  const errorKinds: Record<string, number> = {};
  for (const sample of samples) {
    if (sample.error) errorKinds[sample.error] = (errorKinds[sample.error] ?? 0) + 1;
  }
  const latencies = samples.map((sample) => sample.ms);
  const secondHalf = memory.filter((sample) => sample.at >= durationMs / 2000);
  const rssSecondHalfSlopeMbPerMin =
    secondHalf.length >= 2
      ? slope(
          secondHalf.map((sample) => sample.at),
          secondHalf.map((sample) => sample.mb),
        ) * 60
      : 0;

  return {
    sessions: sessions.length,
    durationS: round(elapsedS, 1),
    requests: samples.length,
    rps: round(samples.length / elapsedS, 1),
    p50Ms: round(percentile(latencies, 50), 1),
    p95Ms: round(percentile(latencies, 95), 1),
    errors: Object.values(errorKinds).reduce((sum, count) => sum + count, 0),
    errorKinds,
    busyAnswered: samples.filter((sample) => (sample.busyRetries ?? 0) > 0).length,
    heapMb: {
      before: round(before.heapUsedMb, 1),
      middle: round(halfway.heapUsedMb, 1),
      after: round(after.heapUsedMb, 1),
    },
    rssMb: {
      before: round(before.rssMb, 1),
      peak: round(Math.max(before.rssMb, ...memory.map((sample) => sample.mb)), 1),
      after: round(after.rssMb, 1),
    },
    rssSecondHalfSlopeMbPerMin: round(rssSecondHalfSlopeMbPerMin, 1),
    memoryGrowthMb: round(after.heapUsedMb - before.heapUsedMb, 1),
    hasSteadyGrowth: after.heapUsedMb - halfway.heapUsedMb > STEADY_GROWTH_MB,
    logtoCallsPerSecond: round(stats.apiRequests / elapsedS, 1),
    logtoPerSecond: countsPerInterval(arrivals, 1000),
    logtoMaxPerWindow: maxInWindow(arrivals, PORTAL_BUDGET.windowMs).max,
    method:
      `${sessions.length} sessions signed in over HTTP through the real OIDC flow (next-auth CSRF token → Logto sign-in ` +
      `form → callback), alternating alice and bob; each opens /orgs/{Acme}/members once, then pages through ` +
      `GET /api/orgs/{Acme}/members?page=N back to back for ${durationMs / 1000} s (Node fetch, keep-alive, ` +
      `${REQUEST_TIMEOUT_MS / 1000} s timeout; a 503 with Retry-After, the portal's "busy, retrying", is waited out and ` +
      `asked again as the table does, and the latency runs until the answer). Memory: the server runs with the bench's probe (--expose-gc); live heap ` +
      `after a full GC before the run (after one warm-up request per session), half-way, and ${IDLE_AFTER_MS / 1000} s ` +
      `after it; memoryGrowthMb = heap after − before; steady growth = more than ${STEADY_GROWTH_MB} MB of heap gained ` +
      `over the second half. RSS from /proc every second for the peak. Every request the local Logto received, stamped ` +
      `in its process, gives its requests per second and the busiest ${PORTAL_BUDGET.windowMs / 1000} s window ` +
      `(no rate limit at Logto here: the portal's own limiter is the only one).`,
  };
}
