import { z } from 'zod';
import { generateId } from '../db/ids';
import { invalidInput, notExistsWithId, notFound, RequestError } from './errors';
import {
  type ApiContext,
  guard,
  parseOptionalPagination,
  type RouteRegistration,
  SqlParams,
  setPaginationHeaders,
} from './http';

/** The providers Logto ships SSO connector factories for, with the protocol each speaks. */
const SSO_PROVIDERS = {
  OIDC: 'oidc',
  SAML: 'saml',
  AzureAD: 'saml',
  AzureAdOidc: 'oidc',
  GoogleWorkspace: 'oidc',
  Okta: 'oidc',
} as const;

/** `sso_connectors` as the Management API shows a row. */
export const ssoConnectorColumns = (alias = 'c') => /* sql */ `
  ${alias}.tenant_id as "tenantId",
  ${alias}.id,
  ${alias}.provider_name as "providerName",
  ${alias}.connector_name as "connectorName",
  ${alias}.config,
  ${alias}.domains,
  ${alias}.branding,
  ${alias}.sync_profile as "syncProfile",
  ${alias}.enable_token_storage as "enableTokenStorage",
  epoch_ms(${alias}.created_at) as "createdAt"`;

const brandingGuard = z.object({
  displayName: z.string().optional(),
  logo: z.string().optional(),
  darkLogo: z.string().optional(),
});

/** A domain as Logto's SSO domain check accepts it: labels of letters, digits and hyphens. */
const DOMAIN = /^(?!-)[\da-z-]{1,63}(?<!-)(\.(?!-)[\da-z-]{1,63}(?<!-))+$/;

/** A row of `sso_connectors` as the Management API shows it. */
export type SsoConnectorRecord = {
  tenantId: string;
  id: string;
  providerName: string;
  connectorName: string;
  config: Record<string, unknown>;
  domains: string[];
  branding: { displayName?: string; logo?: string; darkLogo?: string };
  syncProfile: boolean;
  enableTokenStorage: boolean;
  createdAt: number;
};

type SsoConnectorRow = SsoConnectorRecord & { providerName: keyof typeof SSO_PROVIDERS };

/**
 * `/sso-connectors`: enterprise SSO connectors, enough for JIT provisioning to link them to
 * organizations. The local Logto talks to no identity provider, so a config is stored as given
 * (Logto would fetch the provider's metadata to check it).
 */
export function registerSsoConnectorRoutes({ router, db }: RouteRegistration): void {
  const withProvider = (row: SsoConnectorRow) => ({
    ...row,
    name: { en: row.providerName },
    providerType: SSO_PROVIDERS[row.providerName] ?? 'oidc',
    providerLogo: '',
    providerLogoDark: '',
    providerConfig: undefined,
  });

  router.post('/sso-connectors', async (ctx: ApiContext) => {
    const { body } = await guard(ctx, {
      body: z.object({
        providerName: z.string(),
        connectorName: z.string().min(1).max(128),
        config: z.record(z.string(), z.unknown()).optional(),
        domains: z.array(z.string()).optional(),
        branding: brandingGuard.optional(),
        syncProfile: z.boolean().optional(),
        enableTokenStorage: z.boolean().optional(),
      }),
    });
    if (!(body.providerName in SSO_PROVIDERS)) {
      throw new RequestError({
        code: 'connector.not_found',
        status: 422,
        interpolation: { type: body.providerName },
      });
    }
    const domains = body.domains?.map((domain) => domain.toLowerCase()) ?? [];
    if (new Set(domains).size !== domains.length) throw invalidInput('Duplicate domains found.');
    const invalid = domains.find((domain) => !DOMAIN.test(domain));
    if (invalid !== undefined) throw invalidInput(`Invalid domain: ${invalid}.`);
    const duplicate = await db.pg.query(`select 1 from sso_connectors where connector_name = $1`, [
      body.connectorName,
    ]);
    if (duplicate.rows.length > 0) {
      throw new RequestError({ code: 'single_sign_on.duplicate_connector_name', status: 409 });
    }
    const result = await db.pg.query(
      `insert into sso_connectors as c (id, provider_name, connector_name, config, domains, branding, sync_profile, enable_token_storage)
       values ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8)
       returning ${ssoConnectorColumns('c')}`,
      [
        generateId(12),
        body.providerName,
        body.connectorName,
        JSON.stringify(body.config ?? {}),
        JSON.stringify(domains),
        JSON.stringify(body.branding ?? {}),
        body.syncProfile ?? false,
        body.enableTokenStorage ?? false,
      ],
    );
    // Logto answers 200 here, not 201.
    ctx.body = result.rows[0];
  });

  router.get('/sso-connectors', async (ctx: ApiContext) => {
    const page = parseOptionalPagination(ctx);
    const params = new SqlParams();
    const pageSql = page ? `limit ${params.add(page.limit)} offset ${params.add(page.offset)}` : '';
    const rows = await db.pg.query<SsoConnectorRow>(
      `select ${ssoConnectorColumns('c')} from sso_connectors c order by c.created_at, c.id ${pageSql}`,
      params.values,
    );
    if (page) {
      const count = await db.pg.query<{ count: number }>(`select count(*)::int as count from sso_connectors`);
      setPaginationHeaders(ctx, page, count.rows[0]?.count ?? 0);
    }
    ctx.body = rows.rows.map(withProvider);
  });

  router.get('/sso-connectors/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query<SsoConnectorRow>(
      `select ${ssoConnectorColumns('c')} from sso_connectors c where c.id = $1`,
      [ctx.params.id],
    );
    const row = result.rows[0];
    if (!row) throw notExistsWithId('sso_connectors', ctx.params.id ?? '');
    ctx.body = withProvider(row);
  });

  router.delete('/sso-connectors/:id', async (ctx: ApiContext) => {
    const result = await db.pg.query(`delete from sso_connectors where id = $1`, [ctx.params.id]);
    if (!result.affectedRows) throw notFound();
    ctx.status = 204;
  });
}
