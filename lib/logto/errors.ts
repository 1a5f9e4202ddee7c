const BRANDS = Symbol.for('org-admin-portal:logto-error-brands');

type Branded = { [BRANDS]?: readonly string[] };

/**
 * Base class of every failure raised by `lib/logto`.
 *
 * Next bundles pages, route handlers and actions separately, so one process can hold several
 * copies of these classes while sharing one client (see `processSingleton`). `instanceof`
 * therefore compares brands, which every copy agrees on, instead of class identity.
 */
export class LogtoError extends Error {
  static readonly brand: string = 'LogtoError';

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    const brands: string[] = [];
    for (let type = new.target as unknown; typeof type === 'function' && 'brand' in type;) {
      brands.push((type as typeof LogtoError).brand);
      type = Object.getPrototypeOf(type);
    }
    (this as Branded)[BRANDS] = brands;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    const brands = typeof value === 'object' && value !== null ? (value as Branded)[BRANDS] : undefined;
    return Array.isArray(brands) && brands.includes(this.brand);
  }
}

/**
 * Logto answered with an error status. `code` is Logto's error code (`entity.not_found`,
 * `organization.require_membership`, …) or `unknown` when the body carried none.
 */
export class LogtoApiError extends LogtoError {
  static override readonly brand = 'LogtoApiError';
  override name = 'LogtoApiError';
  readonly status: number;
  readonly code: string;
  /** Zod validation details Logto adds to `guard.invalid_input` errors. */
  readonly details?: string;

  constructor(o: { status: number; code: string; message: string; details?: string }) {
    super(o.message);
    this.status = o.status;
    this.code = o.code;
    this.details = o.details;
  }
}

/** Logto could not be reached, or did not answer within the call's time bound. */
export class LogtoNetworkError extends LogtoError {
  static override readonly brand = 'LogtoNetworkError';
  override name = 'LogtoNetworkError';

  constructor(
    readonly code: 'network.timeout' | 'network.unreachable',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The portal's own request budget has no room for this request and its queue is full: refused at
 * once rather than queued without end. `retryAfterMs` says when trying again makes sense.
 */
export class LogtoBusyError extends LogtoError {
  static override readonly brand = 'LogtoBusyError';
  override name = 'LogtoBusyError';
  readonly code = 'budget.busy';

  constructor(
    /** The lane that was full (`public` for signed-out visitors and invitees). */
    readonly lane: string,
    readonly retryAfterMs: number,
  ) {
    super(`The request budget is busy (${lane} lane); try again in ${Math.ceil(retryAfterMs / 1000)} s.`);
  }
}

/** The M2M app could not get a usable Management API token. `hint` says what to fix. */
export class LogtoAuthError extends LogtoError {
  static override readonly brand = 'LogtoAuthError';
  override name = 'LogtoAuthError';
  readonly status: number | undefined;
  readonly code: string;
  readonly hint: string;

  constructor(o: { status?: number; code: string; hint: string }) {
    super(`Cannot get a Logto Management API token: ${o.hint}`);
    this.status = o.status;
    this.code = o.code;
    this.hint = o.hint;
  }
}

const MAX_MESSAGE_LENGTH = 300;

/** Maps an error response (whose body was already read as text) to a {@link LogtoApiError}. */
export function toLogtoApiError(status: number, bodyText: string): LogtoApiError {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof fields.code === 'string' && fields.code !== '' ? fields.code : 'unknown';
  const message =
    typeof fields.message === 'string' && fields.message !== ''
      ? fields.message
      : bodyText.trim().slice(0, MAX_MESSAGE_LENGTH) || `Logto answered HTTP ${status}.`;
  const details = typeof fields.details === 'string' ? fields.details : undefined;
  return new LogtoApiError({ status, code, message, details });
}

/** Classifies a `fetch` failure: aborts by our deadline are timeouts, the rest unreachable. */
export function toLogtoNetworkError(error: unknown, url: string): LogtoNetworkError {
  if (error instanceof LogtoNetworkError) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new LogtoNetworkError('network.timeout', `Logto did not answer in time (${url}).`, {
      cause: error,
    });
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  return new LogtoNetworkError('network.unreachable', `Cannot reach Logto at ${url}: ${cause}`, {
    cause: error,
  });
}
