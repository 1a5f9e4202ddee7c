'use client';

import { memo, type ReactNode, useCallback, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { cn } from '@/components/ui/cn';
import { AlertIcon } from '@/components/ui/icons';
import { Skeleton } from '@/components/ui/skeleton';
import { useT } from '@/lib/i18n/client';
import { isListBusy, subscribeListBusy } from './fetch-list-page';

/**
 * Classes of the first column: it stays in view while a narrow screen scrolls the table sideways
 * (rows keep every column, so every action stays reachable), on an opaque background.
 */
const STICKY_FIRST =
  'sticky left-0 z-[1] max-sm:max-w-48 max-sm:min-w-36 max-sm:shadow-[1px_0_0_var(--color-line)]';

/** One column: a header and how to render a row's cell. Features define theirs in `columns.tsx`. */
export type DataTableColumn<Row> = {
  id: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** Classes for this column's header and cells (width, alignment, hiding on small screens). */
  className?: string;
};

/** Row selection (checkboxes on the current page only); the keys are `getRowKey` values. */
export type DataTableSelection<Row> = {
  selectedKeys: ReadonlySet<string>;
  onChange: (selectedKeys: Set<string>) => void;
  /** Accessible name of a row's checkbox ("Select Carol Member"). */
  rowLabel: (row: Row) => string;
  /** Accessible name of the header checkbox ("Select all members on this page"). */
  allLabel: string;
};

export type DataTableProps<Row> = {
  /** Names the table for screen readers (rendered as an `sr-only` caption). */
  caption: string;
  columns: readonly DataTableColumn<Row>[];
  /** `undefined` until the first page arrives. */
  rows: readonly Row[] | undefined;
  getRowKey: (row: Row) => string;
  /** The query failed: shown instead of rows, with a retry. */
  error?: { message: string; onRetry: () => void } | null;
  /** Another page is loading while the previous rows stay on screen. */
  isUpdating?: boolean;
  /** What to say when there are no rows: "nothing yet" or "nothing matches" (the caller knows which). */
  empty: { title: string; body?: string; action?: ReactNode };
  toolbar?: ReactNode;
  pagination?: ReactNode;
  /** Skeleton rows while loading; match the page size so the layout does not jump. */
  skeletonRows?: number;
  /** Adds a checkbox column; omit it for read-only viewers. */
  selection?: DataTableSelection<Row>;
  /**
   * Fixed column widths: columns keep the widths their classes give (`w-…`; columns without one
   * share what is left), so paging or searching never moves them, and cells truncate or wrap what
   * does not fit. The table stays at least `minWidthRem` wide, so the columns without a width keep
   * room; a narrow screen scrolls it sideways. Without it, columns take the widths their cells ask
   * for, page by page.
   */
  fixedLayout?: { minWidthRem: number };
};

type DataTableRowProps<Row> = {
  row: Row;
  rowKey: string;
  columns: readonly DataTableColumn<Row>[];
  /** With selection: the row checkbox's accessible name, its state and one stable toggle. */
  selectLabel?: string;
  isSelected?: boolean;
  onToggleSelected?: (key: string, isChecked: boolean) => void;
};

/**
 * One row. Memoised: a page flip, a selection or a status change re-renders only the rows whose
 * data or selection changed, as long as the caller keeps `columns` stable (define them in a
 * `useMemo`). The selection checkbox sits at the start of the first cell rather than in a column
 * of its own, so cell positions stay the same whether or not the viewer may select.
 */
const DataTableRow = memo(function DataTableRow<Row>({
  row,
  rowKey,
  columns,
  selectLabel,
  isSelected = false,
  onToggleSelected,
}: DataTableRowProps<Row>) {
  // Cells carry the row's background, so the sticky first cell hides what scrolls under it.
  const background = isSelected ? 'bg-accent-50' : 'bg-surface group-hover:bg-subtle';
  return (
    <tr className="group border-line border-t first:border-t-0">
      {columns.map((column, index) => (
        <td
          key={column.id}
          className={cn(
            'px-4 py-2.5 align-middle',
            background,
            index === 0 && STICKY_FIRST,
            column.className,
          )}
        >
          {index === 0 && selectLabel !== undefined ? (
            <span className="flex items-center gap-3">
              <Checkbox
                aria-label={selectLabel}
                checked={isSelected}
                onChange={(event) => onToggleSelected?.(rowKey, event.target.checked)}
              />
              <span className="min-w-0 flex-1">{column.cell(row)}</span>
            </span>
          ) : (
            column.cell(row)
          )}
        </td>
      ))}
    </tr>
  );
}) as <Row>(props: DataTableRowProps<Row>) => ReactNode;

/** The header checkbox: all rows of this page, some (mixed) or none. */
function SelectAll<Row>({
  selection,
  rows,
  getRowKey,
}: {
  selection: DataTableSelection<Row>;
  rows: readonly Row[] | undefined;
  getRowKey: (row: Row) => string;
}) {
  const keys = (rows ?? []).map(getRowKey);
  const selectedOnPage = keys.filter((key) => selection.selectedKeys.has(key)).length;
  const isAll = keys.length > 0 && selectedOnPage === keys.length;
  return (
    <Checkbox
      aria-label={selection.allLabel}
      checked={isAll}
      indeterminate={selectedOnPage > 0 && !isAll}
      disabled={keys.length === 0}
      onChange={() => selection.onChange(isAll ? new Set() : new Set(keys))}
    />
  );
}

/**
 * The generic table shell: server-side pagination only (the caller passes one page of rows and a
 * pager), four explicit states — loading skeleton, error with retry, empty, rows — and the previous
 * rows dimmed, not removed, while the next page loads.
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  getRowKey,
  error,
  isUpdating = false,
  empty,
  toolbar,
  pagination,
  skeletonRows = 10,
  selection,
  fixedLayout,
}: DataTableProps<Row>) {
  const t = useT();
  const isLoading = rows === undefined && !error;
  // The server was busy and the rows are asked for again shortly: say so, keep what is on screen.
  const isBusy =
    useSyncExternalStore(subscribeListBusy, isListBusy, () => false) && (isLoading || isUpdating);
  const allColumns = columns;
  const columnCount = allColumns.length;
  // Rows get one toggle for their whole life, so a new selection re-renders only the rows it changes.
  const selectionRef = useRef(selection);
  useLayoutEffect(() => {
    selectionRef.current = selection;
  });
  const toggleRow = useCallback((key: string, isChecked: boolean) => {
    const current = selectionRef.current;
    if (!current) return;
    const next = new Set(current.selectedKeys);
    if (isChecked) next.add(key);
    else next.delete(key);
    current.onChange(next);
  }, []);

  let body: ReactNode;
  if (error) {
    body = (
      <tr>
        <td colSpan={columnCount} className="px-4 py-12">
          <div role="alert" className="mx-auto flex max-w-md flex-col items-center gap-3 text-center">
            <AlertIcon className="text-danger-600 size-6" />
            <p className="font-medium">{t('table.loadErrorTitle')}</p>
            <p className="text-ink-soft text-sm">{error.message}</p>
            <Button onClick={error.onRetry}>{t('common.retry')}</Button>
          </div>
        </td>
      </tr>
    );
  } else if (isLoading) {
    body = Array.from({ length: skeletonRows }, (_, index) => (
      <tr key={index} className="border-line border-t first:border-t-0">
        {allColumns.map((column, index) => (
          <td
            key={column.id}
            className={cn('px-4 py-3', index === 0 && cn(STICKY_FIRST, 'bg-surface'), column.className)}
          >
            <Skeleton className="h-4 w-3/4" />
          </td>
        ))}
      </tr>
    ));
  } else if (rows && rows.length === 0) {
    body = (
      <tr>
        <td colSpan={columnCount} className="px-4 py-14">
          <div className="mx-auto flex max-w-md flex-col items-center gap-2 text-center">
            <p className="font-medium">{empty.title}</p>
            {empty.body ? <p className="text-ink-soft text-sm">{empty.body}</p> : null}
            {empty.action ? <div className="mt-2">{empty.action}</div> : null}
          </div>
        </td>
      </tr>
    );
  } else {
    // Keyed by position: a page flip fills the same rows with other people, which the browser
    // updates far faster than it builds new ones. What a row's cells keep (an open role menu)
    // closes when focus leaves it, before the pager can be used.
    body = rows?.map((row, index) => {
      const key = getRowKey(row);
      return (
        <DataTableRow
          key={index}
          row={row}
          rowKey={key}
          columns={columns}
          selectLabel={selection?.rowLabel(row)}
          isSelected={selection?.selectedKeys.has(key)}
          onToggleSelected={toggleRow}
        />
      );
    });
  }

  return (
    <div className="flex flex-col gap-3">
      {toolbar}
      <div className="border-line bg-surface relative overflow-x-auto rounded-lg border shadow-xs">
        <table
          aria-busy={isLoading || isUpdating}
          style={fixedLayout && { minWidth: `${fixedLayout.minWidthRem}rem` }}
          className={cn(
            'w-full text-left text-sm transition-opacity',
            fixedLayout && 'table-fixed',
            isUpdating && 'opacity-60',
          )}
        >
          <caption className="sr-only">{caption}</caption>
          <thead className="border-line bg-subtle text-ink-soft border-b text-xs font-medium tracking-wide uppercase">
            <tr>
              {allColumns.map((column, index) => (
                <th
                  key={column.id}
                  scope="col"
                  className={cn(
                    'px-4 py-2.5 font-medium',
                    index === 0 && cn(STICKY_FIRST, 'bg-subtle'),
                    column.className,
                  )}
                >
                  {index === 0 && selection ? (
                    <span className="flex items-center gap-3">
                      <SelectAll selection={selection} rows={rows} getRowKey={getRowKey} />
                      {column.header}
                    </span>
                  ) : (
                    column.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{body}</tbody>
        </table>
        {/* Announced to screen readers; the dimmed rows say the same visually, except "busy". */}
        <p
          role="status"
          className={isBusy ? 'border-line text-ink-soft border-t px-4 py-2 text-sm' : 'sr-only'}
        >
          {isBusy
            ? t('table.busyRetrying')
            : isLoading
              ? t('table.loadingRows')
              : isUpdating
                ? t('table.updating')
                : ''}
        </p>
      </div>
      {pagination}
    </div>
  );
}
