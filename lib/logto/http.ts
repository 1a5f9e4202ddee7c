import 'server-only';

import { currentBudgetContext } from './budget-context';
import { recordLogtoCall } from './call-timing';
import { LogtoNetworkError, toLogtoApiError, toLogtoNetworkError } from './errors';
import { type RequestLimiter } from './limiter';
import { type TokenCache } from './token';
import { exchange } from './transport';

/** Counters of one client, for tests and the bench. */
export type ClientStats = {
  /** HTTP requests sent to the Management API, retries included. */
  requests: number;
  /** HTTP requests sent to the token endpoint. */
  tokenRequests: number;
  /** Requests sent again: after a retryable failure of a safe call, or after a 401. */
  retries: number;
};

/** How calls are bounded and retried. */
export type RetryPolicy = {
  /** Upper bound of one call from its first attempt, retries and waits included. */
  timeoutMs: number;
  /** Retries of a safe (GET/HEAD) call after 429/502/503/504 or a network failure. */
  maxRetries: number;
  /** First backoff step; doubles on each retry, with jitter. */
  retryBaseDelayMs: number;
  /** Longest `Retry-After` the client agrees to wait; longer ones fail the call at once. */
  maxRetryAfterMs: number;
};

const SAFE_METHODS = new Set(['GET', 'HEAD']);
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

type Dependencies = {
  tokens: TokenCache;
  limiter: RequestLimiter;
  stats: ClientStats;
  policy: RetryPolicy;
};

/**
 * A `fetch` for openapi-fetch that does everything between a typed call and Logto: the bearer
 * token, the request budget, the time bound, retries, and error mapping. It resolves only with 2xx
 * responses (body fully read, so the time bound covers it) and otherwise throws
 * `LogtoApiError` or `LogtoNetworkError`.
 */
export function createLogtoFetch({ tokens, limiter, stats, policy }: Dependencies) {
  return async function logtoFetch(request: Request): Promise<Response> {
    const { method, url } = request;
    const headers = new Headers(request.headers);
    const body = SAFE_METHODS.has(method) ? undefined : await request.text();
    const isSafe = SAFE_METHODS.has(method);

    // The bound covers everything from here: waiting for budget, the token, retries and answers.
    const deadline = performance.now() + policy.timeoutMs;
    const { lane, clientKey, isPrefetch } = currentBudgetContext() ?? { lane: 'interactive' as const };
    let retries = 0;
    let hasRetriedAfter401 = false;

    for (;;) {
      const waitStartedAt = performance.now();
      const token = await tokens.getToken();
      headers.set('Authorization', `Bearer ${token}`);

      const release = await limiter.acquire({ lane, clientKey, deadline, isPrefetch });
      const sentAt = performance.now();
      const remainingMs = deadline - sentAt;

      let status: number;
      let responseHeaders: Headers;
      let responseBody: Buffer;
      try {
        if (remainingMs <= 0) {
          throw new LogtoNetworkError('network.timeout', `Logto did not answer in time (${url}).`);
        }
        stats.requests += 1;
        const response = await exchange(url, {
          method,
          headers,
          body: body || undefined,
          timeoutMs: Math.ceil(remainingMs),
        });
        status = response.status;
        responseHeaders = response.headers;
        responseBody = response.body;
      } catch (error) {
        const networkError = toLogtoNetworkError(error, url);
        const delayMs = backoffMs(retries, policy);
        if (
          isSafe &&
          networkError.code === 'network.unreachable' &&
          canRetry(retries, delayMs, deadline, policy)
        ) {
          retries += 1;
          stats.retries += 1;
          await sleep(delayMs);
          continue;
        }
        throw networkError;
      } finally {
        release();
        if (remainingMs > 0) recordLogtoCall(sentAt - waitStartedAt, performance.now() - sentAt);
      }

      if (status >= 200 && status < 300) {
        const hasNoBody = status === 204 || responseBody.byteLength === 0;
        return new Response(hasNoBody ? null : new Uint8Array(responseBody), {
          status,
          headers: responseHeaders,
        });
      }

      // A 401 means the request was refused before it ran, so even a write may be sent again.
      if (status === 401 && !hasRetriedAfter401) {
        hasRetriedAfter401 = true;
        tokens.invalidate(token);
        stats.retries += 1;
        continue;
      }

      if (isSafe && RETRYABLE_STATUSES.has(status)) {
        const retryAfterMs = parseRetryAfter(responseHeaders.get('Retry-After'));
        const delayMs = retryAfterMs ?? backoffMs(retries, policy);
        if (canRetry(retries, delayMs, deadline, policy)) {
          retries += 1;
          stats.retries += 1;
          await sleep(delayMs);
          continue;
        }
      }

      throw toLogtoApiError(status, new TextDecoder().decode(responseBody));
    }
  };
}

function canRetry(retries: number, delayMs: number, deadline: number, policy: RetryPolicy): boolean {
  return (
    retries < policy.maxRetries && delayMs <= policy.maxRetryAfterMs && performance.now() + delayMs < deadline
  );
}

/** Exponential backoff with jitter: half the step fixed, half random, so clients spread out. */
function backoffMs(retries: number, policy: RetryPolicy): number {
  const step = policy.retryBaseDelayMs * 2 ** retries;
  return step / 2 + Math.random() * (step / 2);
}

/**
 * Milliseconds to wait from a `Retry-After` header (delay in seconds or an HTTP date), or
 * `undefined` when it is absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
