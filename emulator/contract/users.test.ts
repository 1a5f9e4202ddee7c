import { beforeAll, describe, expect, it } from 'vitest';
import { verifyUserPassword } from '../db';
import {
  createTestOrganization,
  createTestUser,
  organizationIdByName,
  uniqueName,
  userIdByEmail,
  setUpContractHarness,
} from './harness';

const h = setUpContractHarness();

type User = {
  id: string;
  primaryEmail: string | null;
  username: string | null;
  name: string | null;
  createdAt: number;
};

let acmeId = '';
let aliceId = '';
let operatorId = '';

beforeAll(async () => {
  acmeId = await organizationIdByName(h, 'Acme');
  aliceId = await userIdByEmail(h, 'alice@acme.example');
  operatorId = await userIdByEmail(h, 'operator@example.com');
});

describe('GET /users', () => {
  it('pages every user newest first with Total-Number', async () => {
    const twenty = await h.api<User[]>('GET', '/users?page_size=20');
    expect(twenty.status).toBe(200);
    const total = Number(twenty.headers.get('total-number'));
    expect(total).toBeGreaterThanOrEqual(2677);
    const createdAt = twenty.json.map((user) => user.createdAt);
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
    const secondOfTen = await h.api<User[]>('GET', '/users?page=2&page_size=10');
    expect(secondOfTen.json.map((user) => user.id)).toEqual(twenty.json.slice(10, 20).map((user) => user.id));
    expect(Object.keys(twenty.json[0] ?? {})).toContain('hasPassword');
  });

  it('ignores q and searches with search=, which needs explicit wildcards', async () => {
    const ignored = await h.api('GET', '/users?q=alice&page_size=1');
    expect(Number(ignored.headers.get('total-number'))).toBeGreaterThan(1);
    const noWildcard = await h.api<User[]>('GET', '/users?search=alic');
    expect(noWildcard.json).toEqual([]);
    const wildcard = await h.api<User[]>('GET', `/users?search=${encodeURIComponent('%ALICE%')}`);
    expect(wildcard.json.map((user) => user.primaryEmail)).toEqual(['alice@acme.example']);
  });

  it('supports per-field search, modes, joint and case sensitivity', async () => {
    const exact = await h.api<User[]>(
      'GET',
      '/users?search.primaryEmail=BOB@ACME.EXAMPLE&mode.primaryEmail=exact',
    );
    expect(exact.json.map((user) => user.username)).toEqual(['bob']);
    const several = await h.api<User[]>('GET', '/users?search.username=alice&search.username=bob&mode=exact');
    expect(several.json.map((user) => user.username).sort()).toEqual(['alice', 'bob']);
    const snake = await h.api<User[]>('GET', '/users?search.primary_email=carol%25&mode.primary_email=like');
    expect(snake.json.map((user) => user.username)).toEqual(['carol']);
    const and = await h.api<User[]>(
      'GET',
      `/users?search.name=${encodeURIComponent('%Admin%')}&search.primaryEmail=${encodeURIComponent('%acme%')}&joint=and`,
    );
    expect(and.json.map((user) => user.username)).toEqual(['alice']);
    const sensitive = await h.api<User[]>(
      'GET',
      `/users?search=${encodeURIComponent('%ALICE%')}&isCaseSensitive=true`,
    );
    expect(sensitive.json).toEqual([]);
    const posix = await h.api<User[]>(
      'GET',
      `/users?search.username=${encodeURIComponent('^(alice|dave)$')}&mode=posix`,
    );
    expect(posix.json.map((user) => user.username).sort()).toEqual(['alice', 'dave']);
  });

  it.each([
    [
      'search.foo=x',
      'Input is invalid. Search field `foo` is not valid, expect one of id, primary_email, primary_phone, username, name.',
    ],
    [
      'search.a.b=x',
      'Input is invalid. Unsupported nested search field path `a.b` detected. Only the first level field is supported.',
    ],
    [
      'search=x&mode=fuzzy',
      'Input is invalid. Search match mode `fuzzy` is not valid, expect one of like, exact, similar_to, posix.',
    ],
    ['search=x&joint=xor', 'Input is invalid. Search joint mode `xor` is not valid, expect one of and, or.'],
    [
      'search=a&search=b',
      'Input is invalid. Only one search value is allowed when search mode is not `exact`.',
    ],
    ['search=', 'Input is invalid. Search value cannot be empty.'],
    ['search=x&mode=similar_to', 'Input is invalid. Cannot use case-insensitive match for `similar to`.'],
    [
      'excludeRoleId=a&excludeOrganizationId=b',
      'Input is invalid. Parameter `excludeRoleId` and `excludeOrganizationId` cannot be used at the same time.',
    ],
  ])('rejects %s with 400 request.invalid_input', async (query, message) => {
    const response = await h.api('GET', `/users?${query}`);
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('request.invalid_input');
    expect(response.json.message).toBe(message);
  });

  it('excludes members of an organization with excludeOrganizationId', async () => {
    const query = `search=${encodeURIComponent('%@acme.example')}`;
    const all = await h.api('GET', `/users?${query}&page_size=1`);
    expect(all.headers.get('total-number')).toBe('2499');
    const outside = await h.api('GET', `/users?${query}&excludeOrganizationId=${acmeId}`);
    expect(outside.json).toEqual([]);
    const operators = await h.api<User[]>('GET', `/users?search.username=olivia&mode=exact`);
    expect(operators.json.map((user) => user.id)).toEqual([operatorId]);
  });

  it('excludes holders of a tenant role with excludeRoleId', async () => {
    const roles = await h.api<Array<{ id: string; name: string }>>(
      'GET',
      '/roles?search.name=portal-operator&mode=exact',
    );
    const roleId = roles.json[0]?.id ?? '';
    const response = await h.api<User[]>(
      'GET',
      `/users?search.username=olivia&mode=exact&excludeRoleId=${roleId}`,
    );
    expect(response.json).toEqual([]);
  });
});

describe('POST /users', () => {
  it('creates a user (200, not 201) whose password works for sign-in', async () => {
    const email = `${uniqueName('new')}@contract.example`;
    const username = uniqueName('new').replace(/-/g, '_');
    const response = await h.api('POST', '/users', {
      primaryEmail: email,
      username,
      name: 'New Person',
      password: 'a-long-password',
    });
    h.deleteAfterTest(`/users/${response.json.id as string}`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      id: expect.stringMatching(/^[0-9a-z]{12}$/),
      primaryEmail: email,
      username,
      name: 'New Person',
      hasPassword: true,
      isSuspended: false,
      customData: {},
      profile: {},
      identities: {},
      lastSignInAt: null,
    });
    expect(response.json).not.toHaveProperty('password');
    expect(await verifyUserPassword(h.emulator.db, response.json.id as string, 'a-long-password')).toBe(true);
  });

  it('refuses taken identifiers with Logto’s user codes', async () => {
    const taken = await h.api('POST', '/users', { primaryEmail: 'ALICE@acme.example' });
    expect(taken.status).toBe(422);
    expect(taken.json).toEqual({
      code: 'user.email_already_in_use',
      message: 'This email is associated with an existing account.',
    });
    expect((await h.api('POST', '/users', { username: 'alice' })).json.code).toBe(
      'user.username_already_in_use',
    );
  });

  it('validates identifiers with Logto’s patterns', async () => {
    for (const body of [
      { primaryEmail: 'not-an-email' },
      { username: '1abc' },
      { primaryPhone: '+1 555' },
      { password: '' },
    ]) {
      const response = await h.api('POST', '/users', body);
      expect(response.status).toBe(400);
      expect(response.json.code).toBe('guard.invalid_input');
    }
  });
});

describe('GET and DELETE /users/:userId', () => {
  it('reads a user; unknown is 404 entity.not_found', async () => {
    const response = await h.api('GET', `/users/${aliceId}`);
    expect(response.json).toMatchObject({
      id: aliceId,
      name: 'Alice Admin',
      username: 'alice',
      hasPassword: true,
    });
    const unknown = await h.api('GET', '/users/unknown-user');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
  });

  it('deletes a user with their memberships; deleting again is 404', async () => {
    const user = await createTestUser(h);
    const organizationId = await createTestOrganization(h);
    await h.api('POST', `/organizations/${organizationId}/users`, { userIds: [user.id] });
    expect((await h.api('DELETE', `/users/${user.id}`)).status).toBe(204);
    expect((await h.api('GET', `/organizations/${organizationId}/users`)).json).toEqual([]);
    expect((await h.api('DELETE', `/users/${user.id}`)).status).toBe(404);
  });
});

describe('GET /users/:userId/organizations', () => {
  it('lists the user’s organizations with their roles, unpaginated', async () => {
    const daveId = await userIdByEmail(h, 'dave@globex.example');
    const response = await h.api<Array<{ name: string; organizationRoles: Array<{ name: string }> }>>(
      'GET',
      `/users/${daveId}/organizations`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('total-number')).toBeNull();
    expect(
      response.json.map((organization) => [
        organization.name,
        organization.organizationRoles.map((r) => r.name),
      ]),
    ).toEqual([
      ['Acme', ['member']],
      ['Globex', ['admin']],
    ]);
    expect((await h.api('GET', `/users/${operatorId}/organizations`)).json).toEqual([]);
    const unknown = await h.api('GET', '/users/unknown-user/organizations');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
  });
});

describe('tenant roles', () => {
  it('shows the operator’s portal-operator role, paginated', async () => {
    const response = await h.api('GET', `/users/${operatorId}/roles`);
    expect(response.status).toBe(200);
    expect(response.headers.get('total-number')).toBe('1');
    expect(response.json).toEqual([
      {
        tenantId: 'default',
        id: expect.any(String),
        name: 'portal-operator',
        description: expect.any(String),
        type: 'User',
        isDefault: false,
      },
    ]);
    expect((await h.api('GET', `/users/${aliceId}/roles`)).json).toEqual([]);
    expect((await h.api('GET', '/users/unknown-user/roles')).status).toBe(404);
    expect((await h.api('GET', `/users/${operatorId}/roles?page=0`)).status).toBe(400);
  });

  it('lists and creates tenant roles and assigns them to users', async () => {
    const roles = await h.api<Array<{ name: string; type: string; usersCount: number }>>('GET', '/roles');
    expect(roles.headers.get('total-number')).toBe('2');
    expect(roles.json.find((role) => role.name === 'portal-operator')).toMatchObject({
      type: 'User',
      usersCount: 1,
    });
    const userRoles = await h.api('GET', '/roles?type=User');
    expect(userRoles.headers.get('total-number')).toBe('1');

    const name = uniqueName('tenant-role');
    const created = await h.api('POST', '/roles', { name, description: 'A tenant role' });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      tenantId: 'default',
      id: expect.any(String),
      name,
      description: 'A tenant role',
      type: 'User',
      isDefault: false,
    });
    expect((await h.api('POST', '/roles', { name, description: 'again' })).json).toEqual({
      code: 'role.name_in_use',
      message: `This role name ${name} is already in use`,
    });
    const user = await createTestUser(h);
    const assigned = await h.api('POST', `/users/${user.id}/roles`, { roleIds: [created.json.id] });
    expect(assigned.status).toBe(201);
    expect(assigned.json).toEqual({ roleIds: [created.json.id], addedRoleIds: [created.json.id] });
    expect(
      (await h.api('POST', `/users/${user.id}/roles`, { roleIds: [created.json.id] })).json.addedRoleIds,
    ).toEqual([]);
    expect(
      (await h.api<Array<{ name: string }>>('GET', `/users/${user.id}/roles`)).json.map((role) => role.name),
    ).toEqual([name]);
    const machine = roles.json.find((role) => role.type === 'MachineToMachine') as unknown as { id: string };
    expect((await h.api('POST', `/users/${user.id}/roles`, { roleIds: [machine.id] })).json.code).toBe(
      'user.invalid_role_type',
    );
    const unknown = await h.api('POST', `/users/${user.id}/roles`, { roleIds: ['unknown-role'] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_exists_with_id');
  });
});

describe('resources, applications and connectors', () => {
  it('creates a resource with scopes; the Management API cannot be deleted', async () => {
    const resources = await h.api<Array<{ id: string; indicator: string }>>(
      'GET',
      '/resources?includeScopes=true',
    );
    const managementApi = resources.json.find(
      (resource) => resource.indicator === 'https://default.logto.app/api',
    );
    expect(managementApi).toMatchObject({
      name: 'Logto Management API',
      scopes: [expect.objectContaining({ name: 'all' })],
    });
    expect((await h.api('DELETE', `/resources/${managementApi?.id ?? ''}`)).status).toBe(400);

    const indicator = `https://${uniqueName('api')}.example`;
    const created = await h.api('POST', '/resources', { name: 'Contract API', indicator });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      name: 'Contract API',
      indicator,
      accessTokenTtl: 3600,
      isDefault: false,
    });
    const id = created.json.id as string;
    h.deleteAfterTest(`/resources/${id}`);
    expect((await h.api('POST', '/resources', { name: 'Again', indicator })).json.code).toBe(
      'resource.resource_identifier_in_use',
    );
    const scope = await h.api('POST', `/resources/${id}/scopes`, {
      name: 'write:things',
      description: 'Write',
    });
    expect(scope.status).toBe(201);
    expect(scope.json).toMatchObject({ resourceId: id, name: 'write:things', description: 'Write' });
    expect((await h.api('POST', `/resources/${id}/scopes`, { name: 'write:things' })).status).toBe(422);
    const scopes = await h.api('GET', `/resources/${id}/scopes`);
    expect(scopes.headers.get('total-number')).toBe('1');
    expect((await h.api('DELETE', `/resources/${id}/scopes/${scope.json.id as string}`)).status).toBe(204);
    expect((await h.api('GET', '/resources/unknown/scopes')).status).toBe(404);
  });

  it('creates, lists, reads and patches applications', async () => {
    const listed = await h.api<Array<{ id: string }>>('GET', '/applications?types=MachineToMachine');
    expect(listed.json.map((application) => application.id)).toEqual(['portal-m2m']);
    const web = await h.api('GET', '/applications/portal-web');
    expect(web.json).toMatchObject({
      type: 'Traditional',
      secret: 'portal-web-secret',
      oidcClientMetadata: {
        redirectUris: ['http://localhost:3000/api/auth/callback/logto'],
        postLogoutRedirectUris: ['http://localhost:3000'],
      },
    });
    expect((await h.api('GET', '/applications/unknown')).json.code).toBe('entity.not_exists_with_id');

    const created = await h.api('POST', '/applications', { name: 'Contract app', type: 'Traditional' });
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    h.deleteAfterTest(`/applications/${id}`);
    expect(created.json).toMatchObject({
      name: 'Contract app',
      oidcClientMetadata: { redirectUris: [], postLogoutRedirectUris: [] },
    });
    const patched = await h.api('PATCH', `/applications/${id}`, {
      oidcClientMetadata: {
        redirectUris: ['http://127.0.0.1:4000/cb'],
        postLogoutRedirectUris: ['http://127.0.0.1:4000'],
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.oidcClientMetadata).toEqual({
      redirectUris: ['http://127.0.0.1:4000/cb'],
      postLogoutRedirectUris: ['http://127.0.0.1:4000'],
    });
    expect((await h.api('PATCH', '/applications/unknown', { name: 'x' })).status).toBe(404);
    expect((await h.api('POST', '/applications', { name: 'Bad', type: 'Robot' })).status).toBe(400);
    expect((await h.api('GET', '/applications?types=Robot')).status).toBe(400);
  });

  it('lists the outbox email connector; deleting an unknown connector is 404', async () => {
    const connectors = await h.api<Array<{ type: string; connectorId: string }>>('GET', '/connectors');
    expect(connectors.json).toEqual([
      expect.objectContaining({ type: 'Email', connectorId: 'emulator-outbox-email' }),
    ]);
    expect((await h.api('DELETE', '/connectors/unknown')).status).toBe(404);
  });
});
