import { type NextRequest } from 'next/server';
import { getActor } from '@/lib/auth/actor';
import { getT } from '@/lib/i18n/server';
import { runWithBudgetContext } from '@/lib/logto';
import { NotFoundError } from '@/lib/permissions';
import { loadMemberDetail } from '@/lib/portal/member-detail';
import { privateJson } from '@/lib/portal/private-json';
import { routeErrorResponse } from '@/lib/portal/route-errors';

type Context = { params: Promise<{ orgId: string; userId: string }> };

const ROUTE = 'GET /api/orgs/[orgId]/members/[userId]';
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * One member for the members table's detail panel (`read:members`). A hidden organization and a
 * person who is not a member are both 404, with the route helpers' JSON error body.
 */
export function GET(_request: NextRequest, { params }: Context): Promise<Response> {
  return runWithBudgetContext({ lane: 'interactive' }, async () => {
    const { orgId, userId } = await params;
    try {
      const actor = await getActor('recent');
      if (!USER_ID.test(userId)) throw new NotFoundError();
      const { detail } = await loadMemberDetail(actor, orgId, userId, await getT());
      return privateJson(detail);
    } catch (error) {
      return routeErrorResponse(error, ROUTE);
    }
  });
}
