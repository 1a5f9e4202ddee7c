import { beforeAll, describe, expect, it } from 'vitest';
import {
  addMembers,
  assignOrganizationRoles,
  createOrganizationTemplate,
  createTestOrganization,
  createTestUser,
  type TestUser,
} from './fixtures';
import { setUpContractHarness, uniqueName, uniqueUsername } from './harness';

// Creates its own data, so it needs no demo seed (and starts much faster without it).
const h = setUpContractHarness({ profile: 'bare' });

type User = {
  id: string;
  primaryEmail: string | null;
  username: string | null;
  name: string | null;
  createdAt: number;
};
type TenantRole = { id: string; name: string; type: string; usersCount: number };

/** Starts the email and username of every user this file creates in `beforeAll`. */
let people = '';
let peopleUsername = '';
let alice: TestUser;
let operator: TestUser;
let daveId = '';
/** Holds alice, bob, carol and dave; not the operator. */
let companyId = '';
let otherCompanyId = '';
let companyName = '';
let otherCompanyName = '';
let operatorRole: { id: string; name: string };

/** Creates one of this file's people: `<people><label>@<domain>`, username `<peopleUsername><label>`. */
async function person(label: string, name: string, domain: string): Promise<TestUser> {
  return createTestUser(h, {
    primaryEmail: `${people}${label}@${domain}`,
    username: `${peopleUsername}${label}`,
    name,
    password: 'demo-password-1',
  });
}

beforeAll(async () => {
  people = `${uniqueName('people')}-`;
  peopleUsername = people.replace(/-/g, '_');
  alice = await person('alice', 'Alice Admin', 'acme.example');
  const bob = await person('bob', 'Bob Manager', 'acme.example');
  const carol = await person('carol', 'Carol Member', 'acme.example');
  const dave = await person('dave', 'Dave Globex', 'globex.example');
  operator = await person('olivia', 'Olivia Operator', 'example.com');
  daveId = dave.id;
  companyName = uniqueName('Company');
  otherCompanyName = uniqueName('Other');
  companyId = await createTestOrganization(h, companyName);
  otherCompanyId = await createTestOrganization(h, otherCompanyName);
  await addMembers(h, companyId, [alice.id, bob.id, carol.id, dave.id]);
  await addMembers(h, otherCompanyId, [dave.id]);
  const template = await createOrganizationTemplate(h);
  await assignOrganizationRoles(h, companyId, dave.id, [template.roles.member.id]);
  await assignOrganizationRoles(h, otherCompanyId, dave.id, [template.roles.admin.id]);
  const role = await h.api('POST', '/roles', {
    name: uniqueName('operator'),
    description: 'Operates the portal.',
  });
  if (role.status !== 200) throw new Error(`Creating a tenant role failed: ${role.status} ${role.text}`);
  h.deleteLater(`/roles/${role.json.id as string}`);
  operatorRole = { id: role.json.id as string, name: role.json.name as string };
  const assigned = await h.api('POST', `/users/${operator.id}/roles`, { roleIds: [operatorRole.id] });
  if (assigned.status !== 201)
    throw new Error(`Assigning the tenant role failed: ${assigned.status} ${assigned.text}`);
});

/** `search=%<people>%`: only this file's people, whatever else the tenant holds. */
const ours = () => `search=${encodeURIComponent(`%${people}%`)}`;

describe('GET /users', () => {
  it('pages users newest first with Total-Number', async () => {
    const all = await h.api<User[]>('GET', `/users?${ours()}&page_size=20`);
    expect(all.status).toBe(200);
    expect(all.headers.get('total-number')).toBe('5');
    const createdAt = all.json.map((user) => user.createdAt);
    expect(createdAt).toEqual([...createdAt].sort((a, b) => b - a));
    const secondOfTwo = await h.api<User[]>('GET', `/users?${ours()}&page=2&page_size=2`);
    expect(secondOfTwo.json.map((user) => user.id)).toEqual(all.json.slice(2, 4).map((user) => user.id));
    expect(Object.keys(all.json[0] ?? {})).toContain('hasPassword');
    const tenant = await h.api<User[]>('GET', '/users?page_size=3');
    expect(tenant.json).toHaveLength(3);
    expect(Number(tenant.headers.get('total-number'))).toBeGreaterThanOrEqual(5);
  });

  it('ignores q and searches with search=, which needs explicit wildcards', async () => {
    const ignored = await h.api('GET', `/users?${ours()}&q=${people}alice&page_size=1`);
    expect(ignored.headers.get('total-number')).toBe('5');
    const noWildcard = await h.api<User[]>('GET', `/users?search=${people}alic`);
    expect(noWildcard.json).toEqual([]);
    const wildcard = await h.api<User[]>(
      'GET',
      `/users?search=${encodeURIComponent(`%${people.toUpperCase()}ALICE%`)}`,
    );
    expect(wildcard.json.map((user) => user.id)).toEqual([alice.id]);
  });

  it('supports per-field search, modes, joint and case sensitivity', async () => {
    const exact = await h.api<User[]>(
      'GET',
      `/users?search.primaryEmail=${encodeURIComponent(`${people}BOB@ACME.EXAMPLE`)}&mode.primaryEmail=exact`,
    );
    expect(exact.json.map((user) => user.username)).toEqual([`${peopleUsername}bob`]);
    const several = await h.api<User[]>(
      'GET',
      `/users?search.username=${peopleUsername}alice&search.username=${peopleUsername}bob&mode=exact`,
    );
    expect(several.json.map((user) => user.username).sort()).toEqual([
      `${peopleUsername}alice`,
      `${peopleUsername}bob`,
    ]);
    const snake = await h.api<User[]>(
      'GET',
      `/users?search.primary_email=${people}carol%25&mode.primary_email=like`,
    );
    expect(snake.json.map((user) => user.username)).toEqual([`${peopleUsername}carol`]);
    const and = await h.api<User[]>(
      'GET',
      `/users?search.name=${encodeURIComponent('%Admin%')}&search.primaryEmail=${encodeURIComponent(`%${people}%acme%`)}&joint=and`,
    );
    expect(and.json.map((user) => user.id)).toEqual([alice.id]);
    const sensitive = await h.api<User[]>(
      'GET',
      `/users?search=${encodeURIComponent(`%${people.toUpperCase()}ALICE%`)}&isCaseSensitive=true`,
    );
    expect(sensitive.json).toEqual([]);
    const posix = await h.api<User[]>(
      'GET',
      `/users?search.username=${encodeURIComponent(`^${peopleUsername}(alice|dave)$`)}&mode=posix`,
    );
    expect(posix.json.map((user) => user.id).sort()).toEqual([alice.id, daveId].sort());
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
    const atAcme = `search=${encodeURIComponent(`${people}%@acme.example`)}`;
    expect((await h.api('GET', `/users?${atAcme}&page_size=1`)).headers.get('total-number')).toBe('3');
    expect((await h.api('GET', `/users?${atAcme}&excludeOrganizationId=${companyId}`)).json).toEqual([]);
    const outside = await h.api<User[]>('GET', `/users?${ours()}&excludeOrganizationId=${companyId}`);
    expect(outside.json.map((user) => user.id)).toEqual([operator.id]);
  });

  it('excludes holders of a tenant role with excludeRoleId', async () => {
    const byName = await h.api<TenantRole[]>('GET', `/roles?search.name=${operatorRole.name}&mode=exact`);
    expect(byName.json.map((role) => role.id)).toEqual([operatorRole.id]);
    const holders = `/users?search.username=${peopleUsername}olivia&mode=exact`;
    expect((await h.api<User[]>('GET', holders)).json.map((user) => user.id)).toEqual([operator.id]);
    expect((await h.api<User[]>('GET', `${holders}&excludeRoleId=${operatorRole.id}`)).json).toEqual([]);
  });
});

describe('POST /users', () => {
  it('creates a user (200, not 201) whose password can be verified', async () => {
    const email = `${uniqueName('new')}@contract.example`;
    const username = uniqueUsername('new');
    const response = await h.api('POST', '/users', {
      primaryEmail: email,
      username,
      name: 'New Person',
      password: 'a-long-password',
    });
    h.deleteLater(`/users/${response.json.id as string}`);
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
    const verify = (password: string) =>
      h.api('POST', `/users/${response.json.id as string}/password/verify`, { password });
    expect((await verify('a-long-password')).status).toBe(204);
    const wrong = await verify('not-the-password');
    expect(wrong.status).toBe(422);
    expect(wrong.json).toEqual({
      code: 'session.invalid_credentials',
      message: 'Incorrect account or password. Please check your input.',
    });
  });

  it('refuses taken identifiers with Logto’s user codes', async () => {
    const taken = await h.api('POST', '/users', {
      primaryEmail: (alice.primaryEmail as string).toUpperCase(),
    });
    expect(taken.status).toBe(422);
    expect(taken.json).toEqual({
      code: 'user.email_already_in_use',
      message: 'This email is associated with an existing account.',
    });
    expect((await h.api('POST', '/users', { username: alice.username })).json.code).toBe(
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
      if (response.status === 200) h.deleteLater(`/users/${response.json.id as string}`);
      expect(response.status).toBe(400);
      expect(response.json.code).toBe('guard.invalid_input');
    }
  });
});

describe('/users/:userId', () => {
  it('reads a user; unknown is 404 entity.not_found', async () => {
    const response = await h.api('GET', `/users/${alice.id}`);
    expect(response.json).toMatchObject({
      id: alice.id,
      name: 'Alice Admin',
      username: alice.username,
      hasPassword: true,
    });
    const unknown = await h.api('GET', '/users/unknown-user');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
  });

  it('deletes a user with their memberships; deleting again is 404', async () => {
    const user = await createTestUser(h);
    const organizationId = await createTestOrganization(h);
    await addMembers(h, organizationId, [user.id]);
    expect((await h.api('DELETE', `/users/${user.id}`)).status).toBe(204);
    expect((await h.api('GET', `/organizations/${organizationId}/users`)).json).toEqual([]);
    expect((await h.api('DELETE', `/users/${user.id}`)).status).toBe(404);
  });

  it('verifies passwords: 404 for unknown users, 422 without a password, 400 without input', async () => {
    const unknown = await h.api('POST', '/users/unknown-user/password/verify', { password: 'x' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
    const passwordless = await createTestUser(h);
    const noPassword = await h.api('POST', `/users/${passwordless.id}/password/verify`, { password: 'x' });
    expect(noPassword.status).toBe(422);
    expect(noPassword.json.code).toBe('session.invalid_credentials');
    const empty = await h.api('POST', `/users/${passwordless.id}/password/verify`, { password: '' });
    expect(empty.status).toBe(400);
    expect(empty.json.code).toBe('guard.invalid_input');
  });
});

describe('GET /users/:userId/organizations', () => {
  it('lists the user’s organizations with their roles, unpaginated', async () => {
    const response = await h.api<Array<{ name: string; organizationRoles: Array<{ name: string }> }>>(
      'GET',
      `/users/${daveId}/organizations`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('total-number')).toBeNull();
    // Logto does not order this list; compare by name.
    const byName = response.json
      .map((organization) => ({
        name: organization.name,
        roles: organization.organizationRoles.map((r) => r.name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
    expect(byName).toEqual(
      [
        { name: companyName, roles: [expect.stringMatching(/-member$/)] },
        { name: otherCompanyName, roles: [expect.stringMatching(/-admin$/)] },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect((await h.api('GET', `/users/${operator.id}/organizations`)).json).toEqual([]);
    const unknown = await h.api('GET', '/users/unknown-user/organizations');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_found');
  });
});

describe('tenant roles', () => {
  it('excludes a user’s roles with excludeUserId; unknown users exclude nothing; a repeated key is 400', async () => {
    const other = await h.api('POST', '/roles', { name: uniqueName('other'), description: 'Another role.' });
    expect(other.status).toBe(200);
    h.deleteLater(`/roles/${other.json.id as string}`);
    const both = `/roles?search.id=${operatorRole.id}&search.id=${other.json.id as string}&mode.id=exact`;
    const excluded = await h.api<TenantRole[]>('GET', `${both}&excludeUserId=${operator.id}`);
    expect(excluded.status).toBe(200);
    expect(excluded.json.map((role) => role.id)).toEqual([other.json.id]);
    expect(excluded.headers.get('total-number')).toBe('1');
    const unknownUser = await h.api<TenantRole[]>('GET', `${both}&excludeUserId=unknown-user`);
    expect(unknownUser.status).toBe(200);
    expect(unknownUser.headers.get('total-number')).toBe('2');
    expect((await h.api('GET', `${both}&excludeUserId=`)).headers.get('total-number')).toBe('2');
    const repeated = await h.api('GET', `${both}&excludeUserId=${operator.id}&excludeUserId=${alice.id}`);
    expect(repeated.status).toBe(400);
    expect(repeated.json).toMatchObject({
      code: 'guard.invalid_input',
      message: 'The request query is invalid.',
    });
    const badType = await h.api('GET', `${both}&excludeUserId=${operator.id}&type=Robot`);
    expect(badType.status).toBe(400);
    expect(badType.json.code).toBe('guard.invalid_input');
    expect((await h.api('GET', `${both}&excludeUserId=${operator.id}&page=0`)).json.code).toBe(
      'guard.invalid_pagination',
    );
  });

  it('reads and deletes one role; unknown ids are 404 entity.not_exists_with_id', async () => {
    const created = await h.api('POST', '/roles', {
      name: uniqueName('doomed'),
      description: 'Short-lived.',
    });
    expect(created.status).toBe(200);
    const id = created.json.id as string;
    h.deleteLater(`/roles/${id}`);
    expect((await h.api('GET', `/roles/${id}`)).json).toEqual(created.json);
    expect((await h.api('DELETE', `/roles/${id}`)).status).toBe(204);
    for (const method of ['GET', 'DELETE']) {
      const gone = await h.api(method, `/roles/${id}`);
      expect(gone.status).toBe(404);
      expect(gone.json).toEqual({
        code: 'entity.not_exists_with_id',
        message: `The roles with ID \`${id}\` does not exist.`,
      });
    }
  });

  it('shows a user’s tenant roles, paginated', async () => {
    const response = await h.api('GET', `/users/${operator.id}/roles`);
    expect(response.status).toBe(200);
    expect(response.headers.get('total-number')).toBe('1');
    expect(response.json).toEqual([
      {
        tenantId: h.tenantId,
        id: operatorRole.id,
        name: operatorRole.name,
        description: 'Operates the portal.',
        type: 'User',
        isDefault: false,
      },
    ]);
    expect((await h.api('GET', `/users/${alice.id}/roles`)).json).toEqual([]);
    expect((await h.api('GET', '/users/unknown-user/roles')).status).toBe(404);
    expect((await h.api('GET', `/users/${operator.id}/roles?page=0`)).status).toBe(400);
  });

  it('lists and creates tenant roles and assigns them to users', async () => {
    const machineRole = await h.api('POST', '/roles', {
      name: uniqueName('machine'),
      description: 'A machine role',
      type: 'MachineToMachine',
    });
    expect(machineRole.status).toBe(200);
    h.deleteLater(`/roles/${machineRole.json.id as string}`);
    const both = `search.id=${operatorRole.id}&search.id=${machineRole.json.id as string}&mode.id=exact`;
    const roles = await h.api<TenantRole[]>('GET', `/roles?${both}`);
    expect(roles.headers.get('total-number')).toBe('2');
    expect(roles.json.find((role) => role.id === operatorRole.id)).toMatchObject({
      type: 'User',
      usersCount: 1,
    });
    const userRoles = await h.api<TenantRole[]>('GET', `/roles?${both}&type=User`);
    expect(userRoles.json.map((role) => role.id)).toEqual([operatorRole.id]);
    expect(userRoles.headers.get('total-number')).toBe('1');

    const name = uniqueName('tenant-role');
    const created = await h.api('POST', '/roles', { name, description: 'A tenant role' });
    expect(created.status).toBe(200);
    h.deleteLater(`/roles/${created.json.id as string}`);
    expect(created.json).toEqual({
      tenantId: h.tenantId,
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
    expect(
      (await h.api('POST', `/users/${user.id}/roles`, { roleIds: [machineRole.json.id] })).json.code,
    ).toBe('user.invalid_role_type');
    const unknown = await h.api('POST', `/users/${user.id}/roles`, { roleIds: ['unknown-role'] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('entity.not_exists_with_id');
  });
});

/** Creates a tenant role of this file (cleaned up after the test); returns its id. */
async function tenantRole(label: string, type: 'User' | 'MachineToMachine' = 'User'): Promise<string> {
  const response = await h.api('POST', '/roles', { name: uniqueName(label), description: label, type });
  if (response.status !== 200)
    throw new Error(`Creating a tenant role failed: ${response.status} ${response.text}`);
  h.deleteLater(`/roles/${response.json.id as string}`);
  return response.json.id as string;
}

/** The ids of the user's tenant roles, sorted. */
async function roleIdsOf(userId: string): Promise<string[]> {
  const response = await h.api<Array<{ id: string }>>('GET', `/users/${userId}/roles`);
  expect(response.status).toBe(200);
  return response.json.map((role) => role.id).sort();
}

/** A fresh user holding the given tenant roles. */
async function userWithRoles(roleIds: string[]): Promise<TestUser> {
  const user = await createTestUser(h);
  if (roleIds.length > 0) {
    const assigned = await h.api('POST', `/users/${user.id}/roles`, { roleIds });
    expect(assigned.status).toBe(201);
  }
  return user;
}

describe('PUT /users/:userId/roles', () => {
  it('replaces the tenant roles and answers 200 with the ids sent, de-duplicated', async () => {
    const [kept, dropped, added] = [
      await tenantRole('kept'),
      await tenantRole('dropped'),
      await tenantRole('added'),
    ];
    const user = await userWithRoles([kept, dropped]);
    // `kept` is held already, so repeating it only shows in the answer, which drops the repeat.
    const replaced = await h.api('PUT', `/users/${user.id}/roles`, { roleIds: [kept, added, kept] });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toEqual({ roleIds: [kept, added] });
    expect(await roleIdsOf(user.id)).toEqual([kept, added].sort());

    const cleared = await h.api('PUT', `/users/${user.id}/roles`, { roleIds: [] });
    expect(cleared.status).toBe(200);
    expect(cleared.json).toEqual({ roleIds: [] });
    expect(await roleIdsOf(user.id)).toEqual([]);
  });

  it.each<[string, unknown]>([
    ['no roleIds', {}],
    ['a string', { roleIds: 'x' }],
    ['null', { roleIds: null }],
    ['a number in the list', { roleIds: [1] }],
    ['an empty id', { roleIds: [''] }],
  ])('refuses %s with 400 guard.invalid_input, before looking the user up', async (_label, body) => {
    const response = await h.api('PUT', '/users/unknown-user/roles', body);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      code: 'guard.invalid_input',
      message: 'The request body is invalid.',
    });
    expect(response.json.details).toContain('Error in key path "roleIds');
  });

  it('spells the guard error of a wrong type as Logto does', async () => {
    const response = await h.api('PUT', '/users/unknown-user/roles', { roleIds: 'x' });
    expect(response.json.details).toBe(
      'Error in key path "roleIds": (invalid_type) Expected array but received string.',
    );
  });

  it('answers 404 entity.not_found for an unknown user and 404 entity.not_exists_with_id for an unknown role, changing nothing', async () => {
    const held = await tenantRole('held');
    const unknownUser = await h.api('PUT', '/users/unknown-user/roles', { roleIds: [held] });
    expect(unknownUser.status).toBe(404);
    expect(unknownUser.json).toEqual({ code: 'entity.not_found', message: 'The resource does not exist.' });

    const user = await userWithRoles([held]);
    const unknownRole = await h.api('PUT', `/users/${user.id}/roles`, { roleIds: ['unknown-role'] });
    expect(unknownRole.status).toBe(404);
    expect(unknownRole.json).toEqual({
      code: 'entity.not_exists_with_id',
      message: 'The roles with ID `unknown-role` does not exist.',
    });
    expect(await roleIdsOf(user.id)).toEqual([held]);
  });

  it('refuses a machine-to-machine role with 422 entity.db_constraint_violated, after removing the old roles', async () => {
    const held = await tenantRole('held');
    const machine = await tenantRole('machine', 'MachineToMachine');
    const user = await userWithRoles([held]);
    const response = await h.api('PUT', `/users/${user.id}/roles`, { roleIds: [machine] });
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      code: 'entity.db_constraint_violated',
      message: 'Database constraint violated.',
    });
    // Logto replaces without a transaction: the removal happened before the insert failed.
    expect(await roleIdsOf(user.id)).toEqual([]);
  });

  it('fails with 500 on a role id repeated among the new ones, after removing the old roles', async () => {
    const [held, added] = [await tenantRole('held'), await tenantRole('added')];
    const user = await userWithRoles([held]);
    const response = await h.api('PUT', `/users/${user.id}/roles`, { roleIds: [added, added] });
    expect(response.status).toBe(500);
    expect(response.json).toEqual({ message: 'Internal server error.' });
    expect(await roleIdsOf(user.id)).toEqual([]);
  });
});

describe('DELETE /users/:userId/roles/:roleId', () => {
  it('removes one tenant role (204); a second time, or an unknown user or role, is 404 entity.not_found', async () => {
    const [removed, other] = [await tenantRole('removed'), await tenantRole('other')];
    const user = await userWithRoles([removed, other]);
    const response = await h.api('DELETE', `/users/${user.id}/roles/${removed}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await roleIdsOf(user.id)).toEqual([other]);

    for (const path of [
      `/users/${user.id}/roles/${removed}`,
      `/users/${user.id}/roles/unknown-role`,
      `/users/unknown-user/roles/${other}`,
    ]) {
      const missing = await h.api('DELETE', path);
      expect(missing.status, path).toBe(404);
      expect(missing.json).toEqual({ code: 'entity.not_found', message: 'The resource does not exist.' });
    }
    expect(await roleIdsOf(user.id)).toEqual([other]);
  });
});

describe('PATCH /users/:userId/is-suspended', () => {
  type Profile = User & { isSuspended: boolean; updatedAt: number; hasPassword: boolean };

  it('suspends and restores a user, answering the profile as GET /users/:userId shows it', async () => {
    const user = await createTestUser(h, { password: 'a-long-password' });
    const before = await h.api<Profile>('GET', `/users/${user.id}`);
    expect(before.json.isSuspended).toBe(false);

    const suspended = await h.api<Profile>('PATCH', `/users/${user.id}/is-suspended`, { isSuspended: true });
    expect(suspended.status).toBe(200);
    expect(suspended.json).toEqual({ ...before.json, isSuspended: true, updatedAt: expect.any(Number) });
    expect(suspended.json.updatedAt).toBeGreaterThanOrEqual(before.json.updatedAt);
    const read = await h.api<Profile>('GET', `/users/${user.id}`);
    expect(read.json).toEqual(suspended.json);
    const listed = await h.api<Profile[]>('GET', `/users?search.id=${user.id}&mode.id=exact`);
    expect(listed.json.map((profile) => profile.isSuspended)).toEqual([true]);

    const again = await h.api<Profile>('PATCH', `/users/${user.id}/is-suspended`, { isSuspended: true });
    expect(again.status).toBe(200);
    expect(again.json.isSuspended).toBe(true);

    const restored = await h.api<Profile>('PATCH', `/users/${user.id}/is-suspended`, { isSuspended: false });
    expect(restored.status).toBe(200);
    expect(restored.json).toEqual({ ...before.json, isSuspended: false, updatedAt: expect.any(Number) });
    expect((await h.api<Profile>('GET', `/users/${user.id}`)).json.isSuspended).toBe(false);
  });

  it.each<[string, unknown]>([
    ['no isSuspended', {}],
    ['a string', { isSuspended: 'true' }],
    ['a number', { isSuspended: 1 }],
    ['null', { isSuspended: null }],
  ])('refuses %s with 400 guard.invalid_input, before looking the user up', async (_label, body) => {
    const response = await h.api('PATCH', '/users/unknown-user/is-suspended', body);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      code: 'guard.invalid_input',
      message: 'The request body is invalid.',
    });
    expect(response.json.details).toContain(
      'Error in key path "isSuspended": (invalid_type) Expected boolean',
    );
  });

  it('spells the guard error of a string as Logto does', async () => {
    const response = await h.api('PATCH', '/users/unknown-user/is-suspended', { isSuspended: 'true' });
    expect(response.json.details).toBe(
      'Error in key path "isSuspended": (invalid_type) Expected boolean but received string.',
    );
  });

  it('answers 404 entity.not_found for an unknown user', async () => {
    const response = await h.api('PATCH', '/users/unknown-user/is-suspended', { isSuspended: true });
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ code: 'entity.not_found', message: 'The resource does not exist.' });
  });
});
