'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useTransition } from 'react';
import { buildTableHref, parseTableState, type TableState, updateTableState } from '@/lib/table-state';

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
 * The table state parsed from the URL (the one source of truth) plus a setter that writes it back:
 * page changes push history entries (the back button pages back), typing in search replaces.
 */
export function useTableUrl(mode: TableUrlMode) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const router = useRouter();
  const [isNavigating, startTransition] = useTransition();

  const state = useMemo(() => parseTableState(new URLSearchParams(searchParams.toString())), [searchParams]);

  const hrefFor = useCallback(
    (patch: Partial<TableState>) => buildTableHref(pathname, updateTableState(state, patch)),
    [pathname, state],
  );

  const setTableState = useCallback(
    (patch: Partial<TableState>, history: HistoryMode = 'push') => {
      const href = hrefFor(patch);
      if (mode === 'shallow') {
        if (history === 'push') window.history.pushState(null, '', href);
        else window.history.replaceState(null, '', href);
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
