import { z } from 'zod';
import { generateId } from '../db/ids';
import { MANAGEMENT_API } from '../db/seed';
import { notExistsWithId, notFound, RequestError } from './errors';
import {
  type ApiContext,
  guard,
  isTruthyFlag,
  parsePagination,
  respondWithPage,
  type RouteRegistration,
  setPaginationHeaders,
  SqlParams,
} from './http';

const RESOURCE_SELECT = `res.tenant_id as "tenantId", res.id, res.name, res.indicator, res.is_default as "isDefault",
  res.access_token_ttl::int as "accessTokenTtl"`;
const SCOPE_SELECT = `s.tenant_id as "tenantId", s.id, s.resource_id as "resourceId", s.name, s.description,
  epoch_ms(s.created_at) as "createdAt"`;

/** `/resources…`: API resources and their permissions (scopes), for the bootstrap tool. */
export function registerResourceRoutes({ router, db }: RouteRegistration): void {
  router.get('/resources', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const { query } = await guard(ctx, { query: z.object({ includeScopes: z.string().optional() }) });
    const scopesColumn = isTruthyFlag(query.includeScopes)
      ? `, coalesce((select json_agg(json_build_object('tenantId', s.tenant_id, 'id', s.id, 'resourceId', s.resource_id,
           'name', s.name, 'description', s.description, 'createdAt', epoch_ms(s.created_at)) order by s.created_at, s.id)
           from scopes s where s.resource_id = res.id), '[]'::json) as scopes`
      : '';
    const count = await db.pg.query<{ count: number }>(`select count(*)::int as count from resources`);
    const rows = await db.pg.query(
      `select ${RESOURCE_SELECT} ${scopesColumn} from resources res order by res.name, res.id limit $1 offset $2`,
      [page.limit, page.offset],
    );
    setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    ctx.body = rows.rows;
  });

  router.post('/resources', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({
        tenantId: z.string().max(21).optional(),
        name: z.string().min(1),
        indicator: z.string().min(1),
        accessTokenTtl: z.number().int().optional(),
      }),
    });
    const taken = await db.pg.query(`select 1 from resources where indicator = $1`, [body.indicator]);
    if (taken.rows.length > 0) {
      throw new RequestError({
        code: 'resource.resource_identifier_in_use',
        status: 422,
        interpolation: { indicator: body.indicator },
      });
    }
    const result = await db.pg.query(
      `insert into resources as res (id, name, indicator, access_token_ttl) values ($1, $2, $3, $4) returning ${RESOURCE_SELECT}`,
      [generateId(), body.name, body.indicator, body.accessTokenTtl ?? 3600],
    );
    ctx.status = 201;
    ctx.body = { ...(result.rows[0] as object), scopes: [] };
  });

  router.get('/resources/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query(`select ${RESOURCE_SELECT} from resources res where res.id = $1`, [
      ctx.params.id,
    ]);
    if (!result.rows[0]) throw notExistsWithId('resources', ctx.params.id ?? '');
    ctx.body = result.rows[0];
  });

  router.delete('/resources/:id', async (ctx: ApiContext) => {
    const resource = await db.pg.query<{ indicator: string }>(
      `select indicator from resources where id = $1`,
      [ctx.params.id],
    );
    const row = resource.rows[0];
    if (!row) throw notExistsWithId('resources', ctx.params.id ?? '');
    if (row.indicator === MANAGEMENT_API.indicator) {
      throw new RequestError({ code: 'resource.cannot_delete_management_api', status: 400 });
    }
    await db.pg.query(`delete from resources where id = $1`, [ctx.params.id]);
    ctx.status = 204;
  });

  router.get('/resources/:resourceId/scopes', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    // Logto does not look the resource up here: an unknown id is simply a resource with no scopes.
    const params = new SqlParams();
    const where = `where s.resource_id = ${params.add(ctx.params.resourceId)}`;
    await respondWithPage(ctx, db, {
      columns: SCOPE_SELECT,
      from: 'from scopes s',
      where,
      orderBy: 's.created_at, s.id',
      params,
      page,
    });
  });

  router.post('/resources/:resourceId/scopes', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({ name: z.string().min(1).max(256), description: z.string().nullable().optional() }),
    });
    const resource = await db.pg.query(`select 1 from resources where id = $1`, [ctx.params.resourceId]);
    if (resource.rows.length === 0) throw notExistsWithId('resources', ctx.params.resourceId ?? '');
    const result = await db.pg.query(
      `insert into scopes as s (id, resource_id, name, description) values ($1, $2, $3, $4) returning ${SCOPE_SELECT}`,
      [generateId(), ctx.params.resourceId, body.name, body.description ?? null],
    );
    ctx.status = 201;
    ctx.body = result.rows[0];
  });

  router.delete('/resources/:resourceId/scopes/:scopeId', async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from scopes where resource_id = $1 and id = $2`, [
      ctx.params.resourceId,
      ctx.params.scopeId,
    ]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });
}
