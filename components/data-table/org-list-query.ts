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
 * TanStack Query wiring for one organization's list behind the GET route handler
 * `/api/orgs/{orgId}/{path}`: the key prefix a change invalidates, the key of one page (every field
 * of the URL state, `null` when unset), and the options that load a page through the route (reads
 * are not server actions: Next runs a client's actions one at a time). The previous page stays on
 * screen while the next loads. `codec` is the table's URL state; without it, `lib/table-state`'s.
 */
export function orgListQuery<TPage extends ListPage, TState extends PagedTableState = TableState>(
  path: string,
  // Only a table on `TableState` (the type's default too) may leave the codec out.
  codec = TABLE_STATE_CODEC as unknown as TableStateCodec<TState>,
) {
  const scope = (orgId: string) => ['orgs', orgId, path] as const;
  const key = (orgId: string, state: TState) =>
    [
      ...scope(orgId),
      Object.fromEntries(codec.fields.map((field) => [field, state[field] ?? null])),
    ] as const;
  // A prefetch loads the same page under the same key; it only asks more politely (see fetchListPage).
  const options = (orgId: string, state: TState, purpose: 'view' | 'prefetch' = 'view') =>
    queryOptions({
      queryKey: key(orgId, state),
      queryFn: ({ signal }) =>
        fetchListPage<TPage>(
          `/api/orgs/${encodeURIComponent(orgId)}/${path}?${codec.toSearchParams(state)}`,
          signal,
          { isPrefetch: purpose === 'prefetch' },
        ),
      placeholderData: keepPreviousData,
      ...(purpose === 'prefetch' && { retry: false }),
    });
  return { codec, scope, key, options };
}

export type OrgListQuery<TPage extends ListPage, TState extends PagedTableState = TableState> = ReturnType<
  typeof orgListQuery<TPage, TState>
>;

/** A page a server component loaded for its table, and when (epoch ms), to seed the browser's query. */
export type ServerPage<TPage> = { page: TPage; renderedAt: number };

/** Stamps a page the server just loaded, for {@link ServerPage}. */
export function serverPage<TPage>(page: TPage): ServerPage<TPage> {
  return { page, renderedAt: Date.now() };
}
