import { streamJobResultsCsv } from '@/lib/jobs/start';
import { contentDisposition } from '@/lib/portal/csv';
import { orgReadRoute } from '@/lib/portal/list-route';

/** A job's per-item results as a CSV download (`read:members`; checked before the first byte). */
export const GET = orgReadRoute<{ orgId: string; jobId: string }>(
  'GET /api/orgs/[orgId]/jobs/[jobId]/results',
  async (_request, actor, { orgId, jobId }) =>
    new Response(await streamJobResultsCsv(actor, orgId, jobId), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(`bulk-job-${jobId.slice(0, 8)}-results.csv`),
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    }),
);
