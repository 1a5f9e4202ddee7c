import type { NextRequest } from 'next/server';
import { getActor } from '@/lib/auth/actor';
import { streamJobResultsCsv } from '@/lib/jobs/start';
import { runWithBudgetContext } from '@/lib/logto';
import { contentDisposition } from '@/lib/portal/csv';
import { routeErrorResponse } from '@/lib/portal/route-errors';

type JobRouteContext = { params: Promise<{ orgId: string; jobId: string }> };

/** A job's per-item results as a CSV download (`read:members`; checked before the first byte). */
export function GET(_request: NextRequest, { params }: JobRouteContext): Promise<Response> {
  return runWithBudgetContext({ lane: 'interactive' }, async () => {
    const { orgId, jobId } = await params;
    try {
      const body = await streamJobResultsCsv(await getActor('recent'), orgId, jobId);
      return new Response(body, {
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': contentDisposition(`bulk-job-${jobId.slice(0, 8)}-results.csv`),
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch (error) {
      return routeErrorResponse(error, 'GET /api/orgs/[orgId]/jobs/[jobId]/results');
    }
  });
}
