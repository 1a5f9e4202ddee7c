import { listManageableOrganizations } from '@/lib/permissions';
import { orgReadRoute } from '@/lib/portal/list-route';
import { privateJson } from '@/lib/portal/private-json';
import { parseTableState } from '@/lib/table-state';

/**
 * One page of the organizations the signed-in person can manage, as JSON (`{ rows, total, page,
 * pageSize }`) for the organizations table: every organization for operators, for anyone else
 * those where a role of theirs grants `read:members` (the same list as the page itself).
 */
export const GET = orgReadRoute('GET /api/orgs', async (request, actor) =>
  privateJson(await listManageableOrganizations(actor, parseTableState(request.nextUrl.searchParams))),
);
