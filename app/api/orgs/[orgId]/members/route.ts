import { loadMembersPage } from '@/lib/portal/members';
import { orgListRoute } from '@/lib/portal/list-route';

/** One page of members as JSON (`{ rows, total, page, pageSize }`) for the members table. */
export const GET = orgListRoute(
  'GET /api/orgs/[orgId]/members',
  async (actor, orgId, state) => (await loadMembersPage(actor, orgId, state)).members,
);
