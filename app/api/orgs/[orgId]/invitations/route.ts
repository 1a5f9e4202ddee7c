import { loadInvitationsPage } from '@/lib/portal/invitations';
import { orgListRoute } from '@/lib/portal/list-route';

/**
 * One page of an organization's invitations as JSON (`{ rows, total, page, pageSize, status,
 * counts }`) for the invitations table.
 */
export const GET = orgListRoute(
  'GET /api/orgs/[orgId]/invitations',
  async (actor, orgId, state) => (await loadInvitationsPage(actor, orgId, state)).invitations,
);
