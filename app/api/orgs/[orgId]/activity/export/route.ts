import { type NextRequest } from 'next/server';
import { parseActivityState } from '@/lib/activity/query-state';
import { streamActivityCsv } from '@/lib/activity/read';
import { getActor } from '@/lib/auth/actor';
import { runWithBudgetContext } from '@/lib/logto';
import { requireOrgScopes } from '@/lib/permissions';
import { contentDisposition, fileSlug } from '@/lib/portal/csv';
import { getOrganizationOnce } from '@/lib/portal/organizations';
import { routeErrorResponse } from '@/lib/portal/route-errors';

type RouteContext = { params: Promise<{ orgId: string }> };

/**
 * The organization's activity matching the table's filters (who, what, target, days) as a CSV
 * download, newest first, streamed from the store. Needs `read:members`, checked before the first
 * byte so refusals are ordinary JSON errors.
 */
export function GET(request: NextRequest, context: RouteContext) {
  return runWithBudgetContext({ lane: 'interactive' }, () => answer(request, context));
}

async function answer(request: NextRequest, { params }: RouteContext) {
  const { orgId } = await params;
  const state = parseActivityState(request.nextUrl.searchParams);
  try {
    const actor = await getActor('recent');
    await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const organization = await getOrganizationOnce(orgId);
    const day = new Date().toISOString().slice(0, 10);
    return new Response(await streamActivityCsv(orgId, state), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(`${fileSlug(organization.name)}-activity-${day}.csv`),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  } catch (error) {
    return routeErrorResponse(error, 'GET /api/orgs/[orgId]/activity/export');
  }
}
