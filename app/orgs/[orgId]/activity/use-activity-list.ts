'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ServerPage } from '@/components/data-table/org-list-query';
import type { ActivityPage } from '@/lib/activity/kinds';
import {
  type ActivityTableState,
  buildActivityHref,
  parseActivityState,
  updateActivityState,
} from '@/lib/activity/query-state';
import { pageCount } from '@/lib/table-state';
import { activityKey, activityQuery } from './activity-query';

/**
 * The activity table's state and data: the URL is the one source of truth (changed with
 * `history.pushState`, which Next reflects in `useSearchParams` without a server render), TanStack
 * Query loads the page for it, keeps the previous page on screen while the next loads, prefetches
 * the page after, and moves a page past the end to the last one in the URL.
 *
 * The server's page is written into the cache when it is newer than what the browser holds, so
 * coming back to the tab after a change shows that change, not a page remembered from before it.
 */
export function useActivityList(orgId: string, serverPage: ServerPage<ActivityPage> | null) {
  const queryClient = useQueryClient();
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const state = useMemo(
    () => parseActivityState(new URLSearchParams(searchParams.toString())),
    [searchParams],
  );

  useState(() => {
    if (!serverPage) return;
    const key = activityKey(orgId, state);
    const cached = queryClient.getQueryState(key);
    if (!cached || cached.dataUpdatedAt < serverPage.renderedAt) {
      queryClient.setQueryData(key, serverPage.page, { updatedAt: serverPage.renderedAt });
    }
  });

  const query = useQuery(activityQuery(orgId, state));
  const data = query.data;

  const hrefFor = useCallback(
    (patch: Partial<ActivityTableState>) => buildActivityHref(pathname, updateActivityState(state, patch)),
    [pathname, state],
  );
  const setState = useCallback(
    (patch: Partial<ActivityTableState>, history: 'push' | 'replace' = 'push') => {
      const href = hrefFor(patch);
      if (history === 'push') window.history.pushState(null, '', href);
      else window.history.replaceState(null, '', href);
    },
    [hrefFor],
  );

  useEffect(() => {
    if (!data || query.isPlaceholderData) return;
    // The route moves a page past the end to the last one; let the URL say which page is shown.
    if (data.page !== state.page) {
      window.history.replaceState(null, '', hrefFor({ page: data.page }));
      return;
    }
    if (data.page < pageCount(data.total, data.pageSize)) {
      void queryClient.prefetchQuery(activityQuery(orgId, { ...state, page: data.page + 1 }));
    }
  }, [data, query.isPlaceholderData, state, orgId, queryClient, hrefFor]);

  // A failed load keeps the last known total, so the pager still works.
  const [knownTotal, setKnownTotal] = useState(data?.total ?? 0);
  if (data && data.total !== knownTotal) setKnownTotal(data.total);

  return { state, hrefFor, setState, query, total: data?.total ?? knownTotal };
}
