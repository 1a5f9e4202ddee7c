import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defaultSecretOf, INTERNAL_SECRET_PREFIX } from '../db/accounts';
import { generateId } from '../db/ids';
import { buildAdvancedSearch } from './advanced-search';
import { notExists, notExistsWithId, notFound, RequestError } from './errors';
import {
  type ApiContext,
  guard,
  parsePagination,
  respondWithPage,
  type RouteRegistration,
  SqlParams,
  whereClause,
} from './http';
import { searchOrThrow } from './users';

const APPLICATION_TYPES = ['Native', 'SPA', 'Traditional', 'MachineToMachine', 'Protected', 'SAML'] as const;
const APPLICATION_SEARCH_FIELDS = ['id', 'name', 'description'] as const;
const ROLE_SEARCH_FIELDS = ['id', 'name', 'description'] as const;
const ROLE_SELECT = `r.tenant_id as "tenantId", r.id, r.name, r.description, r.type::text as type, r.is_default as "isDefault"`;
const roleIdsBody = z.object({ roleIds: z.array(z.string().min(1)) });

/** `applications` as the Management API shows a row. */
export const APPLICATION_SELECT = `a.tenant_id as "tenantId", a.id, a.name, a.secret, a.description, a.type::text as type,
  a.oidc_client_metadata as "oidcClientMetadata", a.custom_client_metadata as "customClientMetadata",
  a.protected_app_metadata as "protectedAppMetadata", a.custom_data as "customData", a.is_third_party as "isThirdParty",
  a.app_level_access_control_enabled as "appLevelAccessControlEnabled", epoch_ms(a.created_at) as "createdAt"`;

const oidcClientMetadataGuard = z.looseObject({
  redirectUris: z.array(z.string()),
  postLogoutRedirectUris: z.array(z.string()),
  backchannelLogoutUri: z.string().optional(),
  backchannelLogoutSessionRequired: z.boolean().optional(),
  logoUri: z.string().optional(),
});

/** Application types that get a secret list (`application_secrets`' check constraint). */
const TYPES_WITH_SECRETS = new Set(['MachineToMachine', 'Traditional', 'Protected']);

export type ApplicationRow = { secret: string; [key: string]: unknown };

/** Logto's `omitInternalApplicationSecret`: an internal secret never leaves; a legacy one does. */
export function withoutInternalSecret({ secret, ...application }: ApplicationRow) {
  return defaultSecretOf(secret) === undefined ? { ...application, secret } : application;
}

/** `/applications…`: create, list, read and update redirect URIs (for the bootstrap tool). */
export function registerApplicationRoutes({ router, db }: RouteRegistration): void {
  router.get('/applications', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const searchParams = ctx.request.URL.searchParams;
    const { query } = await guard(ctx, {
      query: z.object({
        types: z.union([z.enum(APPLICATION_TYPES), z.array(z.enum(APPLICATION_TYPES))]).optional(),
      }),
    });
    const types = query.types === undefined ? [] : [query.types].flat();
    const params = new SqlParams();
    const where = whereClause([
      searchOrThrow(() => buildAdvancedSearch(searchParams, APPLICATION_SEARCH_FIELDS, params, 'a')),
      types.length > 0 ? `a.type::text = any(${params.add(types)}::text[])` : undefined,
    ]);
    await respondWithPage(ctx, db, {
      columns: APPLICATION_SELECT,
      from: 'from applications a',
      where,
      orderBy: 'a.created_at desc, a.id',
      params,
      page,
    });
    ctx.body = (ctx.body as ApplicationRow[]).map(withoutInternalSecret);
  });

  router.post('/applications', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({
        name: z.string().min(1).max(256),
        description: z.string().nullable().optional(),
        type: z.enum(APPLICATION_TYPES),
        oidcClientMetadata: oidcClientMetadataGuard.optional(),
        customClientMetadata: z.record(z.string(), z.unknown()).optional(),
        customData: z.record(z.string(), z.unknown()).optional(),
        isThirdParty: z.boolean().optional(),
      }),
    });
    if (body.type === 'SAML') throw useSamlApplicationApi();
    const result = await db.pg.query(
      `insert into applications as a (id, name, secret, description, type, oidc_client_metadata, custom_client_metadata, custom_data, is_third_party)
       values ($1, $2, $3, $4, $5::application_type, $6::jsonb, $7::jsonb, $8::jsonb, $9)
       returning ${APPLICATION_SELECT}`,
      [
        generateId(),
        body.name,
        // Logto 1.42 stores an internal secret and puts the usable one in the app's secret list.
        `${INTERNAL_SECRET_PREFIX}${randomBytes(24).toString('base64url')}`,
        body.description ?? null,
        body.type,
        JSON.stringify(body.oidcClientMetadata ?? { redirectUris: [], postLogoutRedirectUris: [] }),
        JSON.stringify(body.customClientMetadata ?? {}),
        JSON.stringify(body.customData ?? {}),
        body.isThirdParty ?? false,
      ],
    );
    // Logto answers 200 here, not 201, and without the secret (read it from `/secrets`).
    ctx.body = withoutInternalSecret(result.rows[0] as ApplicationRow);
  });

  router.get('/applications/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query(`select ${APPLICATION_SELECT} from applications a where a.id = $1`, [
      ctx.params.id,
    ]);
    if (!result.rows[0]) throw notExistsWithId('applications', ctx.params.id ?? '');
    ctx.body = withoutInternalSecret(result.rows[0] as ApplicationRow);
  });

  // The secret list: here only the "Default secret" Logto creates with the app.
  router.get('/applications/:id/secrets', async (ctx: ApiContext) => {
    const result = await db.pg.query<{ secret: string; type: string; createdAt: number }>(
      `select secret, type::text as type, epoch_ms(created_at) as "createdAt" from applications where id = $1`,
      [ctx.params.id],
    );
    const row = result.rows[0];
    if (!row) throw notExistsWithId('applications', ctx.params.id ?? '');
    const value = defaultSecretOf(row.secret);
    ctx.body =
      value !== undefined && TYPES_WITH_SECRETS.has(row.type)
        ? [
            {
              tenantId: 'default',
              applicationId: ctx.params.id,
              name: 'Default secret',
              value,
              createdAt: row.createdAt,
              expiresAt: null,
            },
          ]
        : [];
  });

  router.patch('/applications/:id', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({
        name: z.string().min(1).max(256).optional(),
        description: z.string().nullable().optional(),
        oidcClientMetadata: oidcClientMetadataGuard.partial().optional(),
        customClientMetadata: z.record(z.string(), z.unknown()).optional(),
        customData: z.record(z.string(), z.unknown()).optional(),
      }),
    });
    const params = new SqlParams();
    // Logto merges `oidcClientMetadata` and `customClientMetadata` into the stored objects.
    const assignments = [
      body.name === undefined ? undefined : `name = ${params.add(body.name)}`,
      body.description === undefined ? undefined : `description = ${params.add(body.description)}`,
      body.oidcClientMetadata === undefined
        ? undefined
        : `oidc_client_metadata = oidc_client_metadata || ${params.add(JSON.stringify(body.oidcClientMetadata))}::jsonb`,
      body.customClientMetadata === undefined
        ? undefined
        : `custom_client_metadata = custom_client_metadata || ${params.add(JSON.stringify(body.customClientMetadata))}::jsonb`,
      body.customData === undefined
        ? undefined
        : `custom_data = ${params.add(JSON.stringify(body.customData))}::jsonb`,
    ].filter(Boolean);
    if (assignments.length === 0) {
      const current = await db.pg.query(`select ${APPLICATION_SELECT} from applications a where a.id = $1`, [
        ctx.params.id,
      ]);
      if (!current.rows[0]) throw notExistsWithId('applications', ctx.params.id ?? '');
      ctx.body = withoutInternalSecret(current.rows[0] as ApplicationRow);
      return;
    }
    const result = await db.pg.query(
      `update applications as a set ${assignments.join(', ')} where a.id = ${params.add(ctx.params.id)} returning ${APPLICATION_SELECT}`,
      params.values,
    );
    if (!result.rows[0]) throw notExists('application');
    ctx.body = withoutInternalSecret(result.rows[0] as ApplicationRow);
  });

  router.delete('/applications/:id', async (ctx: ApiContext) => {
    const id = ctx.params.id ?? '';
    const application = await db.pg.query<{ type: string }>(
      `select type::text as type from applications where id = $1`,
      [id],
    );
    const row = application.rows[0];
    // Logto looks the application up first (`findApplicationById`), so a missing one is
    // `not_exists_with_id`, not the `not_found` of most deletes.
    if (!row) throw notExistsWithId('applications', id);
    if (row.type === 'SAML') throw useSamlApplicationApi();
    // Its role assignments (`applications_roles`) go with it by cascade.
    await db.pg.query(`delete from applications where id = $1`, [id]);
    ctx.status = 204;
  });

  registerApplicationRoleRoutes({ router, db });
}

/** SAML apps have their own API in Logto; the generic routes refuse them with 400. */
const useSamlApplicationApi = () =>
  new RequestError({ code: 'application.saml.use_saml_app_api', status: 400 });

/**
 * `/applications/:applicationId/roles…` (Logto's `application-role.ts`): the API resource roles of
 * a machine-to-machine app. These roles are what the client-credentials grant reads: an app holds
 * the Management API's `all` only through a role that has it.
 */
function registerApplicationRoleRoutes({ router, db }: RouteRegistration): void {
  /** Every route first loads the app (404 `not_exists_with_id`) and requires it to be M2M (422). */
  async function requireMachineApplication(applicationId: string): Promise<void> {
    const result = await db.pg.query<{ type: string }>(
      `select type::text as type from applications where id = $1`,
      [applicationId],
    );
    const row = result.rows[0];
    if (!row) throw notExistsWithId('applications', applicationId);
    if (row.type !== 'MachineToMachine')
      throw new RequestError({ code: 'application.invalid_type', status: 422 });
  }

  async function assignedRoleIds(applicationId: string): Promise<string[]> {
    const result = await db.pg.query<{ roleId: string }>(
      `select role_id as "roleId" from applications_roles where application_id = $1`,
      [applicationId],
    );
    return result.rows.map((row) => row.roleId);
  }

  async function insertApplicationRoles(applicationId: string, roleIds: string[]): Promise<void> {
    await db.pg.query(
      `insert into applications_roles (id, application_id, role_id)
       select id, $1, role_id from unnest($2::text[], $3::text[]) as t(id, role_id)`,
      [applicationId, roleIds.map(() => generateId()), roleIds],
    );
  }

  router.get('/applications/:applicationId/roles', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const applicationId = ctx.params.applicationId ?? '';
    await requireMachineApplication(applicationId);
    const params = new SqlParams();
    const where = whereClause([
      `exists (select 1 from applications_roles ar where ar.role_id = r.id and ar.application_id = ${params.add(applicationId)})`,
      `r.type = 'MachineToMachine'`,
      searchOrThrow(() => buildAdvancedSearch(ctx.request.URL.searchParams, ROLE_SEARCH_FIELDS, params, 'r')),
    ]);
    await respondWithPage(ctx, db, {
      columns: ROLE_SELECT,
      from: 'from roles r',
      where,
      orderBy: 'r.name',
      params,
      page,
    });
  });

  router.post('/applications/:applicationId/roles', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: roleIdsBody });
    const applicationId = ctx.params.applicationId ?? '';
    await requireMachineApplication(applicationId);
    const assigned = new Set(await assignedRoleIds(applicationId));
    const roleIdsToAdd = [...new Set(body.roleIds)].filter((id) => !assigned.has(id));
    const roles = await db.pg.query<{ id: string; type: string }>(
      `select id, type::text as type from roles where id = any($1::text[])`,
      [roleIdsToAdd],
    );
    if (roles.rows.some((role) => role.type !== 'MachineToMachine')) {
      throw new RequestError({ code: 'application.invalid_role_type', status: 422 });
    }
    const missing = roleIdsToAdd.find((id) => !roles.rows.some((role) => role.id === id));
    if (missing !== undefined) throw notExistsWithId('roles', missing);
    if (roleIdsToAdd.length > 0) await insertApplicationRoles(applicationId, roleIdsToAdd);
    ctx.status = 201;
    ctx.body = { roleIds: body.roleIds, addedRoleIds: roleIdsToAdd };
  });

  router.put('/applications/:applicationId/roles', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: roleIdsBody });
    const applicationId = ctx.params.applicationId ?? '';
    await requireMachineApplication(applicationId);
    const assigned = await assignedRoleIds(applicationId);
    const roleIdsToAdd = [...new Set(body.roleIds)].filter((id) => !assigned.includes(id));
    const roleIdsToRemove = assigned.filter((id) => !body.roleIds.includes(id));
    // Unlike POST, Logto's PUT checks only that the new roles exist, not their type.
    const found = await db.pg.query<{ id: string }>(`select id from roles where id = any($1::text[])`, [
      roleIdsToAdd,
    ]);
    const missing = roleIdsToAdd.find((id) => !found.rows.some((role) => role.id === id));
    if (missing !== undefined) throw notExistsWithId('roles', missing);
    await db.pg.query(
      `delete from applications_roles where application_id = $1 and role_id = any($2::text[])`,
      [applicationId, roleIdsToRemove],
    );
    // Logto then inserts the new roles unconditionally, outside a transaction: with none to add,
    // the empty insert fails (422 entity.invalid_input) after the removals took effect.
    if (roleIdsToAdd.length === 0) throw new RequestError({ code: 'entity.invalid_input', status: 422 });
    await insertApplicationRoles(applicationId, roleIdsToAdd);
    // A 200 without a body: Koa answers with its text `OK`, as Logto does.
    ctx.status = 200;
  });

  router.delete('/applications/:applicationId/roles/:roleId', async (ctx: ApiContext) => {
    const applicationId = ctx.params.applicationId ?? '';
    await requireMachineApplication(applicationId);
    const result = await db.pg.query(
      `delete from applications_roles where application_id = $1 and role_id = $2`,
      [applicationId, ctx.params.roleId],
    );
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });
}
