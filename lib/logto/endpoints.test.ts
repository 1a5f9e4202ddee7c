import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createManagementClient, type ManagementClient } from './client';
import { createInvitation, deleteInvitation, listInvitations, updateInvitationStatus } from './invitations';
import { addMemberRoles, assignRolesToMembers, getMemberScopes, listOrganizationMembers } from './members';
import { invalidateOrganizationRolesCache, listOrganizationRoles } from './roles';
import { startTestServer, testClientOptions, type TestServer } from './test-server';
import { escapeLikePattern, getUserTenantRoles, searchUsers } from './users';

let server: TestServer;
let client: ManagementClient;

beforeEach(async () => {
  server = await startTestServer();
  client = createManagementClient(testClientOptions(server));
});

afterEach(async () => {
  await server.close();
});

const lastRequest = () => server.apiRequests.at(-1)!;

const invitation = {
  tenantId: 'default',
  id: 'inv1',
  inviterId: 'alice',
  invitee: 'new@example.com',
  acceptedUserId: null,
  organizationId: 'acme',
  status: 'Pending',
  createdAt: 1,
  updatedAt: 1,
  expiresAt: 2,
  organizationRoles: [{ id: 'role-member', name: 'member' }],
};

describe('users', () => {
  it('escapes LIKE wildcards so search text is matched literally', () => {
    expect(escapeLikePattern('100%_off\\now')).toBe('100\\%\\_off\\\\now');
    expect(escapeLikePattern('alice')).toBe('alice');
  });

  it('searchUsers sends Logto advanced search parameters and returns a page', async () => {
    server.handle(() => ({ json: [], headers: { 'Total-Number': '0' } }));
    const page = await searchUsers(
      { search: ' 50%_a ', page: 2, pageSize: 10, excludeOrganizationId: 'acme' },
      client,
    );
    expect(page).toEqual({ rows: [], total: 0, page: 2, pageSize: 10 });
    const { path, query } = lastRequest();
    expect(path).toBe('/api/users');
    expect(Object.fromEntries(query)).toEqual({
      page: '2',
      page_size: '10',
      search: '%50\\%\\_a%',
      excludeOrganizationId: 'acme',
    });
  });

  it('getUserTenantRoles walks every page of roles', async () => {
    const roles = Array.from({ length: 130 }, (_, index) => ({
      tenantId: 'default',
      id: `r${index}`,
      name: `role-${index}`,
      description: '',
      type: 'User',
      isDefault: false,
    }));
    server.handle(({ query }) => {
      const page = Number(query.get('page'));
      const pageSize = Number(query.get('page_size'));
      return {
        json: roles.slice((page - 1) * pageSize, page * pageSize),
        headers: { 'Total-Number': '130' },
      };
    });
    const result = await getUserTenantRoles('user1', client);
    expect(result).toHaveLength(130);
    expect(server.apiRequests.map(({ path, query }) => `${path}?${query}`)).toEqual([
      '/api/users/user1/roles?page=1&page_size=100',
      '/api/users/user1/roles?page=2&page_size=100',
    ]);
  });
});

describe('members', () => {
  it('listOrganizationMembers passes search and role filter', async () => {
    server.handle(() => ({ json: [], headers: { 'Total-Number': '0' } }));
    await listOrganizationMembers('acme', { page: 1, pageSize: 50, q: 'ali', roleId: 'role-admin' }, client);
    expect(lastRequest().path).toBe('/api/organizations/acme/users');
    expect(Object.fromEntries(lastRequest().query)).toEqual({
      page: '1',
      page_size: '50',
      q: 'ali',
      organizationRoleId: 'role-admin',
    });
  });

  it('assignRolesToMembers accepts Logto\'s plain-text "Created" answer', async () => {
    server.handle(() => ({ status: 201, text: 'Created' }));
    await assignRolesToMembers('acme', ['u1', 'u2'], ['role-admin'], client);
    expect(lastRequest()).toMatchObject({ method: 'POST', path: '/api/organizations/acme/users/roles' });
    expect(JSON.parse(lastRequest().body)).toEqual({
      userIds: ['u1', 'u2'],
      organizationRoleIds: ['role-admin'],
    });
  });

  it('addMemberRoles skips the call for an empty list (Logto 1.42 answers 422)', async () => {
    expect(await addMemberRoles('acme', 'u1', [], client)).toEqual([]);
    expect(server.apiRequests).toHaveLength(0);
    server.handle(() => ({ status: 201, json: { organizationRoleIds: ['r1'] } }));
    expect(await addMemberRoles('acme', 'u1', ['r1'], client)).toEqual(['r1']);
  });

  it('getMemberScopes reads the unpaginated scope list', async () => {
    server.handle(() => ({
      json: [{ tenantId: 'default', id: 's1', name: 'read:members', description: null }],
    }));
    const scopes = await getMemberScopes('acme', 'alice', client);
    expect(scopes.map(({ name }) => name)).toEqual(['read:members']);
    expect(lastRequest().path).toBe('/api/organizations/acme/users/alice/scopes');
  });
});

describe('invitations', () => {
  it('sends create, list, status and delete calls as Logto expects', async () => {
    server.handle(({ method }) =>
      method === 'DELETE'
        ? { status: 204 }
        : { status: method === 'POST' ? 201 : 200, json: method === 'GET' ? [invitation] : invitation },
    );
    await createInvitation(
      {
        organizationId: 'acme',
        invitee: 'new@example.com',
        inviterId: 'alice',
        expiresAt: 2,
        organizationRoleIds: ['role-member'],
        messagePayload: { link: 'http://localhost:3000/invitations/inv1' },
      },
      client,
    );
    expect(JSON.parse(lastRequest().body)).toMatchObject({
      messagePayload: { link: 'http://localhost:3000/invitations/inv1' },
    });

    expect(
      await listInvitations({ organizationId: 'acme', invitee: 'NEW@example.com' }, client),
    ).toHaveLength(1);
    expect(Object.fromEntries(lastRequest().query)).toEqual({
      organizationId: 'acme',
      invitee: 'NEW@example.com',
    });

    await updateInvitationStatus('inv1', 'Revoked', 'ignored', client);
    expect(JSON.parse(lastRequest().body)).toEqual({ status: 'Revoked' });
    await updateInvitationStatus('inv1', 'Accepted', 'bob', client);
    expect(JSON.parse(lastRequest().body)).toEqual({ status: 'Accepted', acceptedUserId: 'bob' });

    await deleteInvitation('inv1', client);
    expect(lastRequest()).toMatchObject({ method: 'DELETE', path: '/api/organization-invitations/inv1' });
  });
});

describe('organization roles cache', () => {
  const roles = [
    {
      tenantId: 'default',
      id: 'r1',
      name: 'admin',
      description: null,
      type: 'User',
      scopes: [],
      resourceScopes: [],
    },
  ];

  it('loads once for concurrent callers, serves from cache, reloads after invalidation', async () => {
    server.handle(() => ({ json: roles, headers: { 'Total-Number': '1' }, delayMs: 50 }));
    const [first, second] = await Promise.all([listOrganizationRoles(client), listOrganizationRoles(client)]);
    expect(first).toEqual(roles);
    expect(second).toBe(first);
    await listOrganizationRoles(client);
    expect(server.apiRequests).toHaveLength(1);

    invalidateOrganizationRolesCache(client);
    await listOrganizationRoles(client);
    expect(server.apiRequests).toHaveLength(2);
  });

  it('loads again for a caller who needs a younger answer, and serves that load to everyone', async () => {
    server.handle(() => ({ json: roles, headers: { 'Total-Number': '1' } }));
    await listOrganizationRoles(client);
    await listOrganizationRoles(client, { maxAgeMs: 60_000 });
    expect(server.apiRequests).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await listOrganizationRoles(client, { maxAgeMs: 10 });
    await listOrganizationRoles(client);
    await listOrganizationRoles(client, { maxAgeMs: 10_000 });
    expect(server.apiRequests).toHaveLength(2);
  });

  it('does not cache a failed load', async () => {
    server.handle(() => ({ status: 400, json: { code: 'guard.invalid_pagination', message: 'Bad.' } }));
    await expect(listOrganizationRoles(client)).rejects.toMatchObject({ code: 'guard.invalid_pagination' });
    server.handle(() => ({ json: roles, headers: { 'Total-Number': '1' } }));
    await expect(listOrganizationRoles(client)).resolves.toEqual(roles);
  });
});
