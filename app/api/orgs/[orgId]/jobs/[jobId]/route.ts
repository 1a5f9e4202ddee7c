import { loadJob } from '@/lib/jobs/start';
import { requireOrgScopes } from '@/lib/permissions';
import { orgReadRoute } from '@/lib/portal/list-route';
import { privateJson } from '@/lib/portal/private-json';

/**
 * One job's progress and a page of its items (`?page=2&state=failed`), for the job page's
 * polling. Needs `read:members` in the organization; another organization's job is a 404.
 */
export const GET = orgReadRoute<{ orgId: string; jobId: string }>(
  'GET /api/orgs/[orgId]/jobs/[jobId]',
  async (request, actor, { orgId, jobId }) => {
    const query = request.nextUrl.searchParams;
    const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
    const body = await loadJob(access, jobId, {
      page: Number(query.get('page') ?? 1),
      state: query.get('state') ?? undefined,
    });
    return privateJson(body);
  },
);
