import { z } from 'zod';
import { organizationColumns, organizationRoleColumns } from '../db/records';
import { APPLICATION_SELECT, type ApplicationRow, withoutInternalSecret } from './applications';
import { notExistsWithId, notFound, organizationErrorHandler, RequestError } from './errors';
import {
  type ApiContext,
  guard,
  parseOptionalPagination,
  parsePagination,
  respondWithPage,
  type RouteRegistration,
  SqlParams,
  searchCondition,
  setPaginationHeaders,
  whereClause,
} from './http';

const idList = z.array(z.string().min(1));

/** `[{id, name}]` of the organization roles an application holds in one organization, by name. */
const applicationRolesJson = (organizationId: string, applicationId: string) => /* sql */ `
  coalesce((
    select json_agg(json_build_object('id', r.id, 'name', r.name) order by r.name)
    from organization_role_application_relations rar
    join organization_roles r on r.id = rar.organization_role_id
    where rar.organization_id = ${organizationId} and rar.application_id = ${applicationId}
  ), '[]'::json)`;

/**
 * Machine-to-machine applications in organizations (Logto's `organization/application/*` and
 * `applications/application-organization.ts`). Only M2M apps may join (a check constraint, so
 * anything else is `422 entity.db_constraint_violated`) and they may hold only
 * `MachineToMachine` organization roles (the same constraint on the role link).
 */
export function registerOrganizationApplicationRoutes({ router, db }: RouteRegistration): void {
  router.get('/organizations/:id/applications', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const { query } = await guard(ctx, { query: z.object({ q: z.string().optional() }) });
    const params = new SqlParams();
    const organizationId = params.add(ctx.params.id);
    const where = whereClause([
      `exists (select 1 from organization_application_relations oar
               where oar.application_id = a.id and oar.organization_id = ${organizationId})`,
      searchCondition(params, ['a.id', 'a.name', 'a.description'], query.q),
    ]);
    await respondWithPage(ctx, db, {
      columns: `${APPLICATION_SELECT}, ${applicationRolesJson(organizationId, 'a.id')} as "organizationRoles"`,
      from: 'from applications a',
      where,
      orderBy: 'a.created_at, a.id',
      params,
      page,
    });
    // Like every application read: an internal secret never leaves.
    ctx.body = (ctx.body as ApplicationRow[]).map(withoutInternalSecret);
  });

  router.post('/organizations/:id/applications', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ applicationIds: idList.nonempty() }) });
    await db.pg.query(
      `insert into organization_application_relations (organization_id, application_id)
       select $1, id from unnest($2::text[]) as t(id) on conflict do nothing`,
      [ctx.params.id, [...new Set(body.applicationIds)]],
    );
    ctx.status = 201;
  });

  router.put('/organizations/:id/applications', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ applicationIds: idList }) });
    const ids = [...new Set(body.applicationIds)];
    await db.pg.transaction(async (tx) => {
      // Departing apps lose their roles by cascade; staying apps keep them.
      await tx.query(
        `delete from organization_application_relations where organization_id = $1 and not (application_id = any($2::text[]))`,
        [ctx.params.id, ids],
      );
      if (ids.length > 0) {
        await tx.query(
          `insert into organization_application_relations (organization_id, application_id)
           select $1, id from unnest($2::text[]) as t(id) on conflict do nothing`,
          [ctx.params.id, ids],
        );
      }
    });
    ctx.status = 204;
  });

  router.delete('/organizations/:id/applications/:applicationId', async (ctx: ApiContext) => {
    const result = await db.pg.query(
      `delete from organization_application_relations where organization_id = $1 and application_id = $2`,
      [ctx.params.id, ctx.params.applicationId],
    );
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  router.post('/organizations/:id/applications/roles', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({ applicationIds: idList.nonempty(), organizationRoleIds: idList.nonempty() }),
    });
    const pairs = body.organizationRoleIds.flatMap((roleId) =>
      body.applicationIds.map((applicationId) => ({ roleId, applicationId })),
    );
    await insertApplicationRoles(ctx.params.id ?? '', pairs);
    ctx.status = 201;
  });

  /** Every route under `…/applications/:applicationId/roles` first requires membership. */
  const requireMembership = async (ctx: ApiContext, next: () => Promise<unknown>) => {
    const membership = await db.pg.query(
      `select 1 from organization_application_relations where organization_id = $1 and application_id = $2`,
      [ctx.params.id, ctx.params.applicationId],
    );
    if (membership.rows.length === 0) {
      throw new RequestError({ code: 'organization.require_membership', status: 422 });
    }
    await next();
  };
  const rolesPath = '/organizations/:id/applications/:applicationId/roles';

  router.get(rolesPath, requireMembership, async (ctx: ApiContext) => {
    const page = parseOptionalPagination(ctx);
    const params = new SqlParams();
    const from = `from organization_role_application_relations rar join organization_roles r on r.id = rar.organization_role_id
                  where rar.organization_id = ${params.add(ctx.params.id)} and rar.application_id = ${params.add(ctx.params.applicationId)}`;
    const pageSql = page ? `limit ${params.add(page.limit)} offset ${params.add(page.offset)}` : '';
    const rows = await db.pg.query(
      `select ${organizationRoleColumns('r')} ${from} order by r.name, r.id ${pageSql}`,
      params.values,
    );
    if (page) {
      const count = await db.pg.query<{ count: number }>(
        `select count(*)::int as count ${from}`,
        params.values.slice(0, 2),
      );
      setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    }
    ctx.body = rows.rows;
  });

  router.post(rolesPath, requireMembership, organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ organizationRoleIds: idList.nonempty() }) });
    const applicationId = ctx.params.applicationId ?? '';
    await insertApplicationRoles(
      ctx.params.id ?? '',
      body.organizationRoleIds.map((roleId) => ({ roleId, applicationId })),
    );
    ctx.status = 201;
  });

  // Logto's PUT here also wants a non-empty list: removing every role is DELETE one by one.
  router.put(rolesPath, requireMembership, organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ organizationRoleIds: idList.nonempty() }) });
    const roleIds = [...new Set(body.organizationRoleIds)];
    await db.pg.transaction(async (tx) => {
      await tx.query(
        `delete from organization_role_application_relations
         where organization_id = $1 and application_id = $2 and not (organization_role_id = any($3::text[]))`,
        [ctx.params.id, ctx.params.applicationId, roleIds],
      );
      await tx.query(
        `insert into organization_role_application_relations (organization_id, organization_role_id, application_id)
         select $1, role_id, $2 from unnest($3::text[]) as t(role_id) on conflict do nothing`,
        [ctx.params.id, ctx.params.applicationId, roleIds],
      );
    });
    ctx.status = 204;
  });

  router.delete(`${rolesPath}/:organizationRoleId`, requireMembership, async (ctx: ApiContext) => {
    const result = await db.pg.query(
      `delete from organization_role_application_relations
       where organization_id = $1 and application_id = $2 and organization_role_id = $3`,
      [ctx.params.id, ctx.params.applicationId, ctx.params.organizationRoleId],
    );
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  router.get('/applications/:id/organizations', async (ctx: ApiContext) => {
    const page = parseOptionalPagination(ctx);
    const applicationId = ctx.params.id ?? '';
    const exists = await db.pg.query(`select 1 from applications where id = $1`, [applicationId]);
    if (exists.rows.length === 0) throw notExistsWithId('applications', applicationId);
    const params = new SqlParams();
    const appParam = params.add(applicationId);
    const from = `from organizations o where exists (select 1 from organization_application_relations oar
                  where oar.organization_id = o.id and oar.application_id = ${appParam})`;
    const pageSql = page ? `limit ${params.add(page.limit)} offset ${params.add(page.offset)}` : '';
    const rows = await db.pg.query(
      `select ${organizationColumns('o')}, ${applicationRolesJson('o.id', appParam)} as "organizationRoles"
       ${from} order by o.created_at, o.id ${pageSql}`,
      params.values,
    );
    if (page) {
      const count = await db.pg.query<{ count: number }>(`select count(*)::int as count ${from}`, [
        applicationId,
      ]);
      setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    }
    ctx.body = rows.rows;
  });

  /** Inserts `(organization, role, application)` links, ignoring existing ones. */
  async function insertApplicationRoles(
    organizationId: string,
    pairs: Array<{ roleId: string; applicationId: string }>,
  ): Promise<void> {
    await db.pg.query(
      `insert into organization_role_application_relations (organization_id, organization_role_id, application_id)
       select $1, * from unnest($2::text[], $3::text[]) on conflict do nothing`,
      [organizationId, pairs.map((pair) => pair.roleId), pairs.map((pair) => pair.applicationId)],
    );
  }
}
