import { type NextRequest, NextResponse } from 'next/server';
import { getActor } from '@/lib/auth/actor';
import { runWithBudgetContext } from '@/lib/logto';
import { requireOrgScopes } from '@/lib/permissions';
import { searchCandidateUsers } from '@/lib/portal/members';
import { routeErrorResponse } from '@/lib/portal/route-errors';
import { MAX_QUERY_LENGTH } from '@/lib/table-state';

type RouteContext = { params: Promise<{ orgId: string }> };

/**
 * Operators only (rule 5): tenant users who are not members of the organization yet, matching
 * `q`, for the "add members" dialog (`{ rows, total }`, at most 10 rows). A read, so a GET the
 * browser can cancel while typing rather than a server action queued behind others.
 */
/** Counted toward the signed-in person's fair share of the request budget. */
export function GET(request: NextRequest, context: RouteContext) {
  return runWithBudgetContext({ lane: 'interactive' }, () => answer(request, context));
}

async function answer(request: NextRequest, { params }: RouteContext) {
  const { orgId } = await params;
  const q = (request.nextUrl.searchParams.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
  try {
    const actor = await getActor('recent');
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const result = await searchCandidateUsers({ access, orgId, q });
    return NextResponse.json(result, { headers: { 'Cache-Control': 'private, no-store' } });
  } catch (error) {
    return routeErrorResponse(error, 'GET /api/orgs/[orgId]/members/candidates');
  }
}
