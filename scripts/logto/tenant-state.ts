import type { ManagementClient } from '../../lib/logto/client';
import { LogtoApiError } from '../../lib/logto/errors';
import { fetchAllPages, toPage } from '../../lib/logto/pagination';
import type { ManagementPaths } from '../../lib/logto/types';

import type { SignInExperienceSnapshot } from './sign-up';

type JsonOf<P extends keyof ManagementPaths, M extends 'get'> = ManagementPaths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer T } } };
}
  ? T
  : never;

/** An application as Logto returns it. */
export type Application = JsonOf<'/api/applications', 'get'>[number];
/** The `oidcClientMetadata` of an application. */
export type OidcClientMetadata = Application['oidcClientMetadata'];

/** What bootstrap needs to know about one application. */
export type ApplicationSnapshot = {
  id: string;
  name: string;
  type: Application['type'];
  description: string | null;
  customData: Record<string, unknown>;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  /** Kept whole: Logto replaces this field wholesale on PATCH, so an update must send all of it. */
  oidcClientMetadata: OidcClientMetadata;
};

/** The parts of a tenant that bootstrap compares against its spec. */
export type TenantState = {
  scopes: { id: string; name: string; description: string | null }[];
  roles: { id: string; name: string; description: string | null; scopeNames: string[] }[];
  tenantRoles: { id: string; name: string; description: string; type: 'User' | 'MachineToMachine' }[];
  /** Traditional web applications, plus the configured app (`LOGTO_APP_ID`) whatever its type. */
  applications: ApplicationSnapshot[];
};

/**
 * The body of a 2xx answer. The client throws on error statuses; an empty body on a route that
 * documents one is an upstream fault, never read as "nothing there".
 */
function bodyOf<T>(result: { data?: T; response: Response }): T {
  if (result.data === undefined) {
    throw new LogtoApiError({
      status: result.response.status,
      code: 'client.empty_response',
      message: `Logto answered ${result.response.url} without a body.`,
    });
  }
  return result.data;
}

// The generated types describe redirect URIs as objects; Logto stores and returns plain strings.
function uriStrings(values: unknown[]): string[] {
  return values.filter((value): value is string => typeof value === 'string');
}

type OidcUris = Pick<OidcClientMetadata, 'redirectUris' | 'postLogoutRedirectUris'>;

/** The two URI lists as the API types want them (the generated types model URIs as objects). */
export function asOidcUris(uris: { redirectUris: string[]; postLogoutRedirectUris: string[] }): OidcUris {
  return uris as unknown as OidcUris;
}

/** Narrows a full application to what bootstrap compares. */
export function toApplicationSnapshot(application: Application): ApplicationSnapshot {
  return {
    id: application.id,
    name: application.name,
    type: application.type,
    description: application.description,
    customData: application.customData,
    redirectUris: uriStrings(application.oidcClientMetadata.redirectUris),
    postLogoutRedirectUris: uriStrings(application.oidcClientMetadata.postLogoutRedirectUris),
    oidcClientMetadata: application.oidcClientMetadata,
  };
}

/** Every organization scope (Logto returns them all when no page is asked for). */
export async function readOrganizationScopes(client: ManagementClient): Promise<TenantState['scopes']> {
  const scopes = bodyOf(await client.api.GET('/api/organization-scopes'));
  return scopes.map(({ id, name, description }) => ({ id, name, description }));
}

/** Every organization role with the names of its organization scopes. */
export async function readOrganizationRoles(client: ManagementClient): Promise<TenantState['roles']> {
  const roles = await fetchAllPages(async (page, pageSize) => {
    const result = await client.api.GET('/api/organization-roles', {
      params: { query: { page, page_size: pageSize } },
    });
    return toPage(bodyOf(result), result.response, page, pageSize);
  });
  return roles.map(({ id, name, description, scopes }) => ({
    id,
    name,
    description,
    scopeNames: scopes.map((scope) => scope.name),
  }));
}

/** Every tenant role (user and machine-to-machine: role names are unique across both). */
export async function readTenantRoles(client: ManagementClient): Promise<TenantState['tenantRoles']> {
  const roles = await fetchAllPages(async (page, pageSize) => {
    const result = await client.api.GET('/api/roles', { params: { query: { page, page_size: pageSize } } });
    return toPage(bodyOf(result), result.response, page, pageSize);
  });
  return roles.map(({ id, name, description, type }) => ({ id, name, description, type }));
}

/** One application, or `undefined` when the tenant has none with that id. */
export async function readApplication(
  client: ManagementClient,
  id: string,
): Promise<ApplicationSnapshot | undefined> {
  try {
    return toApplicationSnapshot(
      bodyOf(await client.api.GET('/api/applications/{id}', { params: { path: { id } } })),
    );
  } catch (error) {
    if (error instanceof LogtoApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Every Traditional web application of the tenant. */
export async function readTraditionalApplications(client: ManagementClient): Promise<ApplicationSnapshot[]> {
  // Paged explicitly: Logto pages this list only when asked, and then reports the total.
  const applications = await fetchAllPages(async (page, pageSize) => {
    const result = await client.api.GET('/api/applications', {
      params: { query: { types: 'Traditional', page, page_size: pageSize } },
    });
    return toPage(bodyOf(result), result.response, page, pageSize);
  });
  return applications.filter((app) => app.type === 'Traditional').map(toApplicationSnapshot);
}

/** The tenant's email connector (Logto allows at most one), or `undefined`. */
export async function readEmailConnector(
  client: ManagementClient,
): Promise<{ id: string; connectorId: string } | undefined> {
  const connectors = bodyOf(await client.api.GET('/api/connectors'));
  const email = connectors.find((connector) => connector.type === 'Email');
  return email && { id: email.id, connectorId: email.connectorId };
}

/** The sign-up and sign-in settings of the tenant's sign-in experience. */
export async function readSignInExperience(client: ManagementClient): Promise<SignInExperienceSnapshot> {
  const { signInMode, signUp, signIn } = bodyOf(await client.api.GET('/api/sign-in-exp'));
  return { signInMode, signUp, signIn };
}

/** Reads everything bootstrap compares, in parallel. */
export async function readTenantState(
  client: ManagementClient,
  o: { configuredAppId?: string } = {},
): Promise<TenantState> {
  const [scopes, roles, tenantRoles, traditional, configured] = await Promise.all([
    readOrganizationScopes(client),
    readOrganizationRoles(client),
    readTenantRoles(client),
    readTraditionalApplications(client),
    o.configuredAppId ? readApplication(client, o.configuredAppId) : Promise.resolve(undefined),
  ]);
  const applications =
    configured && !traditional.some((app) => app.id === configured.id)
      ? [configured, ...traditional]
      : traditional;
  return { scopes, roles, tenantRoles, applications };
}

/**
 * The secret of an application: the first unexpired entry of its secret list (Logto ≥ 1.19 keeps
 * secrets there and hides the internal one), else the legacy `secret` field, else `undefined`.
 */
export async function readApplicationSecret(
  client: ManagementClient,
  id: string,
): Promise<string | undefined> {
  try {
    const secrets = bodyOf(
      await client.api.GET('/api/applications/{id}/secrets', { params: { path: { id } } }),
    );
    const now = Date.now();
    const usable = secrets.find((secret) => secret.expiresAt === null || secret.expiresAt > now);
    if (usable) return usable.value;
  } catch (error) {
    // Older Logto versions have no secret list: fall back to the legacy field below.
    if (!(error instanceof LogtoApiError && error.status === 404)) throw error;
  }
  const application = bodyOf(await client.api.GET('/api/applications/{id}', { params: { path: { id } } }));
  return application.secret;
}
