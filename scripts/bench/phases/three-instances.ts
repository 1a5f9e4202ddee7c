import { writeFileSync } from 'node:fs';
import { PORTAL_BUDGET, routedRequests } from '../lib/context';
import { type PortalSession, signInSessions } from '../lib/http-session';
import { LogtoAdmin } from '../lib/logto-admin';
import { type LeaseGrantRow, watchLeases } from '../lib/lease-log';
import { type ArrivalRecording, type MultiInstanceStack, startMultiInstanceStack } from '../lib/stack';
import { countsPerInterval, maxInWindow, mean, percentile, round } from '../lib/stats';
import { getOnce, PAGE_SIZE, REQUEST_TIMEOUT_MS, type Sample } from './load';
import { measurePeopleLoad, type PeopleLoadResult } from './people-load';

const INSTANCES = 3;
const SIGN_IN_CONCURRENCY = 4;
/**
 * How long a leased permit counts beyond the window in the store (SharedPermits' defaults: used
 * within 300 ms, arriving within 1,000 ms more): the store never grants more than the budget
 * within window + this.
 */
const LEASE_TTL_MS = 1_300;
/** Beyond one budget window: the permit leases' time in the store and some slack. */
const QUIET_MARGIN_MS = LEASE_TTL_MS + 500;
/** Lines of a server's output worth reading after the run (at most this many per instance). */
const LOG_PROBLEM = /\b(error|warn(ing)?|fail(ed|ure)?|unreachable|fallback|refused|timed? ?out)\b/i;
const LOG_PROBLEMS_KEPT = 10;

export type ThreeInstanceOptions = {
  projectDir: string;
  members: number;
  isQuick: boolean;
  sessions: number;
  nextAuthSecret: string;
  /** Where the three servers' output goes (written even when the phase fails). */
  logFile: string;
  log: (message: string) => void;
};

/** The three-instance load run's figures and what backs them. */
export type ThreeInstanceResult = {
  instances: number;
  sessions: number;
  durationS: number;
  requests: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  errorKinds: Record<string, number>;
  /** Requests the portal first answered "busy, retrying" (answered after the wait it asked for). */
  busyAnswered: number;
  byInstance: Array<{ requests: number; p95Ms: number; errors: number }>;
  budget: { limit: number; windowMs: number };
  logto: {
    /** Management API requests Logto received during the run, refused ones included. */
    apiRequests: number;
    served: number;
    /** Answered 429 by the rate-limit fault. */
    refused: number;
    tokenRequests: number;
    servedPerSecond: number;
    /** Requests (API and token) Logto received in its busiest window of `budget.windowMs`, refused ones included. */
    maxPerWindow: number;
    /** Where that window ends, in ms since the run began. */
    busiestWindowEndsAtMs: number;
    /** Requests Logto received in each second of the run. */
    perSecond: number[];
    byRoute: Record<string, number>;
  };
  /** The same run from the store's side: the permits it granted (`budget_leases`). */
  store: LeaseSummary;
  /** Each server's memory after a full GC: right after start-up (store open), and after the run. */
  rssMb: { afterStartup: number[]; afterRun: number[] };
  heapMb: { afterStartup: number[]; afterRun: number[] };
  warmUpErrors: number;
  signIn: { sessions: number; seconds: number };
  startup: MultiInstanceStack['startup'];
  /** Lines of the servers' output that mention errors, warnings or fallbacks (first few each). */
  serverLogProblems: string[][];
  /** Issue 18's people-like shapes on the same three instances, after the back-to-back run. */
  peopleLike: PeopleLoadResult;
  method: string;
};

type InstanceSample = Sample & { instance: number };

/**
 * The issue-13 load run: the load phase's 50 sessions (members page, then the members route
 * back to back), each request sent to the next of three production instances round-robin. The
 * instances share a real Postgres (`DATABASE_URL`) and so one request budget; the local Logto
 * enforces that budget as its rate limit, so any overrun by the instances together shows as
 * refusals, and its request counter, sampled in its own process, gives the busiest window.
 */
export async function measureThreeInstanceLoad(options: ThreeInstanceOptions): Promise<ThreeInstanceResult> {
  const durationMs = (options.isQuick ? 10 : 60) * 1000;
  const budget = { limit: PORTAL_BUDGET.limit, windowMs: PORTAL_BUDGET.windowMs };
  options.log(`  starting Postgres, the local Logto and ${INSTANCES} portal instances on DATABASE_URL…`);
  const stack = await startMultiInstanceStack({
    projectDir: options.projectDir,
    bigOrgMembers: options.members,
    nextAuthSecret: options.nextAuthSecret,
    hasMemoryProbe: true,
    count: INSTANCES,
    env: {
      LOGTO_REQUEST_BUDGET: String(budget.limit),
      LOGTO_REQUEST_BUDGET_WINDOW_MS: String(budget.windowMs),
    },
  });
  const { instances } = stack;
  const admin = new LogtoAdmin(stack.logtoUrl);
  try {
    options.log(
      `  up in ${stack.startup.postgresS} s (Postgres) + ${stack.startup.logtoS} s (Logto) + ` +
        `${stack.startup.instancesS} s (instances)`,
    );
    // One after the other: a GC in one server should not be timed against another's.
    const afterStartup = [];
    for (const instance of instances) afterStartup.push(await instance.measureMemory());

    await admin.token();
    const orgId = await admin.organizationId('Acme');
    const pages = Math.floor(options.members / PAGE_SIZE);
    const membersPath = `/orgs/${orgId}/members`;
    const routePath = `/api/orgs/${orgId}/members`;

    options.log(`  signing in ${options.sessions} sessions round-robin over the instances…`);
    const emails = Array.from({ length: options.sessions }, (_, index) =>
      index % 2 === 0 ? 'alice@acme.example' : 'bob@acme.example',
    );
    const signInStarted = performance.now();
    const sessions = await signInSessions(
      instances.map((instance) => instance.portalUrl),
      emails,
      { concurrency: SIGN_IN_CONCURRENCY, publicUrl: stack.publicUrl },
    );
    const signInSeconds = round((performance.now() - signInStarted) / 1000, 1);

    // Every session once, round-robin: every instance fetches its token and serves both users
    // (sessions alternate alice and bob; 2 and 3 share no factor) before the clock starts. Then
    // one window of quiet, so the run starts with the whole budget free at Logto and in the store
    // alike (the store counts a lease for a window and its use-by time).
    const warmUp = await Promise.all(
      sessions.map((session, index) =>
        getOnce(
          `${instances[index % instances.length]!.portalUrl}${routePath}?page=1`,
          session.cookie,
          'application/json',
        ),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, budget.windowMs + QUIET_MARGIN_MS));

    await admin.setFaults({ rateLimit: budget });
    let samples: InstanceSample[];
    let arrivals: ArrivalRecording;
    let leases: LeaseGrantRow[];
    let elapsedS: number;
    let stopWatchingLeases: (() => Promise<LeaseGrantRow[]>) | undefined;
    try {
      await admin.resetStats();
      stopWatchingLeases = await watchLeases(stack.databaseUrl);
      const stopRecording = await stack.logto.recordArrivals();
      const started = performance.now();
      samples = await runLoad(sessions, {
        urls: instances.map((instance) => instance.portalUrl),
        deadline: started + durationMs,
        pages,
        pagePath: (page) => `${membersPath}?page=${page}`,
        routePath: (page) => `${routePath}?page=${page}`,
      });
      elapsedS = (performance.now() - started) / 1000;
      arrivals = await stopRecording();
      leases = await stopWatchingLeases();
    } finally {
      await stopWatchingLeases?.().catch(() => undefined);
      await admin.clearFaults();
    }
    const stats = await admin.stats();

    const afterRun = [];
    for (const instance of instances) afterRun.push(await instance.measureMemory());

    const peopleLike = await measurePeopleLoad(
      {
        admin,
        urls: instances.map((instance) => instance.portalUrl),
        publicUrl: stack.publicUrl,
        acmeId: orgId,
        acmeMembers: options.members,
        recordArrivals: () => stack.logto.recordArrivals(),
        isQuick: options.isQuick,
        log: options.log,
        async observe(_label, work) {
          await admin.resetStats();
          const value = await work();
          return { value, stats: await admin.stats() };
        },
      },
      sessions,
    );

    const errorKinds: Record<string, number> = {};
    for (const sample of samples) {
      if (sample.error) errorKinds[sample.error] = (errorKinds[sample.error] ?? 0) + 1;
    }
    const latencies = samples.map((sample) => sample.ms);
    const served = routedRequests(stats);
    const received = arrivals.times.map((at) => [at, 1] as const);
    const busiest = maxInWindow(received, budget.windowMs);
    return {
      instances: INSTANCES,
      sessions: sessions.length,
      durationS: round(elapsedS, 1),
      requests: samples.length,
      rps: round(samples.length / elapsedS, 1),
      p50Ms: round(percentile(latencies, 50), 1),
      p95Ms: round(percentile(latencies, 95), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      maxMs: round(Math.max(...latencies), 1),
      errors: samples.filter((sample) => sample.error).length,
      errorKinds,
      busyAnswered: samples.filter((sample) => (sample.busyRetries ?? 0) > 0).length,
      byInstance: instances.map((_, index) => {
        const own = samples.filter((sample) => sample.instance === index);
        return {
          requests: own.length,
          p95Ms:
            own.length > 0
              ? round(
                  percentile(
                    own.map((sample) => sample.ms),
                    95,
                  ),
                  1,
                )
              : 0,
          errors: own.filter((sample) => sample.error).length,
        };
      }),
      budget,
      logto: {
        apiRequests: stats.apiRequests,
        served,
        // Requests answered by the fault layer never reach a route; the instances send nothing else.
        refused: stats.apiRequests - served,
        tokenRequests: stats.tokenRequests,
        servedPerSecond: round(served / elapsedS, 1),
        maxPerWindow: busiest.max,
        busiestWindowEndsAtMs: round(busiest.endsAtMs),
        perSecond: countsPerInterval(received, 1000),
        byRoute: stats.byRoute,
      },
      store: summarizeLeases(leases, arrivals, budget.windowMs),
      rssMb: {
        afterStartup: afterStartup.map((memory) => round(memory.rssMb, 1)),
        afterRun: afterRun.map((memory) => round(memory.rssMb, 1)),
      },
      heapMb: {
        afterStartup: afterStartup.map((memory) => round(memory.heapUsedMb, 1)),
        afterRun: afterRun.map((memory) => round(memory.heapUsedMb, 1)),
      },
      warmUpErrors: warmUp.filter((sample) => sample.error).length,
      signIn: { sessions: sessions.length, seconds: signInSeconds },
      startup: stack.startup,
      serverLogProblems: instances.map((instance) =>
        instance
          .logs()
          .split('\n')
          .filter((line) => LOG_PROBLEM.test(line) && !line.startsWith('[bench-memory]'))
          .slice(0, LOG_PROBLEMS_KEPT),
      ),
      peopleLike,
      method:
        `${INSTANCES} production servers (next start) of the same build, each with DATABASE_URL on one throwaway ` +
        `Postgres (so they lease request permits from one shared budget), NEXTAUTH_URL = the first one's URL, on one ` +
        `local Logto seeded alike. ${sessions.length} sessions signed in through the real OIDC flow, round-robin over ` +
        `the instances (alternating alice and bob), then one warm-up request each, round-robin (every instance gets ` +
        `its token and serves both users), then ${(budget.windowMs + QUIET_MARGIN_MS) / 1000} s of quiet so the run ` +
        `starts with the whole budget free; then the local Logto's rateLimit fault was set to the portal's budget, ` +
        `${budget.limit} per ${budget.windowMs / 1000} s. The load is the load phase's: each session opens /orgs/{Acme}/members once, then ` +
        `pages through GET /api/orgs/{Acme}/members?page=N back to back for ${durationMs / 1000} s, every request going ` +
        `to the next instance round-robin (${REQUEST_TIMEOUT_MS / 1000} s timeout; "busy, retrying" answers waited out and ` +
        `asked again, as the table does). Refused = Management API requests ` +
        `the rate limit answered 429. Busiest window: every request the local Logto received (API and token requests, ` +
        `as its rate limit counts them, refused ones included), stamped in its process where the fault layer stamps ` +
        `it, counted over (t − ${budget.windowMs / 1000} s, t]. Memory: RSS and live heap after ` +
        `a full GC (the bench's probe), right after start-up and after the run. Store side: the rows of ` +
        `budget_leases (one per grant, the database's clock), copied every 15 s during the run, on the same clock as ` +
        `Logto's recording.`,
    };
  } finally {
    writeFileSync(
      options.logFile,
      instances
        .map(
          (instance, index) =>
            `===== instance ${index + 1} (${instance.portalUrl}) =====\n${instance.logs()}`,
        )
        .join('\n'),
    );
    await stack.close();
  }
}

/** Each session: its first page server-rendered, then the route, back to back; instances in turn. */
async function runLoad(
  sessions: readonly PortalSession[],
  plan: {
    urls: readonly string[];
    deadline: number;
    pages: number;
    pagePath: (page: number) => string;
    routePath: (page: number) => string;
  },
): Promise<InstanceSample[]> {
  const all: InstanceSample[] = [];
  await Promise.all(
    sessions.map(async (session, index) => {
      // The load phase's pages: spread over the organization, one after the other.
      let page = ((index * 37) % plan.pages) + 1;
      let instance = index % plan.urls.length;
      all.push({
        ...(await getOnce(`${plan.urls[instance]}${plan.pagePath(page)}`, session.cookie, 'text/html')),
        instance,
      });
      while (performance.now() < plan.deadline) {
        instance = (instance + 1) % plan.urls.length;
        page = (page % plan.pages) + 1;
        const sample = await getOnce(
          `${plan.urls[instance]}${plan.routePath(page)}`,
          session.cookie,
          'application/json',
        );
        all.push({ ...sample, instance });
      }
    }),
  );
  return all;
}

/** The figure compared with the embedded store's: the mean RSS of the instances after start-up. */
export function postgresServerRssMb(result: ThreeInstanceResult): number {
  return round(mean(result.rssMb.afterStartup), 1);
}

/** What the store granted while Logto was being recorded, on Logto's recording clock. */
export type LeaseSummary = {
  leases: number;
  permitsGranted: number;
  byInstance: number[];
  /** Permits granted in the busiest window, and in the busiest span (window + lease TTL: the store's own limit). */
  maxPerWindow: number;
  spanMs: number;
  maxPerSpan: number;
  /** Logto's count minus the permits granted: above 0, requests went out on no lease of this run. */
  requestsBeyondGrants: number;
  perSecond: number[];
};

function summarizeLeases(
  leases: LeaseGrantRow[],
  arrivals: ArrivalRecording,
  windowMs: number,
): LeaseSummary {
  const during = leases.filter((lease) => lease.atEpochMs >= arrivals.startedAtEpochMs);
  const instanceIds = [...new Set(during.map((lease) => lease.instanceId))].sort();
  const grants = during.map((lease) => [lease.atEpochMs - arrivals.startedAtEpochMs, lease.permits] as const);
  const total = during.reduce((sum, lease) => sum + lease.permits, 0);
  return {
    leases: during.length,
    permitsGranted: total,
    byInstance: instanceIds.map((id) =>
      during.filter((lease) => lease.instanceId === id).reduce((sum, lease) => sum + lease.permits, 0),
    ),
    maxPerWindow: maxInWindow(grants, windowMs).max,
    spanMs: windowMs + LEASE_TTL_MS,
    maxPerSpan: maxInWindow(grants, windowMs + LEASE_TTL_MS).max,
    requestsBeyondGrants: arrivals.times.length - total,
    perSecond: countsPerInterval(grants, 1000),
  };
}
