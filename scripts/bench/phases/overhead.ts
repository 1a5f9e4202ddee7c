import { logtoCallsOf, readServerTiming } from '../../../test/server-timing';
import { type BenchContext, observeLogto } from '../lib/context';
import { medianOrNull, percentile, round } from '../lib/stats';

const PAGE_SIZE = 20;
/**
 * A Management API round trip to a hosted Logto from a server in the same region takes tens of
 * milliseconds; the local Logto answers in a few. The second measurement adds this much to every
 * Logto answer, to show the same portal against a realistic distance.
 */
const MODELLED_LOGTO_LATENCY_MS = 40;
/**
 * Pairs start at least this far apart: the route's calls then stay under the request budget's
 * pace (200 per 10 s: one permit per 50 ms), so the ratio is the portal's overhead, not time spent
 * waiting for permits that back-to-back pairs would use up.
 */
const MIN_PAIR_INTERVAL_MS = 75;

/** Item 2's figures and what backs them. */
export type OverheadResult = {
  p50: number;
  p95: number;
  samples: number;
  routeP50Ms: number;
  routeP95Ms: number;
  rawP50Ms: number;
  rawP95Ms: number;
  /**
   * The route's own report (`Server-Timing`, requests that made exactly the page's one Logto call),
   * p50 ms: its handler from start to answer, and Logto's answer inside it. The route's time beyond
   * the handler is Next's request handling and HTTP on both ends.
   */
  handler: RouteTiming;
  /** Management API calls the portal made per GET members request. */
  logtoCallsPerRouteRequest: number;
  /** Where the time goes besides Logto, p50 ms over a few extra calls (see `measureBreakdown`). */
  breakdown: { cachedRouteP50Ms: number; refusedRouteP50Ms: number; samples: number };
  /** The same ratio with {@link MODELLED_LOGTO_LATENCY_MS} added to every Logto answer (the hosted target figure, `overheadHostedP50`). */
  atModelledLatency: PairSummary & { latencyMs: number };
  method: string;
};

async function timed(request: () => Promise<Response>, what: string, expectedStatus = 200): Promise<number> {
  return (await timedResponse(request, what, expectedStatus)).elapsedMs;
}

/** One request, timed until its whole body arrived; throws unless it answered `expectedStatus`. */
export async function timedResponse(
  request: () => Promise<Response>,
  what: string,
  expectedStatus = 200,
): Promise<{ elapsedMs: number; headers: Headers }> {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  const elapsedMs = performance.now() - started;
  if (response.status !== expectedStatus) throw new Error(`${what}: HTTP ${response.status}`);
  return { elapsedMs, headers: response.headers };
}

type RouteTiming = { handlerP50Ms: number | null; logtoP50Ms: number | null; samples: number };
/** One route request's own report: its handler from start to answer, and Logto's answer inside it. */
type HandlerSample = { handlerMs: number; logtoMs: number };

/** The route's own report of its handler and Logto's answer, when it made exactly one call (the page's). */
function oneCallTiming(headers: Headers): HandlerSample | undefined {
  const metrics = readServerTiming(headers.get('server-timing'));
  const handlerMs = metrics.get('total')?.durMs;
  const logtoMs = metrics.get('logto')?.durMs;
  if (logtoCallsOf(metrics) !== 1 || handlerMs === undefined || logtoMs === undefined) return undefined;
  return { handlerMs, logtoMs };
}

function routeTiming(samples: HandlerSample[]): RouteTiming {
  return {
    handlerP50Ms: medianOrNull(samples.map((sample) => sample.handlerMs)),
    logtoP50Ms: medianOrNull(samples.map((sample) => sample.logtoMs)),
    samples: samples.length,
  };
}

/** The portal's GET members route for one page, as the table asks for it: with alice's session, or without one. */
function membersRoute(context: BenchContext, page: number, { signedIn = true } = {}): Promise<Response> {
  return fetch(`${context.stack.portalUrl}/api/orgs/${context.orgId}/members?page=${page}`, {
    headers: { accept: 'application/json', ...(signedIn ? { cookie: context.alice.cookie } : {}) },
  });
}

/**
 * Where the route's time goes besides Logto, p50 over a few extra calls of the same route: answered
 * from the portal's read cache (a page it just read: the session, the access check and the answer,
 * no Logto call), and refused for want of a session (Next's routing, the handler and a JSON answer,
 * no work at all: the floor of any portal request).
 */
async function measureBreakdown(
  context: BenchContext,
  samples: number,
): Promise<OverheadResult['breakdown']> {
  await timed(() => membersRoute(context, 1), 'GET members route');
  const cached: number[] = [];
  const refused: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    cached.push(await timed(() => membersRoute(context, 1), 'GET members route, page just read'));
    refused.push(
      await timed(
        () => membersRoute(context, 1, { signedIn: false }),
        'GET members route without a session',
        401,
      ),
    );
  }
  return {
    cachedRouteP50Ms: round(percentile(cached, 50), 1),
    refusedRouteP50Ms: round(percentile(refused, 50), 1),
    samples,
  };
}

/**
 * Item 2: latency of the portal's members read path (the GET route handler the table pages
 * through) divided by the latency of the raw Management API list call it wraps, same query
 * (same page, page_size 20), interleaved one after the other in the same run.
 */
export async function measureOverhead(context: BenchContext): Promise<OverheadResult> {
  const measured = context.isQuick ? 60 : 200;
  const warmUp = context.isQuick ? 5 : 20;
  const pages = Math.floor(context.members / PAGE_SIZE);

  const { value: pairs, stats } = await observeLogto(context, 'overhead', () =>
    measurePairs(membersPairs(context), { warmUp, measured, pages, firstPage: 1 }),
  );
  const total = warmUp + measured;
  const breakdown = await measureBreakdown(context, context.isQuick ? 10 : 60);
  // Pages the pairs above did not read: the portal's short read cache must not answer them.
  const atModelledLatency = await measureAtModelledLatency(context, {
    warmUp: 5,
    measured: context.isQuick ? 20 : 60,
    pages,
    firstPage: (total % pages) + 1,
  });
  return {
    ...summarizePairs(pairs, measured),
    routeP95Ms: round(percentile(pairs.route, 95), 1),
    rawP95Ms: round(percentile(pairs.raw, 95), 1),
    // The bench's own raw calls are one per iteration; the rest came from the portal.
    logtoCallsPerRouteRequest: round((stats.apiRequests - total) / total),
    breakdown,
    atModelledLatency,
    method:
      `${measured} pairs after ${warmUp} warm-up pairs: GET /api/orgs/{Acme}/members?page=N (alice's session, ` +
      `the members read path: the GET route handler) and GET /api/organizations/{Acme}/users?page=N&page_size=${PAGE_SIZE} ` +
      `straight to the local Logto with an M2M token, one after the other, order alternating, each pair a page no pair ` +
      `read before (so the portal's read cache never answers it), pairs at least ${MIN_PAIR_INTERVAL_MS} ms apart (under ` +
      `the budget's pace of one permit per 50 ms, so no route call waits for a permit). ` +
      `Ratio = route percentile ÷ raw percentile. Then ${atModelledLatency.samples} more pairs with every Logto answer ` +
      `delayed ${MODELLED_LOGTO_LATENCY_MS} ms (the local Logto's latency fault), reported apart.`,
  };
}

/** The same pairs with every Logto answer delayed, as a hosted Logto's network distance would. */
async function measureAtModelledLatency(
  context: BenchContext,
  counts: { warmUp: number; measured: number; pages: number; firstPage: number },
): Promise<OverheadResult['atModelledLatency']> {
  await context.admin.setFaults({ latencyMs: MODELLED_LOGTO_LATENCY_MS });
  try {
    const pairs = await measurePairs(membersPairs(context), counts);
    return { latencyMs: MODELLED_LOGTO_LATENCY_MS, ...summarizePairs(pairs, counts.measured) };
  } finally {
    await context.admin.clearFaults();
  }
}

/** Route and raw call latencies of the measured pairs, and the route's own reports. */
export type PairTimings = { route: number[]; raw: number[]; handler: HandlerSample[] };

/** The pairs' ratio (route percentile ÷ raw percentile), p50 times and the route's own report. */
export type PairSummary = {
  p50: number;
  p95: number;
  routeP50Ms: number;
  rawP50Ms: number;
  handler: RouteTiming;
  samples: number;
};

/** Sums up the measured pairs (`samples` of them). */
export function summarizePairs({ route, raw, handler }: PairTimings, samples: number): PairSummary {
  const routeP50 = percentile(route, 50);
  const rawP50 = percentile(raw, 50);
  return {
    p50: round(routeP50 / rawP50),
    p95: round(percentile(route, 95) / percentile(raw, 95)),
    routeP50Ms: round(routeP50, 1),
    rawP50Ms: round(rawP50, 1),
    handler: routeTiming(handler),
    samples,
  };
}

/**
 * A portal route and the raw Management API call it wraps, each for one page of the same list
 * (`routeName` and `rawName` say which in errors).
 */
export type PairedCalls = {
  route: (page: number) => Promise<Response>;
  raw: (page: number) => Promise<Response>;
  routeName: string;
  rawName: string;
};

/** The members route (alice's session) and the raw list call of Acme's members, page size {@link PAGE_SIZE}. */
function membersPairs(context: BenchContext): PairedCalls {
  return {
    route: (page) => membersRoute(context, page),
    raw: (page) =>
      context.admin.apiResponse(
        `/api/organizations/${context.orgId}/users?page=${page}&page_size=${PAGE_SIZE}`,
      ),
    routeName: 'GET members route',
    rawName: 'raw list call',
  };
}

/**
 * Route and raw list latencies, one pair per page from `firstPage` on, order alternating; warm-up
 * pairs dropped. Each pair reads a page no pair read before, so the route always asks Logto (its
 * read cache would otherwise answer it, which is not the overhead being measured).
 */
export async function measurePairs(
  calls: PairedCalls,
  {
    warmUp,
    measured,
    pages,
    firstPage,
  }: { warmUp: number; measured: number; pages: number; firstPage: number },
): Promise<PairTimings> {
  const route: number[] = [];
  const raw: number[] = [];
  const handler: HandlerSample[] = [];
  let nextPairAt = performance.now();
  for (let index = 0; index < warmUp + measured; index += 1) {
    const wait = nextPairAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    nextPairAt = performance.now() + MIN_PAIR_INTERVAL_MS;
    const page = ((firstPage - 1 + index) % pages) + 1;
    let reported: HandlerSample | undefined;
    const routeCall = async () => {
      const { elapsedMs, headers } = await timedResponse(() => calls.route(page), calls.routeName);
      reported = oneCallTiming(headers);
      return elapsedMs;
    };
    const rawCall = () => timed(() => calls.raw(page), calls.rawName);
    // Alternate which goes first, so neither always meets a cache the other just warmed.
    const [routeMs, rawMs] =
      index % 2 === 0
        ? [await routeCall(), await rawCall()]
        : await (async () => {
            const rawFirst = await rawCall();
            return [await routeCall(), rawFirst] as const;
          })();
    if (index >= warmUp) {
      route.push(routeMs);
      raw.push(rawMs);
      if (reported) handler.push(reported);
    }
  }
  return { route, raw, handler };
}
