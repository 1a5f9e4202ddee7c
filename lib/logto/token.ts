import 'server-only';

import { LogtoAuthError, toLogtoNetworkError } from './errors';

/** The Management API's only permission; without it every call answers 403. */
const MANAGEMENT_API_SCOPE = 'all';
const MAX_EXPIRY_LEEWAY_MS = 60_000;

/** What the token cache needs to run the client_credentials grant. */
export type TokenCacheOptions = {
  /** `{managementEndpoint}/oidc/token` */
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** The Management API resource indicator. */
  resource: string;
  timeoutMs: number;
  /** Called once per HTTP request sent to the token endpoint. */
  onTokenRequest?: () => void;
};

type CachedToken = { value: string; refreshAt: number; expiresAt: number };

/**
 * One Management API access token shared by every request of a client. The token is reused until
 * shortly before it expires (60 s or 10 % of its lifetime, whichever is smaller), and concurrent
 * callers that find it stale share a single in-flight refresh.
 */
export class TokenCache {
  #token: CachedToken | undefined;
  #refreshing: Promise<string> | undefined;

  constructor(private readonly options: TokenCacheOptions) {}

  /** A valid access token, fetching a new one when none is cached or it is about to expire. */
  async getToken(): Promise<string> {
    if (this.#token && performance.now() < this.#token.refreshAt) return this.#token.value;
    this.#refreshing ??= this.#requestToken().finally(() => {
      this.#refreshing = undefined;
    });
    try {
      return await this.#refreshing;
    } catch (error) {
      // An early refresh that fails must not break calls while the old token is still valid.
      const stale = this.#token;
      if (stale && performance.now() < stale.expiresAt) return stale.value;
      throw error;
    }
  }

  /**
   * Drops `rejectedToken` after Logto answered 401 with it, so the next `getToken()` fetches a new
   * one. A token that was already replaced is left alone: many requests may fail with the same
   * old token, and they should all share one refresh.
   */
  invalidate(rejectedToken: string): void {
    if (this.#token?.value === rejectedToken) this.#token = undefined;
  }

  async #requestToken(): Promise<string> {
    const { tokenEndpoint, clientId, clientSecret, resource, timeoutMs } = this.options;
    const requestedAt = performance.now();
    this.options.onTokenRequest?.();

    let response: Response;
    let bodyText: string;
    try {
      response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${basicCredentials(clientId, clientSecret)}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          resource,
          scope: MANAGEMENT_API_SCOPE,
        }),
        signal: AbortSignal.timeout(Math.ceil(timeoutMs)),
      });
      bodyText = await response.text();
    } catch (error) {
      throw toLogtoNetworkError(error, tokenEndpoint);
    }

    const body = parseJsonObject(bodyText);
    if (!response.ok) throw tokenEndpointError(response.status, body, this.options);

    const accessToken = body.access_token;
    const expiresIn = body.expires_in;
    if (typeof accessToken !== 'string' || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new LogtoAuthError({
        status: response.status,
        code: 'token.invalid_response',
        hint: `the token endpoint ${tokenEndpoint} answered without access_token/expires_in; is LOGTO_MANAGEMENT_ENDPOINT a Logto endpoint?`,
      });
    }
    const scopes = typeof body.scope === 'string' ? body.scope.split(' ') : [];
    if (!scopes.includes(MANAGEMENT_API_SCOPE)) {
      throw new LogtoAuthError({
        status: response.status,
        code: 'token.scope_missing',
        hint: `the M2M app lacks the Management API role: in Logto Console, assign the "Logto Management API access" role to app ${clientId}.`,
      });
    }

    const lifetimeMs = expiresIn * 1000;
    const leewayMs = Math.min(MAX_EXPIRY_LEEWAY_MS, lifetimeMs * 0.1);
    this.#token = {
      value: accessToken,
      refreshAt: requestedAt + lifetimeMs - leewayMs,
      expiresAt: requestedAt + lifetimeMs - 1000,
    };
    return accessToken;
  }
}

// RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined and base64-encoded.
function basicCredentials(clientId: string, clientSecret: string): string {
  return Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
    'base64',
  );
}

function parseJsonObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function tokenEndpointError(
  status: number,
  body: Record<string, unknown>,
  { clientId, resource, tokenEndpoint }: TokenCacheOptions,
): LogtoAuthError {
  const error = typeof body.error === 'string' ? body.error : undefined;
  const description = typeof body.error_description === 'string' ? body.error_description : undefined;
  const code = typeof body.code === 'string' ? body.code : error ? `oidc.${error}` : 'token.request_failed';

  let hint: string;
  if (error === 'invalid_client' && status === 401) {
    hint = `Logto rejected the secret of M2M app ${clientId}: check LOGTO_M2M_APP_SECRET.`;
  } else if (error === 'invalid_client') {
    hint = `Logto does not know an app with id ${clientId}: check LOGTO_M2M_APP_ID and LOGTO_MANAGEMENT_ENDPOINT.`;
  } else if (error === 'invalid_target') {
    hint = `Logto does not accept the resource ${resource}: set LOGTO_MANAGEMENT_API_RESOURCE to the tenant's Management API indicator (Logto Cloud: https://{tenant}.logto.app/api, self-hosted: https://default.logto.app/api) and use the tenant's default endpoint, not a custom domain, as LOGTO_MANAGEMENT_ENDPOINT.`;
  } else if (error === 'unauthorized_client') {
    hint = `app ${clientId} may not use the client_credentials grant: LOGTO_M2M_APP_ID must be a machine-to-machine app.`;
  } else {
    hint = `the token endpoint ${tokenEndpoint} answered HTTP ${status}${error ? ` ${error}` : ''}${description ? ` (${description})` : ''}.`;
  }
  return new LogtoAuthError({ status, code, hint });
}
