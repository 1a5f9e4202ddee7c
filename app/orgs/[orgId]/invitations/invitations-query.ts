import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { fetchListPage } from '@/components/data-table/fetch-list-page';
import type { InvitationsPage } from '@/lib/portal/invitations';
import { type TableState, tableStateToSearchParams } from '@/lib/table-state';

/** Every invitations query of an organization (invalidated after a change). */
export function invitationsQueryScope(orgId: string) {
  return ['orgs', orgId, 'invitations'] as const;
}

/** Query key of one invitations page; the server prefetch and the browser share it. */
export function invitationsQueryKey(orgId: string, state: TableState) {
  return [
    ...invitationsQueryScope(orgId),
    { page: state.page, pageSize: state.pageSize, q: state.q, status: state.status ?? null },
  ] as const;
}

/**
 * One invitations page through the GET route handler (reads are not server actions: Next runs a
 * client's actions one at a time). The previous page stays on screen while the next loads.
 */
export function invitationsQueryOptions(orgId: string, state: TableState) {
  return queryOptions({
    queryKey: invitationsQueryKey(orgId, state),
    queryFn: ({ signal }) =>
      fetchListPage<InvitationsPage>(
        `/api/orgs/${encodeURIComponent(orgId)}/invitations?${tableStateToSearchParams(state)}`,
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}
