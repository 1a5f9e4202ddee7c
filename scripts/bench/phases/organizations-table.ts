import { DEFAULT_PAGE_SIZE } from '../../../lib/table-state';
import { type BenchContext, observeLogto, READ_CACHE_SETTLE_MS } from '../lib/context';
import { signInSessions } from '../lib/http-session';
import { percentile, round } from '../lib/stats';
import { topUp, type TopUp } from '../lib/top-up';
import { measurePairs, type PairedCalls, type PairSummary, summarizePairs } from './overhead';
import {
  contextWithSession,
  type FlipTable,
  flipsWithoutPrefetch,
  flipsWithPrefetch,
  launchChromium,
  type ServerTimingSummary,
  summarizeServerTiming,
} from './page-flip';

/**
 * How many organizations the tenant holds for this phase: a SaaS with a couple of thousand
 * customers, and 100 pages of the table, so pairs that walk the pages come back to one only after
 * the portal's read cache (5 s) has let it go.
 */
const ORGANIZATIONS = 2_000;
/** Concurrent creations while the tenant is filled up (the local Logto, no budget in force). */
const CREATE_CONCURRENCY = 4;

/** Items 36–38: the organizations table as an operator pages through it. */
export type OrganizationsTableResult = {
  organizations: number;
  /** Created by this phase through the Management API, to reach {@link ORGANIZATIONS}. */
  created: number;
  createSeconds: number;
  overhead: PairSummary;
  prefetchedP50Ms: number;
  prefetchedP95Ms: number;
  coldP50Ms: number;
  coldP95Ms: number;
  /** The unprefetched flips' requests as the portal timed them (`Server-Timing`). */
  coldServer: ServerTimingSummary;
  flips: number;
  method: string;
};

/** Fills the tenant up to `total` organizations. */
async function fillOrganizations(context: BenchContext, total: number): Promise<TopUp> {
  const { headers } = await context.admin.api<unknown[]>('/api/organizations?page=1&page_size=1');
  const existing = Number(headers.get('total-number'));
  if (!Number.isInteger(existing)) throw new Error('GET /api/organizations sent no Total-Number');
  return topUp(existing, total, CREATE_CONCURRENCY, (number) =>
    context.admin.send('POST', '/api/organizations', {
      name: `Customer ${String(number).padStart(4, '0')}`,
      description: `Customer number ${number}, made by the bench.`,
    }),
  );
}

/**
 * Items 36–38: the operator's organizations table, the page where a SaaS's operators find a
 * customer. The tenant is filled to {@link ORGANIZATIONS} organizations first. Then the same
 * measures as the members table's: the route (`GET /api/orgs`, the operator's session) against
 * the raw Management API call it wraps (`GET /api/organizations` with member counts), and page
 * flips in Chromium with the next page prefetched and without.
 */
export async function measureOrganizationsTable(context: BenchContext): Promise<OrganizationsTableResult> {
  const filled = await fillOrganizations(context, ORGANIZATIONS);
  const organizations = filled.existing + filled.created;
  const pages = Math.floor(organizations / DEFAULT_PAGE_SIZE);
  const [operator] = await signInSessions([context.stack.portalUrl], ['operator@example.com'], {
    concurrency: 1,
  });
  if (!operator) throw new Error('the operator could not sign in');
  const calls: PairedCalls = {
    route: (page) =>
      fetch(`${context.stack.portalUrl}/api/orgs?page=${page}`, {
        headers: { accept: 'application/json', cookie: operator.cookie },
      }),
    raw: (page) =>
      context.admin.apiResponse(
        `/api/organizations?page=${page}&page_size=${DEFAULT_PAGE_SIZE}&showFeatured=true`,
      ),
    routeName: 'GET /api/orgs',
    rawName: 'raw organizations call',
  };
  const warmUp = context.isQuick ? 5 : 20;
  const measured = context.isQuick ? 40 : 200;
  const count = context.isQuick ? 10 : 30;
  const table: FlipTable = { path: '/orgs', apiPath: '/api/orgs', name: 'Organizations' };

  const { value } = await observeLogto(context, 'organizations table', async () => {
    const pairs = await measurePairs(calls, {
      warmUp,
      measured,
      pages,
      firstPage: 1,
    });
    // The flips' pages must come from Logto, not from what the pairs just read.
    await new Promise((resolve) => setTimeout(resolve, READ_CACHE_SETTLE_MS));
    const browser = await launchChromium();
    try {
      const browserContext = await contextWithSession(browser, context.stack.portalUrl, operator.cookie);
      const prefetched = await flipsWithPrefetch(await browserContext.newPage(), table, 1, count);
      const cold = await flipsWithoutPrefetch(await browserContext.newPage(), table, {
        start: count + 10,
        count,
        pressMs: 0,
        startAt: 'pointerdown',
      });
      return { pairs, prefetched, cold };
    } finally {
      await browser.close();
    }
  });

  const { pairs, prefetched, cold } = value;
  return {
    organizations,
    created: filled.created,
    createSeconds: filled.seconds,
    overhead: summarizePairs(pairs, measured),
    prefetchedP50Ms: round(percentile(prefetched, 50), 1),
    prefetchedP95Ms: round(percentile(prefetched, 95), 1),
    coldP50Ms: round(percentile(cold.timings, 50), 1),
    coldP95Ms: round(percentile(cold.timings, 95), 1),
    coldServer: summarizeServerTiming(cold.server),
    flips: count,
    method:
      `The tenant filled to ${organizations.toLocaleString('en-US')} organizations through the Management API ` +
      `(${filled.created.toLocaleString('en-US')} created, before the counting starts). Olivia (the operator), ` +
      `signed in over HTTP. ${measured} pairs after ${warmUp} warm-up pairs, as in the members overhead phase: ` +
      `GET /api/orgs?page=N (the operator's session) and GET /api/organizations?page=N&page_size=` +
      `${DEFAULT_PAGE_SIZE}&showFeatured=true straight to the local Logto (the call the route makes), order ` +
      `alternating, pages walked in turn, pairs under the budget's pace. Then, after the read cache's lifetime, ` +
      `${count} flips each way in headless Chromium as in phase 3: pages 1→${1 + count} with the next page ` +
      `prefetched, ${count + 10}→${2 * count + 10} without (the idle prefetch blocked, the stopwatch from the press).`,
  };
}
