import { parseActivityState } from '@/lib/activity/query-state';
import { loadActivityPage } from '@/lib/activity/read';
import { orgListRoute } from '@/lib/portal/list-route';

/**
 * One page of the organization's activity as JSON (`{ rows, total, page, pageSize }`) for the
 * activity table: the same loader, and so the same permission check, as the page. Reads of the
 * log are not themselves logged.
 */
export const GET = orgListRoute(
  'GET /api/orgs/[orgId]/activity',
  async (actor, orgId, state) => (await loadActivityPage(actor, orgId, state)).activity,
  parseActivityState,
);
