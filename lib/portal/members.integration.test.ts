// lib/portal/members against the real local Logto (emulator/), over HTTP, with a small Acme.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { localLogtoClient } from '@/lib/logto/local-logto-client';
import {
  createUser,
  getMemberRoles,
  listOrganizationMembers,
  listOrganizationRoles,
  listOrganizations,
  LogtoApiError,
  type ManagementClient,
  type OrganizationRoleWithScopes,
  replaceMemberRoles,
} from '@/lib/logto';
import { ForbiddenError, type OrgAccess } from '@/lib/permissions';
import { InvalidRoleIdsError, RoleEscalationError } from '@/lib/permissions/grants';
import { LastRoleAssignerError } from '@/lib/permissions/last-admin';
import {
  addExistingUsers,
  assignRoleToMembers,
  changeMemberRoles,
  type MemberReads,
  MEMBERS_CSV_HEADER,
  readMember,
  readMembers,
  removeMember,
  removeMembers,
  searchCandidateUsers,
  streamMembersCsv,
  toRoleOptions,
} from './members';
import { loadRolesOverview } from './roles';

const ACME_SIZE = 60;

let emulator: EmulatorHandle;
let client: ManagementClient;
let acmeId: string;
let globexId: string;
let roles: OrganizationRoleWithScopes[];
const people: Record<'alice' | 'bob' | 'carol', string> = { alice: '', bob: '', carol: '' };
let generated: string[];

function roleId(name: string): string {
  const role = roles.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`role ${name} is not seeded`);
  return role.id;
}

function access(orgId: string, scopeNames: string[], isOperator = false): OrgAccess {
  return { orgId, isOperator, scopes: [], scopeNames };
}

// What the seeded admin role holds.
const ADMIN_SCOPES = [
  'read:members',
  'invite:members',
  'remove:members',
  'assign:roles',
  'manage:organization',
];
const acmeAdmin = () => access(acmeId, ADMIN_SCOPES);
const operator = () => access(acmeId, ADMIN_SCOPES, true);

async function roleNames(userId: string, orgId = acmeId): Promise<string[] | null> {
  try {
    return (await getMemberRoles(orgId, userId, client)).map((role) => role.name).sort();
  } catch (error) {
    if (error instanceof LogtoApiError && error.code === 'organization.require_membership') return null;
    throw error;
  }
}

async function memberId(email: string, orgId = acmeId): Promise<string> {
  const member = (await listOrganizationMembers(orgId, { q: email }, client)).rows.find(
    (row) => row.primaryEmail === email,
  );
  if (!member) throw new Error(`${email} is not a member`);
  return member.id;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  // `ignoreBOM` keeps the byte-order mark in the text, so the test can see it is there.
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Response(stream).arrayBuffer());
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: ACME_SIZE });
  client = localLogtoClient(emulator.url);
  const organizations = (await listOrganizations({ pageSize: 100 }, client)).rows;
  acmeId = organizations.find((org) => org.name === 'Acme')!.id;
  globexId = organizations.find((org) => org.name === 'Globex')!.id;
  roles = await listOrganizationRoles(client);
  people.alice = await memberId('alice@acme.example');
  people.bob = await memberId('bob@acme.example');
  people.carol = await memberId('carol@acme.example');
  generated = (await listOrganizationMembers(acmeId, { q: '@acme.example', pageSize: 100 }, client)).rows
    .filter((row) => /^user\d+@/.test(row.primaryEmail ?? ''))
    .map((row) => row.id);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

beforeEach(async () => {
  // The seeded roles in Acme, whatever the previous test did.
  await Promise.all([
    replaceMemberRoles(acmeId, people.alice, [roleId('admin')], client),
    replaceMemberRoles(acmeId, people.bob, [roleId('manager')], client),
    replaceMemberRoles(acmeId, people.carol, [roleId('member')], client),
  ]);
});

describe('changeMemberRoles', () => {
  it('sets exactly the given roles and answers them by name', async () => {
    const result = await changeMemberRoles({
      access: acmeAdmin(),
      orgId: acmeId,
      userId: people.carol,
      roleIds: [roleId('member'), roleId('manager'), roleId('manager')],
      client,
    });
    expect(result).toEqual({
      userId: people.carol,
      roles: [
        { id: roleId('manager'), name: 'manager' },
        { id: roleId('member'), name: 'member' },
      ],
    });
    expect(await roleNames(people.carol)).toEqual(['manager', 'member']);
  });

  it('reports the member it read, email and roles before, and reads nobody else', async () => {
    const reads: MemberReads = new Map();
    const before = client.stats.requests;
    await changeMemberRoles({
      access: acmeAdmin(),
      orgId: acmeId,
      userId: people.carol,
      roleIds: [roleId('manager')],
      client,
      reads,
    });
    // The member (one search gives email and roles) and the change: nobody holds `assign:roles`
    // before or after, so rule 4 asks nothing.
    expect(client.stats.requests - before).toBe(2);
    expect([...reads]).toEqual([
      [people.carol, { email: 'carol@acme.example', roles: [{ id: roleId('member'), name: 'member' }] }],
    ]);
  });

  it('refuses someone who is not a member, and ids that are not person roles', async () => {
    const globexMember = await memberId('dave@globex.example', globexId);
    const outsider = (await createUser({ primaryEmail: `outsider-${Date.now()}@example.com` }, client)).id;
    await expect(
      changeMemberRoles({ access: acmeAdmin(), orgId: acmeId, userId: outsider, roleIds: [], client }),
    ).rejects.toMatchObject({ code: 'organization.require_membership' });
    await expect(
      changeMemberRoles({ access: acmeAdmin(), orgId: globexId, userId: outsider, roleIds: [], client }),
    ).rejects.toMatchObject({ code: 'organization.require_membership' });
    await expect(
      changeMemberRoles({
        access: acmeAdmin(),
        orgId: acmeId,
        userId: people.carol,
        roleIds: ['nope'],
        client,
      }),
    ).rejects.toBeInstanceOf(InvalidRoleIdsError);
    expect(await roleNames(globexMember, globexId)).toEqual(['admin']);
  });

  it('never lets an actor grant or take away a role beyond their own scopes (rule 3)', async () => {
    // A custom position: may read and assign roles, may not invite.
    const assigner = access(acmeId, ['read:members', 'assign:roles']);
    await expect(
      changeMemberRoles({
        access: assigner,
        orgId: acmeId,
        userId: people.carol,
        roleIds: [roleId('member'), roleId('manager')],
        client,
      }),
    ).rejects.toBeInstanceOf(RoleEscalationError);
    await expect(
      changeMemberRoles({
        access: assigner,
        orgId: acmeId,
        userId: people.bob,
        roleIds: [roleId('member')],
        client,
      }),
    ).rejects.toMatchObject({ roleNames: ['manager'] });
    expect(await roleNames(people.carol)).toEqual(['member']);
    expect(await roleNames(people.bob)).toEqual(['manager']);
    // Roles within their scopes are fine.
    await changeMemberRoles({ access: assigner, orgId: acmeId, userId: people.carol, roleIds: [], client });
    expect(await roleNames(people.carol)).toEqual([]);
    expect(toRoleOptions(assigner, roles).map((role) => [role.name, role.isGrantable])).toEqual([
      ['admin', false],
      ['manager', false],
      ['member', true],
    ]);
  });

  it('keeps someone holding assign:roles (rule 4), for operators too', async () => {
    for (const actor of [acmeAdmin(), operator()]) {
      await expect(
        changeMemberRoles({
          access: actor,
          orgId: acmeId,
          userId: people.alice,
          roleIds: [roleId('member')],
          client,
        }),
      ).rejects.toBeInstanceOf(LastRoleAssignerError);
    }
    expect(await roleNames(people.alice)).toEqual(['admin']);

    // With a second admin, alice may step down.
    await changeMemberRoles({
      access: acmeAdmin(),
      orgId: acmeId,
      userId: people.bob,
      roleIds: [roleId('admin')],
      client,
    });
    await changeMemberRoles({
      access: acmeAdmin(),
      orgId: acmeId,
      userId: people.alice,
      roleIds: [roleId('member')],
      client,
    });
    expect(await roleNames(people.alice)).toEqual(['member']);
  });

  it('lets only one of two admins demoting each other at once succeed', async () => {
    await replaceMemberRoles(acmeId, people.bob, [roleId('admin')], client);
    const outcomes = await Promise.allSettled([
      changeMemberRoles({ access: acmeAdmin(), orgId: acmeId, userId: people.alice, roleIds: [], client }),
      changeMemberRoles({ access: acmeAdmin(), orgId: acmeId, userId: people.bob, roleIds: [], client }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    const holders = [await roleNames(people.alice), await roleNames(people.bob)].filter((names) =>
      names?.includes('admin'),
    );
    expect(holders).toHaveLength(1);
  });

  it('asks Logto once for the holders when the organization has more of them than the change touches', async () => {
    await replaceMemberRoles(acmeId, people.bob, [roleId('admin')], client);
    const before = client.stats.requests;
    await changeMemberRoles({ access: acmeAdmin(), orgId: acmeId, userId: people.bob, roleIds: [], client });
    // Current roles, holders of `admin` (the only assigner role), the change itself.
    expect(client.stats.requests - before).toBe(3);
  });
});

describe('removeMember and removeMembers', () => {
  it('removes a member, but never the last holder of assign:roles', async () => {
    const [target] = generated;
    await removeMember({ access: acmeAdmin(), orgId: acmeId, userId: target!, client });
    expect(await roleNames(target!)).toBeNull();
    await expect(
      removeMember({ access: acmeAdmin(), orgId: acmeId, userId: target!, client }),
    ).rejects.toMatchObject({
      code: 'organization.require_membership',
    });
    await expect(
      removeMember({ access: acmeAdmin(), orgId: acmeId, userId: people.alice, client }),
    ).rejects.toBeInstanceOf(LastRoleAssignerError);
    expect(await roleNames(people.alice)).toEqual(['admin']);
  });

  it('reports the member it read, refused or not', async () => {
    const reads: MemberReads = new Map();
    await expect(
      removeMember({ access: acmeAdmin(), orgId: acmeId, userId: people.alice, client, reads }),
    ).rejects.toBeInstanceOf(LastRoleAssignerError);
    expect(reads.get(people.alice)).toEqual({
      email: 'alice@acme.example',
      roles: [{ id: roleId('admin'), name: 'admin' }],
    });
  });

  it('judges a batch as a whole: the last holders stay, the others go, strangers are reported', async () => {
    const targets = generated.slice(1, 4);
    const stranger = (await createUser({ primaryEmail: `stranger-${Date.now()}@example.com` }, client)).id;
    const result = await removeMembers({
      access: acmeAdmin(),
      orgId: acmeId,
      userIds: [people.alice, ...targets, stranger],
      client,
    });
    expect(result.succeeded.sort()).toEqual([...targets].sort());
    expect(result.failed).toEqual([
      { userId: people.alice, reason: 'last_role_assigner' },
      { userId: stranger, reason: 'not_a_member' },
    ]);
    expect(await roleNames(people.alice)).toEqual(['admin']);
    for (const target of targets) expect(await roleNames(target)).toBeNull();
  });

  it('reads a batch once under the lock, reports it, and asks nothing of Logto for strangers', async () => {
    const targets = generated.slice(6, 8);
    const stranger = (await createUser({ primaryEmail: `stranger-${Date.now()}@example.com` }, client)).id;
    const reads: MemberReads = new Map();
    const before = client.stats.requests;
    const result = await removeMembers({
      access: acmeAdmin(),
      orgId: acmeId,
      userIds: [stranger, ...targets],
      client,
      reads,
    });
    // One page holds all of Acme; nobody leaving holds `assign:roles`; the two removals.
    expect(client.stats.requests - before).toBe(3);
    expect(result).toEqual({ succeeded: targets, failed: [{ userId: stranger, reason: 'not_a_member' }] });
    expect([...reads.keys()]).toEqual(targets);
    for (const target of targets) {
      expect(reads.get(target)).toEqual({
        email: expect.stringMatching(/^user\d+@acme\.example$/),
        roles: [{ id: roleId('member'), name: 'member' }],
      });
    }
  });

  it('never removes someone holding a role the actor could not grant (rule 3), alone or in a batch', async () => {
    // A custom position: may read and remove members, nothing else.
    const remover = access(acmeId, ['read:members', 'remove:members']);
    const [plain, another] = generated.slice(4, 6);
    await expect(
      removeMember({ access: remover, orgId: acmeId, userId: people.bob, client }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await roleNames(people.bob)).toEqual(['manager']);

    const result = await removeMembers({
      access: remover,
      orgId: acmeId,
      userIds: [people.bob, plain!],
      client,
    });
    expect(result).toEqual({ succeeded: [plain], failed: [{ userId: people.bob, reason: 'forbidden' }] });
    expect(await roleNames(people.bob)).toEqual(['manager']);
    expect(await roleNames(plain!)).toBeNull();

    // Members holding only roles within the actor's scopes may go.
    await removeMember({ access: remover, orgId: acmeId, userId: another!, client });
    expect(await roleNames(another!)).toBeNull();
  });
});

describe('assignRoleToMembers', () => {
  it('gives a role to every member of the batch in one call', async () => {
    const batch = generated.slice(10, 15);
    const before = client.stats.requests;
    const result = await assignRoleToMembers({
      access: acmeAdmin(),
      orgId: acmeId,
      userIds: batch,
      roleId: roleId('manager'),
      client,
    });
    expect(client.stats.requests - before).toBe(1);
    expect(result).toEqual({ succeeded: batch, failed: [] });
    for (const userId of batch) expect(await roleNames(userId)).toEqual(['manager', 'member']);
  });

  it('reports the users who are not members and still serves the others', async () => {
    const batch = generated.slice(15, 17);
    const globexOnly = await memberId('dave@globex.example', globexId);
    const outsider = (await createUser({ primaryEmail: `out-${Date.now()}@example.com` }, client)).id;
    const reads: MemberReads = new Map();
    const result = await assignRoleToMembers({
      access: acmeAdmin(),
      orgId: acmeId,
      userIds: [...batch, outsider],
      roleId: roleId('manager'),
      client,
      reads,
    });
    expect(result).toEqual({ succeeded: batch, failed: [{ userId: outsider, reason: 'not_a_member' }] });
    for (const userId of batch) expect(await roleNames(userId)).toEqual(['manager', 'member']);
    expect(await roleNames(globexOnly, globexId)).toEqual(['admin']);
    // The fallback read the members' roles before granting: it reports them.
    expect([...reads]).toEqual(
      batch.map((userId) => [userId, { roles: [{ id: roleId('member'), name: 'member' }] }]),
    );
  });

  it('refuses a role beyond the actor’s scopes before touching anyone', async () => {
    await expect(
      assignRoleToMembers({
        access: access(acmeId, ['read:members', 'assign:roles']),
        orgId: acmeId,
        userIds: [people.carol],
        roleId: roleId('admin'),
        client,
      }),
    ).rejects.toBeInstanceOf(RoleEscalationError);
    expect(await roleNames(people.carol)).toEqual(['member']);
  });
});

describe('readMember and readMembers', () => {
  it('find members by exact id only, and say who is not one as Logto would', async () => {
    const outsider = (await createUser({ primaryEmail: `reader-${Date.now()}@example.com` }, client)).id;
    expect(await readMember(acmeId, people.bob, client)).toEqual({
      email: 'bob@acme.example',
      roles: [{ id: roleId('manager'), name: 'manager' }],
    });
    // `q` also matches emails and names: "acme" is in every Acme member's email, and nobody's id.
    for (const userId of [outsider, 'acme']) {
      await expect(readMember(acmeId, userId, client)).rejects.toMatchObject({
        status: 422,
        code: 'organization.require_membership',
      });
    }
    const { members, failed } = await readMembers(acmeId, [people.alice, outsider, people.carol], client);
    expect([...members.keys()].sort()).toEqual([people.alice, people.carol].sort());
    expect(failed.size).toBe(0);
  });
});

describe('operators only (rule 5)', () => {
  it('adds existing users with roles; tenant admins are refused before any call', async () => {
    const newcomer = (
      await createUser({ primaryEmail: `new-${Date.now()}@example.com`, name: 'New Person' }, client)
    ).id;
    const before = client.stats.requests;
    await expect(
      addExistingUsers({ access: acmeAdmin(), orgId: acmeId, userIds: [newcomer], roleIds: [], client }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      searchCandidateUsers({ access: acmeAdmin(), orgId: acmeId, q: 'new', client }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(client.stats.requests).toBe(before);

    const found = await searchCandidateUsers({ access: operator(), orgId: acmeId, q: 'New Person', client });
    expect(found.rows.map((user) => user.id)).toContain(newcomer);
    await addExistingUsers({
      access: operator(),
      orgId: acmeId,
      userIds: [newcomer],
      roleIds: [roleId('manager')],
      client,
    });
    expect(await roleNames(newcomer)).toEqual(['manager']);
    // Members are no longer offered.
    const again = await searchCandidateUsers({ access: operator(), orgId: acmeId, q: 'New Person', client });
    expect(again.rows.map((user) => user.id)).not.toContain(newcomer);
    await removeMember({ access: operator(), orgId: acmeId, userId: newcomer, client });
  });
});

describe('streamMembersCsv', () => {
  it('streams a header and one record per member, all pages, with roles', async () => {
    const total = (await listOrganizationMembers(acmeId, { pageSize: 1 }, client)).total;
    // Small pages, so the walk crosses several of them.
    const text = await readAll(streamMembersCsv(acmeId, { pageSize: 7 }, client));
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).split('\r\n').slice(0, -1);
    expect(lines[0]).toBe(MEMBERS_CSV_HEADER.join(','));
    expect(lines).toHaveLength(total + 1);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0])).size).toBe(total);
    expect(lines.find((line) => line.startsWith(people.alice))).toMatch(
      /,Alice Admin,[^,]*,alice@acme\.example,admin,/,
    );
  });

  it('stops asking Logto when the download is cancelled', async () => {
    const before = client.stats.requests;
    const reader = streamMembersCsv(acmeId, { pageSize: 5 }, client).getReader();
    await reader.read();
    await reader.read();
    // Cancelling waits for the page walk to end (a generator's return waits out the page being
    // fetched), so nothing can be asked after this: no need to wait and see.
    await reader.cancel();
    // Twelve pages exist; only the ones read plus one buffered ahead were fetched.
    expect(client.stats.requests - before).toBeLessThanOrEqual(3);
  });
});

describe('loadRolesOverview', () => {
  it('lists the person roles with their permissions and member counts here', async () => {
    const { roles: summaries, permissions } = await loadRolesOverview(acmeId, client);
    expect(permissions.map((permission) => [permission.name, permission.portalScope])).toEqual([
      ['assign:roles', 'assignRoles'],
      ['invite:members', 'inviteMembers'],
      ['manage:organization', 'manageOrganization'],
      ['read:members', 'readMembers'],
      ['remove:members', 'removeMembers'],
    ]);
    const byName = Object.fromEntries(summaries.map((role) => [role.name, role]));
    expect(byName.admin?.memberCount).toBe(1);
    // Earlier tests handed out `manager`; the count is whatever Logto says holds it now.
    const managers = await listOrganizationMembers(
      acmeId,
      { roleId: roleId('manager'), pageSize: 1 },
      client,
    );
    expect(byName.manager?.memberCount).toBe(managers.total);
    expect(managers.total).toBeGreaterThan(1);
    expect(byName.admin?.scopeIds).toHaveLength(5);
    expect(byName.member?.scopeIds).toEqual([]);
  });
});
