import 'server-only';

import { expectBody, type ManagementClient, resolveClient } from './client';
import { DEFAULT_PAGE_SIZE, type Page, type PageQuery, toPage } from './pagination';
import {
  type Application,
  type OrganizationApplication,
  type OrganizationJitEmailDomain,
  type OrganizationRole,
  type SsoConnector,
} from './types';

// Just-in-time provisioning and machine-to-machine apps of one organization. Logto lists JIT
// entries unpaginated unless asked for a page, and an organization has a handful of them.

/** The email domains whose users join the organization automatically. */
export async function listJitEmailDomains(
  orgId: string,
  client?: ManagementClient,
): Promise<OrganizationJitEmailDomain[]> {
  return expectBody(
    await resolveClient(client).api.GET('/api/organizations/{id}/jit/email-domains', {
      params: { path: { id: orgId } },
    }),
  );
}

/** Sets the organization's auto-join email domains to exactly these. */
export async function replaceJitEmailDomains(
  orgId: string,
  emailDomains: readonly string[],
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.PUT('/api/organizations/{id}/jit/email-domains', {
    params: { path: { id: orgId } },
    body: { emailDomains: [...emailDomains] },
  });
}

/** The organization roles people who join automatically get. */
export async function listJitRoles(orgId: string, client?: ManagementClient): Promise<OrganizationRole[]> {
  return expectBody(
    await resolveClient(client).api.GET('/api/organizations/{id}/jit/roles', {
      params: { path: { id: orgId } },
    }),
  );
}

/** Sets the default roles of automatic joiners to exactly these (an empty list clears them). */
export async function replaceJitRoles(
  orgId: string,
  organizationRoleIds: readonly string[],
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.PUT('/api/organizations/{id}/jit/roles', {
    params: { path: { id: orgId } },
    body: { organizationRoleIds: [...organizationRoleIds] },
  });
}

/** The enterprise SSO connectors whose users join the organization on first sign-in. */
export async function listJitSsoConnectors(
  orgId: string,
  client?: ManagementClient,
): Promise<SsoConnector[]> {
  return expectBody(
    await resolveClient(client).api.GET('/api/organizations/{id}/jit/sso-connectors', {
      params: { path: { id: orgId } },
    }),
  );
}

/** One page of the organization's machine-to-machine apps, each with its organization roles. */
export async function listOrganizationApplications(
  orgId: string,
  { page = 1, pageSize = DEFAULT_PAGE_SIZE, q }: PageQuery & { q?: string } = {},
  client?: ManagementClient,
): Promise<Page<OrganizationApplication>> {
  const result = await resolveClient(client).api.GET('/api/organizations/{id}/applications', {
    params: { path: { id: orgId }, query: { page, page_size: pageSize, q: q || undefined } },
  });
  return toPage(expectBody(result), result.response, page, pageSize);
}

/** One page of the tenant's machine-to-machine apps (operators pick one to add). */
export async function listMachineApplications(
  { page = 1, pageSize = DEFAULT_PAGE_SIZE }: PageQuery = {},
  client?: ManagementClient,
): Promise<Page<Application>> {
  const result = await resolveClient(client).api.GET('/api/applications', {
    params: { query: { page, page_size: pageSize, types: ['MachineToMachine'] } },
  });
  return toPage(expectBody(result), result.response, page, pageSize);
}

/** One application; throws `LogtoApiError` 404 when unknown. */
export async function getApplication(id: string, client?: ManagementClient): Promise<Application> {
  return expectBody(
    await resolveClient(client).api.GET('/api/applications/{id}', { params: { path: { id } } }),
  );
}

/** Adds machine-to-machine apps to the organization (others are refused by Logto with 422). */
export async function addOrganizationApplications(
  orgId: string,
  applicationIds: readonly string[],
  client?: ManagementClient,
): Promise<void> {
  const [first, ...rest] = applicationIds;
  if (first === undefined) return;
  await resolveClient(client).api.POST('/api/organizations/{id}/applications', {
    params: { path: { id: orgId } },
    body: { applicationIds: [first, ...rest] },
    // Logto answers 201 with the plain-text body "Created".
    parseAs: 'text',
  });
}

/** Removes an app from the organization, with its organization roles there. */
export async function removeOrganizationApplication(
  orgId: string,
  applicationId: string,
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.DELETE('/api/organizations/{id}/applications/{applicationId}', {
    params: { path: { id: orgId, applicationId } },
  });
}

/** The organization roles an app holds in the organization. */
export async function getApplicationRoles(
  orgId: string,
  applicationId: string,
  client?: ManagementClient,
): Promise<OrganizationRole[]> {
  return expectBody(
    await resolveClient(client).api.GET('/api/organizations/{id}/applications/{applicationId}/roles', {
      params: { path: { id: orgId, applicationId } },
    }),
  );
}

/**
 * Sets an app's organization roles to exactly these. Logto's replace wants at least one role, so
 * an empty list removes the held ones one by one.
 */
export async function replaceApplicationRoles(
  orgId: string,
  applicationId: string,
  organizationRoleIds: readonly string[],
  client?: ManagementClient,
): Promise<void> {
  const resolved = resolveClient(client);
  const [first, ...rest] = organizationRoleIds;
  if (first !== undefined) {
    await resolved.api.PUT('/api/organizations/{id}/applications/{applicationId}/roles', {
      params: { path: { id: orgId, applicationId } },
      body: { organizationRoleIds: [first, ...rest] },
    });
    return;
  }
  for (const role of await getApplicationRoles(orgId, applicationId, resolved)) {
    await resolved.api.DELETE(
      '/api/organizations/{id}/applications/{applicationId}/roles/{organizationRoleId}',
      {
        params: { path: { id: orgId, applicationId, organizationRoleId: role.id } },
      },
    );
  }
}

/** Adds one auto-join email domain; Logto answers 422 `entity.unique_integrity_violation` for a listed one. */
export async function addJitEmailDomain(
  orgId: string,
  emailDomain: string,
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.POST('/api/organizations/{id}/jit/email-domains', {
    params: { path: { id: orgId } },
    body: { emailDomain },
  });
}

/** Removes one auto-join email domain; 404 `entity.not_found` when it is not listed. */
export async function removeJitEmailDomain(
  orgId: string,
  emailDomain: string,
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.DELETE('/api/organizations/{id}/jit/email-domains/{emailDomain}', {
    params: { path: { id: orgId, emailDomain } },
  });
}
