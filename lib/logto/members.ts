import 'server-only';

import { expectBody, type ManagementClient, resolveClient } from './client';
import { DEFAULT_PAGE_SIZE, type Page, type PageQuery, toPage } from './pagination';
import { type OrganizationMember, type OrganizationRole, type OrganizationScope } from './types';

/**
 * One page of an organization's members (ordered by user id), each with their roles there.
 * `q` matches id, email, phone, username and name; `roleId` keeps holders of that role.
 * An unknown organization yields an empty page, as in Logto.
 */
export async function listOrganizationMembers(
  organizationId: string,
  { page = 1, pageSize = DEFAULT_PAGE_SIZE, q, roleId }: PageQuery & { q?: string; roleId?: string } = {},
  client?: ManagementClient,
): Promise<Page<OrganizationMember>> {
  const result = await resolveClient(client).api.GET('/api/organizations/{id}/users', {
    params: {
      path: { id: organizationId },
      query: { page, page_size: pageSize, q: q || undefined, organizationRoleId: roleId || undefined },
    },
  });
  return toPage(expectBody(result), result.response, page, pageSize);
}

/** Adds users to an organization; existing members are left as they are. */
export async function addOrganizationMembers(
  organizationId: string,
  userIds: string[],
  client?: ManagementClient,
): Promise<void> {
  if (userIds.length === 0) return;
  await resolveClient(client).api.POST('/api/organizations/{id}/users', {
    params: { path: { id: organizationId } },
    body: { userIds },
  });
}

/** Removes a member (and their roles there); 404 `entity.not_found` when not a member. */
export async function removeOrganizationMember(
  organizationId: string,
  userId: string,
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.DELETE('/api/organizations/{id}/users/{userId}', {
    params: { path: { id: organizationId, userId } },
  });
}

/** A member's roles in an organization; 422 `organization.require_membership` for non-members. */
export async function getMemberRoles(
  organizationId: string,
  userId: string,
  client?: ManagementClient,
): Promise<OrganizationRole[]> {
  // Without page parameters Logto returns every role, unpaginated.
  return expectBody(
    await resolveClient(client).api.GET('/api/organizations/{id}/users/{userId}/roles', {
      params: { path: { id: organizationId, userId } },
    }),
  );
}

/** Replaces a member's roles in an organization (an empty list removes them all). */
export async function replaceMemberRoles(
  organizationId: string,
  userId: string,
  roleIds: string[],
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.PUT('/api/organizations/{id}/users/{userId}/roles', {
    params: { path: { id: organizationId, userId } },
    body: { organizationRoleIds: roleIds },
  });
}

/** Grants roles to a member, keeping the ones they hold; returns the role ids Logto processed. */
export async function addMemberRoles(
  organizationId: string,
  userId: string,
  roleIds: string[],
  client?: ManagementClient,
): Promise<string[]> {
  // Logto 1.42 rejects an empty list with 422 instead of doing nothing.
  if (roleIds.length === 0) return [];
  const body = expectBody(
    await resolveClient(client).api.POST('/api/organizations/{id}/users/{userId}/roles', {
      params: { path: { id: organizationId, userId } },
      body: { organizationRoleIds: roleIds },
    }),
  );
  return body.organizationRoleIds;
}

/** Takes one role from a member; 404 `entity.not_found` when they do not hold it. */
export async function removeMemberRole(
  organizationId: string,
  userId: string,
  roleId: string,
  client?: ManagementClient,
): Promise<void> {
  await resolveClient(client).api.DELETE(
    '/api/organizations/{id}/users/{userId}/roles/{organizationRoleId}',
    { params: { path: { id: organizationId, userId, organizationRoleId: roleId } } },
  );
}

/** Grants every role to every listed member in one call (existing pairs are kept). */
export async function assignRolesToMembers(
  organizationId: string,
  userIds: string[],
  roleIds: string[],
  client?: ManagementClient,
): Promise<void> {
  if (userIds.length === 0 || roleIds.length === 0) return;
  await resolveClient(client).api.POST('/api/organizations/{id}/users/roles', {
    params: { path: { id: organizationId } },
    body: { userIds, organizationRoleIds: roleIds },
    // Logto answers 201 with the plain-text body "Created".
    parseAs: 'text',
  });
}

/**
 * The organization scopes a user holds through their roles in an organization. Logto does not
 * check membership here: a non-member simply has no scopes.
 */
export async function getMemberScopes(
  organizationId: string,
  userId: string,
  client?: ManagementClient,
): Promise<OrganizationScope[]> {
  return expectBody(
    await resolveClient(client).api.GET('/api/organizations/{id}/users/{userId}/scopes', {
      params: { path: { id: organizationId, userId } },
    }),
  );
}
