import { loadJobs } from '@/lib/jobs/start';
import { requireOrgScopes } from '@/lib/permissions';
import { orgListRoute } from '@/lib/portal/list-route';

/** The organization's recent bulk jobs with their progress, for the jobs list's polling. */
export const GET = orgListRoute('GET /api/orgs/[orgId]/jobs', async (actor, orgId) =>
  loadJobs(await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' })),
);
