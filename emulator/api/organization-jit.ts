import { z } from 'zod';
import { organizationRoleColumns } from '../db/records';
import { notExistsWithId, notFound, organizationErrorHandler } from './errors';
import {
  type ApiContext,
  guard,
  type Page,
  parseOptionalPagination,
  type RouteRegistration,
  SqlParams,
  setPaginationHeaders,
} from './http';
import { ssoConnectorColumns } from './sso-connectors';

/** A row of `organization_jit_email_domains` as the Management API shows it. */
export type EmailDomainRow = { tenantId: string; organizationId: string; emailDomain: string };

/** `organization_jit_email_domains` as the Management API shows a row. */
const EMAIL_DOMAIN_COLUMNS = `d.tenant_id as "tenantId", d.organization_id as "organizationId", d.email_domain as "emailDomain"`;

/**
 * `/organizations/:id/jit/…`: just-in-time provisioning. Email domains have their own routes;
 * default roles and SSO connectors are generic relation routes, as in Logto (`jit/index.ts`).
 * Every list is unpaginated unless `page` or `page_size` is given.
 */
export function registerOrganizationJitRoutes({ router, db }: RouteRegistration): void {
  /** One optional page of `select <columns> <from> order by <orderBy>`; headers only when paged. */
  async function respondWithOptionalPage(
    ctx: ApiContext,
    o: { columns: string; from: string; orderBy: string; params: SqlParams; page: Page | undefined },
  ): Promise<void> {
    const countValues = [...o.params.values];
    const pageSql = o.page ? `limit ${o.params.add(o.page.limit)} offset ${o.params.add(o.page.offset)}` : '';
    const rows = await db.pg.query(
      `select ${o.columns} ${o.from} order by ${o.orderBy} ${pageSql}`,
      o.params.values,
    );
    if (o.page) {
      const count = await db.pg.query<{ count: number }>(
        `select count(*)::int as count ${o.from}`,
        countValues,
      );
      setPaginationHeaders(ctx, o.page, count.rows[0]?.count ?? 0);
    }
    ctx.body = rows.rows;
  }

  // Email domains: no existence check on the organization for reads (an unknown one lists `[]`).
  router.get('/organizations/:id/jit/email-domains', async (ctx: ApiContext) => {
    const page = parseOptionalPagination(ctx);
    const params = new SqlParams();
    await respondWithOptionalPage(ctx, {
      columns: EMAIL_DOMAIN_COLUMNS,
      from: `from organization_jit_email_domains d where d.organization_id = ${params.add(ctx.params.id)}`,
      orderBy: 'd.email_domain',
      params,
      page,
    });
  });

  router.post('/organizations/:id/jit/email-domains', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ emailDomain: z.string().min(1) }) });
    const result = await db.pg.query<EmailDomainRow>(
      `insert into organization_jit_email_domains as d (organization_id, email_domain) values ($1, $2)
       returning ${EMAIL_DOMAIN_COLUMNS}`,
      [ctx.params.id, body.emailDomain],
    );
    ctx.status = 201;
    ctx.body = result.rows[0];
  });

  router.put('/organizations/:id/jit/email-domains', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ emailDomains: z.array(z.string()) }) });
    const domains = [...new Set(body.emailDomains)];
    await db.pg.transaction(async (tx) => {
      await tx.query(`delete from organization_jit_email_domains where organization_id = $1`, [
        ctx.params.id,
      ]);
      if (domains.length > 0) {
        await tx.query(
          `insert into organization_jit_email_domains (organization_id, email_domain)
           select $1, domain from unnest($2::text[]) as t(domain)`,
          [ctx.params.id, domains],
        );
      }
    });
    ctx.status = 204;
  });

  router.delete('/organizations/:id/jit/email-domains/:emailDomain', async (ctx: ApiContext) => {
    const result = await db.pg.query(
      `delete from organization_jit_email_domains where organization_id = $1 and email_domain = $2`,
      [ctx.params.id, ctx.params.emailDomain],
    );
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  registerRelation({
    path: 'jit/roles',
    table: 'organization_jit_roles',
    column: 'organization_role_id',
    bodyKey: 'organizationRoleIds',
    param: 'organizationRoleId',
    entity: {
      from: 'organization_roles r',
      alias: 'r',
      columns: organizationRoleColumns('r'),
      orderBy: 'r.name, r.id',
    },
  });
  registerRelation({
    path: 'jit/sso-connectors',
    table: 'organization_jit_sso_connectors',
    column: 'sso_connector_id',
    bodyKey: 'ssoConnectorIds',
    param: 'ssoConnectorId',
    entity: {
      from: 'sso_connectors c',
      alias: 'c',
      columns: ssoConnectorColumns('c'),
      orderBy: 'c.created_at, c.id',
    },
  });

  /**
   * Logto's `SchemaRouter.addRelationRoutes` for one organization relation: GET (404 for an
   * unknown organization), POST of a non-empty id list (existing links ignored), PUT replacing the
   * set, DELETE of one link (404 when absent). Unknown ids → 422 by the organization error mapping.
   */
  function registerRelation(o: {
    path: string;
    table: string;
    column: string;
    bodyKey: string;
    param: string;
    entity: { from: string; alias: string; columns: string; orderBy: string };
  }): void {
    const base = `/organizations/:id/${o.path}`;

    router.get(base, async (ctx: ApiContext) => {
      const page = parseOptionalPagination(ctx);
      const organizationId = ctx.params.id ?? '';
      const exists = await db.pg.query(`select 1 from organizations where id = $1`, [organizationId]);
      if (exists.rows.length === 0) throw notExistsWithId('organizations', organizationId);
      const params = new SqlParams();
      await respondWithOptionalPage(ctx, {
        columns: o.entity.columns,
        from: `from ${o.entity.from} where exists (select 1 from ${o.table} rel
                 where rel.${o.column} = ${o.entity.alias}.id and rel.organization_id = ${params.add(organizationId)})`,
        orderBy: o.entity.orderBy,
        params,
        page,
      });
    });

    router.post(base, organizationErrorHandler, async (ctx: ApiContext) => {
      const { body } = await guard(ctx, {
        body: z.object({ [o.bodyKey]: z.array(z.string().min(1)).nonempty() }),
      });
      const ids = body[o.bodyKey] as string[];
      await db.pg.query(
        `insert into ${o.table} (organization_id, ${o.column})
         select $1, id from unnest($2::text[]) as t(id) on conflict do nothing`,
        [ctx.params.id, ids],
      );
      ctx.status = 201;
    });

    router.put(base, organizationErrorHandler, async (ctx: ApiContext) => {
      const { body } = await guard(ctx, { body: z.object({ [o.bodyKey]: z.array(z.string().min(1)) }) });
      const ids = [...new Set(body[o.bodyKey] as string[])];
      await db.pg.transaction(async (tx) => {
        await tx.query(`delete from ${o.table} where organization_id = $1`, [ctx.params.id]);
        if (ids.length > 0) {
          await tx.query(
            `insert into ${o.table} (organization_id, ${o.column}) select $1, id from unnest($2::text[]) as t(id)`,
            [ctx.params.id, ids],
          );
        }
      });
      ctx.status = 204;
    });

    router.delete(`${base}/:${o.param}`, async (ctx: ApiContext) => {
      const result = await db.pg.query(
        `delete from ${o.table} where organization_id = $1 and ${o.column} = $2`,
        [ctx.params.id, ctx.params[o.param]],
      );
      if (!result.affectedRows) throw notFound();
      ctx.status = 204;
    });
  }
}
