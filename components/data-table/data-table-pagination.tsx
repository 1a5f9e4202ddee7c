'use client';

import { type PointerEvent, type ReactNode, useEffect, useRef } from 'react';
import { cn } from '@/components/ui/cn';
import { isPlainClick } from '@/components/ui/plain-click';
import { ChevronLeftIcon, ChevronRightIcon } from '@/components/ui/icons';
import { Select } from '@/components/ui/select';
import { useFormat, useT } from '@/lib/i18n/client';
import { PAGE_SIZES, type PageSize, pageCount } from '@/lib/table-state';
import { pageItems } from './page-items';

export type DataTablePaginationProps = {
  page: number;
  pageSize: PageSize;
  total: number;
  /** Real URL of a page, so links can be opened in a new tab and shared. */
  hrefForPage: (page: number) => string;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: PageSize) => void;
  /**
   * Someone is about to open `page`: the pointer rests on its link (`hover`), or presses it
   * (`press`, the click follows as the button comes up). Lets the table load it ahead.
   */
  onPageIntent?: (page: number, intent: PageIntent) => void;
};

export type PageIntent = 'hover' | 'press';

/**
 * How long the pointer rests on a page link before its page is loaded ahead: a sweep across the
 * pager loads nothing.
 */
const HOVER_INTENT_MS = 100;

function PageLink({
  page,
  href,
  onNavigate,
  onIntent,
  isCurrent = false,
  isDisabled = false,
  className,
  children,
}: {
  page: number;
  href: string;
  onNavigate: (page: number) => void;
  onIntent?: (page: number, intent: PageIntent) => void;
  isCurrent?: boolean;
  isDisabled?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const hoverTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const stopHover = () => clearTimeout(hoverTimer.current);
  useEffect(() => stopHover, []);
  const intentHandlers =
    onIntent && !isCurrent
      ? {
          onPointerEnter: (event: PointerEvent) => {
            if (event.pointerType !== 'mouse') return;
            stopHover();
            hoverTimer.current = setTimeout(() => onIntent(page, 'hover'), HOVER_INTENT_MS);
          },
          onPointerLeave: stopHover,
          onPointerDown: (event: PointerEvent) => {
            // A modified click opens a new tab, which loads the page itself.
            if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)
              return;
            stopHover();
            onIntent(page, 'press');
          },
        }
      : {};
  const classes = cn(
    'inline-flex h-8 min-w-7 items-center justify-center rounded-md px-1.5 text-sm tabular-nums transition-colors sm:min-w-8 sm:px-2',
    'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent-600',
    isCurrent ? 'bg-accent-600 font-semibold text-white' : 'text-ink-soft hover:bg-subtle hover:text-ink',
    isDisabled && 'pointer-events-none text-ink-faint',
    className,
  );
  if (isDisabled) {
    return (
      <span aria-disabled="true" className={classes}>
        {children}
      </span>
    );
  }
  return (
    <a
      href={href}
      aria-current={isCurrent ? 'page' : undefined}
      className={classes}
      {...intentHandlers}
      onClick={(event) => {
        // Plain clicks stay in the page; modified clicks open a new tab as links should.
        if (!isPlainClick(event)) return;
        event.preventDefault();
        if (!isCurrent) onNavigate(page);
      }}
    >
      {children}
    </a>
  );
}

/**
 * Pager for server-side pagination: the range shown, rows per page, previous/next and numbered
 * pages (`aria-current` on the current one). Page count is `ceil(total / pageSize)`.
 */
export function DataTablePagination({
  page,
  pageSize,
  total,
  hrefForPage,
  onPageChange,
  onPageSizeChange,
  onPageIntent,
}: DataTablePaginationProps) {
  const t = useT();
  const format = useFormat();
  const last = pageCount(total, pageSize);
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(page * pageSize, total);

  return (
    <div className="text-ink-soft flex flex-col gap-3 text-sm sm:flex-row sm:items-center sm:justify-between">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <span className="tabular-nums">
          {t('table.range', {
            from: format.number(from),
            to: format.number(to),
            total: format.number(total),
          })}
        </span>
        <label className="flex items-center gap-2">
          <span>{t('table.rowsPerPage')}</span>
          <Select
            value={pageSize}
            className="h-8 w-20"
            onChange={(event) => onPageSizeChange(Number(event.target.value) as PageSize)}
          >
            {PAGE_SIZES.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </Select>
        </label>
      </div>
      <nav aria-label={t('table.pagination')} className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <span className="whitespace-nowrap tabular-nums">
          {t('table.pageOf', { page: format.number(page), pages: format.number(last) })}
        </span>
        <ul className="flex items-center gap-0.5 sm:gap-1">
          <li>
            <PageLink
              page={page - 1}
              href={hrefForPage(page - 1)}
              onNavigate={onPageChange}
              onIntent={onPageIntent}
              isDisabled={page <= 1}
            >
              <ChevronLeftIcon />
              <span className="sr-only">{t('table.previousPage')}</span>
            </PageLink>
          </li>
          {pageItems(page, last).map((item) =>
            item.kind === 'gap' ? (
              <li key={item.key} aria-hidden="true" className="text-ink-muted px-0.5 sm:px-1">
                …
              </li>
            ) : (
              <li key={item.page}>
                <PageLink
                  page={item.page}
                  href={hrefForPage(item.page)}
                  onNavigate={onPageChange}
                  onIntent={onPageIntent}
                  isCurrent={item.page === page}
                >
                  <span className="sr-only">{t('table.goToPage', { page: item.page })}</span>
                  <span aria-hidden="true">{format.number(item.page)}</span>
                </PageLink>
              </li>
            ),
          )}
          <li>
            <PageLink
              page={page + 1}
              href={hrefForPage(page + 1)}
              onNavigate={onPageChange}
              onIntent={onPageIntent}
              isDisabled={page >= last}
            >
              <ChevronRightIcon />
              <span className="sr-only">{t('table.nextPage')}</span>
            </PageLink>
          </li>
        </ul>
      </nav>
    </div>
  );
}
