'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useLatch } from '@/components/ui/use-latch';
import { pageCount } from '@/lib/table-state';
import type { ListPage, OrgListQuery, ServerPage } from './org-list-query';
import { useTableUrl } from './use-table-url';

/**
 * One organization's server-paged list as a table shows it: the state in the URL (the one source
 * of truth, changed without a server render), the page for it from TanStack Query, the previous
 * page kept on screen while the next loads, the next page prefetched, a page past the end moved
 * to the last one in the URL, and the last known total kept through a failed load so the pager
 * still works.
 *
 * The server's page seeds the query as its `initialData` (the browser fetches nothing on first
 * paint) until the table first moves elsewhere, so returning to that URL later never brings the
 * old rows back. `list` must keep its identity between renders (define it once per module).
 */
export function usePagedList<TPage extends ListPage>(
  orgId: string,
  list: OrgListQuery<TPage>,
  serverPage: ServerPage<TPage>,
) {
  const queryClient = useQueryClient();
  const { state, hrefFor, setTableState } = useTableUrl('shallow');
  const key = JSON.stringify(list.key(orgId, state));
  const [serverKey] = useState(key);
  const hasMovedOn = useLatch(key !== serverKey);
  const query = useQuery({
    ...list.options(orgId, state),
    initialData: hasMovedOn ? undefined : serverPage.page,
    initialDataUpdatedAt: serverPage.renderedAt,
  });
  const data = query.data;

  useEffect(() => {
    if (!data || query.isPlaceholderData) return;
    // The route handler clamps a page past the end; let the URL say which page is shown.
    if (data.page !== state.page) {
      window.history.replaceState(null, '', hrefFor({ page: data.page }));
      return;
    }
    if (data.page < pageCount(data.total, data.pageSize)) {
      void queryClient.prefetchQuery(list.options(orgId, { ...state, page: data.page + 1 }));
    }
  }, [data, query.isPlaceholderData, state, orgId, queryClient, hrefFor, list]);

  const [knownTotal, setKnownTotal] = useState(data?.total ?? 0);
  if (data && data.total !== knownTotal) setKnownTotal(data.total);

  return { state, hrefFor, setTableState, query, key, total: data?.total ?? knownTotal };
}
