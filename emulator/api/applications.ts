import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { generateId } from '../db/ids';
import { buildAdvancedSearch } from './advanced-search';
import { notExists, notExistsWithId, notFound } from './errors';
import {
  type ApiContext,
  guard,
  parsePagination,
  type RouteRegistration,
  SqlParams,
  setPaginationHeaders,
  whereClause,
} from './http';
import { searchOrThrow } from './users';

const APPLICATION_TYPES = ['Native', 'SPA', 'Traditional', 'MachineToMachine', 'Protected', 'SAML'] as const;
const APPLICATION_SEARCH_FIELDS = ['id', 'name', 'description'] as const;

const APPLICATION_SELECT = `a.tenant_id as "tenantId", a.id, a.name, a.secret, a.description, a.type::text as type,
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
    const count = await db.pg.query<{ count: number }>(
      `select count(*)::int as count from applications a ${where}`,
      params.values,
    );
    const rows = await db.pg.query(
      `select ${APPLICATION_SELECT} from applications a ${where} order by a.created_at desc, a.id
       limit ${params.add(page.limit)} offset ${params.add(page.offset)}`,
      params.values,
    );
    setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    ctx.body = rows.rows;
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
    const result = await db.pg.query(
      `insert into applications as a (id, name, secret, description, type, oidc_client_metadata, custom_client_metadata, custom_data, is_third_party)
       values ($1, $2, $3, $4, $5::application_type, $6::jsonb, $7::jsonb, $8::jsonb, $9)
       returning ${APPLICATION_SELECT}`,
      [
        generateId(),
        body.name,
        randomBytes(24).toString('base64url'),
        body.description ?? null,
        body.type,
        JSON.stringify(body.oidcClientMetadata ?? { redirectUris: [], postLogoutRedirectUris: [] }),
        JSON.stringify(body.customClientMetadata ?? {}),
        JSON.stringify(body.customData ?? {}),
        body.isThirdParty ?? false,
      ],
    );
    // Logto answers 200 here, not 201.
    ctx.body = result.rows[0];
  });

  router.get('/applications/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query(`select ${APPLICATION_SELECT} from applications a where a.id = $1`, [
      ctx.params.id,
    ]);
    if (!result.rows[0]) throw notExistsWithId('applications', ctx.params.id ?? '');
    ctx.body = result.rows[0];
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
      ctx.body = current.rows[0];
      return;
    }
    const result = await db.pg.query(
      `update applications as a set ${assignments.join(', ')} where a.id = ${params.add(ctx.params.id)} returning ${APPLICATION_SELECT}`,
      params.values,
    );
    if (!result.rows[0]) throw notExists('application');
    ctx.body = result.rows[0];
  });

  router.delete('/applications/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from applications where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });
}
