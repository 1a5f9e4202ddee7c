import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { type TableState, tableStateToSearchParams } from '@/lib/table-state';
import { fetchListPage } from './fetch-list-page';

/** What every paged list route handler answers (`lib/logto`'s `Page`, rows made browser-safe). */
export type ListPage = { rows: unknown[]; total: number; page: number; pageSize: number };

/**
 * TanStack Query wiring for one organization's list behind the GET route handler
 * `/api/orgs/{orgId}/{path}`: the key prefix a change invalidates, the key of one page (the
 * server's prefetch and the browser share it), and the options that load a page through the
 * route (reads are not server actions: Next runs a client's actions one at a time). The previous
 * page stays on screen while the next loads.
 */
export function orgListQuery<TPage extends ListPage>(path: string) {
  const scope = (orgId: string) => ['orgs', orgId, path] as const;
  const key = (orgId: string, state: TableState) =>
    [
      ...scope(orgId),
      {
        page: state.page,
        pageSize: state.pageSize,
        q: state.q,
        role: state.role ?? null,
        status: state.status ?? null,
      },
    ] as const;
  const options = (orgId: string, state: TableState) =>
    queryOptions({
      queryKey: key(orgId, state),
      queryFn: ({ signal }) =>
        fetchListPage<TPage>(
          `/api/orgs/${encodeURIComponent(orgId)}/${path}?${tableStateToSearchParams(state)}`,
          signal,
        ),
      placeholderData: keepPreviousData,
    });
  return { scope, key, options };
}

export type OrgListQuery<TPage extends ListPage> = ReturnType<typeof orgListQuery<TPage>>;

/** A page a server component loaded for its table, and when (epoch ms), to seed the browser's query. */
export type ServerPage<TPage> = { page: TPage; renderedAt: number };

/** Stamps a page the server just loaded, for {@link ServerPage}. */
export function serverPage<TPage>(page: TPage): ServerPage<TPage> {
  return { page, renderedAt: Date.now() };
}
