import { z } from 'zod';
import { generateId } from '../db/ids';
import { buildAdvancedSearch } from './advanced-search';
import { notExistsWithId, RequestError } from './errors';
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

const ROLE_SEARCH_FIELDS = ['id', 'name', 'description'] as const;

/** A tenant role with the counts and samples Logto's role list adds. */
const ROLE_LIST_SELECT = `
  r.tenant_id as "tenantId", r.id, r.name, r.description, r.type::text as type, r.is_default as "isDefault",
  (select count(*)::int from users_roles ur where ur.role_id = r.id) as "usersCount",
  coalesce((select json_agg(json_build_object('id', f.id, 'avatar', f.avatar, 'name', f.name))
            from (select u.id, u.avatar, u.name from users_roles ur join users u on u.id = ur.user_id
                  where ur.role_id = r.id order by u.id limit 3) f), '[]'::json) as "featuredUsers",
  (select count(*)::int from applications_roles ar where ar.role_id = r.id) as "applicationsCount",
  coalesce((select json_agg(json_build_object('id', f.id, 'name', f.name, 'type', f.type))
            from (select a.id, a.name, a.type::text as type from applications_roles ar join applications a on a.id = ar.application_id
                  where ar.role_id = r.id order by a.id limit 3) f), '[]'::json) as "featuredApplications"`;

const ROLE_SELECT = `r.tenant_id as "tenantId", r.id, r.name, r.description, r.type::text as type, r.is_default as "isDefault"`;

/** `GET/POST /roles`: tenant-level roles (the operator role lives here). */
export function registerRoleRoutes({ router, db }: RouteRegistration): void {
  router.get('/roles', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const { query } = await guard(ctx, {
      query: z.object({
        excludeUserId: z.string().optional(),
        excludeApplicationId: z.string().optional(),
        type: z.enum(['User', 'MachineToMachine']).optional(),
      }),
    });
    const params = new SqlParams();
    const where = whereClause([
      searchOrThrow(() => buildAdvancedSearch(ctx.request.URL.searchParams, ROLE_SEARCH_FIELDS, params, 'r')),
      query.type ? `r.type = ${params.add(query.type)}::role_type` : undefined,
      query.excludeUserId
        ? `not exists (select 1 from users_roles ur where ur.role_id = r.id and ur.user_id = ${params.add(query.excludeUserId)})`
        : undefined,
      query.excludeApplicationId
        ? `not exists (select 1 from applications_roles ar where ar.role_id = r.id and ar.application_id = ${params.add(query.excludeApplicationId)})`
        : undefined,
    ]);
    await respondWithPage(ctx, db, {
      columns: ROLE_LIST_SELECT,
      from: 'from roles r',
      where,
      orderBy: 'r.name',
      params,
      page,
    });
  });

  router.post('/roles', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({
        tenantId: z.string().max(21).optional(),
        name: z.string().min(1).max(128),
        description: z.string().min(1).max(128),
        type: z.enum(['User', 'MachineToMachine']).optional(),
        isDefault: z.boolean().optional(),
        scopeIds: z.array(z.string().min(1)).optional(),
      }),
    });
    const taken = await db.pg.query(`select 1 from roles where name = $1`, [body.name]);
    if (taken.rows.length > 0) {
      throw new RequestError({ code: 'role.name_in_use', status: 422, interpolation: { name: body.name } });
    }
    // Not one transaction, as in Logto (`routes/role.ts`): the role is inserted first, then its
    // scopes are checked and linked, so an unknown scope id (404) or an empty list (422, the empty
    // insert) fails the request after the role was created, and the role stays.
    const inserted = await db.pg.query(
      `insert into roles as r (id, name, description, type, is_default) values ($1, $2, $3, $4::role_type, $5)
       returning ${ROLE_SELECT}`,
      [generateId(), body.name, body.description, body.type ?? 'User', body.isDefault ?? false],
    );
    const role = inserted.rows[0] as { id: string };
    if (body.scopeIds) {
      const scopeIds = [...new Set(body.scopeIds)];
      const found = await db.pg.query<{ id: string }>(`select id from scopes where id = any($1::text[])`, [
        scopeIds,
      ]);
      const missing = scopeIds.find((id) => !found.rows.some((row) => row.id === id));
      if (missing !== undefined) throw notExistsWithId('scopes', missing);
      if (scopeIds.length === 0) throw new RequestError({ code: 'entity.invalid_input', status: 422 });
      await db.pg.query(
        `insert into roles_scopes (id, role_id, scope_id)
         select id, $1, scope_id from unnest($2::text[], $3::text[]) as t(id, scope_id)`,
        [role.id, scopeIds.map(() => generateId()), scopeIds],
      );
    }
    // Logto answers 200 here, not 201.
    ctx.body = role;
  });

  router.get('/roles/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query(`select ${ROLE_SELECT} from roles r where r.id = $1`, [ctx.params.id]);
    if (!result.rows[0]) throw notExistsWithId('roles', ctx.params.id ?? '');
    ctx.body = result.rows[0];
  });

  router.delete('/roles/:id', async (ctx: ApiContext) => {
    // Logto reads the role first, so a missing one is `not_exists_with_id` rather than `not_found`.
    const result = await db.pg.query(`delete from roles where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notExistsWithId('roles', ctx.params.id ?? '');
    ctx.status = 204;
  });
}
