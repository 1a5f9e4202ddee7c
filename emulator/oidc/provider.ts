import type Koa from 'koa';
import type { Configuration } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type * as OidcProviderModule from 'oidc-provider';
import type { Database } from '../db';
import {
  findApplication,
  findApplicationResourceScopes,
  findResourceByIndicator,
  getUserClaims,
} from '../db';
import type { FaultController } from '../faults';
import { createAdapterFactory } from './adapter';
import type { ProviderKeys } from './keys';
import { renderErrorPage, renderLogoutPage, renderSignedOutPage } from './pages';

/** The Management API's resource indicator in Logto OSS. */
export const MANAGEMENT_API_RESOURCE = 'https://default.logto.app/api';

export type OidcProviderOptions = {
  issuer: string;
  db: Database;
  keys: ProviderKeys;
  faults: FaultController;
  extraRedirectUris: string[];
  extraPostLogoutRedirectUris: string[];
};

/**
 * Builds the oidc-provider instance of the local Logto: ES384 keys, clients from the database,
 * `client_credentials` for the Management API resource, authorization code + PKCE for web apps,
 * Logto's organization claims, RP-initiated logout.
 */
export async function createOidcProvider(o: OidcProviderOptions): Promise<Provider> {
  const { Provider: ProviderClass, errors } = await importOidcProvider();

  const findAccount: Configuration['findAccount'] = async (_ctx, sub) => {
    const claims = await getUserClaims(o.db, sub);
    if (!claims) return undefined;
    return { accountId: sub, claims: () => ({ ...claims, sub }) };
  };

  const configuration: Configuration = {
    adapter: createAdapterFactory({
      findApplication: (id) => findApplication(o.db, id),
      extraRedirectUris: o.extraRedirectUris,
      extraPostLogoutRedirectUris: o.extraPostLogoutRedirectUris,
      unknownClientError: (id) => new errors.InvalidClient(`invalid client ${id}`),
    }),
    jwks: { keys: o.keys.signingKeys },
    cookies: { keys: o.keys.cookieKeys },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    enabledJWA: {
      idTokenSigningAlgValues: ['ES384'],
    },
    pkce: {
      // Logto requires PKCE of public clients only; confidential web apps may send it (next-auth does).
      required: (_ctx, client) => client.clientAuthMethod === 'none',
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'username', 'picture'],
      email: ['email', 'email_verified'],
      'urn:logto:scope:organizations': ['organizations'],
      'urn:logto:scope:organization_roles': ['organization_roles'],
    },
    scopes: [
      'openid',
      'offline_access',
      'profile',
      'email',
      'urn:logto:scope:organizations',
      'urn:logto:scope:organization_roles',
    ],
    // Logto's hints for which page to open first (the invitee flow may start at "create account").
    extraParams: ['first_screen', 'interaction_mode', 'identifier'],
    // Otherwise the ID token omits email and name whenever an access token is issued too.
    conformIdTokenClaims: false,
    findAccount,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = renderLogoutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = renderSignedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        // Only machine-to-machine requests get the Management API without asking for it.
        defaultResource: (ctx, _client, oneOf) => {
          if (oneOf) return oneOf;
          return ctx.oidc.params?.grant_type === 'client_credentials' ? MANAGEMENT_API_RESOURCE : undefined;
        },
        useGrantedResource: () => false,
        getResourceServerInfo: async (_ctx, resourceIndicator, client) => {
          const resource = await findResourceByIndicator(o.db, resourceIndicator);
          if (!resource) throw new errors.InvalidTarget();
          const application = await findApplication(o.db, client.clientId);
          // As in Logto, a machine-to-machine app holds exactly the permissions of the roles
          // assigned to it (the Management API's `all` comes from such a role, never by default);
          // requested scopes outside them are dropped silently. User-facing apps get none here.
          const scopes =
            application?.type === 'MachineToMachine'
              ? await findApplicationResourceScopes(o.db, application.id, resourceIndicator)
              : [];
          return {
            scope: scopes.join(' '),
            audience: resource.indicator,
            accessTokenTTL:
              resource.indicator === MANAGEMENT_API_RESOURCE
                ? o.faults.accessTokenTtlSeconds
                : resource.accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES384' } },
          };
        },
      },
    },
    interactions: {
      // The default path would escape the /oidc prefix.
      url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}`,
    },
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    clientBasedCORS: () => true,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage({
        title: 'Something went wrong',
        message: 'The sign-in request could not be completed. Go back to the app and try again.',
        details: Object.fromEntries(Object.entries(out).map(([key, value]) => [key, String(value)])),
      });
    },
  };

  const provider = new ProviderClass(o.issuer, configuration);
  provider.proxy = false;
  return provider;
}

let oidcProviderModule: Promise<typeof OidcProviderModule> | undefined;

/**
 * Loads oidc-provider once. On Node 20 it prints an "Unsupported runtime" warning when first
 * imported; the team checked it is advisory on this stack, so that one line is dropped to keep
 * `quiet` servers silent. Anything else it prints passes through.
 */
export function importOidcProvider(): Promise<typeof OidcProviderModule> {
  oidcProviderModule ??= (async () => {
    const originalWarn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
      originalWarn(...args);
    };
    try {
      return await import('oidc-provider');
    } finally {
      console.warn = originalWarn;
    }
  })();
  return oidcProviderModule;
}

/** Logto-style `code`/`message` for OAuth errors of `/oidc/*` JSON responses. */
const OIDC_ERROR_MESSAGES: Record<string, string> = {
  invalid_request: 'The request is invalid.',
  invalid_client: 'Client authentication failed.',
  invalid_grant: 'The grant request is invalid.',
  invalid_target: 'The resource indicator is invalid.',
  invalid_scope: 'The requested scope is invalid.',
  invalid_token: 'The provided token is invalid.',
  unauthorized_client: 'The client is not allowed to use this grant type.',
  unsupported_grant_type: 'The requested grant_type is not supported.',
  access_denied: 'Access denied.',
};

/**
 * Adds Logto's `code` (`oidc.<error>`) and `message` to oidc-provider's JSON error bodies, as
 * Logto's own error handler does; `?parse_error=false` keeps the raw OAuth body, as in Logto.
 */
export function decorateOidcErrorBody(ctx: Koa.Context): void {
  const body = ctx.body as unknown;
  if (ctx.status < 400 || body === null || typeof body !== 'object' || Array.isArray(body)) return;
  if (Buffer.isBuffer(body) || typeof (body as { pipe?: unknown }).pipe === 'function') return;
  const record = body as Record<string, unknown>;
  if (typeof record.error !== 'string' || 'code' in record) return;
  if (ctx.query.parse_error === 'false') return;
  record.code = `oidc.${record.error}`;
  record.message = OIDC_ERROR_MESSAGES[record.error] ?? `An OIDC error occurred: oidc.${record.error}.`;
}
