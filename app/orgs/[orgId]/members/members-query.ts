import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { MembersPage } from '@/lib/portal/members';
import { type TableState, tableStateToSearchParams } from '@/lib/table-state';
import { fetchListPage } from '@/components/data-table/fetch-list-page';

/** Prefix of every members query of an organization (what a change invalidates). */
export function membersQueryScope(orgId: string) {
  return ['orgs', orgId, 'members'] as const;
}

/** Query key of one members page; the server prefetch and the browser share it. */
export function membersQueryKey(orgId: string, state: TableState) {
  return [
    ...membersQueryScope(orgId),
    { page: state.page, pageSize: state.pageSize, q: state.q, role: state.role ?? null },
  ] as const;
}

/**
 * One members page through the GET route handler (reads are not server actions: Next runs a
 * client's actions one at a time). The previous page stays on screen while the next loads.
 */
export function membersQueryOptions(orgId: string, state: TableState) {
  return queryOptions({
    queryKey: membersQueryKey(orgId, state),
    queryFn: ({ signal }) =>
      fetchListPage<MembersPage>(
        `/api/orgs/${encodeURIComponent(orgId)}/members?${tableStateToSearchParams(state)}`,
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
