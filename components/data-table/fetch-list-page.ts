import { signInHref } from '@/lib/auth/callback-url';

/** A failed list request, carrying the route handler's translated message. */
export class ListRequestError extends Error {
  override name = 'ListRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * GETs one page from a portal route handler. Errors come back as `{ error: { code, message } }`
 * with the message already in the user's language; a lost session sends the browser to sign-in.
 */
export async function fetchListPage<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
  if (response.ok) return (await response.json()) as T;

  let code = 'internal';
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    code = body.error?.code ?? code;
    message = body.error?.message ?? message;
  } catch {
    // Not our JSON (a proxy's error page): keep the status text.
  }
  if (response.status === 401) {
    window.location.assign(signInHref(window.location.pathname + window.location.search));
  }
  throw new ListRequestError(response.status, code, message);
}
