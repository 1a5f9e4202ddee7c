import 'server-only';

import { isUpstreamFailure } from '@/lib/actions/classify-error';
import { LogtoApiError } from '@/lib/logto';
import { NotFoundError } from '@/lib/permissions';

/** A page load that either produced data or failed in a way the page answers itself. */
export type PageLoad<T> = { ok: true; value: T } | { ok: false; reason: 'not_found' | 'upstream' };

/**
 * Runs a page's loader and sorts failures: hidden or missing organization → `not_found` (the page
 * calls `notFound()`), Logto down or overloaded → `upstream` (the page shows the outage notice).
 * Anything else is a bug and is rethrown to the error boundary.
 */
export async function loadForPage<T>(load: () => Promise<T>): Promise<PageLoad<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, reason: 'not_found' };
    if (error instanceof LogtoApiError && error.status === 404) return { ok: false, reason: 'not_found' };
    if (isUpstreamFailure(error)) {
      console.error('[page] Logto unavailable:', error);
      return { ok: false, reason: 'upstream' };
    }
    throw error;
  }
}
