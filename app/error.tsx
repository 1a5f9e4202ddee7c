'use client';

import { useEffect } from 'react';
import { useT } from '@/lib/i18n/client';

// Every page's first load carries this boundary in a chunk of its own; shared UI modules
// imported here would be shipped a second time there, so its markup is self-contained.

type ErrorPageProps = {
  error: Error & { digest?: string };
  /** Next 16.4: re-fetches and re-renders the segment. */
  retry?: () => void;
  reset?: () => void;
};

/** Last-resort error page: human text, a retry, and the digest to match server logs. */
export default function ErrorPage({ error, retry, reset }: ErrorPageProps) {
  const t = useT();

  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main
      id="main"
      className="border-line bg-surface mx-auto my-16 flex max-w-lg flex-col items-center gap-3 rounded-xl border px-8 py-10 text-center shadow-xs"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 20 20"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.6}
        strokeLinecap="round"
        strokeLinejoin="round"
        className="text-danger-600 size-7"
      >
        <path d="M10 3.5 17.5 16.5h-15L10 3.5Z" />
        <path d="M10 8.5v3.5m0 2.2v.1" />
      </svg>
      <h1 className="text-lg font-semibold">{t('pages.errorTitle')}</h1>
      <p className="text-ink-soft text-sm">{t('pages.errorBody')}</p>
      {error.digest ? (
        <p className="text-ink-muted font-mono text-xs">
          {t('pages.errorReference', { digest: error.digest })}
        </p>
      ) : null}
      <button
        type="button"
        onClick={() => (retry ?? reset)?.()}
        className="bg-accent-600 hover:bg-accent-hover focus-visible:outline-accent-600 inline-flex h-9 items-center rounded-md px-3.5 text-sm font-medium text-white shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2"
      >
        {t('common.retry')}
      </button>
    </main>
  );
}
