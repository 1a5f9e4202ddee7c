import { type BenchContext, observeLogto } from '../lib/context';
import type { LogtoStats } from '../lib/logto-admin';
import { mean, round } from '../lib/stats';

const WARM_VIEWS = 10;

/** Item 1's figures and what backs them. */
export type ApiCallsResult = {
  cold: number;
  warm: number;
  coldTokenRequests: number;
  coldByRoute: Record<string, number>;
  warmByRoute: Record<string, number>;
  method: string;
};

async function viewMembersPage(context: BenchContext, page: number): Promise<void> {
  const url = `${context.stack.portalUrl}/orgs/${context.orgId}/members${page > 1 ? `?page=${page}` : ''}`;
  const response = await fetch(url, { headers: { cookie: context.alice.cookie }, redirect: 'manual' });
  const html = await response.text();
  if (response.status !== 200 || !html.includes('<table')) {
    throw new Error(`members page view: HTTP ${response.status} at ${url}`);
  }
}

function perView(stats: readonly LogtoStats[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const { byRoute } of stats) {
    for (const [route, count] of Object.entries(byRoute)) totals[route] = (totals[route] ?? 0) + count;
  }
  return Object.fromEntries(Object.entries(totals).map(([route, count]) => [route, round(count / stats.length)]));
}

/**
 * Item 1: Management API calls the portal makes for one server-rendered members page, counted
 * by the local Logto. Cold is the first view after the server started (no token, no caches);
 * warm is the mean of the next views (different pages, same session). Must run before any other
 * phase makes the portal talk to Logto.
 */
export async function measureApiCallsPerView(context: BenchContext): Promise<ApiCallsResult> {
  const cold = await observeLogto(context, 'members page view, cold', () => viewMembersPage(context, 1));
  const warm: LogtoStats[] = [];
  for (let view = 0; view < WARM_VIEWS; view += 1) {
    warm.push((await observeLogto(context, 'members page view, warm', () => viewMembersPage(context, view + 2))).stats);
  }
  return {
    cold: cold.stats.apiRequests,
    warm: round(mean(warm.map((stats) => stats.apiRequests))),
    coldTokenRequests: cold.stats.tokenRequests,
    coldByRoute: cold.stats.byRoute,
    warmByRoute: perView(warm),
    method:
      `GET /orgs/{Acme}/members as alice over HTTP (full server render, body read to the end); ` +
      `Logto's counters reset before and read after each view. Cold = the first view after \`next start\`; ` +
      `warm = mean of the next ${WARM_VIEWS} views (pages 2–${WARM_VIEWS + 1}). Token requests are counted apart.`,
  };
}
