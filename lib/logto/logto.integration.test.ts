// lib/logto against the real local Logto (emulator/), seeded with the default profile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type EmulatorHandle, startEmulator } from '@/emulator/server';

import { type ManagementClient } from './client';
import { localLogtoClient } from './local-logto-client';
import { LogtoApiError, LogtoAuthError } from './errors';
import {
  createInvitation,
  deleteInvitation,
  getInvitation,
  listInvitations,
  updateInvitationStatus,
} from './invitations';
import {
  addMemberRoles,
  addOrganizationMembers,
  assignRolesToMembers,
  getMemberRoles,
  getMemberScopes,
  listOrganizationMembers,
  removeMemberRole,
  removeOrganizationMember,
  replaceMemberRoles,
} from './members';
import {
  createOrganization,
  deleteOrganization,
  getOrganization,
  listOrganizations,
  updateOrganization,
} from './organizations';
import { fetchAllPages } from './pagination';
import { listOrganizationRoles, listOrganizationScopes } from './roles';
import { type Organization, type OrganizationMember, type OrganizationRoleWithScopes } from './types';
import { getUserOrganizations, getUserTenantRoles, searchUsers } from './users';

let emulator: EmulatorHandle;
let client: ManagementClient;
let acme: Organization;
let roles: OrganizationRoleWithScopes[];

async function memberByEmail(email: string): Promise<OrganizationMember> {
  const { rows } = await listOrganizationMembers(acme.id, { q: email }, client);
  const member = rows.find(({ primaryEmail }) => primaryEmail === email);
  if (!member) throw new Error(`${email} is not an Acme member in the seed`);
  return member;
}

function roleId(name: string): string {
  const role = roles.find((candidate) => candidate.name === name);
  if (!role) throw new Error(`role ${name} is not seeded`);
  return role.id;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true });
  // Configured the way a deployer would point the portal at a Logto.
  client = localLogtoClient(emulator.url);
  const found = (await listOrganizations({ q: 'Acme' }, client)).rows.find(({ name }) => name === 'Acme');
  if (!found) throw new Error('Acme is not seeded');
  acme = found;
  roles = await listOrganizationRoles(client);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

describe('organizations', () => {
  it('lists all 43 seeded organizations over pages of 20', async () => {
    const first = await listOrganizations({ page: 1, pageSize: 20 }, client);
    expect(first.total).toBe(43);
    const all = await fetchAllPages((page, pageSize) => listOrganizations({ page, pageSize }, client), 20);
    expect(new Set(all.map(({ id }) => id)).size).toBe(43);
    expect((await getOrganization(acme.id, client)).name).toBe('Acme');
    const featured = await listOrganizations({ q: 'Acme', showFeatured: true }, client);
    expect(featured.rows.find(({ id }) => id === acme.id)?.usersCount).toBe(2_500);
    // Every call of this file shares the token fetched in beforeAll.
    expect(client.stats.tokenRequests).toBe(1);
  });

  it('creates, updates and deletes an organization', async () => {
    const created = await createOrganization({ name: `Client test ${Date.now()}` }, client);
    try {
      const updated = await updateOrganization(created.id, { description: 'from lib/logto' }, client);
      expect(updated.description).toBe('from lib/logto');
    } finally {
      await deleteOrganization(created.id, client);
    }
    await expect(getOrganization(created.id, client)).rejects.toMatchObject({
      status: 404,
      code: 'entity.not_exists_with_id',
    });
  });
});

describe("Acme's 2,500 members", () => {
  it('pages without overlap, and page 2 of size 10 equals rows 11–20 of a page of 20', async () => {
    const [page1, page2, smallPage2] = await Promise.all([
      listOrganizationMembers(acme.id, { page: 1, pageSize: 20 }, client),
      listOrganizationMembers(acme.id, { page: 2, pageSize: 20 }, client),
      listOrganizationMembers(acme.id, { page: 2, pageSize: 10 }, client),
    ]);
    expect([page1.total, page2.total, smallPage2.total]).toEqual([2_500, 2_500, 2_500]);
    expect(page1.rows).toHaveLength(20);
    expect(page2.rows).toHaveLength(20);
    const firstIds = new Set(page1.rows.map(({ id }) => id));
    expect(page2.rows.filter(({ id }) => firstIds.has(id))).toEqual([]);
    expect(smallPage2.rows.map(({ id }) => id)).toEqual(page1.rows.slice(10, 20).map(({ id }) => id));
    // Logto orders members by user id.
    const ids = [...page1.rows, ...page2.rows].map(({ id }) => id);
    expect(ids).toEqual([...ids].sort());
  });

  it('searches members and filters them by role', async () => {
    const alice = await memberByEmail('alice@acme.example');
    expect(alice.name).toBe('Alice Admin');
    expect(alice.organizationRoles.map(({ name }) => name)).toEqual(['admin']);

    const admins = await listOrganizationMembers(acme.id, { roleId: roleId('admin'), pageSize: 100 }, client);
    expect(admins.rows.map(({ id }) => id)).toContain(alice.id);
    expect(
      admins.rows.every(({ organizationRoles }) => organizationRoles.some(({ name }) => name === 'admin')),
    ).toBe(true);

    const nobody = await listOrganizationMembers(acme.id, { q: 'no-such-member-anywhere' }, client);
    expect(nobody).toMatchObject({ rows: [], total: 0 });
  });

  it("reads alice's and carol's scopes and roles", async () => {
    const alice = await memberByEmail('alice@acme.example');
    const carol = await memberByEmail('carol@acme.example');
    const aliceScopes = await getMemberScopes(acme.id, alice.id, client);
    expect(aliceScopes.map(({ name }) => name).sort()).toEqual([
      'assign:roles',
      'invite:members',
      'manage:organization',
      'read:members',
      'remove:members',
    ]);
    expect(await getMemberScopes(acme.id, carol.id, client)).toEqual([]);
    expect((await getMemberRoles(acme.id, carol.id, client)).map(({ name }) => name)).toEqual(['member']);
  });
});

describe('roles and scopes', () => {
  it('lists the organization template with each role’s scopes', async () => {
    const byName = Object.fromEntries(
      roles.map((role) => [role.name, role.scopes.map(({ name }) => name).sort()]),
    );
    expect(byName).toMatchObject({
      admin: ['assign:roles', 'invite:members', 'manage:organization', 'read:members', 'remove:members'],
      manager: ['invite:members', 'read:members'],
      member: [],
    });
    expect((await listOrganizationScopes(client)).map(({ name }) => name)).toEqual([
      'assign:roles',
      'invite:members',
      'manage:organization',
      'read:members',
      'remove:members',
    ]);
  });

  it('changes a member’s roles in an organization of its own', async () => {
    const carol = await memberByEmail('carol@acme.example');
    const bob = await memberByEmail('bob@acme.example');
    const scratch = await createOrganization({ name: `Roles test ${Date.now()}` }, client);
    try {
      await addOrganizationMembers(scratch.id, [carol.id, bob.id], client);
      await expect(getMemberRoles(scratch.id, carol.id, client)).resolves.toEqual([]);

      await addMemberRoles(scratch.id, carol.id, [roleId('manager')], client);
      await replaceMemberRoles(scratch.id, carol.id, [roleId('admin'), roleId('member')], client);
      expect((await getMemberRoles(scratch.id, carol.id, client)).map(({ name }) => name).sort()).toEqual([
        'admin',
        'member',
      ]);
      await removeMemberRole(scratch.id, carol.id, roleId('admin'), client);
      await assignRolesToMembers(scratch.id, [carol.id, bob.id], [roleId('manager')], client);
      expect((await getMemberRoles(scratch.id, bob.id, client)).map(({ name }) => name)).toEqual(['manager']);
      expect((await getMemberScopes(scratch.id, carol.id, client)).map(({ name }) => name).sort()).toEqual([
        'invite:members',
        'read:members',
      ]);

      await removeOrganizationMember(scratch.id, bob.id, client);
      const error = await getMemberRoles(scratch.id, bob.id, client).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LogtoApiError);
      expect(error).toMatchObject({ status: 422, code: 'organization.require_membership' });
    } finally {
      await deleteOrganization(scratch.id, client);
    }
  });
});

describe('invitations', () => {
  it('lists the seeded invitations of Acme by status', async () => {
    const invitations = await listInvitations({ organizationId: acme.id }, client);
    const statuses = invitations.map(({ status }) => status);
    expect(statuses.filter((status) => status === 'Pending').length).toBeGreaterThanOrEqual(3);
    expect(statuses).toEqual(expect.arrayContaining(['Expired', 'Revoked', 'Accepted']));
  });

  it('creates, lists, revokes and deletes an invitation', async () => {
    const alice = await memberByEmail('alice@acme.example');
    const invitee = `client-test-${Date.now()}@example.com`;
    const created = await createInvitation(
      {
        organizationId: acme.id,
        invitee,
        inviterId: alice.id,
        expiresAt: Date.now() + 7 * 24 * 3_600_000,
        organizationRoleIds: [roleId('member')],
        messagePayload: { link: 'http://localhost:3000/invitations/pending' },
      },
      client,
    );
    try {
      expect(created).toMatchObject({ status: 'Pending', invitee, organizationId: acme.id });
      expect(created.organizationRoles.map(({ name }) => name)).toEqual(['member']);

      const listed = await listInvitations(
        { organizationId: acme.id, invitee: invitee.toUpperCase() },
        client,
      );
      expect(listed.map(({ id }) => id)).toEqual([created.id]);

      const revoked = await updateInvitationStatus(created.id, 'Revoked', undefined, client);
      expect(revoked.status).toBe('Revoked');
      expect((await getInvitation(created.id, client)).status).toBe('Revoked');
      await expect(updateInvitationStatus(created.id, 'Revoked', undefined, client)).rejects.toMatchObject({
        status: 422,
        code: 'request.invalid_input',
      });
    } finally {
      await deleteInvitation(created.id, client);
    }
    await expect(getInvitation(created.id, client)).rejects.toMatchObject({
      status: 404,
      code: 'entity.not_found',
    });
  });
});

describe('users', () => {
  it('finds the operator and their tenant role', async () => {
    const { rows, total } = await searchUsers({ search: 'operator@example.com' }, client);
    expect(total).toBe(1);
    const operator = rows[0]!;
    expect(operator.name).toBe('Olivia Operator');
    expect((await getUserTenantRoles(operator.id, client)).map(({ name }) => name)).toContain(
      'portal-operator',
    );
    expect(await getUserOrganizations(operator.id, client)).toEqual([]);
  });

  it("excludes an organization's members, and reads a user's organizations", async () => {
    const alice = await memberByEmail('alice@acme.example');
    expect((await searchUsers({ search: 'alice@acme' }, client)).rows.map(({ id }) => id)).toEqual([
      alice.id,
    ]);
    expect(await searchUsers({ search: 'alice@acme', excludeOrganizationId: acme.id }, client)).toMatchObject(
      {
        rows: [],
        total: 0,
      },
    );
    // `_` must match literally, not as a LIKE wildcard.
    expect((await searchUsers({ search: 'alice_acme' }, client)).total).toBe(0);

    const organizations = await getUserOrganizations(alice.id, client);
    const inAcme = organizations.find(({ id }) => id === acme.id);
    expect(inAcme?.organizationRoles.map(({ name }) => name)).toEqual(['admin']);
  });
});

describe('faults injected by the local Logto', () => {
  it('retries a GET through 503s but never a POST', async () => {
    const retriesBefore = client.stats.retries;
    emulator.faults.set({ failNext: { count: 2, status: 503 } });
    try {
      await expect(getOrganization(acme.id, client)).resolves.toMatchObject({ name: 'Acme' });
      expect(client.stats.retries - retriesBefore).toBe(2);

      emulator.faults.set({ failNext: { count: 1, status: 503 } });
      emulator.faults.resetStats();
      await expect(createOrganization({ name: 'Never created' }, client)).rejects.toMatchObject({
        status: 503,
      });
      expect(emulator.faults.stats().apiRequests).toBe(1);
    } finally {
      emulator.faults.clear();
    }
  });

  it("waits out the local Logto's rate limit (429 + Retry-After) instead of failing", async () => {
    // Ten pages at once against five per 2 s: the last five are refused at least once, and with
    // backoff alone (no waiting for Retry-After) they would run out of retries inside the window.
    emulator.faults.set({ rateLimit: { limit: 5, windowMs: 2_000 } });
    emulator.faults.resetStats();
    const retriesBefore = client.stats.retries;
    try {
      const pages = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          listOrganizationMembers(acme.id, { page: index + 1, pageSize: 5 }, client),
        ),
      );
      expect(pages.every(({ total }) => total === 2_500)).toBe(true);
      const stats = emulator.faults.stats();
      const answered = stats.byRoute['GET /organizations/:id/users'] ?? 0;
      const refused = stats.apiRequests - answered;
      expect(answered).toBe(10);
      expect(refused).toBeGreaterThanOrEqual(5);
      // Every refusal was followed by exactly one more attempt, and nothing else was retried.
      expect(client.stats.retries - retriesBefore).toBe(refused);
    } finally {
      emulator.faults.clear();
    }
  });

  it('reports a token endpoint outage as LogtoAuthError', async () => {
    const fresh = localLogtoClient(emulator.url);
    emulator.faults.set({ tokenEndpointDown: true });
    try {
      const error = await getOrganization(acme.id, fresh).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LogtoAuthError);
      expect(error).toMatchObject({ status: 503 });
    } finally {
      emulator.faults.clear();
    }
  });
});
