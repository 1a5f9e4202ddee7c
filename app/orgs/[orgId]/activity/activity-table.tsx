'use client';

import { useCallback, useId } from 'react';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { DataTableToolbar } from '@/components/data-table/data-table-toolbar';
import type { ServerPage } from '@/components/data-table/org-list-query';
import { usePagedList } from '@/components/data-table/use-paged-list';
import { Button, buttonClasses } from '@/components/ui/button';
import { CloseIcon, DownloadIcon } from '@/components/ui/icons';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ActivityPage, KnownActivityAction } from '@/lib/activity/kinds';
import { activityStateToSearchParams, isActivityFiltered } from '@/lib/activity/query-state';
import { actionOptions } from '@/lib/activity/sentence';
import { useT } from '@/lib/i18n/client';
import { hrefWithSearchParams } from '@/lib/table-state';
import { activityList } from './activity-query';
import { useActivityColumns } from './columns';

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

/** One end of the date range: a labelled day picker. */
function DayInput({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value?: string;
  min?: string;
  max?: string;
  onChange: (day: string) => void;
}) {
  return (
    <label className="text-ink-soft flex items-center gap-2 text-sm">
      <span>{label}</span>
      <Input
        type="date"
        value={value ?? ''}
        min={min}
        max={max}
        className="w-auto"
        onChange={(event) => onChange(event.target.value)}
      />
    </label>
  );
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
  const { state, setTableState, query, isUpdating, total, search, pager, error } = usePagedList(
    orgId,
    activityList,
    serverPage,
  );
  const data = query.data;
  const rows = query.isError ? undefined : data?.rows;

  const filterWho = useCallback((actorId: string) => setTableState({ who: actorId }), [setTableState]);
  const columns = useActivityColumns({ onFilterWho: state.who ? undefined : filterWho });

  const whoLabel = state.who
    ? (rows?.find((row) => row.actor.id === state.who)?.actor.email ?? state.who)
    : undefined;
  const exportHref = hrefWithSearchParams(
    `/api/orgs/${encodeURIComponent(orgId)}/activity/export`,
    activityStateToSearchParams({ ...state, page: 1, pageSize: 20 }),
  );
  const setDay = (field: 'from' | 'to', value: string) => {
    const day = value || undefined;
    const tz = state.tz ?? browserTimeZone();
    setTableState(field === 'from' ? { from: day, tz } : { to: day, tz });
  };
  const clearFilters = () =>
    setTableState({
      who: undefined,
      action: undefined,
      q: '',
      from: undefined,
      to: undefined,
      tz: undefined,
    });

  return (
    <DataTable
      caption={t('activity.title')}
      columns={columns}
      rows={rows}
      getRowKey={(row) => String(row.id)}
      isUpdating={isUpdating}
      skeletonRows={Math.min(state.pageSize, 20)}
      error={error}
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
            {...search}
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
                setTableState({
                  action: (event.target.value || undefined) as KnownActivityAction | undefined,
                })
              }
            >
              <option value="">{t('activity.allActions')}</option>
              {actionOptions(t).map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </Select>
            <DayInput
              label={t('activity.fromLabel')}
              value={state.from}
              max={state.to}
              onChange={(day) => setDay('from', day)}
            />
            <DayInput
              label={t('activity.toLabel')}
              value={state.to}
              min={state.from}
              onChange={(day) => setDay('to', day)}
            />
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
                  onClick={() => setTableState({ who: undefined })}
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
      pagination={total > 0 && <DataTablePagination {...pager} />}
    />
  );
}
