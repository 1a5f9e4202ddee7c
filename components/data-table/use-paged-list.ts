'use client';

import { type QueryClient, type QueryKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { isPlainClick, opensElsewhere } from '@/components/ui/plain-click';
import { whenIdle } from '@/components/ui/when-idle';
import { useT } from '@/lib/i18n/client';
import { type PagedTableState, pageCount } from '@/lib/table-state';
import type { DataTableProps } from './data-table';
import type { DataTablePaginationProps } from './data-table-pagination';
import type { DataTableToolbarProps } from './data-table-toolbar';
import { ListRequestError } from './fetch-list-page';
import type { ListPage, PagedListQuery, ServerPage } from './org-list-query';
import { useTableUrl } from './use-table-url';

/**
 * How long a flip to a page still loading changes nothing on screen: most pages arrive sooner,
 * and a frame drawn while one is on its way (a dimmed table, a moved pager) delays its rows by
 * tens of ms where the browser draws in software (bench phase 3), and makes the table flicker. A
 * slower page moves the pager and dims the rows then.
 */
const PENDING_FLIP_FEEDBACK_MS = 100;

/**
 * Calls `listener` when a link in the page is followed in this tab: a plain click on an `<a href>`
 * (not one that opens a new tab or downloads). Returns a function that stops listening.
 */
function onLinkFollowed(listener: () => void): () => void {
  const onClick = (event: MouseEvent) => {
    if (!isPlainClick(event)) return;
    const link = event.target instanceof Element ? event.target.closest('a[href]') : null;
    if (link && !opensElsewhere(link)) listener();
  };
  document.addEventListener('click', onClick, { capture: true });
  return () => document.removeEventListener('click', onClick, { capture: true });
}

/** A change of what every table's state holds, as a patch of one (TypeScript cannot see that it fits). */
function pagedPatch<TState extends PagedTableState>(patch: Partial<PagedTableState>) {
  return patch as Partial<TState>;
}

/** Puts a page the server rendered into the cache, unless the cache holds a newer one. */
function seedPage(queryClient: QueryClient, key: QueryKey, serverPage: ServerPage<unknown>): void {
  const cached = queryClient.getQueryState(key);
  if (!cached || cached.dataUpdatedAt < serverPage.renderedAt) {
    queryClient.setQueryData(key, serverPage.page, { updatedAt: serverPage.renderedAt });
  }
}

/**
 * A server-paged list (`scopeId` says whose, for `list`) as a table shows it: the state in the
 * URL (the one source of truth, read and written by `list.codec`, changed without a server
 * render), the page for it from TanStack Query, the previous page kept on screen while the next
 * loads, the next page prefetched (and any page whose pager link the pointer rests on or
 * presses), a page past the end moved to the last one in the URL, and the last known total kept
 * through a failed load so the pager still works. `search`, `pager` and `error` are the matching
 * props of {@link DataTableToolbar}, {@link DataTablePagination} and {@link DataTable}.
 *
 * The server's page (null when the server could not load it) goes into the cache unless the
 * browser holds a newer one, so the browser fetches nothing on first paint, and coming back to the
 * tab after a change shows that change, not a page remembered from before it. So does a later
 * server render (a server action's revalidation, `router.refresh()`). `list` must keep its
 * identity between renders (define it once per module).
 */
export function usePagedList<TPage extends ListPage, TState extends PagedTableState>(
  scopeId: string,
  list: PagedListQuery<TPage, TState>,
  serverPage: ServerPage<TPage> | null,
) {
  const t = useT();
  const queryClient = useQueryClient();
  const { state, hrefFor, setTableState } = useTableUrl(list.codec);

  // What a HydrationBoundary would do, without one: once before the first query reads the cache,
  // then after each later server render, unless the table has moved to another page since.
  const [firstRenderedAt] = useState(() => {
    if (serverPage) seedPage(queryClient, list.key(scopeId, state), serverPage);
    return serverPage?.renderedAt;
  });
  const seededAt = useRef(firstRenderedAt);
  useEffect(() => {
    if (!serverPage || serverPage.renderedAt === seededAt.current) return;
    seededAt.current = serverPage.renderedAt;
    // Rendered after something changed (an action revalidated the page): newer than the cache,
    // whatever the two clocks say.
    if (serverPage.page.page === state.page && serverPage.page.pageSize === state.pageSize) {
      queryClient.setQueryData(list.key(scopeId, state), serverPage.page);
    }
  }, [serverPage, queryClient, list, scopeId, state]);

  const query = useQuery(list.options(scopeId, state));
  const data = query.data;
  const key = JSON.stringify(list.key(scopeId, state));

  // A flip to a page the browser does not hold yet changes the address only when the page has
  // arrived, with its rows: changing it costs the browser a frame's worth of work (Next's router
  // catching up, the tab's icons fetched again) that would otherwise hold up those rows. Should
  // the page take longer than PENDING_FLIP_FEEDBACK_MS, the pager moves and the rows dim.
  const [pendingFlip, setPendingFlip] = useState<{ page: number; fromKey: string } | null>(null);
  const latestFlip = useRef(0);
  useEffect(
    () => () => {
      latestFlip.current += 1;
    },
    [],
  );
  // Any other change of the table (a search, the back button) leaves a pending flip behind.
  const pendingPage = pendingFlip?.fromKey === key ? pendingFlip.page : null;
  const flipTo = (page: number) => {
    const flip = (latestFlip.current += 1);
    const target = list.options(scopeId, { ...state, page });
    if (queryClient.getQueryData(target.queryKey) !== undefined) {
      setPendingFlip(null);
      setTableState(pagedPatch({ page }));
      return;
    }
    const address = window.location.pathname + window.location.search;
    const showPending = setTimeout(() => {
      if (flip === latestFlip.current) setPendingFlip({ page, fromKey: key });
    }, PENDING_FLIP_FEEDBACK_MS);
    // A link followed meanwhile is where the person is going now. Its navigation is the router's,
    // and a change of address would cancel it.
    const stopWatchingLinks = onLinkFollowed(() => {
      if (flip !== latestFlip.current) return;
      latestFlip.current += 1;
      setPendingFlip(null);
    });
    // Joins the request a press on the pager started; a failure is the table's to show.
    void queryClient
      .fetchQuery(target)
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(showPending);
        stopWatchingLinks();
        if (flip !== latestFlip.current) return;
        setPendingFlip(null);
        if (window.location.pathname + window.location.search === address) {
          setTableState(pagedPatch({ page }));
        }
      });
  };

  useEffect(() => {
    if (!data || query.isPlaceholderData) return;
    // The route handler clamps a page past the end; let the URL say which page is shown.
    if (data.page !== state.page) {
      window.history.replaceState(null, '', hrefFor(pagedPatch({ page: data.page })));
      return;
    }
    if (data.page < pageCount(data.total, data.pageSize)) {
      // After the page on screen is painted: a flip's own frame never waits for the next one.
      const nextPage = list.options(scopeId, { ...state, page: data.page + 1 }, 'prefetch');
      return whenIdle(() => void queryClient.prefetchQuery(nextPage));
    }
  }, [data, query.isPlaceholderData, state, scopeId, queryClient, hrefFor, list]);

  const [knownTotal, setKnownTotal] = useState(data?.total ?? 0);
  if (data && data.total !== knownTotal) setKnownTotal(data.total);
  const total = data?.total ?? knownTotal;

  const search: Pick<DataTableToolbarProps, 'q' | 'onSearch'> = {
    q: state.q,
    onSearch: (q) => setTableState(pagedPatch({ q }), 'replace'),
  };
  const pager: DataTablePaginationProps = {
    page: pendingPage ?? state.page,
    pageSize: state.pageSize,
    total,
    hrefForPage: (page) => hrefFor(pagedPatch({ page })),
    onPageChange: flipTo,
    onPageSizeChange: (pageSize) => setTableState(pagedPatch({ pageSize })),
    // A resting pointer asks politely (the server may decline); a press is the click arriving.
    onPageIntent: (page, intent) =>
      void queryClient.prefetchQuery(
        list.options(scopeId, { ...state, page }, intent === 'hover' ? 'prefetch' : 'view'),
      ),
  };
  const error: DataTableProps<unknown>['error'] = query.isError
    ? {
        // Our route handlers send translated text; anything else is the browser's own wording.
        message: query.error instanceof ListRequestError ? query.error.message : t('table.networkError'),
        onRetry: () => void query.refetch(),
      }
    : null;

  return {
    state,
    hrefFor,
    setTableState,
    query,
    key,
    /** Another page is loading while the rows on screen stay (for {@link DataTable}'s `isUpdating`). */
    isUpdating: query.isPlaceholderData || pendingPage !== null,
    total,
    search,
    pager,
    error,
  };
}
