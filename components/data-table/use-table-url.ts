'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import {
  hrefWithSearchParams,
  type PagedTableState,
  TABLE_STATE_CODEC,
  type TableState,
  type TableStateCodec,
} from '@/lib/table-state';

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
 * The table state parsed from the URL (the one source of truth) plus a setter that writes it back
 * with history.pushState/replaceState: Next updates `useSearchParams` without a server render,
 * and the table fetches its pages itself (`router.push` would re-run the server page and fetch
 * the same page twice). Page changes push history entries (the back button pages back), typing
 * in search replaces. `codec` reads and writes the state; without it, `lib/table-state`'s (`page`,
 * `page_size`, `q`, `role`, `status`). It must keep its identity between renders (define it once
 * per module).
 */
export function useTableUrl<TState extends PagedTableState = TableState>(
  // Only a table on `TableState` (the type's default too) may leave the codec out.
  codec = TABLE_STATE_CODEC as unknown as TableStateCodec<TState>,
) {
  const searchParams = useSearchParams();
  const pathname = usePathname();

  const routerSearch = searchParams.toString();
  // The server (and hydration) see the router's search; the browser then reads the address bar.
  const search = useSyncExternalStore(subscribeToUrl, readUrlSearch, () =>
    routerSearch ? `?${routerSearch}` : '',
  );
  // A navigation by Next's router (a link to other filters) changes the address bar after its
  // render: read it again once that has committed.
  useEffect(() => {
    if (readUrlSearch() !== search) notifyUrlListeners();
  }, [routerSearch, search]);

  const state = useMemo(() => codec.parse(new URLSearchParams(search)), [codec, search]);

  const hrefFor = useCallback(
    (patch: Partial<TState>) =>
      hrefWithSearchParams(pathname, codec.toSearchParams(codec.update(state, patch))),
    [codec, pathname, state],
  );

  const setTableState = useCallback(
    (patch: Partial<TState>, history: HistoryMode = 'push') => {
      const href = hrefFor(patch);
      if (history === 'push') window.history.pushState(null, '', href);
      else window.history.replaceState(null, '', href);
      notifyUrlListeners();
    },
    [hrefFor],
  );

  return { state, hrefFor, setTableState };
}
