import { type NextRequest } from 'next/server';
import { getActor } from '@/lib/auth/actor';
import { runWithBudgetContext } from '@/lib/logto';
import { requireOrgScopes } from '@/lib/permissions';
import { contentDisposition, fileSlug } from '@/lib/portal/csv';
import { streamMembersCsv } from '@/lib/portal/members';
import { getOrganizationOnce } from '@/lib/portal/organizations';
import { routeErrorResponse } from '@/lib/portal/route-errors';
import { parseTableState } from '@/lib/table-state';

type RouteContext = { params: Promise<{ orgId: string }> };

/**
 * Every member of the organization (optionally only those matching `q` / `role`, like the table)
 * as a CSV download with their roles, streamed page by page. Needs `read:members`, checked before
 * the first byte so refusals are ordinary JSON errors.
 */
/** Counted toward the signed-in person's fair share of the request budget. */
export function GET(request: NextRequest, context: RouteContext) {
  return runWithBudgetContext({ lane: 'interactive' }, () => answer(request, context));
}

async function answer(request: NextRequest, { params }: RouteContext) {
  const { orgId } = await params;
  const { q, role } = parseTableState(request.nextUrl.searchParams);
  try {
    const actor = await getActor('recent');
    await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const organization = await getOrganizationOnce(orgId);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(streamMembersCsv(orgId, { q: q || undefined, roleId: role }), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(`${fileSlug(organization.name)}-members-${day}.csv`),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (error) {
    return routeErrorResponse(error, 'GET /api/orgs/[orgId]/members/export');
  }
}
