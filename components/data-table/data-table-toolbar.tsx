'use client';

import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { CloseIcon, SearchIcon } from '@/components/ui/icons';
import { Input } from '@/components/ui/input';
import { useT } from '@/lib/i18n/client';
import { MAX_QUERY_LENGTH } from '@/lib/table-state';

/** How long typing must pause before the search runs. */
export const SEARCH_DEBOUNCE_MS = 300;

export type DataTableToolbarProps = {
  searchLabel: string;
  searchPlaceholder: string;
  /** The search as the URL has it. */
  q: string;
  onSearch: (q: string) => void;
  /** Totals line ("2,500 members", "12 matching “smith”"). */
  summary?: ReactNode;
  /** Filters and actions, placed after the search box. */
  children?: ReactNode;
};

/**
 * Search box (debounced, Enter searches at once, Escape clears) with a totals line and room for
 * filters. The URL stays the source of truth: the box only holds what is being typed.
 */
export function DataTableToolbar({
  searchLabel,
  searchPlaceholder,
  q,
  onSearch,
  summary,
  children,
}: DataTableToolbarProps) {
  const t = useT();
  const inputId = useId();
  const [text, setText] = useState(q);
  const [committedQ, setCommittedQ] = useState(q);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // When the URL changes underneath (back button, "clear search" link), show what it says.
  if (q !== committedQ) {
    setCommittedQ(q);
    if (q !== text.trim()) setText(q);
  }

  useEffect(() => () => clearTimeout(timer.current), []);

  const commit = (value: string) => {
    clearTimeout(timer.current);
    if (value.trim() !== q) onSearch(value.trim());
  };

  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
      <div className="flex flex-1 flex-wrap items-center gap-2">
        <div className="relative w-full sm:max-w-sm">
          <label htmlFor={inputId} className="sr-only">
            {searchLabel}
          </label>
          <SearchIcon className="text-ink-faint pointer-events-none absolute top-1/2 left-3 -translate-y-1/2" />
          <Input
            id={inputId}
            type="search"
            value={text}
            maxLength={MAX_QUERY_LENGTH}
            placeholder={searchPlaceholder}
            autoComplete="off"
            spellCheck={false}
            className="px-9 [&::-webkit-search-cancel-button]:hidden"
            onChange={(event) => {
              const value = event.target.value;
              setText(value);
              clearTimeout(timer.current);
              timer.current = setTimeout(() => commit(value), SEARCH_DEBOUNCE_MS);
            }}
            onKeyDown={(event) => {
              if (event.key === 'Enter') commit(text);
              if (event.key === 'Escape' && text) {
                setText('');
                commit('');
              }
            }}
          />
          {text ? (
            <button
              type="button"
              onClick={() => {
                setText('');
                commit('');
              }}
              className="text-ink-faint hover:bg-subtle hover:text-ink focus-visible:outline-accent-600 absolute top-1/2 right-2 inline-flex size-6 -translate-y-1/2 items-center justify-center rounded focus-visible:outline-2"
            >
              <CloseIcon />
              <span className="sr-only">{t('table.clearSearch')}</span>
            </button>
          ) : null}
        </div>
        {children}
      </div>
      {summary ? (
        <p aria-live="polite" className="text-ink-soft text-sm tabular-nums">
          {summary}
        </p>
      ) : null}
    </div>
  );
}
