import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { fetchListPage } from '@/components/data-table/fetch-list-page';
import type { ActivityPage } from '@/lib/activity/kinds';
import { activityStateToSearchParams, type ActivityTableState } from '@/lib/activity/query-state';

/** The key prefix of every page of an organization's activity. */
export function activityScope(orgId: string) {
  return ['orgs', orgId, 'activity'] as const;
}

/** The key of one page; the server's page and the browser's fetch share it. */
export function activityKey(orgId: string, state: ActivityTableState) {
  return [
    ...activityScope(orgId),
    {
      page: state.page,
      pageSize: state.pageSize,
      who: state.who ?? null,
      action: state.action ?? null,
      q: state.q,
      from: state.from ?? null,
      to: state.to ?? null,
      tz: state.tz ?? null,
    },
  ] as const;
}

/**
 * One page of the activity log from `/api/orgs/[orgId]/activity` (a GET route, not a server
 * action: Next runs a client's actions one at a time). The previous page stays on screen while the
 * next loads.
 */
export function activityQuery(orgId: string, state: ActivityTableState) {
  return queryOptions({
    queryKey: activityKey(orgId, state),
    queryFn: ({ signal }) =>
      fetchListPage<ActivityPage>(
        `/api/orgs/${encodeURIComponent(orgId)}/activity?${activityStateToSearchParams(state)}`,
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
