'use client';

import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import type { ServerPage } from '@/components/data-table/org-list-query';
import { usePagedList } from '@/components/data-table/use-paged-list';
import { Button } from '@/components/ui/button';
import { BuildingIcon } from '@/components/ui/icons';
import { useT } from '@/lib/i18n/client';
import type { OrganizationsPage } from '@/lib/portal/organizations';
import { isFiltered } from '@/lib/table-state';
import { useOrganizationColumns } from './columns';
import { organizationsList } from './organizations-query';

type OrganizationsTableProps = {
  /** The page the server rendered for the current URL. */
  serverPage: ServerPage<OrganizationsPage>;
  isOperator: boolean;
};

/**
 * Organizations list. The URL holds page, page size and search; TanStack Query loads each page
 * from `/api/orgs` (the first arrives with the page from the server), keeps the current rows
 * dimmed on screen until the next page is ready, and prefetches the page after the current one.
 */
export function OrganizationsTable({ serverPage, isOperator }: OrganizationsTableProps) {
  const t = useT();
  const { state, setTableState, query, isUpdating, total, search, pager, error } = usePagedList(
    '',
    organizationsList,
    serverPage,
  );
  const columns = useOrganizationColumns(isOperator);

  if (query.data?.total === 0 && !isFiltered(state)) {
    return (
      <section className="border-line bg-surface flex flex-col items-center gap-3 rounded-xl border border-dashed px-8 py-16 text-center">
        <span className="bg-subtle text-ink-muted inline-flex size-11 items-center justify-center rounded-full">
          <BuildingIcon width={22} height={22} />
        </span>
        <h2 className="text-lg font-semibold">{t('orgs.emptyTitle')}</h2>
        <p className="text-ink-soft max-w-md text-sm">
          {isOperator ? t('orgs.emptyOperatorBody') : t('orgs.emptyBody')}
        </p>
      </section>
    );
  }

  return (
    <DataTable
      caption={t('orgs.title')}
      fixedLayout={{ minWidthRem: 20 }}
      columns={columns}
      rows={query.isError ? undefined : query.data?.rows}
      getRowKey={(org) => org.id}
      isUpdating={isUpdating}
      skeletonRows={state.pageSize}
      error={error}
      empty={{
        title: t('orgs.noMatchTitle', { q: state.q }),
        body: t('orgs.noMatchBody'),
        action: <Button onClick={() => setTableState({ q: '' })}>{t('orgs.clearSearch')}</Button>,
      }}
      toolbar={
        <DataTableToolbar
          searchLabel={t('orgs.searchLabel')}
          searchPlaceholder={t('orgs.searchPlaceholder')}
          {...search}
          summary={
            query.data === undefined
              ? undefined
              : state.q
                ? t('orgs.matching', { count: total, q: state.q })
                : t('orgs.count', { count: total })
          }
        />
      }
      pagination={total > 0 && <DataTablePagination {...pager} />}
    />
  );
}
