import { createLocalJWKSet, errors as joseErrors, jwtVerify, type JSONWebKeySet } from 'jose';
import type Koa from 'koa';

/** What `authenticate` leaves in `ctx.state.auth` for the Management API routes. */
export type ManagementApiAuth = {
  sub: string;
  /** The app that asked for the token (`client_id`); `''` in the unlikely token without one. */
  clientId: string;
  scopes: string[];
};

/**
 * Builds the Management API's auth middleware, checking tokens the way Logto's koa-auth does:
 * Bearer scheme (case-sensitive), signature against the tenant's own public keys (no JWKS HTTP
 * round trip), issuer, audience, expiry with no clock tolerance, then the `all` scope.
 * On success it sets `ctx.state.auth`; on failure it answers with Logto's status and code.
 */
export function createAuthenticate(o: {
  issuer: string;
  audience: string;
  publicJwks: JSONWebKeySet;
  requiredScope?: string;
}): Koa.Middleware {
  const keySet = createLocalJWKSet(o.publicJwks);
  const requiredScope = o.requiredScope ?? 'all';

  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (!header) {
      return deny(ctx, 401, 'auth.authorization_header_missing', 'Authorization header is missing.');
    }
    if (!header.startsWith('Bearer')) {
      return deny(
        ctx,
        401,
        'auth.authorization_token_type_not_supported',
        'Authorization type is not supported.',
        {
          supportedTypes: ['Bearer'],
        },
      );
    }

    const token = header.slice('Bearer'.length).trim();
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, { issuer: o.issuer, audience: o.audience }));
    } catch (error) {
      return deny(
        ctx,
        401,
        'auth.unauthorized',
        'Unauthorized. Please check credentials and its scope.',
        serializeJoseError(error),
      );
    }

    if (!payload.sub) return deny(ctx, 401, 'auth.jwt_sub_missing', 'Missing `sub` in JWT.');

    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    if (!scopes.includes(requiredScope)) {
      return deny(ctx, 403, 'auth.forbidden', 'Forbidden. Please check your user roles and permissions.');
    }

    const auth: ManagementApiAuth = {
      sub: payload.sub,
      clientId: typeof payload.client_id === 'string' ? payload.client_id : '',
      scopes,
    };
    ctx.state.auth = auth;
    await next();
  };
}

function deny(ctx: Koa.Context, status: number, code: string, message: string, data?: unknown): void {
  ctx.status = status;
  ctx.body = data === undefined ? { code, message } : { code, message, data };
}

function serializeJoseError(error: unknown): Record<string, unknown> {
  if (error instanceof joseErrors.JOSEError) {
    const data: Record<string, unknown> = { name: error.name, code: error.code, message: error.message };
    if (error instanceof joseErrors.JWTClaimValidationFailed || error instanceof joseErrors.JWTExpired) {
      data.claim = error.claim;
      data.reason = error.reason;
    }
    return data;
  }
  return { name: 'Error', message: error instanceof Error ? error.message : String(error) };
}
