import { type NextRequest, NextResponse } from 'next/server';
import { parseActivityState } from '@/lib/activity/query-state';
import { loadActivityPage } from '@/lib/activity/read';
import { getActor } from '@/lib/auth/actor';
import { runWithBudgetContext } from '@/lib/logto';
import { routeErrorResponse } from '@/lib/portal/route-errors';

type RouteContext = { params: Promise<{ orgId: string }> };

/**
 * One page of the organization's activity as JSON (`{ rows, total, page, pageSize }`) for the
 * activity table: the same loader, and so the same permission check, as the page. Reads of the
 * log are not themselves logged.
 */
export function GET(request: NextRequest, context: RouteContext) {
  // The permission check's Logto calls count toward the signed-in person's fair share.
  return runWithBudgetContext({ lane: 'interactive' }, () => answer(request, context));
}

async function answer(request: NextRequest, { params }: RouteContext) {
  const { orgId } = await params;
  const state = parseActivityState(request.nextUrl.searchParams);
  try {
    const { activity } = await loadActivityPage(await getActor('recent'), orgId, state);
    return NextResponse.json(activity, { headers: { 'Cache-Control': 'private, no-store' } });
  } catch (error) {
    return routeErrorResponse(error, 'GET /api/orgs/[orgId]/activity');
  }
}
