import { z } from 'zod';
import { generateId, ID_LENGTH } from '../db/ids';
import { type OrganizationRow, organizationColumns } from '../db/records';
import { notExists, notExistsWithId, notFound, organizationErrorHandler, RequestError } from './errors';
import {
  type ApiContext,
  guard,
  isTruthyFlag,
  parsePagination,
  type RouteRegistration,
  SqlParams,
  searchCondition,
  setPaginationHeaders,
  whereClause,
} from './http';

/** Logto's `hexColorRegEx`. */
const HEX_COLOR = /^#[\da-f]{3}([\da-f]{3})?$/i;

const colorGuard = z.object({
  primaryColor: z.string().regex(HEX_COLOR).optional(),
  isDarkModeEnabled: z.boolean().optional(),
  darkPrimaryColor: z.string().regex(HEX_COLOR).optional(),
});

const brandingGuard = z.object({
  logoUrl: z.url().optional(),
  darkLogoUrl: z.url().optional(),
  favicon: z.url().optional(),
  darkFavicon: z.url().optional(),
});

/** The writable columns of `organizations`, as Logto's generated create guard (minus `id`). */
const organizationFields = {
  tenantId: z.string().max(21).optional(),
  name: z.string().min(1).max(128),
  description: z.string().max(256).nullable().optional(),
  customData: z.record(z.string(), z.unknown()).optional(),
  isMfaRequired: z.boolean().optional(),
  color: colorGuard.optional(),
  branding: brandingGuard.optional(),
  customCss: z.string().nullable().optional(),
  createdAt: z.number().optional(),
};

const createOrganizationBody = z.object(organizationFields);
const updateOrganizationBody = z.object({ ...organizationFields, name: organizationFields.name.optional() });

/** Column and SQL cast of every field a create or a patch may set. */
const WRITABLE_COLUMNS = {
  name: ['name', 'text'],
  description: ['description', 'text'],
  customData: ['custom_data', 'jsonb'],
  isMfaRequired: ['is_mfa_required', 'boolean'],
  color: ['color', 'jsonb'],
  branding: ['branding', 'jsonb'],
  customCss: ['custom_css', 'text'],
  createdAt: ['created_at', 'timestamptz'],
} as const;

type WritableField = keyof typeof WRITABLE_COLUMNS;

function toColumnValues(body: Partial<Record<WritableField, unknown>>, params: SqlParams) {
  return (Object.keys(WRITABLE_COLUMNS) as WritableField[])
    .filter((field) => body[field] !== undefined)
    .map((field) => {
      const [column, cast] = WRITABLE_COLUMNS[field];
      const value = body[field];
      const sqlValue =
        cast === 'jsonb'
          ? JSON.stringify(value)
          : cast === 'timestamptz'
            ? new Date(value as number).toISOString()
            : value;
      return { column, placeholder: `${params.add(sqlValue)}::${cast}` };
    });
}

/** `GET/POST /organizations`, `GET/PATCH/DELETE /organizations/:id`. */
export function registerOrganizationRoutes({ router, db }: RouteRegistration): void {
  router.get('/organizations', async (ctx: ApiContext) => {
    const page = parsePagination(ctx);
    const { query } = await guard(ctx, {
      query: z.object({ q: z.string().optional(), showFeatured: z.string().optional() }),
    });
    const params = new SqlParams();
    const where = whereClause([searchCondition(params, ['o.id', 'o.name'], query.q)]);
    const count = await db.pg.query<{ count: number }>(
      `select count(*)::int as count from organizations o ${where}`,
      params.values,
    );
    const showFeatured = isTruthyFlag(query.showFeatured);
    const featuredColumns = showFeatured
      ? `, (select count(*)::int from organization_user_relations our where our.organization_id = o.id) as "usersCount",
           coalesce((select json_agg(json_build_object('id', f.id, 'avatar', f.avatar, 'name', f.name))
                     from (select u.id, u.avatar, u.name from organization_user_relations our
                           join users u on u.id = our.user_id
                           where our.organization_id = o.id order by our.user_id limit 3) f), '[]'::json) as "featuredUsers"`
      : '';
    const rows = await db.pg.query<OrganizationRow>(
      `select ${organizationColumns()} ${featuredColumns}
       from organizations o ${where}
       order by o.created_at, o.id
       limit ${params.add(page.limit)} offset ${params.add(page.offset)}`,
      params.values,
    );
    setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    ctx.body = rows.rows;
  });

  router.post('/organizations', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: createOrganizationBody });
    const params = new SqlParams();
    const values = toColumnValues(body, params);
    const id = params.add(generateId(ID_LENGTH.organization));
    const result = await db.pg.query<OrganizationRow>(
      `insert into organizations (id, ${values.map((value) => value.column).join(', ')})
       values (${id}, ${values.map((value) => value.placeholder).join(', ')})
       returning ${organizationColumns('organizations')}`,
      params.values,
    );
    ctx.status = 201;
    ctx.body = result.rows[0];
  });

  router.get('/organizations/:id', async (ctx: ApiContext) => {
    const organization = await findOrganization(ctx.params.id ?? '');
    if (!organization) throw notExistsWithId('organizations', ctx.params.id ?? '');
    ctx.body = organization;
  });

  router.patch('/organizations/:id', organizationErrorHandler, async (ctx: ApiContext) => {
    const { body } = await guard(ctx, { body: updateOrganizationBody });
    const params = new SqlParams();
    const values = toColumnValues(body, params);
    if (values.length === 0) throw new RequestError({ code: 'entity.invalid_input', status: 422 });
    const result = await db.pg.query<OrganizationRow>(
      `update organizations set ${values.map((value) => `${value.column} = ${value.placeholder}`).join(', ')}
       where id = ${params.add(ctx.params.id)}
       returning ${organizationColumns('organizations')}`,
      params.values,
    );
    if (!result.rows[0]) throw notExists('organization');
    ctx.body = result.rows[0];
  });

  router.delete('/organizations/:id', organizationErrorHandler, async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from organizations where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });

  async function findOrganization(id: string): Promise<OrganizationRow | undefined> {
    const result = await db.pg.query<OrganizationRow>(
      `select ${organizationColumns()} from organizations o where o.id = $1`,
      [id],
    );
    return result.rows[0];
  }
}
