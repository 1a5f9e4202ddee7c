import { z } from 'zod';
import type { Queryable } from '../db';
import {
  memberRolesJson,
  type OrganizationRoleRow,
  type OrganizationScopeRow,
  organizationRoleColumns,
  organizationScopeColumns,
  type UserRow,
  userColumns,
} from '../db/records';
import { formatNameList, notFound, organizationErrorHandler, RequestError } from './errors';
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

/** Logto's `userSearchKeys`. */
const USER_SEARCH_COLUMNS = ['u.id', 'u.primary_email', 'u.primary_phone', 'u.username', 'u.name'];

const roleAssignmentBody = z.object({
  organizationRoleIds: z.array(z.string().min(1)).optional(),
  organizationRoleNames: z.array(z.string().min(1)).optional(),
});

/**
 * Inserts `(organization, role, user)` rows, ignoring existing ones. An empty list inserts
 * nothing (Logto after 1.42.0; 1.42.0 itself answered 422 `entity.invalid_input`).
 */
export async function insertMemberRoles(
  tx: Queryable,
  rows: Array<{ organizationId: string; roleId: string; userId: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `insert into organization_role_user_relations (organization_id, organization_role_id, user_id)
     select * from unnest($1::text[], $2::text[], $3::text[])
     on conflict do nothing`,
    [rows.map((row) => row.organizationId), rows.map((row) => row.roleId), rows.map((row) => row.userId)],
  );
}

/** Adds users to an organization, ignoring existing members. */
export async function insertMembers(tx: Queryable, organizationId: string, userIds: string[]): Promise<void> {
  await tx.query(
    `insert into organization_user_relations (organization_id, user_id)
     select $1, user_id from unnest($2::text[]) as t(user_id)
     on conflict do nothing`,
    [organizationId, [...new Set(userIds)]],
  );
}

/**
 * `/organizations/:id/users…`: members, bulk role assignment, one member's roles and scopes.
 */
export function registerOrganizationUserRoutes({ router, db }: RouteRegistration): void {
  router.get('/organizations/:id/users', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const { query } = await guard(ctx, {
      query: z.object({ q: z.string().optional(), organizationRoleId: z.string().min(1).optional() }),
    });
    const params = new SqlParams();
    const where = whereClause([
      `our.organization_id = ${params.add(ctx.params.id)}`,
      searchCondition(params, USER_SEARCH_COLUMNS, query.q),
      query.organizationRoleId
        ? `exists (select 1 from organization_role_user_relations rur
                   where rur.organization_id = our.organization_id and rur.user_id = our.user_id
                     and rur.organization_role_id = ${params.add(query.organizationRoleId)})`
        : undefined,
    ]);
    // Users are joined only when searching: counting and paging a 10,000-member organization then
    // stays on the membership index.
    const from = `from organization_user_relations our ${query.q ? 'join users u on u.id = our.user_id' : ''} ${where}`;
    const count = await db.pg.query<{ count: number }>(
      `select count(*)::int as count ${from}`,
      params.values,
    );
    // The page is cut before the profile columns and role lists are built, so a deep offset
    // does not compute them for every skipped row.
    const rows = await db.pg.query<UserRow & { organizationRoles: Array<{ id: string; name: string }> }>(
      `with page as (
         select our.organization_id, our.user_id ${from}
         order by our.user_id
         limit ${params.add(page.limit)} offset ${params.add(page.offset)}
       )
       select ${userColumns()}, ${memberRolesJson('page.organization_id', 'page.user_id')} as "organizationRoles"
       from page join users u on u.id = page.user_id
       order by page.user_id`,
      params.values,
    );
    setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    ctx.body = rows.rows;
  });

  router.post('/organizations/:id/users', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ userIds: z.array(z.string().min(1)).nonempty() }) });
    await insertMembers(db.pg, ctx.params.id ?? '', body.userIds);
    ctx.status = 201;
    ctx.body = { userIds: body.userIds };
  });

  router.put('/organizations/:id/users', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ userIds: z.array(z.string().min(1)) }) });
    const userIds = [...new Set(body.userIds)];
    await db.pg.transaction(async (tx) => {
      // Only departing members are deleted, so the ones who stay keep their roles.
      await tx.query(
        `delete from organization_user_relations where organization_id = $1 and not (user_id = any($2::text[]))`,
        [ctx.params.id, userIds],
      );
      if (userIds.length > 0) await insertMembers(tx, ctx.params.id ?? '', userIds);
    });
    ctx.status = 204;
  });

  router.delete('/organizations/:id/users/:userId', organizationErrorHandler, async (ctx: ApiContext) => {
    const result = await db.pg.query(
      `delete from organization_user_relations where organization_id = $1 and user_id = $2`,
      [ctx.params.id, ctx.params.userId],
    );
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  router.post('/organizations/:id/users/roles', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({
        userIds: z.array(z.string().min(1)).nonempty(),
        organizationRoleIds: z.array(z.string().min(1)).nonempty(),
      }),
    });
    await insertMemberRoles(
      db.pg,
      body.organizationRoleIds.flatMap((roleId) =>
        body.userIds.map((userId) => ({ organizationId: ctx.params.id ?? '', roleId, userId })),
      ),
    );
    respondCreatedWithoutBody(ctx);
  });

  /** Logto checks membership for every route under `…/users/:userId/roles` before anything else. */
  const requireMembership = async (ctx: ApiContext, next: () => Promise<unknown>) => {
    const membership = await db.pg.query(
      `select 1 from organization_user_relations where organization_id = $1 and user_id = $2`,
      [ctx.params.id, ctx.params.userId],
    );
    if (membership.rows.length === 0) {
      throw new RequestError({ code: 'organization.require_membership', status: 422 });
    }
    await next();
  };

  router.get('/organizations/:id/users/:userId/roles', requireMembership, async (ctx: ApiContext) => {
    const page = parseOptionalPagination(ctx);
    const params = new SqlParams();
    const from = `from organization_role_user_relations rur join organization_roles r on r.id = rur.organization_role_id
                  where rur.organization_id = ${params.add(ctx.params.id)} and rur.user_id = ${params.add(ctx.params.userId)}`;
    const pageSql = page ? `limit ${params.add(page.limit)} offset ${params.add(page.offset)}` : '';
    const rows = await db.pg.query<OrganizationRoleRow>(
      `select ${organizationRoleColumns()} ${from} order by r.name ${pageSql}`,
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

  router.post(
    '/organizations/:id/users/:userId/roles',
    requireMembership,
    organizationErrorHandler,
    async (ctx: ApiContext) => {
      const { body } = await guard(ctx, { body: roleAssignmentBody });
      const roleIds = await resolveRoleIds(body.organizationRoleIds, body.organizationRoleNames);
      // Logto 1.42 as seen on a live server: no roles at all (`{}` or empty lists) is a 201 that
      // assigns nothing, not the empty insert's 422.
      if (roleIds.length > 0) {
        await insertMemberRoles(
          db.pg,
          roleIds.map((roleId) => ({
            organizationId: ctx.params.id ?? '',
            roleId,
            userId: ctx.params.userId ?? '',
          })),
        );
      }
      ctx.status = 201;
      ctx.body = { organizationRoleIds: roleIds };
    },
  );

  router.put(
    '/organizations/:id/users/:userId/roles',
    requireMembership,
    organizationErrorHandler,
    async (ctx: ApiContext) => {
      const { body } = await guard(ctx, { body: roleAssignmentBody });
      const roleIds = await resolveRoleIds(body.organizationRoleIds, body.organizationRoleNames);
      await db.pg.transaction(async (tx) => {
        await tx.query(
          `delete from organization_role_user_relations
           where organization_id = $1 and user_id = $2 and not (organization_role_id = any($3::text[]))`,
          [ctx.params.id, ctx.params.userId, roleIds],
        );
        if (roleIds.length > 0) {
          await insertMemberRoles(
            tx,
            roleIds.map((roleId) => ({
              organizationId: ctx.params.id ?? '',
              roleId,
              userId: ctx.params.userId ?? '',
            })),
          );
        }
      });
      ctx.status = 204;
    },
  );

  router.delete(
    '/organizations/:id/users/:userId/roles/:organizationRoleId',
    requireMembership,
    organizationErrorHandler,
    async (ctx: ApiContext) => {
      const result = await db.pg.query(
        `delete from organization_role_user_relations where organization_id = $1 and user_id = $2 and organization_role_id = $3`,
        [ctx.params.id, ctx.params.userId, ctx.params.organizationRoleId],
      );
      if (!result.affectedRows) throw notFound();
      ctx.status = 204;
    },
  );

  // No membership check here, unlike `/roles`: a non-member simply has no scopes.
  router.get('/organizations/:id/users/:userId/scopes', async (ctx: ApiContext) => {
    const rows = await db.pg.query<OrganizationScopeRow>(
      `select distinct ${organizationScopeColumns()}
       from organization_role_user_relations rur
       join organization_role_scope_relations rsr on rsr.organization_role_id = rur.organization_role_id
       join organization_scopes s on s.id = rsr.organization_scope_id
       where rur.organization_id = $1 and rur.user_id = $2
       order by s.name`,
      [ctx.params.id, ctx.params.userId],
    );
    ctx.body = rows.rows;
  });

  /** Role ids given plus those found by (exact) name, de-duplicated; unknown names → 422. */
  async function resolveRoleIds(ids: string[] = [], names: string[] = []): Promise<string[]> {
    const found =
      names.length > 0
        ? (
            await db.pg.query<{ id: string; name: string }>(
              `select id, name from organization_roles where name = any($1::text[])`,
              [names],
            )
          ).rows
        : [];
    const missing = names.filter((name) => !found.some((role) => role.name === name));
    if (missing.length > 0) {
      throw new RequestError({
        code: 'organization.role_names_not_found',
        status: 422,
        interpolation: { names: formatNameList(missing) },
      });
    }
    return [...new Set([...ids, ...found.map((role) => role.id)])];
  }
}
