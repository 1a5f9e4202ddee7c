/** Where a signed-in user lands when nothing better is known. */
export const DEFAULT_LANDING = '/orgs';

/** The sign-in page's `error` for a session Logto no longer stands behind (suspended or deleted user). */
export const SESSION_ENDED_ERROR = 'SessionEnded';

/** Request header through which `proxy.ts` tells pages the path and query being rendered. */
export const REQUEST_PATH_HEADER = 'x-portal-path';

/**
 * Accepts only same-site paths (`/orgs?page=2`) as a post-sign-in destination; absolute URLs,
 * protocol-relative `//evil.example` and backslash tricks fall back to {@link DEFAULT_LANDING}.
 */
export function safeCallbackUrl(raw: unknown, fallback: string = DEFAULT_LANDING): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback;
  if (value.startsWith('//') || value.includes('\\') || /[\u0000-\u001f]/.test(value)) return fallback;
  try {
    // A path that parses to another origin (e.g. `/\t/evil`) is not a path.
    const parsed = new URL(value, 'http://portal.invalid');
    if (parsed.origin !== 'http://portal.invalid') return fallback;
    if (parsed.pathname.startsWith('/sign-in') || parsed.pathname.startsWith('/api/auth')) return fallback;
    return parsed.pathname + parsed.search + parsed.hash;
  } catch {
    return fallback;
  }
}

/** The sign-in page URL that returns to `path` afterwards (the landing page is left implicit). */
export function signInHref(path: string | null | undefined): string {
  const target = safeCallbackUrl(path, '/');
  return target === '/' || target === DEFAULT_LANDING
    ? '/sign-in'
    : `/sign-in?${new URLSearchParams({ callbackUrl: target })}`;
}

/**
 * Short-lived marker set on sign-out so the sign-in page says "You have signed out" instead of
 * sending the visitor straight back to Logto.
 */
export const SIGNED_OUT_COOKIE = 'portal-signed-out';
