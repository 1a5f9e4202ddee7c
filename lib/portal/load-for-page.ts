import 'server-only';

import { isUpstreamFailure } from '@/lib/actions/classify-error';
import { LogtoApiError, LogtoBusyError } from '@/lib/logto';
import { NotFoundError } from '@/lib/permissions';

/** Why a page could not load, as {@link ServiceUnavailable} shows it. */
export type PageFailure =
  | { ok: false; reason: 'not_found' | 'upstream' }
  /** The request budget is spent for a moment: the page retries by itself after `retryAfterMs`. */
  | { ok: false; reason: 'busy'; retryAfterMs: number };

/** A page load that either produced data or failed in a way the page answers itself. */
export type PageLoad<T> = { ok: true; value: T } | PageFailure;

/**
 * Runs a page's loader and sorts failures: hidden or missing organization → `not_found` (the page
 * calls `notFound()`), the portal's request budget spent → `busy` (the page says so and retries),
 * Logto down or overloaded → `upstream` (the page shows the outage notice). Anything else is a
 * bug and is rethrown to the error boundary.
 */
export async function loadForPage<T>(load: () => Promise<T>): Promise<PageLoad<T>> {
  try {
    return { ok: true, value: await load() };
  } catch (error) {
    if (error instanceof NotFoundError) return { ok: false, reason: 'not_found' };
    if (error instanceof LogtoApiError && error.status === 404) return { ok: false, reason: 'not_found' };
    if (error instanceof LogtoBusyError)
      return { ok: false, reason: 'busy', retryAfterMs: error.retryAfterMs };
    if (isUpstreamFailure(error)) {
      console.error('[page] Logto unavailable:', error);
      return { ok: false, reason: 'upstream' };
    }
    throw error;
  }
}
