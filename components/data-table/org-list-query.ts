import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import {
  type PagedTableState,
  TABLE_STATE_CODEC,
  type TableState,
  type TableStateCodec,
} from '@/lib/table-state';
import { fetchListPage } from './fetch-list-page';

/** What every paged list route handler answers (`lib/logto`'s `Page`, rows made browser-safe). */
export type ListPage = { rows: unknown[]; total: number; page: number; pageSize: number };

/**
 * TanStack Query wiring for a paged list behind a GET route handler: the key prefix a change
 * invalidates (`scope`), the key of one page (every field of the URL state, `null` when unset),
 * and the options that load a page from `url` (reads are not server actions: Next runs a client's
 * actions one at a time). The previous page stays on screen while the next loads. `scopeId` says
 * whose list it is (an organization's id); `codec` is the table's URL state.
 */
export function pagedListQuery<TPage extends ListPage, TState extends PagedTableState>(
  scope: (scopeId: string) => readonly unknown[],
  url: (scopeId: string) => string,
  codec: TableStateCodec<TState>,
) {
  const key = (scopeId: string, state: TState) =>
    [
      ...scope(scopeId),
      Object.fromEntries(codec.fields.map((field) => [field, state[field] ?? null])),
    ] as const;
  // A prefetch loads the same page under the same key; it only asks more politely (see fetchListPage).
  const options = (scopeId: string, state: TState, purpose: 'view' | 'prefetch' = 'view') =>
    queryOptions({
      queryKey: key(scopeId, state),
      queryFn: ({ signal }) =>
        fetchListPage<TPage>(`${url(scopeId)}?${codec.toSearchParams(state)}`, signal, {
          isPrefetch: purpose === 'prefetch',
        }),
      placeholderData: keepPreviousData,
      ...(purpose === 'prefetch' && { retry: false }),
    });
  return { codec, scope, key, options };
}

/**
 * {@link pagedListQuery} for one organization's list behind `/api/orgs/{orgId}/{path}`, keyed
 * under `['orgs', orgId, path]`. Without `codec`, `lib/table-state`'s.
 */
export function orgListQuery<TPage extends ListPage, TState extends PagedTableState = TableState>(
  path: string,
  // Only a table on `TableState` (the type's default too) may leave the codec out.
  codec = TABLE_STATE_CODEC as unknown as TableStateCodec<TState>,
) {
  return pagedListQuery<TPage, TState>(
    (orgId) => ['orgs', orgId, path],
    (orgId) => `/api/orgs/${encodeURIComponent(orgId)}/${path}`,
    codec,
  );
}

export type PagedListQuery<TPage extends ListPage, TState extends PagedTableState = TableState> = ReturnType<
  typeof pagedListQuery<TPage, TState>
>;

/** A page a server component loaded for its table, and when (epoch ms), to seed the browser's query. */
export type ServerPage<TPage> = { page: TPage; renderedAt: number };

/** Stamps a page the server just loaded, for {@link ServerPage}. */
export function serverPage<TPage>(page: TPage): ServerPage<TPage> {
  return { page, renderedAt: Date.now() };
}
