import { z } from 'zod';
import { generateId } from '../db/ids';
import { type OrganizationScopeRow, organizationScopeColumns } from '../db/records';
import { notExists, notExistsWithId, notFound, organizationErrorHandler, RequestError } from './errors';
import {
  type ApiContext,
  guard,
  parseOptionalPagination,
  type RouteRegistration,
  SqlParams,
  searchCondition,
  setPaginationHeaders,
  whereClause,
} from './http';

const scopeFields = {
  tenantId: z.string().max(21).optional(),
  name: z.string().min(1).max(128),
  description: z.string().max(256).nullable().optional(),
};
const createScopeBody = z.object(scopeFields);
const updateScopeBody = z.object({ ...scopeFields, name: scopeFields.name.optional() });

/** `/organization-scopes…`: the organization template's permissions (Logto's generic SchemaRouter). */
export function registerOrganizationScopeRoutes({ router, db }: RouteRegistration): void {
  router.get('/organization-scopes', async (ctx: ApiContext) => {
    const page = parseOptionalPagination(ctx);
    const { query } = await guard(ctx, { query: z.object({ q: z.string().optional() }) });
    const params = new SqlParams();
    const where = whereClause([searchCondition(params, ['s.name'], query.q)]);
    const conditionValues = [...params.values];
    const pageSql = page ? `limit ${params.add(page.limit)} offset ${params.add(page.offset)}` : '';
    const rows = await db.pg.query<OrganizationScopeRow>(
      `select ${organizationScopeColumns()} from organization_scopes s ${where} order by s.name ${pageSql}`,
      params.values,
    );
    if (page) {
      const count = await db.pg.query<{ count: number }>(
        `select count(*)::int as count from organization_scopes s ${where}`,
        conditionValues,
      );
      setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    }
    ctx.body = rows.rows;
  });

  router.post('/organization-scopes', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: createScopeBody });
    const result = await db.pg.query<OrganizationScopeRow>(
      `insert into organization_scopes (id, name, description) values ($1, $2, $3)
       returning ${organizationScopeColumns('organization_scopes')}`,
      [generateId(), body.name, body.description ?? null],
    );
    ctx.status = 201;
    ctx.body = result.rows[0];
  });

  router.get('/organization-scopes/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query<OrganizationScopeRow>(
      `select ${organizationScopeColumns()} from organization_scopes s where s.id = $1`,
      [ctx.params.id],
    );
    if (!result.rows[0]) throw notExistsWithId('organization_scopes', ctx.params.id ?? '');
    ctx.body = result.rows[0];
  });

  router.patch('/organization-scopes/:id', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: updateScopeBody });
    const params = new SqlParams();
    const assignments = [
      body.name === undefined ? undefined : `name = ${params.add(body.name)}`,
      body.description === undefined ? undefined : `description = ${params.add(body.description)}`,
    ].filter(Boolean);
    if (assignments.length === 0) throw new RequestError({ code: 'entity.invalid_input', status: 422 });
    const result = await db.pg.query<OrganizationScopeRow>(
      `update organization_scopes set ${assignments.join(', ')} where id = ${params.add(ctx.params.id)}
       returning ${organizationScopeColumns('organization_scopes')}`,
      params.values,
    );
    if (!result.rows[0]) throw notExists('organization_scope');
    ctx.body = result.rows[0];
  });

  router.delete('/organization-scopes/:id', organizationErrorHandler, async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from organization_scopes where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });
}
