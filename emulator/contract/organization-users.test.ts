import { beforeAll, describe, expect, it } from 'vitest';
import {
  assignOrganizationRoles,
  createOrganizationTemplate,
  createOrganizationWithMembers,
  createTestOrganization,
  createTestUser,
  type OrganizationTemplate,
  type TestUser,
} from './fixtures';
import { linkLines, setUpContractHarness, uniqueName } from './harness';

// Creates its own data, so it needs no demo seed (and starts much faster without it).
const h = setUpContractHarness({ profile: 'bare' });

type Member = {
  id: string;
  primaryEmail: string | null;
  organizationRoles: Array<{ id: string; name: string }>;
};

let template: OrganizationTemplate;
/**
 * A 25-member organization: alice (admin), bob (manager), carol and dave (member; dave's email is
 * at globex.example), m01 … m21 (member).
 */
let directory: {
  organizationId: string;
  alice: TestUser;
  carol: TestUser;
  dave: TestUser;
  members: TestUser[];
};

beforeAll(async () => {
  template = await createOrganizationTemplate(h);
  const numbered = Array.from({ length: 21 }, (_, index) => ({
    label: `m${String(index + 1).padStart(2, '0')}`,
  }));
  const { organizationId, users } = await createOrganizationWithMembers(h, [
    { label: 'alice', name: 'Alice Admin' },
    { label: 'bob', name: 'Bob Manager' },
    { label: 'carol', name: 'Carol Member' },
    { label: 'dave', name: 'Dave Globex', domain: 'globex.example' },
    ...numbered,
  ]);
  const [alice, bob, carol, dave] = users as [TestUser, TestUser, TestUser, TestUser];
  await assignOrganizationRoles(h, organizationId, alice.id, [template.roles.admin.id]);
  await assignOrganizationRoles(h, organizationId, bob.id, [template.roles.manager.id]);
  const assigned = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
    userIds: users.slice(2).map((user) => user.id),
    organizationRoleIds: [template.roles.member.id],
  });
  if (assigned.status !== 201) throw new Error(`Assigning the member role failed: ${assigned.text}`);
  directory = { organizationId, alice, carol, dave, members: users };
});

const roleNames = (...keys: Array<keyof OrganizationTemplate['roles']>) =>
  keys.map((key) => template.roles[key].name);

/** An organization with two fresh members, removed after the test. */
async function organizationWithMembers() {
  const { organizationId, users } = await createOrganizationWithMembers(h, [
    { label: 'first' },
    { label: 'second' },
  ]);
  const [first, second] = users as [TestUser, TestUser];
  return { organizationId, first, second };
}

async function createMachineRole(): Promise<string> {
  const response = await h.api('POST', '/organization-roles', {
    name: uniqueName('m2m-role'),
    type: 'MachineToMachine',
  });
  expect(response.status).toBe(201);
  h.deleteLater(`/organization-roles/${response.json.id as string}`);
  return response.json.id as string;
}

describe('GET /organizations/:id/users', () => {
  it('pages the members by user id with a stable total and no overlap', async () => {
    const base = `/organizations/${directory.organizationId}/users`;
    const twenty = await h.api<Member[]>('GET', `${base}?page_size=20`);
    expect(twenty.headers.get('total-number')).toBe('25');
    const ids = twenty.json.map((member) => member.id);
    expect(ids).toEqual([...ids].sort());

    const secondOfTen = await h.api<Member[]>('GET', `${base}?page=2&page_size=10`);
    expect(secondOfTen.json.map((member) => member.id)).toEqual(ids.slice(10, 20));
    expect(secondOfTen.headers.get('total-number')).toBe('25');

    const last = await h.api<Member[]>('GET', `${base}?page=3&page_size=10`);
    expect(last.json).toHaveLength(5);
    expect(linkLines(last.headers).map((line) => line.match(/rel="(\w+)"/)?.[1])).toEqual([
      'first',
      'prev',
      'last',
    ]);
    const all = [...ids, ...last.json.map((member) => member.id)];
    expect(new Set(all).size).toBe(25);
    expect(all.sort()).toEqual(directory.members.map((member) => member.id).sort());
    const pastEnd = await h.api<Member[]>('GET', `${base}?page=4&page_size=10`);
    expect(pastEnd.status).toBe(200);
    expect(pastEnd.json).toEqual([]);
  });

  it('returns member profiles with their organization roles sorted by name and no hasPassword', async () => {
    const { organizationId, first } = await organizationWithMembers();
    await h.api('POST', `/organizations/${organizationId}/users/${first.id}/roles`, {
      organizationRoleIds: [template.roles.member.id, template.roles.admin.id],
    });
    const response = await h.api<Member[]>('GET', `/organizations/${organizationId}/users?q=${first.id}`);
    const member = response.json[0];
    expect(Object.keys(member ?? {}).sort()).toEqual(
      [
        'applicationId',
        'avatar',
        'createdAt',
        'customData',
        'id',
        'identities',
        'isSuspended',
        'lastSignInAt',
        'name',
        'organizationRoles',
        'primaryEmail',
        'primaryPhone',
        'profile',
        'updatedAt',
        'username',
      ].sort(),
    );
    expect(member?.organizationRoles.map((role) => role.name)).toEqual(roleNames('admin', 'member'));
    const admins = await h.api<Member[]>(
      'GET',
      `/organizations/${organizationId}/users?organizationRoleId=${template.roles.admin.id}`,
    );
    expect(admins.json.map((m) => m.id)).toEqual([first.id]);
  });

  it('answers an unknown organization with 200 [] and Total-Number 0', async () => {
    const response = await h.api('GET', '/organizations/unknown-org/users');
    expect(response.status).toBe(200);
    expect(response.json).toEqual([]);
    expect(response.headers.get('total-number')).toBe('0');
  });

  it('searches id, email, phone, username and name case-insensitively', async () => {
    const base = `/organizations/${directory.organizationId}/users`;
    const byName = await h.api<Member[]>('GET', `${base}?q=ALICE`);
    expect(byName.json.map((m) => m.id)).toEqual([directory.alice.id]);
    const byDomain = await h.api<Member[]>('GET', `${base}?q=globex.example`);
    expect(byDomain.json.map((m) => m.id)).toEqual([directory.dave.id]);
    const byId = await h.api<Member[]>('GET', `${base}?q=${directory.alice.id}`);
    expect(byId.json.map((m) => m.id)).toEqual([directory.alice.id]);
    // Unescaped wildcard: "-m_1-" matches the emails of m01, m11 and m21 (usernames spell "_m01_").
    const wildcard = await h.api<Member[]>('GET', `${base}?q=${encodeURIComponent('-m_1-')}&page_size=100`);
    expect(wildcard.json.map((m) => m.primaryEmail?.match(/-(m\d\d)-/)?.[1]).sort()).toEqual([
      'm01',
      'm11',
      'm21',
    ]);
    expect(wildcard.headers.get('total-number')).toBe('3');
  });

  it('filters by organizationRoleId, combined with q', async () => {
    const base = `/organizations/${directory.organizationId}/users`;
    const admins = await h.api<Member[]>('GET', `${base}?organizationRoleId=${template.roles.admin.id}`);
    expect(admins.json.map((m) => m.id)).toEqual([directory.alice.id]);
    expect(admins.headers.get('total-number')).toBe('1');
    const members = await h.api('GET', `${base}?organizationRoleId=${template.roles.member.id}`);
    expect(members.headers.get('total-number')).toBe('23');
    const combined = await h.api<Member[]>(
      'GET',
      `${base}?organizationRoleId=${template.roles.member.id}&q=carol`,
    );
    expect(combined.json.map((m) => m.id)).toEqual([directory.carol.id]);
    const unknown = await h.api('GET', `${base}?organizationRoleId=unknown-role`);
    expect(unknown.json).toEqual([]);
    const empty = await h.api('GET', `${base}?organizationRoleId=`);
    expect(empty.status).toBe(400);
    expect(empty.json.code).toBe('guard.invalid_input');
  });

  it('rejects bad pagination before anything else', async () => {
    const response = await h.api('GET', `/organizations/${directory.organizationId}/users?page_size=101`);
    expect(response.status).toBe(400);
    expect(response.json.code).toBe('guard.invalid_pagination');
  });
});

describe('POST /organizations/:id/users', () => {
  it('echoes the userIds exactly as sent and ignores existing members', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const other = await createTestUser(h);
    const response = await h.api('POST', `/organizations/${organizationId}/users`, {
      userIds: [other.id, first.id, other.id],
    });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ userIds: [other.id, first.id, other.id] });
    expect((await h.api('GET', `/organizations/${organizationId}/users`)).headers.get('total-number')).toBe(
      '3',
    );
  });

  it('rejects an empty list with 400 and unknown users or organizations with 422', async () => {
    const organizationId = await createTestOrganization(h);
    expect((await h.api('POST', `/organizations/${organizationId}/users`, { userIds: [] })).status).toBe(400);
    const unknownUser = await h.api('POST', `/organizations/${organizationId}/users`, {
      userIds: ['unknown-user'],
    });
    expect(unknownUser.status).toBe(422);
    expect(unknownUser.json).toEqual({
      code: 'entity.relation_foreign_key_not_found',
      message:
        'Cannot find one or more foreign keys. Please check the input and ensure that all referenced entities exist.',
    });
    const unknownOrganization = await h.api('POST', '/organizations/unknown-org/users', {
      userIds: [directory.alice.id],
    });
    expect(unknownOrganization.status).toBe(422);
    expect(unknownOrganization.json.code).toBe('entity.relation_foreign_key_not_found');
  });
});

describe('PUT /organizations/:id/users', () => {
  it('replaces the member set; members who stay keep their roles', async () => {
    const { organizationId, first, second } = await organizationWithMembers();
    await h.api('POST', `/organizations/${organizationId}/users/${first.id}/roles`, {
      organizationRoleIds: [template.roles.admin.id],
    });
    const third = await createTestUser(h);
    const response = await h.api('PUT', `/organizations/${organizationId}/users`, {
      userIds: [first.id, third.id, third.id],
    });
    expect(response.status).toBe(204);
    const members = await h.api<Member[]>('GET', `/organizations/${organizationId}/users`);
    expect(members.json.map((m) => m.id).sort()).toEqual([first.id, third.id].sort());
    expect(members.json.find((m) => m.id === first.id)?.organizationRoles.map((r) => r.name)).toEqual(
      roleNames('admin'),
    );
    expect(members.json.some((m) => m.id === second.id)).toBe(false);
  });

  it('empties the organization with [] and refuses unknown users with 422', async () => {
    const { organizationId } = await organizationWithMembers();
    expect(
      (await h.api('PUT', `/organizations/${organizationId}/users`, { userIds: ['unknown-user'] })).status,
    ).toBe(422);
    expect((await h.api('GET', `/organizations/${organizationId}/users`)).headers.get('total-number')).toBe(
      '2',
    );
    expect((await h.api('PUT', `/organizations/${organizationId}/users`, { userIds: [] })).status).toBe(204);
    expect((await h.api('GET', `/organizations/${organizationId}/users`)).json).toEqual([]);
    expect((await h.api('PUT', '/organizations/unknown-org/users', { userIds: [] })).status).toBe(204);
  });
});

describe('DELETE /organizations/:id/users/:userId', () => {
  it('removes the member and their roles; a second delete is 404 entity.not_found', async () => {
    const { organizationId, first } = await organizationWithMembers();
    await h.api('POST', `/organizations/${organizationId}/users/${first.id}/roles`, {
      organizationRoleIds: [template.roles.admin.id],
    });
    expect((await h.api('DELETE', `/organizations/${organizationId}/users/${first.id}`)).status).toBe(204);
    const again = await h.api('DELETE', `/organizations/${organizationId}/users/${first.id}`);
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('entity.not_found');
    // Re-adding starts without the old roles (they cascaded away).
    await h.api('POST', `/organizations/${organizationId}/users`, { userIds: [first.id] });
    expect((await h.api('GET', `/organizations/${organizationId}/users/${first.id}/roles`)).json).toEqual([]);
    expect((await h.api('DELETE', `/organizations/unknown-org/users/${first.id}`)).status).toBe(404);
  });
});

describe('POST /organizations/:id/users/roles', () => {
  it('assigns every role to every user and answers 201 text Created', async () => {
    const { organizationId, first, second } = await organizationWithMembers();
    const response = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
      userIds: [first.id, second.id],
      organizationRoleIds: [template.roles.manager.id, template.roles.member.id],
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.text).toBe('Created');
    const again = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
      userIds: [first.id],
      organizationRoleIds: [template.roles.manager.id],
    });
    expect(again.status).toBe(201);
    const members = await h.api<Member[]>('GET', `/organizations/${organizationId}/users`);
    for (const member of members.json)
      expect(member.organizationRoles.map((r) => r.name)).toEqual(roleNames('manager', 'member'));
  });

  it('refuses non-members and unknown roles with 422 FK, machine roles with 422 constraint, all or nothing', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const outsider = await createTestUser(h);
    const nonMember = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
      userIds: [first.id, outsider.id],
      organizationRoleIds: [template.roles.admin.id],
    });
    expect(nonMember.status).toBe(422);
    expect(nonMember.json.code).toBe('entity.relation_foreign_key_not_found');
    expect((await h.api('GET', `/organizations/${organizationId}/users/${first.id}/roles`)).json).toEqual([]);
    const unknownRole = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
      userIds: [first.id],
      organizationRoleIds: ['unknown-role'],
    });
    expect(unknownRole.json.code).toBe('entity.relation_foreign_key_not_found');
    const machineRole = await createMachineRole();
    const machine = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
      userIds: [first.id],
      organizationRoleIds: [machineRole],
    });
    expect(machine.status).toBe(422);
    expect(machine.json).toEqual({
      code: 'entity.db_constraint_violated',
      message: 'Database constraint violated.',
    });
    const empty = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
      userIds: [first.id],
      organizationRoleIds: [],
    });
    expect(empty.status).toBe(400);
  });
});

describe('a member’s roles', () => {
  it('answers every roles route with 422 organization.require_membership for non-members, first', async () => {
    const { organizationId } = await organizationWithMembers();
    const outsider = await createTestUser(h);
    const base = `/organizations/${organizationId}/users/${outsider.id}/roles`;
    const expected = {
      code: 'organization.require_membership',
      message: 'The user must be a member of the organization to proceed.',
    };
    for (const [method, path, body] of [
      ['GET', `${base}?page=0`, undefined],
      ['POST', base, { organizationRoleIds: 'not-an-array' }],
      ['PUT', base, { organizationRoleIds: [template.roles.admin.id] }],
      ['DELETE', `${base}/${template.roles.admin.id}`, undefined],
    ] as const) {
      const response = await h.api(method, path, body);
      expect(response.status).toBe(422);
      expect(response.json).toEqual(expected);
    }
    expect((await h.api('GET', `/organizations/unknown-org/users/${directory.alice.id}/roles`)).status).toBe(
      422,
    );
  });

  it('lists full role objects, paginated only when asked', async () => {
    const base = `/organizations/${directory.organizationId}/users/${directory.alice.id}/roles`;
    const all = await h.api('GET', base);
    expect(all.status).toBe(200);
    expect(all.json).toEqual([
      {
        tenantId: h.tenantId,
        id: template.roles.admin.id,
        name: template.roles.admin.name,
        description: template.roles.admin.description,
        type: 'User',
      },
    ]);
    expect(all.headers.get('total-number')).toBeNull();
    const paged = await h.api('GET', `${base}?page_size=1`);
    expect(paged.headers.get('total-number')).toBe('1');
    expect(linkLines(paged.headers)).toHaveLength(2);
  });

  it('POST adds roles by id and by name, de-duplicated, ignoring existing ones', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const base = `/organizations/${organizationId}/users/${first.id}/roles`;
    const { admin, manager, member } = template.roles;
    const response = await h.api('POST', base, {
      organizationRoleIds: [member.id, manager.id],
      organizationRoleNames: [member.name, admin.name],
    });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ organizationRoleIds: [member.id, manager.id, admin.id] });
    expect((await h.api('POST', base, { organizationRoleIds: [admin.id] })).status).toBe(201);
    const roles = await h.api<Array<{ name: string }>>('GET', base);
    expect(roles.json.map((role) => role.name).sort()).toEqual(roleNames('admin', 'manager', 'member'));
  });

  it('POST refuses unknown names, unknown ids and machine roles; nothing to assign is a 201 no-op', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const base = `/organizations/${organizationId}/users/${first.id}/roles`;
    const [a, b, c] = ['nope-a', 'nope-b', 'nope-c'].map((name) => template.prefix + name) as [
      string,
      string,
      string,
    ];
    const names = await h.api('POST', base, { organizationRoleNames: [a, template.roles.member.name, b, c] });
    expect(names.status).toBe(422);
    expect(names.json).toEqual({
      code: 'organization.role_names_not_found',
      message: `Invalid role names detected: ${a}, ${b}, and ${c}. Please create these roles first before proceeding.`,
    });
    const unknownId = await h.api('POST', base, { organizationRoleIds: ['unknown-role'] });
    expect(unknownId.status).toBe(422);
    expect(unknownId.json.code).toBe('entity.relation_foreign_key_not_found');
    const machine = await h.api('POST', base, { organizationRoleIds: [await createMachineRole()] });
    expect(machine.json.code).toBe('entity.db_constraint_violated');
    // Nothing to assign is a no-op, not an error (Logto 1.42 answers 201).
    const before = (await h.api<Array<{ id: string }>>('GET', base)).json;
    const empty = await h.api('POST', base, {});
    expect(empty.status).toBe(201);
    const emptyList = await h.api('POST', base, { organizationRoleIds: [], organizationRoleNames: [] });
    expect(emptyList.status).toBe(201);
    expect(emptyList.json).toEqual({ organizationRoleIds: [] });
    expect((await h.api<Array<{ id: string }>>('GET', base)).json).toEqual(before);
    expect((await h.api('POST', base, { organizationRoleIds: [''] })).status).toBe(400);
  });

  it('PUT replaces the roles; an empty list removes them all', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const base = `/organizations/${organizationId}/users/${first.id}/roles`;
    await h.api('POST', base, { organizationRoleIds: [template.roles.admin.id, template.roles.member.id] });
    expect((await h.api('PUT', base, { organizationRoleNames: [template.roles.manager.name] })).status).toBe(
      204,
    );
    expect((await h.api<Array<{ name: string }>>('GET', base)).json.map((r) => r.name)).toEqual(
      roleNames('manager'),
    );
    expect((await h.api('PUT', base, { organizationRoleIds: ['unknown-role'] })).status).toBe(422);
    expect((await h.api<Array<{ name: string }>>('GET', base)).json.map((r) => r.name)).toEqual(
      roleNames('manager'),
    );
    expect((await h.api('PUT', base, {})).status).toBe(204);
    expect((await h.api('GET', base)).json).toEqual([]);
  });

  it('DELETE removes one role; a role not held is 404 entity.not_found', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const base = `/organizations/${organizationId}/users/${first.id}/roles`;
    await h.api('POST', base, { organizationRoleIds: [template.roles.admin.id, template.roles.member.id] });
    expect((await h.api('DELETE', `${base}/${template.roles.admin.id}`)).status).toBe(204);
    const again = await h.api('DELETE', `${base}/${template.roles.admin.id}`);
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('entity.not_found');
    expect((await h.api('DELETE', `${base}/unknown-role`)).status).toBe(404);
  });
});

describe('GET /organizations/:id/users/:userId/scopes', () => {
  it('returns the distinct union of the member’s role scopes', async () => {
    const alice = await h.api<Array<{ name: string }>>(
      'GET',
      `/organizations/${directory.organizationId}/users/${directory.alice.id}/scopes`,
    );
    expect(alice.status).toBe(200);
    expect(alice.json.map((scope) => scope.name).sort()).toEqual(
      Object.values(template.scopes)
        .map((scope) => scope.name)
        .sort(),
    );
    expect(Object.keys(alice.json[0] ?? {}).sort()).toEqual(['description', 'id', 'name', 'tenantId']);
    const { organizationId, first } = await organizationWithMembers();
    await h.api('POST', `/organizations/${organizationId}/users/${first.id}/roles`, {
      organizationRoleIds: [template.roles.admin.id, template.roles.manager.id],
    });
    const union = await h.api<Array<{ name: string }>>(
      'GET',
      `/organizations/${organizationId}/users/${first.id}/scopes`,
    );
    expect(union.json).toHaveLength(4);
  });

  it('does not check membership: non-members and unknown ids get 200 []', async () => {
    const elsewhere = await createTestOrganization(h);
    expect(
      (await h.api('GET', `/organizations/${elsewhere}/users/${directory.alice.id}/scopes`)).json,
    ).toEqual([]);
    const unknown = await h.api('GET', '/organizations/unknown-org/users/unknown-user/scopes');
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual([]);
    expect(
      (await h.api('GET', `/organizations/${directory.organizationId}/users/${directory.carol.id}/scopes`))
        .json,
    ).toEqual([]);
  });
});
