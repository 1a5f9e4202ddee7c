import 'server-only';

import { type NextRequest, NextResponse } from 'next/server';
import { type Actor, getActor } from '@/lib/auth/actor';
import { runWithBudgetContext } from '@/lib/logto';
import { requireOrgScopes } from '@/lib/permissions';
import { isPrefetchRequest } from '@/lib/prefetch';
import { parseTableState, type TableState } from '@/lib/table-state';
import { contentDisposition, fileSlug } from './csv';
import { getOrganizationOnce } from './organizations';
import { routeErrorResponse } from './route-errors';

type OrgRouteContext = { params: Promise<{ orgId: string }> };

/**
 * A GET route handler behind an organization's table: the table state from the query string (read
 * by `parseState`), the actor from the session, then `respond`. Its Logto calls count toward the
 * signed-in person's fair share of the request budget; every failure is
 * {@link routeErrorResponse}'s JSON, never Logto's text.
 */
function orgTableRoute<TState>(
  route: string,
  parseState: (params: URLSearchParams) => TState,
  respond: (actor: Actor, orgId: string, state: TState) => Promise<Response>,
) {
  return (request: NextRequest, context: OrgRouteContext): Promise<Response> =>
    runWithBudgetContext(
      // A prefetch only takes budget that is plenty free: people's own views go first.
      { lane: 'interactive', isPrefetch: isPrefetchRequest(request.headers) },
      () => answer(request, context),
    );

  async function answer(request: NextRequest, { params }: OrgRouteContext): Promise<Response> {
    const { orgId } = await params;
    const state = parseState(request.nextUrl.searchParams);
    try {
      return await respond(await getActor('recent'), orgId, state);
    } catch (error) {
      return routeErrorResponse(error, route);
    }
  }
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
    NextResponse.json(await loadPage(actor, orgId, state), {
      headers: { 'Cache-Control': 'private, no-store' },
    }),
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
    await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const organization = await getOrganizationOnce(orgId);
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
