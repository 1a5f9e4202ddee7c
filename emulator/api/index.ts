import { createHash, randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import type { Database } from '../db';
import { registerApplicationRoutes } from './applications';
import { registerConnectorRoutes } from './connectors';
import { PG_ERROR, pgErrorCode, RequestError } from './errors';
import type { ApiState } from './http';
import { SwallowedHttpError } from './http';
import { registerOrganizationApplicationRoutes } from './organization-applications';
import { registerOrganizationInvitationRoutes } from './organization-invitations';
import { registerOrganizationJitRoutes } from './organization-jit';
import { registerOrganizationRoleRoutes } from './organization-roles';
import { registerOrganizationScopeRoutes } from './organization-scopes';
import { registerOrganizationUserRoutes } from './organization-users';
import { registerOrganizationRoutes } from './organizations';
import { registerResourceRoutes } from './resources';
import { registerRoleRoutes } from './roles';
import { registerSignInExperienceRoutes } from './sign-in-experience';
import { registerSsoConnectorRoutes } from './sso-connectors';
import { registerUserRoutes } from './users';

/**
 * The Management API as a Koa app, meant to be mounted at `/api` with koa-mount.
 *
 * `authenticate` runs only for requests that match a route (router-level middleware), so unknown
 * paths get Koa's plain `404 Not Found` before any auth check, as in Logto.
 */
export function createManagementApi(o: { db: Database; authenticate: Koa.Middleware }): Koa {
  const app = new Koa<ApiState>();
  app.use(handleErrors);
  app.use(setBodyEtag);

  const router = new Router<ApiState>();
  router.use(o.authenticate);
  const routes = { router, db: o.db };
  registerOrganizationRoutes(routes);
  registerOrganizationUserRoutes(routes);
  registerOrganizationRoleRoutes(routes);
  registerOrganizationScopeRoutes(routes);
  registerOrganizationInvitationRoutes(routes);
  registerUserRoutes(routes);
  registerRoleRoutes(routes);
  registerResourceRoutes(routes);
  registerApplicationRoutes(routes);
  registerConnectorRoutes(routes);
  registerSignInExperienceRoutes(routes);
  registerOrganizationJitRoutes(routes);
  registerOrganizationApplicationRoutes(routes);
  registerSsoConnectorRoutes(routes);
  app.use(router.routes());
  return app;
}

/** Logto's error handler plus its database-error mapping (`koa-slonik-error-handler.ts`). */
const handleErrors: Koa.Middleware = async (ctx, next) => {
  ctx.set('Logto-Core-Request-Id', randomUUID());
  try {
    await next();
  } catch (error: unknown) {
    const mapped = mapDatabaseError(error) ?? error;
    if (mapped instanceof RequestError) {
      ctx.status = mapped.status;
      ctx.body = mapped.toBody();
      return;
    }
    if (mapped instanceof SwallowedHttpError) {
      ctx.status = 404;
      ctx.body = 'Not Found';
      return;
    }
    if (mapped instanceof SyntaxError) {
      ctx.status = 400;
      ctx.body = { message: mapped.message };
      return;
    }
    console.error('[emulator api]', error);
    ctx.status = 500;
    ctx.body = { message: 'Internal server error.' };
  }
};

/** The global mapping; organization routes map unique and FK violations first (to 422s). */
function mapDatabaseError(error: unknown): RequestError | undefined {
  const code = pgErrorCode(error);
  if (!code || error instanceof RequestError) return undefined;
  const constraint = (error as { constraint?: string }).constraint;
  switch (code) {
    case PG_ERROR.stringTooLong:
      return new RequestError(
        { code: 'entity.value_too_long', status: 422 },
        { data: { message: (error as Error).message } },
      );
    case PG_ERROR.uniqueViolation:
      if (constraint === 'users__username')
        return new RequestError({ code: 'user.username_already_in_use', status: 422 });
      if (constraint === 'users__primary_email')
        return new RequestError({ code: 'user.email_already_in_use', status: 422 });
      if (constraint === 'users__primary_phone')
        return new RequestError({ code: 'user.phone_already_in_use', status: 422 });
      return new RequestError({ code: 'entity.unique_integrity_violation', status: 422 });
    case PG_ERROR.checkViolation:
      return new RequestError({ code: 'entity.db_constraint_violated', status: 422 });
    case PG_ERROR.foreignKeyViolation:
      return new RequestError({ code: 'entity.relation_foreign_key_not_found', status: 404 });
    default:
      return undefined;
  }
}

/**
 * Logto's `koa-body-etag`: GET answers with a body get an ETag; a matching `If-None-Match`
 * turns them into `304` with no body. Same format as the `etag` package.
 */
const setBodyEtag: Koa.Middleware = async (ctx, next) => {
  await next();
  if (ctx.method !== 'GET' || !ctx.body || typeof ctx.body !== 'object') return;
  const json = JSON.stringify(ctx.body);
  const hash = createHash('sha1').update(json, 'utf8').digest('base64').slice(0, 27);
  ctx.response.etag = `"${Buffer.byteLength(json).toString(16)}-${hash}"`;
  if (ctx.fresh) {
    ctx.status = 304;
    ctx.body = null;
  }
};
