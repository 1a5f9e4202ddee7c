import { streamMembersCsv } from '@/lib/portal/members';
import { orgCsvRoute } from '@/lib/portal/list-route';
import { parseTableState } from '@/lib/table-state';

/**
 * Every member of the organization (optionally only those matching `q` / `role`, like the table)
 * as a CSV download with their roles, streamed page by page. Needs `read:members`, checked before
 * the first byte so refusals are ordinary JSON errors.
 */
export const GET = orgCsvRoute(
  'GET /api/orgs/[orgId]/members/export',
  parseTableState,
  'members',
  (orgId, { q, role }) => streamMembersCsv(orgId, { q: q || undefined, roleId: role }),
);
