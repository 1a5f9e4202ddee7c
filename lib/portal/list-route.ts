import 'server-only';

import { type NextRequest } from 'next/server';
import { type Actor, getActor } from '@/lib/auth/actor';
import { runWithBudgetContext, serverTimingHeader, timeLogtoCalls } from '@/lib/logto';
import { requireOrgScopes } from '@/lib/permissions';
import { isPrefetchRequest } from '@/lib/prefetch';
import { parseTableState, type TableState } from '@/lib/table-state';
import { contentDisposition, fileSlug } from './csv';
import { getOrganizationForPage } from './page-organization';
import { privateJson } from './private-json';
import { routeErrorResponse } from './route-errors';

/**
 * A GET route handler under `/api/orgs` that reads for the signed-in person: the actor from the
 * session, then `respond` with the route's params. Its Logto calls count toward that person's
 * fair share of the request budget (a table's prefetch only takes budget that is plenty free, so
 * people's own views go first); every failure is {@link routeErrorResponse}'s JSON, never
 * Logto's text. The answer's `Server-Timing` says how much of its time was Logto's, so a slow
 * table can be traced from the browser's developer tools.
 */
export function orgReadRoute<TParams extends object>(
  route: string,
  respond: (request: NextRequest, actor: Actor, params: TParams) => Promise<Response>,
) {
  return (request: NextRequest, { params }: { params: Promise<TParams> }): Promise<Response> =>
    runWithBudgetContext(
      { lane: 'interactive', isPrefetch: isPrefetchRequest(request.headers) },
      async () => {
        const answer = await timeLogtoCalls(async () => {
          try {
            return await respond(request, await getActor('recent'), await params);
          } catch (error) {
            return routeErrorResponse(error, route);
          }
        });
        answer.value.headers.set('Server-Timing', serverTimingHeader(answer.timing, answer.totalMs));
        return answer.value;
      },
    );
}

/** {@link orgReadRoute} behind an organization's table: the table state from the query string. */
function orgTableRoute<TState>(
  route: string,
  parseState: (params: URLSearchParams) => TState,
  respond: (actor: Actor, orgId: string, state: TState) => Promise<Response>,
) {
  return orgReadRoute<{ orgId: string }>(route, (request, actor, { orgId }) =>
    respond(actor, orgId, parseState(request.nextUrl.searchParams)),
  );
}

/**
 * The GET route handler of an organization's table pages: `loadPage` (the same loader, and so the
 * same permission check, as the page itself) answered as JSON that no cache keeps. A hidden
 * organization is a 404 like a missing one. `parseState` reads the table's URL state; without it,
 * `lib/table-state`'s.
 */
export function orgListRoute<TPage, TState = TableState>(
  route: string,
  loadPage: (actor: Actor, orgId: string, state: TState) => Promise<TPage>,
  // Only a table on `TableState` (the type's default too) may leave the parser out.
  parseState = parseTableState as unknown as (params: URLSearchParams) => TState,
) {
  return orgTableRoute(route, parseState, async (actor, orgId, state) =>
    privateJson(await loadPage(actor, orgId, state)),
  );
}

/**
 * The GET route handler of an organization's table as a CSV download,
 * `{organization}-{name}-{day}.csv`. Needs `read:members`, checked before the first byte so
 * refusals are ordinary JSON errors; `stream` gives the file's body for the table's state.
 */
export function orgCsvRoute<TState>(
  route: string,
  parseState: (params: URLSearchParams) => TState,
  name: string,
  stream: (orgId: string, state: TState) => BodyInit | Promise<BodyInit>,
) {
  return orgTableRoute(route, parseState, async (actor, orgId, state) => {
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const organization = await getOrganizationForPage(access);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(await stream(orgId, state), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(`${fileSlug(organization.name)}-${name}-${day}.csv`),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  });
}
