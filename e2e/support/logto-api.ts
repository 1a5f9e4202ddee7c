/**
 * Direct access to the local Logto's Management API (M2M token of the seeded `portal-m2m` app),
 * for arranging test data and for reading back what an action did, or did not, change.
 */
import { expect } from '@playwright/test';
import { logtoUrl } from '../fixtures';

let token: { value: string; expiresAt: number } | undefined;

async function managementToken(): Promise<string> {
  if (token && token.expiresAt > Date.now() + 60_000) return token.value;
  const response = await fetch(`${logtoUrl()}/oidc/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'portal-m2m',
      client_secret: 'portal-m2m-secret',
      resource: 'https://default.logto.app/api',
      scope: 'all',
    }),
  });
  expect(response.status, 'M2M token from the local Logto').toBe(200);
  const body = (await response.json()) as { access_token: string; expires_in: number };
  token = { value: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
  return token.value;
}

/** One Management API call; throws with the status and body unless it answers 2xx. */
export async function logtoApi<T = unknown>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ data: T; headers: Headers }> {
  const response = await fetch(`${logtoUrl()}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await managementToken()}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} /api${path} → ${response.status} ${text}`);
  const type = response.headers.get('content-type') ?? '';
  return { data: (type.includes('json') && text ? JSON.parse(text) : text) as T, headers: response.headers };
}

type Role = { id: string; name: string };
type Member = { id: string; primaryEmail: string | null; name: string | null; organizationRoles: Role[] };

/** Organization role name → id (the seed's admin, manager, member). */
export async function organizationRoleIds(): Promise<Record<string, string>> {
  const { data } = await logtoApi<Role[]>('GET', '/organization-roles?page_size=100');
  return Object.fromEntries(data.map((role) => [role.name, role.id]));
}

/** The member with this exact email in an organization (searched by `q`). */
export async function memberByEmail(orgId: string, email: string): Promise<Member> {
  const { data } = await logtoApi<Member[]>(
    'GET',
    `/organizations/${orgId}/users?q=${encodeURIComponent(email)}&page_size=100`,
  );
  const member = data.find((candidate) => candidate.primaryEmail === email);
  if (!member) throw new Error(`${email} is not a member of ${orgId}`);
  return member;
}

/** A member's role names in an organization, sorted; `null` when they are not a member. */
export async function memberRoleNames(orgId: string, userId: string): Promise<string[] | null> {
  const response = await fetch(`${logtoUrl()}/api/organizations/${orgId}/users/${userId}/roles`, {
    headers: { authorization: `Bearer ${await managementToken()}` },
  });
  if (response.status === 422) return null;
  expect(response.status).toBe(200);
  return ((await response.json()) as Role[]).map((role) => role.name).sort();
}

/** Puts a member's roles back (by name). */
export async function setMemberRoles(orgId: string, userId: string, roleNames: string[]): Promise<void> {
  await logtoApi('PUT', `/organizations/${orgId}/users/${userId}/roles`, {
    organizationRoleNames: roleNames,
  });
}

/** How many members an organization has (from `Total-Number`). */
export async function memberCount(orgId: string, roleId?: string): Promise<number> {
  const query = new URLSearchParams({ page_size: '1' });
  if (roleId) query.set('organizationRoleId', roleId);
  const { headers } = await logtoApi('GET', `/organizations/${orgId}/users?${query}`);
  return Number(headers.get('total-number'));
}

/** Creates a throw-away user; delete it with {@link deleteUser}. */
export async function createUser(fields: { name: string; primaryEmail: string; password?: string }) {
  const { data } = await logtoApi<{ id: string }>('POST', '/users', fields);
  return data;
}

/** Deletes a user (and with them every membership); a user already gone is fine. */
export async function deleteUser(userId: string): Promise<void> {
  const response = await fetch(`${logtoUrl()}/api/users/${userId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${await managementToken()}` },
  });
  expect([204, 404]).toContain(response.status);
}

/** Organizations whose name contains `q`. */
export async function organizationsNamed(q: string): Promise<{ id: string; name: string }[]> {
  const { data } = await logtoApi<{ id: string; name: string }[]>(
    'GET',
    `/organizations?q=${encodeURIComponent(q)}&page_size=100`,
  );
  return data;
}

/** Organization scope name → id (the tenant-wide organization template). */
export async function organizationScopeIds(): Promise<Record<string, string>> {
  const { data } = await logtoApi<{ id: string; name: string }[]>(
    'GET',
    '/organization-scopes?page_size=100',
  );
  return Object.fromEntries(data.map((scope) => [scope.name, scope.id]));
}

/**
 * Creates a tenant-defined organization role holding exactly these organization scopes (by
 * name); delete it with {@link deleteOrganizationRole}.
 */
export async function createOrganizationRole(name: string, scopeNames: string[]): Promise<Role> {
  const scopes = await organizationScopeIds();
  const scopeIds = scopeNames.map((scopeName) => {
    const id = scopes[scopeName];
    if (!id) throw new Error(`No organization scope ${scopeName}`);
    return id;
  });
  const { data } = await logtoApi<Role>('POST', '/organization-roles', {
    name,
    description: 'Created by an e2e spec; deleted when it ends.',
    organizationScopeIds: scopeIds,
  });
  return data;
}

/** Deletes an organization role (and with it every grant of it); a role already gone is fine. */
export async function deleteOrganizationRole(roleId: string): Promise<void> {
  const response = await fetch(`${logtoUrl()}/api/organization-roles/${roleId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${await managementToken()}` },
  });
  expect([204, 404]).toContain(response.status);
}

export type Invitation = {
  id: string;
  invitee: string;
  status: string;
  organizationId: string;
  organizationRoles: Role[];
};

/** A pending invitation made directly in Logto (no email sent); delete it with {@link deleteInvitation}. */
export async function createInvitation(o: {
  organizationId: string;
  invitee: string;
  roleIds: string[];
}): Promise<Invitation> {
  const { data } = await logtoApi<Invitation>('POST', '/organization-invitations', {
    organizationId: o.organizationId,
    invitee: o.invitee,
    organizationRoleIds: o.roleIds,
    expiresAt: Date.now() + 7 * 24 * 3_600_000,
    messagePayload: false,
  });
  return data;
}

/** An organization's invitations, optionally only those for one address. */
export async function invitationsOf(organizationId: string, invitee?: string): Promise<Invitation[]> {
  const query = new URLSearchParams({ organizationId, ...(invitee ? { invitee } : {}) });
  return (await logtoApi<Invitation[]>('GET', `/organization-invitations?${query}`)).data;
}

/** One invitation as Logto has it now. */
export async function invitationById(invitationId: string): Promise<Invitation> {
  return (await logtoApi<Invitation>('GET', `/organization-invitations/${invitationId}`)).data;
}

/** Deletes an invitation; one already gone is fine. */
export async function deleteInvitation(invitationId: string): Promise<void> {
  const response = await fetch(`${logtoUrl()}/api/organization-invitations/${invitationId}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${await managementToken()}` },
  });
  expect([204, 404]).toContain(response.status);
}

/** How many emails the local Logto's outbox holds for an address. */
export async function outboxCount(to: string): Promise<number> {
  const response = await fetch(`${logtoUrl()}/_emulator/outbox.json?${new URLSearchParams({ to })}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as unknown[]).length;
}
