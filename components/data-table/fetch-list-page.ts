import { signInHref } from '@/lib/auth/callback-url';
import { PREFETCH_HEADER } from '@/lib/prefetch';

/** A failed list request, carrying the route handler's translated message. */
export class ListRequestError extends Error {
  override name = 'ListRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Set when the server was busy for a moment and said when to ask again (`Retry-After`). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** Busy answers a list request waits out before it reports the failure. */
const MAX_BUSY_RETRIES = 20;

// How many list requests are waiting out a busy answer right now, for the tables' status line.
let busyRequests = 0;
const busyListeners = new Set<() => void>();

function changeBusy(delta: number): void {
  busyRequests += delta;
  for (const listener of busyListeners) listener();
}

/** Subscribes to {@link isListBusy} (for `useSyncExternalStore`). */
export function subscribeListBusy(listener: () => void): () => void {
  busyListeners.add(listener);
  return () => busyListeners.delete(listener);
}

/** Whether a list request is waiting to ask again after the server said it was busy. */
export function isListBusy(): boolean {
  return busyRequests > 0;
}

/**
 * GETs one page from a portal route handler. Errors come back as `{ error: { code, message } }`
 * with the message already in the user's language; a lost session sends the browser to sign-in.
 * A busy answer (503 or 429 with `Retry-After`: the request budget is spent for a moment) is
 * asked again after the time it names, up to 20 times, while {@link isListBusy} says so; the
 * caller sees only the page, or the last failure. A prefetch (`isPrefetch`) says so to the server,
 * which serves it only from budget nobody waits for, and gives up at a busy answer: the page is
 * loaded when someone opens it.
 */
export async function fetchListPage<T>(
  url: string,
  signal?: AbortSignal,
  { isPrefetch = false }: { isPrefetch?: boolean } = {},
): Promise<T> {
  let isBusy = false;
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await fetchOnce<T>(url, signal, isPrefetch);
      } catch (error) {
        if (!(error instanceof ListRequestError) || error.retryAfterMs === undefined || isPrefetch)
          throw error;
        if (attempt >= MAX_BUSY_RETRIES) throw error;
        if (!isBusy) {
          isBusy = true;
          changeBusy(1);
        }
        await wait(error.retryAfterMs, signal);
      }
    }
  } finally {
    if (isBusy) changeBusy(-1);
  }
}

async function fetchOnce<T>(url: string, signal: AbortSignal | undefined, isPrefetch: boolean): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (isPrefetch) headers[PREFETCH_HEADER.name] = PREFETCH_HEADER.value;
  const response = await fetch(url, { signal, headers, cache: 'no-store' });
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
  // Our route handlers send Retry-After in whole seconds.
  const retryAfter = response.headers.get('Retry-After')?.trim() ?? '';
  const isBusy = (response.status === 503 || response.status === 429) && /^\d+$/.test(retryAfter);
  throw new ListRequestError(response.status, code, message, isBusy ? Number(retryAfter) * 1000 : undefined);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts (the table moved on). */
function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
