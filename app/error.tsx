'use client';

import { useEffect } from 'react';
import { Button } from '@/components/ui/button';
import { AlertIcon } from '@/components/ui/icons';
import { useT } from '@/lib/i18n/client';

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
    <main className="border-line bg-surface mx-auto my-16 flex max-w-lg flex-col items-center gap-3 rounded-xl border px-8 py-10 text-center shadow-xs">
      <AlertIcon className="text-danger-600 size-7" />
      <h1 className="text-lg font-semibold">{t('pages.errorTitle')}</h1>
      <p className="text-ink-soft text-sm">{t('pages.errorBody')}</p>
      {error.digest ? (
        <p className="text-ink-muted font-mono text-xs">
          {t('pages.errorReference', { digest: error.digest })}
        </p>
      ) : null}
      <Button variant="primary" onClick={() => (retry ?? reset)?.()}>
        {t('common.retry')}
      </Button>
    </main>
  );
}
