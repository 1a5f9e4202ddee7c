'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { DataTable } from '@/components/data-table/data-table';
import { ListRequestError } from '@/components/data-table/fetch-list-page';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import { useTableUrl } from '@/components/data-table/use-table-url';
import { Button } from '@/components/ui/button';
import { useT } from '@/lib/i18n/client';
import { isFiltered, pageCount } from '@/lib/table-state';
import { useMemberColumns } from './columns';
import { membersQueryOptions } from './members-query';

/**
 * The members table. The URL holds page, page size and search; TanStack Query loads each page
 * (the first one arrives hydrated from the server), keeps the previous page visible while the
 * next loads, and prefetches the page after the current one.
 */
export function MembersTable({ orgId }: { orgId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { state, hrefFor, setTableState } = useTableUrl('shallow');
  const columns = useMemberColumns();
  const query = useQuery(membersQueryOptions(orgId, state));
  const data = query.data;

  useEffect(() => {
    if (!data || query.isPlaceholderData) return;
    // The route handler clamps a page past the end; let the URL say which page is shown.
    if (data.page !== state.page) {
      window.history.replaceState(null, '', hrefFor({ page: data.page }));
      return;
    }
    if (data.page < pageCount(data.total, data.pageSize)) {
      void queryClient.prefetchQuery(membersQueryOptions(orgId, { ...state, page: data.page + 1 }));
    }
  }, [data, query.isPlaceholderData, state, orgId, queryClient, hrefFor]);

  // The pager keeps the last known total when a page fails to load, so paging back still works.
  const [knownTotal, setKnownTotal] = useState(data?.total ?? 0);
  if (data && data.total !== knownTotal) setKnownTotal(data.total);
  const total = data?.total ?? knownTotal;
  const isSearching = isFiltered(state);
  const summary = data
    ? state.q
      ? t('members.matching', { count: total, q: state.q })
      : t('members.count', { count: total })
    : undefined;

  return (
    <DataTable
      caption={t('members.title')}
      columns={columns}
      rows={query.isError ? undefined : data?.rows}
      getRowKey={(member) => member.id}
      isUpdating={query.isPlaceholderData}
      skeletonRows={state.pageSize}
      error={
        query.isError
          ? {
              // Our route handlers send translated text; anything else is the browser's own wording.
              message:
                query.error instanceof ListRequestError ? query.error.message : t('table.networkError'),
              onRetry: () => void query.refetch(),
            }
          : null
      }
      empty={
        isSearching
          ? {
              title: t('members.noMatchTitle', { q: state.q }),
              body: t('members.noMatchBody'),
              action: <Button onClick={() => setTableState({ q: '' })}>{t('members.clearSearch')}</Button>,
            }
          : { title: t('members.emptyTitle'), body: t('members.emptyBody') }
      }
      toolbar={
        <DataTableToolbar
          searchLabel={t('members.searchLabel')}
          searchPlaceholder={t('members.searchPlaceholder')}
          q={state.q}
          onSearch={(q) => setTableState({ q }, 'replace')}
          summary={summary}
        />
      }
      pagination={
        total > 0 && (
          <DataTablePagination
            page={state.page}
            pageSize={state.pageSize}
            total={total}
            hrefForPage={(page) => hrefFor({ page })}
            onPageChange={(page) => setTableState({ page })}
            onPageSizeChange={(pageSize) => setTableState({ pageSize })}
          />
        )
      }
    />
  );
}
