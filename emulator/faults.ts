import type Koa from 'koa';

/** Fault modes of the local Logto, as read and written by `/_emulator/faults`. */
export type FaultSettings = {
  /** Delay added before every `/api` and `/oidc/token` request is handled. */
  latencyMs?: number;
  /** The next `count` requests fail with `status`. */
  failNext?: { count: number; status: number };
  /** Each request fails with `status` with probability `ratio` (0..1). */
  failRate?: { ratio: number; status: number };
  /** Sliding window: at most `limit` requests per `windowMs`; the rest get 429 + Retry-After. */
  rateLimit?: { limit: number; windowMs: number };
  /** `/oidc/token` answers 503 while set. */
  tokenEndpointDown?: boolean;
  /** Lifetime of Management API access tokens issued from now on (default 3600). */
  accessTokenTtlSeconds?: number;
};

/** One counted request as a recording saw it arrive (`at`: `performance.now()` of this process). */
export type Arrival = { at: number; method: string; path: string };

/** Request counters, as `GET /_emulator/stats` returns them. */
export type RequestStats = {
  apiRequests: number;
  tokenRequests: number;
  /** `/api` and token requests refused with 429 by the `rateLimit` fault (not by `failNext`/`failRate`). */
  rateLimited: number;
  /** {@link rateLimited} by HTTP method (`"POST"` → count): which refused requests were writes. */
  rateLimitedByMethod: Record<string, number>;
  /** `"METHOD /route/:pattern"` → count, for `/api` requests that reached a route. */
  byRoute: Record<string, number>;
};

export class InvalidFaultSettingsError extends Error {}

const RATE_LIMITED_BODY = {
  code: 'request.rate_limited',
  message: 'Too many requests. Please try again later.',
};

/**
 * Holds the fault settings and request counters of one emulator. The HTTP control routes and
 * `EmulatorHandle.faults` share the same instance, so tests may use either.
 */
export class FaultController {
  #settings: FaultSettings = {};
  #acceptedAt: number[] = [];
  #stats: RequestStats = emptyStats();
  /** Counted requests (when, and which) while a recording runs. */
  #arrivals: Arrival[] | undefined;

  /**
   * Starts noting when each counted request (every `/api` call and token request) arrives, at
   * the moment the rate-limit fault would count it, so a bench can find the busiest window as
   * this Logto saw it.
   */
  startRecordingArrivals(): void {
    this.#arrivals = [];
  }

  /** Stops the recording; answers the arrival times (`performance.now()` of this process). */
  stopRecordingArrivals(): number[] {
    return this.stopRecordingArrivalDetails().map((arrival) => arrival.at);
  }

  /** Stops the recording; answers each arrival with its method and path. */
  stopRecordingArrivalDetails(): Arrival[] {
    const arrivals = this.#arrivals ?? [];
    this.#arrivals = undefined;
    return arrivals;
  }

  /** A copy of the current settings. */
  get(): FaultSettings {
    return structuredClone(this.#settings);
  }

  /** Replaces every setting (what `PUT /_emulator/faults` does); validates first. */
  set(settings: unknown): FaultSettings {
    this.#settings = parseFaultSettings(settings);
    this.#acceptedAt = [];
    return this.get();
  }

  /** Changes only the given settings, keeping the others. */
  update(settings: FaultSettings): FaultSettings {
    return this.set({ ...this.#settings, ...settings });
  }

  /** Removes every fault (what `DELETE /_emulator/faults` does). */
  clear(): void {
    this.#settings = {};
    this.#acceptedAt = [];
  }

  /** Lifetime in seconds of the next Management API access token. */
  get accessTokenTtlSeconds(): number {
    return this.#settings.accessTokenTtlSeconds ?? 3600;
  }

  /** A copy of the counters. */
  stats(): RequestStats {
    return structuredClone(this.#stats);
  }

  resetStats(): void {
    this.#stats = emptyStats();
  }

  /**
   * Koa middleware for the whole server: counts and disturbs `/api/*` and `POST /oidc/token`,
   * leaves every other path alone. It must run before the mounted apps so that a fault answers
   * before any real work happens.
   */
  middleware(): Koa.Middleware {
    return async (ctx, next) => {
      const kind = classifyRequest(ctx.path, ctx.method);
      if (!kind) return next();

      this.#arrivals?.push({ at: performance.now(), method: ctx.method, path: ctx.path });
      if (kind === 'api') this.#stats.apiRequests += 1;
      else this.#stats.tokenRequests += 1;

      const { latencyMs } = this.#settings;
      if (latencyMs && latencyMs > 0) await delay(latencyMs);

      const fault = this.#pickFault(kind, ctx.method);
      if (fault) {
        writeFault(ctx, kind, fault);
        return;
      }

      await next();

      if (kind === 'api') {
        // Set by @koa/router on the shared context once a route matched.
        const pattern = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
        if (typeof pattern === 'string') {
          const key = `${ctx.method} ${pattern}`;
          this.#stats.byRoute[key] = (this.#stats.byRoute[key] ?? 0) + 1;
        }
      }
    };
  }

  #pickFault(kind: 'api' | 'token', method: string): InjectedFault | undefined {
    const settings = this.#settings;

    if (kind === 'token' && settings.tokenEndpointDown) return { status: 503 };

    if (settings.rateLimit) {
      const now = Date.now();
      const { limit, windowMs } = settings.rateLimit;
      this.#acceptedAt = this.#acceptedAt.filter((at) => at > now - windowMs);
      if (this.#acceptedAt.length >= limit) {
        this.#stats.rateLimited += 1;
        this.#stats.rateLimitedByMethod[method] = (this.#stats.rateLimitedByMethod[method] ?? 0) + 1;
        const oldest = this.#acceptedAt[0] ?? now;
        const retryAfterSeconds = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
        return { status: 429, retryAfterSeconds };
      }
      // Only accepted requests fill the window, so a client that waits as told gets through.
      this.#acceptedAt.push(now);
    }

    if (settings.failNext && settings.failNext.count > 0) {
      const { status } = settings.failNext;
      settings.failNext.count -= 1;
      if (settings.failNext.count === 0) delete settings.failNext;
      return { status, retryAfterSeconds: status === 429 ? 1 : undefined };
    }

    if (settings.failRate && Math.random() < settings.failRate.ratio) {
      const { status } = settings.failRate;
      return { status, retryAfterSeconds: status === 429 ? 1 : undefined };
    }

    return undefined;
  }
}

function emptyStats(): RequestStats {
  return { apiRequests: 0, tokenRequests: 0, rateLimited: 0, rateLimitedByMethod: {}, byRoute: {} };
}

type InjectedFault = { status: number; retryAfterSeconds?: number };

function classifyRequest(path: string, method: string): 'api' | 'token' | undefined {
  if (path === '/api' || path.startsWith('/api/')) return 'api';
  if (path === '/oidc/token' && method === 'POST') return 'token';
  return undefined;
}

function writeFault(ctx: Koa.Context, kind: 'api' | 'token', fault: InjectedFault): void {
  ctx.status = fault.status;
  if (fault.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(fault.retryAfterSeconds));

  if (fault.status === 429) {
    ctx.body =
      kind === 'token'
        ? { error: 'slow_down', error_description: RATE_LIMITED_BODY.message, ...RATE_LIMITED_BODY }
        : RATE_LIMITED_BODY;
    return;
  }

  if (kind === 'token') {
    const error = fault.status === 503 ? 'temporarily_unavailable' : 'server_error';
    ctx.body = {
      error,
      error_description: 'fault injected by the local Logto',
      code: `oidc.${error}`,
      message: `An OIDC error occurred: oidc.${error}.`,
    };
    return;
  }

  // Real Logto answers an unexpected failure with this body and no code.
  ctx.body =
    fault.status >= 500
      ? { message: 'Internal server error.' }
      : { code: 'request.general', message: 'Request error occurred.' };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Validates a JSON fault settings object; throws `InvalidFaultSettingsError` naming the field. */
export function parseFaultSettings(input: unknown): FaultSettings {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidFaultSettingsError('fault settings must be a JSON object');
  }
  const raw = input as Record<string, unknown>;
  const known = new Set([
    'latencyMs',
    'failNext',
    'failRate',
    'rateLimit',
    'tokenEndpointDown',
    'accessTokenTtlSeconds',
  ]);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) throw new InvalidFaultSettingsError(`unknown fault setting "${key}"`);
  }

  const settings: FaultSettings = {};
  if (raw.latencyMs !== undefined) settings.latencyMs = nonNegative(raw.latencyMs, 'latencyMs');
  if (raw.failNext !== undefined) {
    const value = object(raw.failNext, 'failNext');
    settings.failNext = {
      count: positiveInteger(value.count, 'failNext.count'),
      status: httpStatus(value.status, 'failNext.status'),
    };
  }
  if (raw.failRate !== undefined) {
    const value = object(raw.failRate, 'failRate');
    const ratio = nonNegative(value.ratio, 'failRate.ratio');
    if (ratio > 1) throw new InvalidFaultSettingsError('failRate.ratio must be between 0 and 1');
    settings.failRate = { ratio, status: httpStatus(value.status, 'failRate.status') };
  }
  if (raw.rateLimit !== undefined) {
    const value = object(raw.rateLimit, 'rateLimit');
    settings.rateLimit = {
      limit: positiveInteger(value.limit, 'rateLimit.limit'),
      windowMs: positiveInteger(value.windowMs, 'rateLimit.windowMs'),
    };
  }
  if (raw.tokenEndpointDown !== undefined) {
    if (typeof raw.tokenEndpointDown !== 'boolean') {
      throw new InvalidFaultSettingsError('tokenEndpointDown must be a boolean');
    }
    settings.tokenEndpointDown = raw.tokenEndpointDown;
  }
  if (raw.accessTokenTtlSeconds !== undefined) {
    settings.accessTokenTtlSeconds = positiveInteger(raw.accessTokenTtlSeconds, 'accessTokenTtlSeconds');
  }
  return settings;
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidFaultSettingsError(`${name} must be an object`);
  }
  return value as Record<string, unknown>;
}

function nonNegative(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidFaultSettingsError(`${name} must be a number ≥ 0`);
  }
  return value;
}

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidFaultSettingsError(`${name} must be an integer ≥ 1`);
  }
  return value;
}

function httpStatus(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 400 || value > 599) {
    throw new InvalidFaultSettingsError(`${name} must be an HTTP error status (400–599)`);
  }
  return value;
}
