'use client';

import { useCallback, useId } from 'react';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import { ListRequestError } from '@/components/data-table/fetch-list-page';
import type { ServerPage } from '@/components/data-table/org-list-query';
import { Button, buttonClasses } from '@/components/ui/button';
import { CloseIcon, DownloadIcon } from '@/components/ui/icons';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ActivityPage, KnownActivityAction } from '@/lib/activity/kinds';
import { activityStateToSearchParams, isActivityFiltered } from '@/lib/activity/query-state';
import { actionOptions } from '@/lib/activity/sentence';
import { useT } from '@/lib/i18n/client';
import { useActivityColumns } from './columns';
import { useActivityList } from './use-activity-list';

export type ActivityTableProps = {
  orgId: string;
  /** The first page as the server rendered it for the URL; null when the store did not answer. */
  serverPage: ServerPage<ActivityPage> | null;
};

/** The browser's time zone, which the days of a date filter are meant in. */
function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The organization's activity log, newest first. The URL holds the page, page size and filters —
 * who (an actor, picked by clicking their name), what (kind of change), target text and days —
 * so a filtered view can be shared and the back button steps through filters. The CSV export
 * takes the same filters.
 */
export function ActivityTable({ orgId, serverPage }: ActivityTableProps) {
  const t = useT();
  const actionFilterId = useId();
  const { state, hrefFor, setState, query, total } = useActivityList(orgId, serverPage);
  const data = query.data;
  const rows = query.isError ? undefined : data?.rows;

  const filterWho = useCallback((actorId: string) => setState({ who: actorId }), [setState]);
  const columns = useActivityColumns({ onFilterWho: state.who ? undefined : filterWho });

  const whoLabel = state.who
    ? (rows?.find((row) => row.actor.id === state.who)?.actor.email ?? state.who)
    : undefined;
  const exportQuery = activityStateToSearchParams({ ...state, page: 1, pageSize: 20 }).toString();
  const exportHref = `/api/orgs/${encodeURIComponent(orgId)}/activity/export${exportQuery ? `?${exportQuery}` : ''}`;
  const setDay = (field: 'from' | 'to', value: string) => {
    const day = value || undefined;
    const tz = state.tz ?? browserTimeZone();
    setState(field === 'from' ? { from: day, tz } : { to: day, tz });
  };
  const clearFilters = () =>
    setState({ who: undefined, action: undefined, q: '', from: undefined, to: undefined, tz: undefined });

  return (
    <DataTable
      caption={t('activity.title')}
      columns={columns}
      rows={rows}
      getRowKey={(row) => String(row.id)}
      isUpdating={query.isPlaceholderData}
      skeletonRows={Math.min(state.pageSize, 20)}
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
        isActivityFiltered(state)
          ? {
              title: t('activity.noMatchTitle'),
              body: t('activity.noMatchBody'),
              action: <Button onClick={clearFilters}>{t('activity.clearFilters')}</Button>,
            }
          : { title: t('activity.emptyTitle'), body: t('activity.emptyBody') }
      }
      toolbar={
        <div className="flex flex-col gap-3">
          <DataTableToolbar
            searchLabel={t('activity.searchLabel')}
            searchPlaceholder={t('activity.searchPlaceholder')}
            q={state.q}
            onSearch={(q) => setState({ q }, 'replace')}
            summary={data ? t('activity.count', { count: total }) : undefined}
          >
            <label htmlFor={actionFilterId} className="sr-only">
              {t('activity.actionFilterLabel')}
            </label>
            <Select
              id={actionFilterId}
              value={state.action ?? ''}
              className="w-48"
              onChange={(event) =>
                setState({ action: (event.target.value || undefined) as KnownActivityAction | undefined })
              }
            >
              <option value="">{t('activity.allActions')}</option>
              {actionOptions(t).map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
            <label className="text-ink-soft flex items-center gap-2 text-sm">
              <span>{t('activity.fromLabel')}</span>
              <Input
                type="date"
                value={state.from ?? ''}
                max={state.to}
                className="w-auto"
                onChange={(event) => setDay('from', event.target.value)}
              />
            </label>
            <label className="text-ink-soft flex items-center gap-2 text-sm">
              <span>{t('activity.toLabel')}</span>
              <Input
                type="date"
                value={state.to ?? ''}
                min={state.from}
                className="w-auto"
                onChange={(event) => setDay('to', event.target.value)}
              />
            </label>
            <a href={exportHref} download className={buttonClasses('secondary')}>
              <DownloadIcon />
              {t('activity.export')}
            </a>
          </DataTableToolbar>
          {whoLabel ? (
            <p className="flex items-center gap-1">
              <span className="bg-accent-50 text-accent-700 ring-accent-200 inline-flex items-center gap-1 rounded-full py-0.5 pr-1 pl-3 text-sm ring-1 ring-inset">
                {t('activity.byActor', { actor: whoLabel })}
                <button
                  type="button"
                  onClick={() => setState({ who: undefined })}
                  className="hover:bg-accent-100 focus-visible:outline-accent-600 inline-flex size-6 items-center justify-center rounded-full focus-visible:outline-2"
                >
                  <CloseIcon />
                  <span className="sr-only">{t('activity.showEveryone')}</span>
                </button>
              </span>
            </p>
          ) : null}
        </div>
      }
      pagination={
        total > 0 && (
          <DataTablePagination
            page={state.page}
            pageSize={state.pageSize}
            total={total}
            hrefForPage={(page) => hrefFor({ page })}
            onPageChange={(page) => setState({ page })}
            onPageSizeChange={(pageSize) => setState({ pageSize })}
          />
        )
      }
    />
  );
}
