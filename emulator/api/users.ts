import { z } from 'zod';
import { generateId, ID_LENGTH } from '../db/ids';
import { hashPassword, verifyPassword } from '../db/passwords';
import { memberRolesJson, organizationColumns, type UserRow, userColumns } from '../db/records';
import { buildAdvancedSearch, SearchInputError } from './advanced-search';
import { invalidInput, notExistsWithId, notFound, RequestError } from './errors';
import {
  type ApiContext,
  guard,
  parsePagination,
  respondWithPage,
  type RouteRegistration,
  setPaginationHeaders,
  SqlParams,
  whereClause,
} from './http';

/** Logto's `userSearchKeys` as column names. */
const USER_SEARCH_FIELDS = ['id', 'primary_email', 'primary_phone', 'username', 'name'] as const;
const ROLE_SEARCH_FIELDS = ['id', 'name', 'description'] as const;

/** `@logto/core-kit` identifier patterns used by `POST /users`. */
const EMAIL_PATTERN = /^\S+@\S+\.\S+$/;
const PHONE_PATTERN = /^\d+$/;
const USERNAME_PATTERN = /^[A-Z_a-z]\w*$/;

/** A user as the admin user endpoints return it: the profile fields plus `hasPassword`. */
const USER_PROFILE_SELECT = `${userColumns()}, u.password_encrypted is not null as "hasPassword"`;

export type UserProfileRow = UserRow & { hasPassword: boolean };

const createUserBody = z
  .object({
    primaryPhone: z.string().regex(PHONE_PATTERN),
    primaryEmail: z.string().regex(EMAIL_PATTERN),
    username: z.string().regex(USERNAME_PATTERN),
    password: z.string().min(1),
    name: z.string(),
    avatar: z.union([z.url(), z.literal('')]).nullable(),
    customData: z.record(z.string(), z.unknown()),
    profile: z.record(z.string(), z.unknown()),
  })
  .partial();

const TENANT_ROLE_SELECT = `r.tenant_id as "tenantId", r.id, r.name, r.description, r.type::text as type, r.is_default as "isDefault"`;

/**
 * `/users…`: search, create, read, delete, suspend, a user's organizations and tenant roles
 * (list, assign, replace, remove).
 */
export function registerUserRoutes({ router, db }: RouteRegistration): void {
  router.get('/users', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const searchParams = ctx.request.URL.searchParams;
    const excludeRoleId = searchParams.get('excludeRoleId');
    const excludeOrganizationId = searchParams.get('excludeOrganizationId');
    if (excludeRoleId && excludeOrganizationId) {
      throw invalidInput(
        'Parameter `excludeRoleId` and `excludeOrganizationId` cannot be used at the same time.',
      );
    }
    const params = new SqlParams();
    const where = whereClause([
      searchOrThrow(() => buildAdvancedSearch(searchParams, USER_SEARCH_FIELDS, params, 'u')),
      excludeRoleId
        ? `not exists (select 1 from users_roles ur where ur.user_id = u.id and ur.role_id = ${params.add(excludeRoleId)})`
        : undefined,
      excludeOrganizationId
        ? `not exists (select 1 from organization_user_relations our
                       where our.user_id = u.id and our.organization_id = ${params.add(excludeOrganizationId)})`
        : undefined,
    ]);
    const count = await db.pg.query<{ count: number }>(
      `select count(*)::int as count from users u ${where}`,
      params.values,
    );
    const rows = await db.pg.query<UserProfileRow>(
      `select ${USER_PROFILE_SELECT} from users u ${where}
       order by u.created_at desc, u.id
       limit ${params.add(page.limit)} offset ${params.add(page.offset)}`,
      params.values,
    );
    setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    ctx.body = rows.rows;
  });

  router.post('/users', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: createUserBody });
    if (body.username) {
      const taken = await db.pg.query(`select 1 from users where username = $1`, [body.username]);
      if (taken.rows.length > 0)
        throw new RequestError({ code: 'user.username_already_in_use', status: 422 });
    }
    if (body.primaryEmail) {
      const taken = await db.pg.query(`select 1 from users where lower(primary_email) = lower($1)`, [
        body.primaryEmail,
      ]);
      if (taken.rows.length > 0) throw new RequestError({ code: 'user.email_already_in_use', status: 422 });
    }
    if (body.primaryPhone) {
      const taken = await db.pg.query(`select 1 from users where primary_phone = $1`, [body.primaryPhone]);
      if (taken.rows.length > 0) throw new RequestError({ code: 'user.phone_already_in_use', status: 422 });
    }
    const digest = body.password ? await hashPassword(body.password) : null;
    const result = await db.pg.query<UserProfileRow>(
      `insert into users as u (id, primary_email, primary_phone, username, name, avatar, custom_data, profile, password_encrypted)
       values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9)
       returning ${USER_PROFILE_SELECT}`,
      [
        generateId(ID_LENGTH.user),
        body.primaryEmail ?? null,
        body.primaryPhone ?? null,
        body.username ?? null,
        body.name ?? null,
        body.avatar ?? null,
        JSON.stringify(body.customData ?? {}),
        JSON.stringify(body.profile ?? {}),
        digest,
      ],
    );
    // Logto answers 200 here, not 201.
    ctx.body = result.rows[0];
  });

  router.get('/users/:userId', async (ctx: ApiContext) => {
    const result = await db.pg.query<UserProfileRow>(
      `select ${USER_PROFILE_SELECT} from users u where u.id = $1`,
      [ctx.params.userId],
    );
    if (!result.rows[0]) throw notFound();
    ctx.body = result.rows[0];
  });

  router.delete('/users/:userId', async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from users where id = $1`, [ctx.params.userId]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  router.post('/users/:userId/password/verify', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ password: z.string().min(1) }) });
    const user = await db.pg.query<{ digest: string | null }>(
      `select password_encrypted as digest from users where id = $1`,
      [ctx.params.userId],
    );
    const row = user.rows[0];
    if (!row) throw notFound();
    // A user without a password fails like a wrong password, as in Logto.
    if (!row.digest || !(await verifyPassword(body.password, row.digest))) {
      throw new RequestError({ code: 'session.invalid_credentials', status: 422 });
    }
    ctx.status = 204;
  });

  // Unpaginated on purpose in Logto: it mirrors what goes into ID tokens.
  router.get('/users/:userId/organizations', async (ctx: ApiContext) => {
    await requireUser(ctx.params.userId ?? '');
    const rows = await db.pg.query(
      `select ${organizationColumns()}, ${memberRolesJson('o.id', 'our.user_id')} as "organizationRoles"
       from organization_user_relations our join organizations o on o.id = our.organization_id
       where our.user_id = $1
       order by o.created_at, o.id`,
      [ctx.params.userId],
    );
    ctx.body = rows.rows;
  });

  router.get('/users/:userId/roles', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    await requireUser(ctx.params.userId ?? '');
    const params = new SqlParams();
    const where = whereClause([
      `exists (select 1 from users_roles ur where ur.role_id = r.id and ur.user_id = ${params.add(ctx.params.userId)})`,
      `r.type = 'User'`,
      searchOrThrow(() => buildAdvancedSearch(ctx.request.URL.searchParams, ROLE_SEARCH_FIELDS, params, 'r')),
    ]);
    await respondWithPage(ctx, db, {
      columns: TENANT_ROLE_SELECT,
      from: 'from roles r',
      where,
      orderBy: 'r.name',
      params,
      page,
    });
  });

  /** 404 `entity.not_found` unless the user exists. */
  async function requireUser(userId: string): Promise<void> {
    const user = await db.pg.query(`select 1 from users where id = $1`, [userId]);
    if (user.rows.length === 0) throw notFound();
  }

  async function heldRoleIds(userId: string): Promise<Set<string>> {
    const held = await db.pg.query<{ roleId: string }>(
      `select role_id as "roleId" from users_roles where user_id = $1`,
      [userId],
    );
    return new Set(held.rows.map((row) => row.roleId));
  }

  /** One insert of every new assignment, as Logto makes it. */
  async function insertUserRoles(userId: string, roleIds: readonly string[]): Promise<void> {
    if (roleIds.length === 0) return;
    await db.pg.query(
      `insert into users_roles (id, user_id, role_id)
       select id, $1, role_id from unnest($2::text[], $3::text[]) as t(id, role_id)`,
      [userId, roleIds.map(() => generateId()), roleIds],
    );
  }

  router.post('/users/:userId/roles', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ roleIds: z.array(z.string().min(1)) }) });
    const userId = ctx.params.userId ?? '';
    await requireUser(userId);
    const existingIds = await heldRoleIds(userId);
    const roleIdsToAdd = body.roleIds.filter((id) => !existingIds.has(id));
    const roles = await db.pg.query<{ id: string; type: string }>(
      `select id, type::text as type from roles where id = any($1::text[])`,
      [roleIdsToAdd],
    );
    if (roles.rows.some((role) => role.type !== 'User')) {
      throw new RequestError({ code: 'user.invalid_role_type', status: 422 });
    }
    const missingRoleId = roleIdsToAdd.find((id) => !roles.rows.some((role) => role.id === id));
    if (missingRoleId !== undefined) throw notExistsWithId('roles', missingRoleId);
    await insertUserRoles(userId, roleIdsToAdd);
    ctx.status = 201;
    ctx.body = { roleIds: body.roleIds, addedRoleIds: roleIdsToAdd };
  });

  /**
   * Replaces the user's tenant roles, step by step as Logto does (no transaction): user lookup
   * (404 `entity.not_found`), then a lookup of every role to add (404
   * `entity.not_exists_with_id`, before anything changes), then the removals, then one insert of
   * the additions. The insert is where a machine-to-machine role fails (the `users_roles` role-type
   * check → 422 `entity.db_constraint_violated`) and where a repeated id fails (Logto maps no error
   * for that unique constraint → 500); either way the removals have already happened.
   */
  router.put('/users/:userId/roles', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ roleIds: z.array(z.string().min(1)) }) });
    const userId = ctx.params.userId ?? '';
    await requireUser(userId);
    const heldIds = await heldRoleIds(userId);
    const wanted = new Set(body.roleIds);
    const roleIdsToAdd = body.roleIds.filter((id) => !heldIds.has(id));
    const roleIdsToRemove = [...heldIds].filter((id) => !wanted.has(id));
    const roles = await db.pg.query<{ id: string; type: string }>(
      `select id, type::text as type from roles where id = any($1::text[])`,
      [roleIdsToAdd],
    );
    const typeById = new Map(roles.rows.map((role) => [role.id, role.type]));
    const missingRoleId = roleIdsToAdd.find((id) => !typeById.has(id));
    if (missingRoleId !== undefined) throw notExistsWithId('roles', missingRoleId);
    if (roleIdsToRemove.length > 0) {
      await db.pg.query(`delete from users_roles where user_id = $1 and role_id = any($2::text[])`, [
        userId,
        roleIdsToRemove,
      ]);
    }
    // The insert's rows in order: per row, the check constraint fires before the unique index.
    const inserted = new Set<string>();
    for (const id of roleIdsToAdd) {
      if (typeById.get(id) !== 'User') {
        throw new RequestError({ code: 'entity.db_constraint_violated', status: 422 });
      }
      if (inserted.has(id)) {
        throw new Error(
          `duplicate key value violates unique constraint "users_roles__user_id_role_id" (role ${id}); ` +
            'Logto answers this unmapped database error with 500',
        );
      }
      inserted.add(id);
    }
    await insertUserRoles(userId, roleIdsToAdd);
    ctx.body = { roleIds: [...wanted] };
  });

  // Logto deletes the assignment without looking up the user or the role: any miss is the
  // delete's "no row affected", `404 entity.not_found`.
  router.delete('/users/:userId/roles/:roleId', async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from users_roles where user_id = $1 and role_id = $2`, [
      ctx.params.userId,
      ctx.params.roleId,
    ]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  // Answers the updated profile, as `GET /users/:userId` shows it. `updatedAt` moves, as Logto's
  // `set_updated_at` trigger makes it on every update of a user row.
  router.patch('/users/:userId/is-suspended', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: z.object({ isSuspended: z.boolean() }) });
    const result = await db.pg.query<UserProfileRow>(
      `update users as u set is_suspended = $2, updated_at = now() where u.id = $1
       returning ${USER_PROFILE_SELECT}`,
      [ctx.params.userId, body.isSuspended],
    );
    if (!result.rows[0]) throw notFound();
    ctx.body = result.rows[0];
  });
}

/** Runs a search builder, turning the caller's mistakes into Logto's `400 request.invalid_input`. */
export function searchOrThrow(build: () => string | undefined): string | undefined {
  try {
    return build();
  } catch (error: unknown) {
    if (error instanceof SearchInputError) {
      throw new RequestError(
        { code: 'request.invalid_input', status: 400, interpolation: { details: error.message } },
        { data: {} },
      );
    }
    throw error;
  }
}
