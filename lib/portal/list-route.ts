import 'server-only';

import { type NextRequest, NextResponse } from 'next/server';
import { type Actor, getActor } from '@/lib/auth/actor';
import { runWithBudgetContext } from '@/lib/logto';
import { parseTableState, type TableState } from '@/lib/table-state';
import { routeErrorResponse } from './route-errors';

type OrgRouteContext = { params: Promise<{ orgId: string }> };

/**
 * The GET route handler behind an organization's table: the table state from the query string,
 * the actor from the session, then `loadPage` (the same loader, and so the same permission check,
 * as the page itself), answered as JSON that no cache keeps. A hidden organization is a 404 like
 * a missing one; every failure is {@link routeErrorResponse}'s JSON, never Logto's text.
 */
export function orgListRoute<TPage>(
  route: string,
  loadPage: (actor: Actor, orgId: string, state: TableState) => Promise<TPage>,
) {
  return (request: NextRequest, context: OrgRouteContext): Promise<NextResponse> =>
    runWithBudgetContext({ lane: 'interactive' }, () => answer(request, context));

  async function answer(request: NextRequest, { params }: OrgRouteContext): Promise<NextResponse> {
    const { orgId } = await params;
    const state = parseTableState(request.nextUrl.searchParams);
    try {
      const page = await loadPage(await getActor('recent'), orgId, state);
      return NextResponse.json(page, { headers: { 'Cache-Control': 'private, no-store' } });
    } catch (error) {
      return routeErrorResponse(error, route);
    }
  }
}
