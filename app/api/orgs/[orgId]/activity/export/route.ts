import { parseActivityState } from '@/lib/activity/query-state';
import { streamActivityCsv } from '@/lib/activity/read';
import { orgCsvRoute } from '@/lib/portal/list-route';

/**
 * The organization's activity matching the table's filters (who, what, target, days) as a CSV
 * download, newest first, streamed from the store. Needs `read:members`, checked before the first
 * byte so refusals are ordinary JSON errors.
 */
export const GET = orgCsvRoute(
  'GET /api/orgs/[orgId]/activity/export',
  parseActivityState,
  'activity',
  (orgId, state) => streamActivityCsv(orgId, state),
);
