'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { AlertIcon } from '@/components/ui/icons';
import { useT } from '@/lib/i18n/client';

/**
 * Shown instead of a page when Logto cannot be reached or keeps failing: a clear message and a
 * retry that re-renders the page on the server. Never a 500 page or raw upstream JSON.
 */
export function ServiceUnavailable() {
  const t = useT();
  const router = useRouter();
  const [isRetrying, startTransition] = useTransition();

  return (
    <section
      role="alert"
      className="border-line bg-surface mx-auto my-16 flex max-w-lg flex-col items-center gap-3 rounded-xl border px-8 py-10 text-center shadow-xs"
    >
      <AlertIcon className="text-warning-700 size-7" />
      <h1 className="text-lg font-semibold">{t('pages.outageTitle')}</h1>
      <p className="text-ink-soft text-sm">{t('pages.outageBody')}</p>
      <Button variant="primary" disabled={isRetrying} onClick={() => startTransition(() => router.refresh())}>
        {isRetrying ? t('common.loading') : t('common.retry')}
      </Button>
    </section>
  );
}
