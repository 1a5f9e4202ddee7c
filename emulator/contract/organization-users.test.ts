import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestOrganization,
  createTestUser,
  linkLines,
  organizationIdByName,
  organizationRoleIdByName,
  uniqueName,
  userIdByEmail,
  setUpContractHarness,
} from './harness';

const h = setUpContractHarness();

type Member = {
  id: string;
  primaryEmail: string | null;
  organizationRoles: Array<{ id: string; name: string }>;
};

let acmeId = '';
let globexId = '';
let aliceId = '';
let daveId = '';
let roleIds: Record<'admin' | 'manager' | 'member', string> = { admin: '', manager: '', member: '' };

beforeAll(async () => {
  acmeId = await organizationIdByName(h, 'Acme');
  globexId = await organizationIdByName(h, 'Globex');
  aliceId = await userIdByEmail(h, 'alice@acme.example');
  daveId = await userIdByEmail(h, 'dave@globex.example');
  roleIds = {
    admin: await organizationRoleIdByName(h, 'admin'),
    manager: await organizationRoleIdByName(h, 'manager'),
    member: await organizationRoleIdByName(h, 'member'),
  };
});

/** An organization with two fresh members, removed after the test. */
async function organizationWithMembers() {
  const organizationId = await createTestOrganization(h);
  const first = await createTestUser(h);
  const second = await createTestUser(h);
  const added = await h.api('POST', `/organizations/${organizationId}/users`, {
    userIds: [first.id, second.id],
  });
  expect(added.status).toBe(201);
  return { organizationId, first, second };
}

async function createMachineRole(): Promise<string> {
  const response = await h.api('POST', '/organization-roles', {
    name: uniqueName('m2m-role'),
    type: 'MachineToMachine',
  });
  expect(response.status).toBe(201);
  h.deleteAfterTest(`/organization-roles/${response.json.id as string}`);
  return response.json.id as string;
}

describe('GET /organizations/:id/users', () => {
  it('pages Acme’s 2,500 members by user id with a stable total and no overlap', async () => {
    const twenty = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?page_size=20`);
    expect(twenty.headers.get('total-number')).toBe('2500');
    const ids = twenty.json.map((member) => member.id);
    expect(ids).toEqual([...ids].sort());

    const secondOfTen = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?page=2&page_size=10`);
    expect(secondOfTen.json.map((member) => member.id)).toEqual(ids.slice(10, 20));
    expect(secondOfTen.headers.get('total-number')).toBe('2500');

    const last = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?page=25&page_size=100`);
    expect(last.json).toHaveLength(100);
    expect(linkLines(last.headers).map((line) => line.match(/rel="(\w+)"/)?.[1])).toEqual([
      'first',
      'prev',
      'last',
    ]);
    const pastEnd = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?page=26&page_size=100`);
    expect(pastEnd.status).toBe(200);
    expect(pastEnd.json).toEqual([]);
  });

  it('returns member profiles with their organization roles sorted by name and no hasPassword', async () => {
    const { organizationId, first } = await organizationWithMembers();
    await h.api('POST', `/organizations/${organizationId}/users/${first.id}/roles`, {
      organizationRoleIds: [roleIds.member, roleIds.admin],
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
    expect(member?.organizationRoles.map((role) => role.name)).toEqual(['admin', 'member']);
    const second = await h.api<Member[]>(
      'GET',
      `/organizations/${organizationId}/users?organizationRoleId=${roleIds.admin}`,
    );
    expect(second.json.map((m) => m.id)).toEqual([first.id]);
  });

  it('answers an unknown organization with 200 [] and Total-Number 0', async () => {
    const response = await h.api('GET', '/organizations/unknown-org/users');
    expect(response.status).toBe(200);
    expect(response.json).toEqual([]);
    expect(response.headers.get('total-number')).toBe('0');
  });

  it('searches id, email, phone, username and name case-insensitively', async () => {
    const byName = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?q=ALICE`);
    expect(byName.json.map((m) => m.primaryEmail)).toEqual(['alice@acme.example']);
    const byDomain = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?q=globex.example`);
    expect(byDomain.json.map((m) => m.id)).toEqual([daveId]);
    const byId = await h.api<Member[]>('GET', `/organizations/${acmeId}/users?q=${aliceId}`);
    expect(byId.json.map((m) => m.id)).toEqual([aliceId]);
    // Unescaped wildcard: "user00_1@" matches user0001, user0011 … user0091.
    const wildcard = await h.api<Member[]>(
      'GET',
      `/organizations/${acmeId}/users?q=${encodeURIComponent('user00_1@')}&page_size=100`,
    );
    expect(wildcard.json.map((m) => m.primaryEmail).sort()).toEqual(
      Array.from({ length: 10 }, (_, index) => `user00${index}1@acme.example`),
    );
    expect(wildcard.headers.get('total-number')).toBe('10');
  });

  it('filters by organizationRoleId, combined with q', async () => {
    const admins = await h.api<Member[]>(
      'GET',
      `/organizations/${acmeId}/users?organizationRoleId=${roleIds.admin}`,
    );
    expect(admins.json.map((m) => m.primaryEmail)).toEqual(['alice@acme.example']);
    expect(admins.headers.get('total-number')).toBe('1');
    const members = await h.api('GET', `/organizations/${acmeId}/users?organizationRoleId=${roleIds.member}`);
    expect(members.headers.get('total-number')).toBe('2498');
    const combined = await h.api<Member[]>(
      'GET',
      `/organizations/${acmeId}/users?organizationRoleId=${roleIds.member}&q=carol`,
    );
    expect(combined.json.map((m) => m.primaryEmail)).toEqual(['carol@acme.example']);
    const unknown = await h.api('GET', `/organizations/${acmeId}/users?organizationRoleId=unknown-role`);
    expect(unknown.json).toEqual([]);
    const empty = await h.api('GET', `/organizations/${acmeId}/users?organizationRoleId=`);
    expect(empty.status).toBe(400);
    expect(empty.json.code).toBe('guard.invalid_input');
  });

  it('rejects bad pagination before anything else', async () => {
    const response = await h.api('GET', `/organizations/${acmeId}/users?page_size=101`);
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
      userIds: [aliceId],
    });
    expect(unknownOrganization.status).toBe(422);
    expect(unknownOrganization.json.code).toBe('entity.relation_foreign_key_not_found');
  });
});

describe('PUT /organizations/:id/users', () => {
  it('replaces the member set; members who stay keep their roles', async () => {
    const { organizationId, first, second } = await organizationWithMembers();
    await h.api('POST', `/organizations/${organizationId}/users/${first.id}/roles`, {
      organizationRoleIds: [roleIds.admin],
    });
    const third = await createTestUser(h);
    const response = await h.api('PUT', `/organizations/${organizationId}/users`, {
      userIds: [first.id, third.id, third.id],
    });
    expect(response.status).toBe(204);
    const members = await h.api<Member[]>('GET', `/organizations/${organizationId}/users`);
    expect(members.json.map((m) => m.id).sort()).toEqual([first.id, third.id].sort());
    expect(members.json.find((m) => m.id === first.id)?.organizationRoles.map((r) => r.name)).toEqual([
      'admin',
    ]);
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
      organizationRoleIds: [roleIds.admin],
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
      organizationRoleIds: [roleIds.manager, roleIds.member],
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.text).toBe('Created');
    const again = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
      userIds: [first.id],
      organizationRoleIds: [roleIds.manager],
    });
    expect(again.status).toBe(201);
    const members = await h.api<Member[]>('GET', `/organizations/${organizationId}/users`);
    for (const member of members.json)
      expect(member.organizationRoles.map((r) => r.name)).toEqual(['manager', 'member']);
  });

  it('refuses non-members and unknown roles with 422 FK, machine roles with 422 constraint, all or nothing', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const outsider = await createTestUser(h);
    const nonMember = await h.api('POST', `/organizations/${organizationId}/users/roles`, {
      userIds: [first.id, outsider.id],
      organizationRoleIds: [roleIds.admin],
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
    expect(
      (
        await h.api('POST', `/organizations/${organizationId}/users/roles`, {
          userIds: [first.id],
          organizationRoleIds: [],
        })
      ).status,
    ).toBe(400);
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
      ['PUT', base, { organizationRoleIds: [roleIds.admin] }],
      ['DELETE', `${base}/${roleIds.admin}`, undefined],
    ] as const) {
      const response = await h.api(method, path, body);
      expect(response.status).toBe(422);
      expect(response.json).toEqual(expected);
    }
    expect((await h.api('GET', `/organizations/unknown-org/users/${aliceId}/roles`)).status).toBe(422);
  });

  it('lists full role objects, paginated only when asked', async () => {
    const all = await h.api('GET', `/organizations/${acmeId}/users/${aliceId}/roles`);
    expect(all.status).toBe(200);
    expect(all.json).toEqual([
      {
        tenantId: 'default',
        id: roleIds.admin,
        name: 'admin',
        description: expect.any(String),
        type: 'User',
      },
    ]);
    expect(all.headers.get('total-number')).toBeNull();
    const paged = await h.api('GET', `/organizations/${acmeId}/users/${aliceId}/roles?page_size=1`);
    expect(paged.headers.get('total-number')).toBe('1');
    expect(linkLines(paged.headers)).toHaveLength(2);
  });

  it('POST adds roles by id and by name, de-duplicated, ignoring existing ones', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const base = `/organizations/${organizationId}/users/${first.id}/roles`;
    const response = await h.api('POST', base, {
      organizationRoleIds: [roleIds.member, roleIds.manager],
      organizationRoleNames: ['member', 'admin'],
    });
    expect(response.status).toBe(201);
    expect(response.json).toEqual({ organizationRoleIds: [roleIds.member, roleIds.manager, roleIds.admin] });
    expect((await h.api('POST', base, { organizationRoleIds: [roleIds.admin] })).status).toBe(201);
    const roles = await h.api<Array<{ name: string }>>('GET', base);
    expect(roles.json.map((role) => role.name).sort()).toEqual(['admin', 'manager', 'member']);
  });

  it('POST refuses unknown names, unknown ids, machine roles and an empty request', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const base = `/organizations/${organizationId}/users/${first.id}/roles`;
    const names = await h.api('POST', base, {
      organizationRoleNames: ['nope-a', 'member', 'nope-b', 'nope-c'],
    });
    expect(names.status).toBe(422);
    expect(names.json).toEqual({
      code: 'organization.role_names_not_found',
      message:
        'Invalid role names detected: nope-a, nope-b, and nope-c. Please create these roles first before proceeding.',
    });
    const unknownId = await h.api('POST', base, { organizationRoleIds: ['unknown-role'] });
    expect(unknownId.status).toBe(422);
    expect(unknownId.json.code).toBe('entity.relation_foreign_key_not_found');
    const machine = await h.api('POST', base, { organizationRoleIds: [await createMachineRole()] });
    expect(machine.json.code).toBe('entity.db_constraint_violated');
    const empty = await h.api('POST', base, {});
    expect(empty.status).toBe(422);
    expect(empty.json.code).toBe('entity.invalid_input');
    expect((await h.api('POST', base, { organizationRoleIds: [''] })).status).toBe(400);
  });

  it('PUT replaces the roles; an empty list removes them all', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const base = `/organizations/${organizationId}/users/${first.id}/roles`;
    await h.api('POST', base, { organizationRoleIds: [roleIds.admin, roleIds.member] });
    expect((await h.api('PUT', base, { organizationRoleNames: ['manager'] })).status).toBe(204);
    expect((await h.api<Array<{ name: string }>>('GET', base)).json.map((r) => r.name)).toEqual(['manager']);
    expect((await h.api('PUT', base, { organizationRoleIds: ['unknown-role'] })).status).toBe(422);
    expect((await h.api<Array<{ name: string }>>('GET', base)).json.map((r) => r.name)).toEqual(['manager']);
    expect((await h.api('PUT', base, {})).status).toBe(204);
    expect((await h.api('GET', base)).json).toEqual([]);
  });

  it('DELETE removes one role; a role not held is 404 entity.not_found', async () => {
    const { organizationId, first } = await organizationWithMembers();
    const base = `/organizations/${organizationId}/users/${first.id}/roles`;
    await h.api('POST', base, { organizationRoleIds: [roleIds.admin, roleIds.member] });
    expect((await h.api('DELETE', `${base}/${roleIds.admin}`)).status).toBe(204);
    const again = await h.api('DELETE', `${base}/${roleIds.admin}`);
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('entity.not_found');
    expect((await h.api('DELETE', `${base}/unknown-role`)).status).toBe(404);
  });
});

describe('GET /organizations/:id/users/:userId/scopes', () => {
  it('returns the distinct union of the member’s role scopes', async () => {
    const alice = await h.api<Array<{ name: string }>>(
      'GET',
      `/organizations/${acmeId}/users/${aliceId}/scopes`,
    );
    expect(alice.status).toBe(200);
    expect(alice.json.map((scope) => scope.name).sort()).toEqual([
      'assign:roles',
      'invite:members',
      'read:members',
      'remove:members',
    ]);
    expect(Object.keys(alice.json[0] ?? {}).sort()).toEqual(['description', 'id', 'name', 'tenantId']);
    const { organizationId, first } = await organizationWithMembers();
    await h.api('POST', `/organizations/${organizationId}/users/${first.id}/roles`, {
      organizationRoleIds: [roleIds.admin, roleIds.manager],
    });
    const union = await h.api<Array<{ name: string }>>(
      'GET',
      `/organizations/${organizationId}/users/${first.id}/scopes`,
    );
    expect(union.json).toHaveLength(4);
  });

  it('does not check membership: non-members and unknown ids get 200 []', async () => {
    expect((await h.api('GET', `/organizations/${globexId}/users/${aliceId}/scopes`)).json).toEqual([]);
    const unknown = await h.api('GET', '/organizations/unknown-org/users/unknown-user/scopes');
    expect(unknown.status).toBe(200);
    expect(unknown.json).toEqual([]);
    const carol = await userIdByEmail(h, 'carol@acme.example');
    expect((await h.api('GET', `/organizations/${acmeId}/users/${carol}/scopes`)).json).toEqual([]);
  });
});
