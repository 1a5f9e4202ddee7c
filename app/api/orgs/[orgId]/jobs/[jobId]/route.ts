import { type NextRequest, NextResponse } from 'next/server';
import { getActor } from '@/lib/auth/actor';
import { loadJob } from '@/lib/jobs/start';
import { runWithBudgetContext } from '@/lib/logto';
import { routeErrorResponse } from '@/lib/portal/route-errors';

type JobRouteContext = { params: Promise<{ orgId: string; jobId: string }> };

/**
 * One job's progress and a page of its items (`?page=2&state=failed`), for the job page's
 * polling. Needs `read:members` in the organization; another organization's job is a 404.
 */
export function GET(request: NextRequest, { params }: JobRouteContext): Promise<Response> {
  return runWithBudgetContext({ lane: 'interactive' }, async () => {
    const { orgId, jobId } = await params;
    const query = request.nextUrl.searchParams;
    try {
      const body = await loadJob(await getActor('recent'), orgId, jobId, {
        page: Number(query.get('page') ?? 1),
        state: query.get('state') ?? undefined,
      });
      return NextResponse.json(body, { headers: { 'Cache-Control': 'private, no-store' } });
    } catch (error) {
      return routeErrorResponse(error, 'GET /api/orgs/[orgId]/jobs/[jobId]');
    }
  });
}
