'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useSyncExternalStore, useTransition } from 'react';
import {
  hrefWithSearchParams,
  type PagedTableState,
  TABLE_STATE_CODEC,
  type TableState,
  type TableStateCodec,
} from '@/lib/table-state';

/**
 * How a table moves through its URL states.
 * - `shallow`: history.pushState/replaceState — Next updates `useSearchParams` without a server
 *   render; the table fetches pages itself (TanStack Query). `router.push` would re-run the
 *   server page and fetch the same page twice.
 * - `server`: router navigation in a transition — the server component renders the new page
 *   while the old one stays on screen.
 */
export type TableUrlMode = 'shallow' | 'server';

type HistoryMode = 'push' | 'replace';

/**
 * Tables that change the URL themselves tell each other at once: Next's router learns of a
 * `pushState` only in a transition, which Chrome runs after the next frame, so a table reading
 * `useSearchParams` alone would paint a page flip a frame late. Reading `location.search` through
 * this store renders the new state in the same event that changed it.
 */
const urlListeners = new Set<() => void>();

function subscribeToUrl(listener: () => void) {
  urlListeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    urlListeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function readUrlSearch() {
  return window.location.search;
}

function notifyUrlListeners() {
  for (const listener of urlListeners) listener();
}

/**
 * The table state parsed from the URL (the one source of truth) plus a setter that writes it back:
 * page changes push history entries (the back button pages back), typing in search replaces.
 * `codec` reads and writes the state; without it, `lib/table-state`'s (`page`, `page_size`, `q`,
 * `role`, `status`). It must keep its identity between renders (define it once per module).
 */
export function useTableUrl<TState extends PagedTableState = TableState>(
  mode: TableUrlMode,
  // Only a table on `TableState` (the type's default too) may leave the codec out.
  codec = TABLE_STATE_CODEC as unknown as TableStateCodec<TState>,
) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const [isNavigating, startTransition] = useTransition();

  const routerSearch = searchParams.toString();
  // The server (and hydration) see the router's search; the browser then reads the address bar.
  const urlSearch = useSyncExternalStore(subscribeToUrl, readUrlSearch, () =>
    routerSearch ? `?${routerSearch}` : '',
  );
  const search = mode === 'shallow' ? urlSearch : routerSearch;
  // A navigation by Next's router (a link to other filters) changes the address bar after its
  // render: read it again once that has committed.
  useEffect(() => {
    if (mode === 'shallow' && readUrlSearch() !== urlSearch) notifyUrlListeners();
  }, [mode, routerSearch, urlSearch]);

  const state = useMemo(() => codec.parse(new URLSearchParams(search)), [codec, search]);

  const hrefFor = useCallback(
    (patch: Partial<TState>) =>
      hrefWithSearchParams(pathname, codec.toSearchParams(codec.update(state, patch))),
    [codec, pathname, state],
  );

  const setTableState = useCallback(
    (patch: Partial<TState>, history: HistoryMode = 'push') => {
      const href = hrefFor(patch);
      if (mode === 'shallow') {
        if (history === 'push') window.history.pushState(null, '', href);
        else window.history.replaceState(null, '', href);
        notifyUrlListeners();
        return;
      }
      startTransition(() => {
        if (history === 'push') router.push(href, { scroll: false });
        else router.replace(href, { scroll: false });
      });
    },
    [hrefFor, mode, router],
  );

  return { state, hrefFor, setTableState, isNavigating };
}
