import { type NextRequest, NextResponse } from 'next/server';
import { getActor } from '@/lib/auth/actor';
import { loadInvitationsPage } from '@/lib/portal/invitations';
import { routeErrorResponse } from '@/lib/portal/route-errors';
import { parseTableState } from '@/lib/table-state';

type RouteContext = { params: Promise<{ orgId: string }> };

/**
 * One page of an organization's invitations as JSON (`{ rows, total, page, pageSize, status,
 * counts }`) for the invitations table. Same loader and permission check as the page: a hidden
 * organization is a 404 like a missing one.
 */
export async function GET(request: NextRequest, { params }: RouteContext) {
  const { orgId } = await params;
  const state = parseTableState(request.nextUrl.searchParams);
  try {
    const actor = await getActor();
    const { invitations } = await loadInvitationsPage(actor, orgId, state);
    return NextResponse.json(invitations, { headers: { 'Cache-Control': 'private, no-store' } });
  } catch (error) {
    return routeErrorResponse(error, 'GET /api/orgs/[orgId]/invitations');
  }
}
