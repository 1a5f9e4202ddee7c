'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { AlertIcon } from '@/components/ui/icons';
import { useT } from '@/lib/i18n/client';
import type { PageFailure } from '@/lib/portal/load-for-page';

/** Longest wait between two automatic retries of a busy page. */
const MAX_RETRY_DELAY_MS = 10_000;

/**
 * Shown instead of a page when it could not load. The portal's request budget spent for a moment
 * (`busy`): says so at once and loads the page again by itself. Logto unreachable or failing: a
 * clear message and a retry that re-renders the page on the server. Never a 500 page or raw
 * upstream JSON.
 */
export function ServiceUnavailable({ failure }: { failure?: PageFailure }) {
  if (failure?.reason === 'busy') return <BusyRetrying retryAfterMs={failure.retryAfterMs} />;
  return <Outage />;
}

function BusyRetrying({ retryAfterMs }: { retryAfterMs: number }) {
  const t = useT();
  const router = useRouter();
  const [, startTransition] = useTransition();
  // Each refresh that finds the budget still spent waits a little longer before the next.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const delay = Math.min(MAX_RETRY_DELAY_MS, Math.max(500, retryAfterMs) * 2 ** Math.min(attempt, 4));
    const timer = setTimeout(() => {
      startTransition(() => router.refresh());
      setAttempt((count) => count + 1);
    }, delay);
    return () => clearTimeout(timer);
  }, [attempt, retryAfterMs, router]);

  return (
    <section
      role="status"
      aria-live="polite"
      className="border-line bg-surface mx-auto my-16 flex max-w-lg flex-col items-center gap-3 rounded-xl border px-8 py-10 text-center shadow-xs"
    >
      <span
        aria-hidden
        className="border-line border-t-accent-600 size-6 animate-spin rounded-full border-2 motion-reduce:animate-none"
      />
      <h1 className="text-lg font-semibold">{t('pages.busyTitle')}</h1>
      <p className="text-ink-soft text-sm">{t('pages.busyBody')}</p>
    </section>
  );
}

function Outage() {
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
