import { loadJobs } from '@/lib/jobs/start';
import { orgListRoute } from '@/lib/portal/list-route';

/** The organization's recent bulk jobs with their progress, for the jobs list's polling. */
export const GET = orgListRoute('GET /api/orgs/[orgId]/jobs', (actor, orgId) => loadJobs(actor, orgId));
