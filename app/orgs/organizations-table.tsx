'use client';

import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import { useTableUrl } from '@/components/data-table/use-table-url';
import { Button } from '@/components/ui/button';
import { BuildingIcon } from '@/components/ui/icons';
import { useT } from '@/lib/i18n/client';
import type { OrganizationRow } from '@/lib/portal/organizations';
import { isFiltered } from '@/lib/table-state';
import { useOrganizationColumns } from './columns';

type OrganizationsTableProps = {
  /** The page the server rendered for the current URL. */
  data: { rows: OrganizationRow[]; total: number; page: number; pageSize: number };
  isOperator: boolean;
};

/**
 * Organizations list. Pages and searches navigate (the server component loads the page), and the
 * current rows stay dimmed on screen until the next page is ready.
 */
export function OrganizationsTable({ data, isOperator }: OrganizationsTableProps) {
  const t = useT();
  const { state, hrefFor, setTableState, isNavigating } = useTableUrl('server');
  const columns = useOrganizationColumns(isOperator);

  if (data.total === 0 && !isFiltered(state)) {
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
      columns={columns}
      rows={data.rows}
      getRowKey={(org) => org.id}
      isUpdating={isNavigating}
      skeletonRows={data.pageSize}
      empty={{
        title: t('orgs.noMatchTitle', { q: state.q }),
        body: t('orgs.noMatchBody'),
        action: <Button onClick={() => setTableState({ q: '' })}>{t('orgs.clearSearch')}</Button>,
      }}
      toolbar={
        <DataTableToolbar
          searchLabel={t('orgs.searchLabel')}
          searchPlaceholder={t('orgs.searchPlaceholder')}
          q={state.q}
          onSearch={(q) => setTableState({ q }, 'replace')}
          summary={
            state.q
              ? t('orgs.matching', { count: data.total, q: state.q })
              : t('orgs.count', { count: data.total })
          }
        />
      }
      pagination={
        data.total > 0 && (
          <DataTablePagination
            page={data.page}
            pageSize={state.pageSize}
            total={data.total}
            hrefForPage={(page) => hrefFor({ page })}
            onPageChange={(page) => setTableState({ page })}
            onPageSizeChange={(pageSize) => setTableState({ pageSize })}
          />
        )
      }
    />
  );
}
