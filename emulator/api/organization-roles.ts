import { z } from 'zod';
import type { Queryable } from '../db';
import { generateId } from '../db/ids';
import { type OrganizationRoleRow, organizationRoleColumns, organizationScopeColumns } from '../db/records';
import { notExists, notFound, organizationErrorHandler, RequestError } from './errors';
import {
  type ApiContext,
  guard,
  parseOptionalPagination,
  parsePagination,
  respondCreatedWithoutBody,
  type RouteRegistration,
  SqlParams,
  searchCondition,
  setPaginationHeaders,
  whereClause,
} from './http';

const roleType = z.enum(['User', 'MachineToMachine']);
const roleFields = {
  tenantId: z.string().max(21).optional(),
  name: z.string().min(1).max(128),
  description: z.string().max(256).nullable().optional(),
  type: roleType.optional(),
};

const createRoleBody = z.object({
  ...roleFields,
  organizationScopeIds: z.array(z.string()).default([]),
  resourceScopeIds: z.array(z.string()).default([]),
});
const updateRoleBody = z.object({ ...roleFields, name: roleFields.name.optional() });

/** How a role's scopes of one kind are stored and addressed. */
type ScopeRelation = {
  pathname: 'scopes' | 'resource-scopes';
  table: string;
  scopeColumn: string;
  /** Body key of POST/PUT and path parameter of DELETE, as Logto names them. */
  bodyKey: 'organizationScopeIds' | 'scopeIds';
  paramName: 'organizationScopeId' | 'scopeId';
  /** Select list and join for the scope rows this relation lists. */
  select: string;
};

const SCOPE_RELATIONS: ScopeRelation[] = [
  {
    pathname: 'scopes',
    table: 'organization_role_scope_relations',
    scopeColumn: 'organization_scope_id',
    bodyKey: 'organizationScopeIds',
    paramName: 'organizationScopeId',
    select: `select ${organizationScopeColumns()} from organization_role_scope_relations rel
             join organization_scopes s on s.id = rel.organization_scope_id`,
  },
  {
    pathname: 'resource-scopes',
    table: 'organization_role_resource_scope_relations',
    scopeColumn: 'scope_id',
    bodyKey: 'scopeIds',
    paramName: 'scopeId',
    select: `select s.tenant_id as "tenantId", s.id, s.resource_id as "resourceId", s.name, s.description,
                    epoch_ms(s.created_at) as "createdAt"
             from organization_role_resource_scope_relations rel join scopes s on s.id = rel.scope_id`,
  },
];

/** `/organization-roles…`: the organization template's roles and their scopes. */
export function registerOrganizationRoleRoutes({ router, db }: RouteRegistration): void {
  router.get('/organization-roles', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const { query } = await guard(ctx, { query: z.object({ q: z.string().optional() }) });
    const params = new SqlParams();
    const where = whereClause([searchCondition(params, ['r.id', 'r.name', 'r.description'], query.q)]);
    const count = await db.pg.query<{ count: number }>(
      `select count(*)::int as count from organization_roles r ${where}`,
      params.values,
    );
    const rows = await db.pg.query(
      `select ${organizationRoleColumns()},
         coalesce((select json_agg(json_build_object('id', s.id, 'name', s.name) order by s.name)
                   from organization_role_scope_relations rel join organization_scopes s on s.id = rel.organization_scope_id
                   where rel.organization_role_id = r.id), '[]'::json) as scopes,
         coalesce((select json_agg(json_build_object('id', s.id, 'name', s.name,
                                   'resource', json_build_object('id', res.id, 'name', res.name)) order by s.name)
                   from organization_role_resource_scope_relations rel join scopes s on s.id = rel.scope_id
                   join resources res on res.id = s.resource_id
                   where rel.organization_role_id = r.id), '[]'::json) as "resourceScopes"
       from organization_roles r ${where}
       order by r.name
       limit ${params.add(page.limit)} offset ${params.add(page.offset)}`,
      params.values,
    );
    setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    ctx.body = rows.rows;
  });

  router.post('/organization-roles', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: createRoleBody });
    const role = await db.pg.transaction(async (tx) => {
      const inserted = await tx.query<OrganizationRoleRow>(
        `insert into organization_roles (id, name, description, type) values ($1, $2, $3, $4)
         returning ${organizationRoleColumns('organization_roles')}`,
        [generateId(), body.name, body.description ?? null, body.type ?? 'User'],
      );
      const created = inserted.rows[0];
      if (!created) throw new Error('Inserting the organization role returned no row.');
      await linkScopes(tx, SCOPE_RELATIONS[0] as ScopeRelation, created.id, body.organizationScopeIds);
      await linkScopes(tx, SCOPE_RELATIONS[1] as ScopeRelation, created.id, body.resourceScopeIds);
      return created;
    });
    ctx.status = 201;
    ctx.body = role;
  });

  router.get('/organization-roles/:id', async (ctx: ApiContext) => {
    const role = await findRole(ctx.params.id ?? '');
    if (!role) throw notFound();
    ctx.body = role;
  });

  router.patch('/organization-roles/:id', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: updateRoleBody });
    const params = new SqlParams();
    const assignments = [
      body.name === undefined ? undefined : `name = ${params.add(body.name)}`,
      body.description === undefined ? undefined : `description = ${params.add(body.description)}`,
      body.type === undefined ? undefined : `type = ${params.add(body.type)}::role_type`,
    ].filter(Boolean);
    if (assignments.length === 0) throw new RequestError({ code: 'entity.invalid_input', status: 422 });
    const result = await db.pg.query<OrganizationRoleRow>(
      `update organization_roles set ${assignments.join(', ')} where id = ${params.add(ctx.params.id)}
       returning ${organizationRoleColumns('organization_roles')}`,
      params.values,
    );
    if (!result.rows[0]) throw notExists('organization_role');
    ctx.body = result.rows[0];
  });

  router.delete('/organization-roles/:id', organizationErrorHandler, async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from organization_roles where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  for (const relation of SCOPE_RELATIONS) {
    const path = `/organization-roles/:id/${relation.pathname}`;

    router.get(path, async (ctx: ApiContext) => {
      const page = parseOptionalPagination(ctx);
      if (!(await findRole(ctx.params.id ?? ''))) throw notFound();
      const params = new SqlParams();
      const where = `where rel.organization_role_id = ${params.add(ctx.params.id)}`;
      const pageSql = page ? `limit ${params.add(page.limit)} offset ${params.add(page.offset)}` : '';
      const rows = await db.pg.query(`${relation.select} ${where} order by s.name ${pageSql}`, params.values);
      if (page) {
        const count = await db.pg.query<{ count: number }>(
          `select count(*)::int as count from ${relation.table} rel ${where}`,
          params.values.slice(0, 1),
        );
        setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
      }
      ctx.body = rows.rows;
    });

    router.post(path, organizationErrorHandler, async (ctx: ApiContext) => {
      const { body } = await guard(ctx, {
        body: z.object({ [relation.bodyKey]: z.array(z.string().min(1)).nonempty() }),
      });
      await linkScopes(db.pg, relation, ctx.params.id ?? '', body[relation.bodyKey] as string[]);
      respondCreatedWithoutBody(ctx);
    });

    router.put(path, organizationErrorHandler, async (ctx: ApiContext) => {
      const { body } = await guard(ctx, {
        body: z.object({ [relation.bodyKey]: z.array(z.string().min(1)) }),
      });
      const scopeIds = [...new Set(body[relation.bodyKey] as string[])];
      await db.pg.transaction(async (tx) => {
        await tx.query(
          `delete from ${relation.table} where organization_role_id = $1 and not (${relation.scopeColumn} = any($2::text[]))`,
          [ctx.params.id, scopeIds],
        );
        await linkScopes(tx, relation, ctx.params.id ?? '', scopeIds);
      });
      ctx.status = 204;
    });

    router.delete(`${path}/:${relation.paramName}`, organizationErrorHandler, async (ctx: ApiContext) => {
      const result = await db.pg.query(
        `delete from ${relation.table} where organization_role_id = $1 and ${relation.scopeColumn} = $2`,
        [ctx.params.id, ctx.params[relation.paramName]],
      );
      if (!result.affectedRows) throw notFound();
      ctx.status = 204;
    });
  }

  async function findRole(id: string): Promise<OrganizationRoleRow | undefined> {
    const result = await db.pg.query<OrganizationRoleRow>(
      `select ${organizationRoleColumns()} from organization_roles r where r.id = $1`,
      [id],
    );
    return result.rows[0];
  }
}

async function linkScopes(
  tx: Queryable,
  relation: ScopeRelation,
  roleId: string,
  scopeIds: string[],
): Promise<void> {
  if (scopeIds.length === 0) return;
  await tx.query(
    `insert into ${relation.table} (organization_role_id, ${relation.scopeColumn})
     select $1, scope_id from unnest($2::text[]) as t(scope_id)
     on conflict do nothing`,
    [roleId, [...new Set(scopeIds)]],
  );
}
