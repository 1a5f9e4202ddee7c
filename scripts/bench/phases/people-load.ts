import { PORTAL_BUDGET, routedRequests } from '../lib/context';
import { type PortalSession, SEED_PASSWORD, signInSessions } from '../lib/http-session';
import type { LogtoAdmin, LogtoStats } from '../lib/logto-admin';
import {
  type PeopleLoadSummary,
  type Person,
  runPeopleLoad,
  SEARCH_TERMS,
  summarizePeopleLoad,
} from '../lib/people-load';
import type { ArrivalRecording } from '../lib/stack';
import { countsPerInterval, maxInWindow, round } from '../lib/stats';

const PEOPLE = 50;
const THINK_MS = { min: 2_000, max: 8_000 } as const;
/** Members of each organization of shape (b), taken from Acme's generated members. */
const MEMBERS_PER_LOAD_ORG = 200;
const SIGN_IN_CONCURRENCY = 4;
/** After the previous run: one budget window and the store's lease time, so each run starts with the budget free. */
const QUIET_MS = PORTAL_BUDGET.windowMs + 1_800;

/** What a people-like phase needs from its stack: where the portal answers and how to watch Logto. */
export type PeopleLoadStack = {
  admin: LogtoAdmin;
  /** Portal instances; each person's requests go to the next one in turn. */
  urls: readonly string[];
  publicUrl?: string;
  acmeId: string;
  acmeMembers: number;
  recordArrivals: () => Promise<() => Promise<ArrivalRecording>>;
  isQuick: boolean;
  log: (message: string) => void;
  /**
   * Runs `work` between a reset and a read of Logto's counters (the single-instance bench adds
   * them to its whole-run tally); `codeExchanges` = sign-ins completed inside.
   */
  observe: <T>(
    label: string,
    work: () => Promise<T>,
    codeExchanges?: number,
  ) => Promise<{ value: T; stats: LogtoStats }>;
};

/** One shape's run: the people's side and Logto's. */
export type ShapeResult = PeopleLoadSummary & {
  durationS: number;
  /** Portal requests answered 200 per Management API call Logto received. */
  viewsPerLogtoCall: number;
  logto: {
    apiRequests: number;
    refused: number;
    tokenRequests: number;
    /** Requests Logto received in its busiest budget window (API and token, refused ones included). */
    maxPerWindow: number;
    /** Requests beyond the budget in that window: 0 when the portal kept to it. */
    overBudget: number;
    /** Calls per Management API route, to see what a view costs. */
    byRoute: Record<string, number>;
    /** Requests Logto received in each second of the run, to see when the budget binds. */
    perSecond: number[];
  };
};

export type PeopleLoadResult = {
  sameOrg: ShapeResult;
  manyOrgs: ShapeResult;
  method: string;
};

/**
 * Issue 18's people-like load on one stack: shape (a), 50 people in Acme paging and searching,
 * then shape (b), 50 people each in an organization of their own, each person waiting 2–8 s
 * between actions. The local Logto enforces the portal's budget as its rate limit during both,
 * and stamps every request it receives, so an overrun shows as refusals and as a window over the
 * budget.
 */
export async function measurePeopleLoad(
  stack: PeopleLoadStack,
  sameOrgSessions: readonly PortalSession[],
): Promise<PeopleLoadResult> {
  const durationMs = (stack.isQuick ? 15 : 60) * 1000;
  stack.log(`  creating ${PEOPLE} organizations of ${MEMBERS_PER_LOAD_ORG + 1} members for shape (b)…`);
  const loadOrgs = await seedLoadOrganizations(stack.admin, stack.acmeId, PEOPLE);
  stack.log(`  signing in their ${PEOPLE} admins…`);
  const { value: manyOrgSessions } = await stack.observe(
    'people-like sign-ins',
    () =>
      signInSessions(
        stack.urls,
        loadOrgs.map((org) => org.adminEmail),
        { concurrency: SIGN_IN_CONCURRENCY, publicUrl: stack.publicUrl },
      ),
    loadOrgs.length,
  );

  const sameOrg = await runShape(
    stack,
    'people-like (a) one organization',
    durationMs,
    1,
    sameOrgSessions.slice(0, PEOPLE).map((session) => ({
      cookie: session.cookie,
      orgId: stack.acmeId,
      memberCount: stack.acmeMembers,
    })),
  );
  const manyOrgs = await runShape(
    stack,
    'people-like (b) many organizations',
    durationMs,
    2,
    manyOrgSessions.map((session, index) => ({
      cookie: session.cookie,
      orgId: loadOrgs[index]!.id,
      memberCount: MEMBERS_PER_LOAD_ORG + 1,
    })),
  );
  return {
    sameOrg,
    manyOrgs,
    method:
      `${PEOPLE} signed-in sessions for ${durationMs / 1000} s each shape, requests round-robin over ${stack.urls.length} ` +
      `instance(s). Each person opens /orgs/{org}/members (server render), then repeatedly waits ${THINK_MS.min / 1000}–` +
      `${THINK_MS.max / 1000} s (uniform, seeded) and acts: without a search 55 % next page, 10 % previous, 25 % search ` +
      `for a first name from a list of ${SEARCH_TERMS.length}, 10 % opens the page again; within a search 40 % next ` +
      `page, 30 % clears it, 30 % searches another name. Their browser is modelled on the table's: a view younger than ` +
      `30 s is not fetched again (the query client's stale time), and the next page is prefetched after every view. ` +
      `Shape (a): everyone in Acme (alternately alice, admin, and bob, manager). Shape (b): each person the admin of ` +
      `an organization of their own (${MEMBERS_PER_LOAD_ORG} of Acme's members and them), created and signed in ` +
      `before the run. Prefetches carry Purpose: prefetch and are not retried when the portal declines them (as the ` +
      `table does). Busy answers to the rest are waited out and asked again, as the table does. Latency: every ` +
      `answered request, prefetches included (p95 is the figure); declined prefetches are counted apart; ` +
      `waitedP95Ms counts only requests a person waited on. Before each shape ${QUIET_MS / 1000} s of quiet; during ` +
      `it the local Logto enforces the budget (${PORTAL_BUDGET.limit} per ${PORTAL_BUDGET.windowMs / 1000} s) as its ` +
      `rate limit and stamps every request it receives; overBudget = requests beyond the budget in the busiest ` +
      `window. viewsPerLogtoCall = portal requests answered 200 ÷ Management API requests Logto received.`,
  };
}

async function runShape(
  stack: PeopleLoadStack,
  label: string,
  durationMs: number,
  seed: number,
  people: Person[],
): Promise<ShapeResult> {
  await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
  stack.log(`  ${label}: ${people.length} people for ${durationMs / 1000} s…`);
  await stack.admin.setFaults({
    rateLimit: { limit: PORTAL_BUDGET.limit, windowMs: PORTAL_BUDGET.windowMs },
  });
  try {
    const stopRecording = await stack.recordArrivals();
    const started = performance.now();
    const { value: samples, stats } = await stack.observe(label, () =>
      runPeopleLoad({
        people,
        urls: stack.urls,
        durationMs,
        thinkMs: THINK_MS,
        searchTerms: SEARCH_TERMS,
        seed,
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;
    const arrivals = await stopRecording();
    const busiest = maxInWindow(
      arrivals.times.map((at) => [at, 1] as const),
      PORTAL_BUDGET.windowMs,
    );
    const summary = summarizePeopleLoad(people.length, samples);
    const served = routedRequests(stats);
    const answered = samples.filter((sample) => !sample.error && !sample.prefetchRefused).length;
    return {
      ...summary,
      durationS: round(elapsedS, 1),
      viewsPerLogtoCall: round(answered / Math.max(1, stats.apiRequests), 2),
      logto: {
        apiRequests: stats.apiRequests,
        refused: stats.apiRequests - served,
        tokenRequests: stats.tokenRequests,
        maxPerWindow: busiest.max,
        overBudget: Math.max(0, busiest.max - PORTAL_BUDGET.limit),
        byRoute: stats.byRoute,
        perSecond: countsPerInterval(
          arrivals.times.map((at) => [at, 1] as const),
          1000,
        ),
      },
    };
  } finally {
    await stack.admin.clearFaults();
  }
}

/**
 * Shape (b)'s organizations: `count` new ones, "Load 01"…, each with its own admin (a new user
 * who signs in with the seed's password) and the same {@link MEMBERS_PER_LOAD_ORG} of Acme's
 * generated members.
 */
async function seedLoadOrganizations(
  admin: LogtoAdmin,
  acmeId: string,
  count: number,
): Promise<Array<{ id: string; adminEmail: string }>> {
  const memberIds: string[] = [];
  for (let page = 1; memberIds.length < MEMBERS_PER_LOAD_ORG; page += 1) {
    const { data } = await admin.api<Array<{ id: string; primaryEmail: string | null }>>(
      `/api/organizations/${acmeId}/users?page=${page}&page_size=100`,
    );
    if (data.length === 0) break;
    // Acme's generated members only: the named seed users keep their own roles elsewhere.
    memberIds.push(...data.filter((user) => user.primaryEmail?.startsWith('user')).map((user) => user.id));
  }
  const members = memberIds.slice(0, MEMBERS_PER_LOAD_ORG);
  const created: Array<{ id: string; adminEmail: string }> = [];
  for (let index = 1; index <= count; index += 1) {
    const label = String(index).padStart(2, '0');
    const adminEmail = `admin@load${label}.example`;
    const organization = await admin.send<{ id: string }>('POST', '/api/organizations', {
      name: `Load ${label}`,
      description: 'An organization of the bench’s people-like load, shape (b).',
    });
    const user = await admin.send<{ id: string }>('POST', '/api/users', {
      primaryEmail: adminEmail,
      name: `Load ${label} Admin`,
      password: SEED_PASSWORD,
    });
    await admin.send('POST', `/api/organizations/${organization!.id}/users`, {
      userIds: [user!.id, ...members],
    });
    await admin.send('POST', `/api/organizations/${organization!.id}/users/${user!.id}/roles`, {
      organizationRoleNames: ['admin'],
    });
    created.push({ id: organization!.id, adminEmail });
  }
  return created;
}
