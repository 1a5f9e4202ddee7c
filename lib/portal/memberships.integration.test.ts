// A person's own standing (lib/portal/memberships, declining in lib/portal/invitations) against
// the real local Logto (emulator/), over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import type { Actor } from '@/lib/auth/actor';
import { localLogtoClient } from '@/lib/logto/local-logto-client';
import {
  addOrganizationMembers,
  createInvitation,
  createUser,
  getInvitation,
  getMemberRoles,
  listOrganizationMembers,
  listOrganizationRoles,
  listOrganizations,
  LogtoApiError,
  type ManagementClient,
  replaceMemberRoles,
} from '@/lib/logto';
import { NotFoundError } from '@/lib/permissions';
import { LastRoleAssignerError } from '@/lib/permissions/last-admin';
import { declineInvitationAs, InvitationEmailMismatchError, InvitationNotPendingError } from './invitations';
import type { MemberReads } from './members';
import { leaveOrganization, loadOwnView } from './memberships';

let emulator: EmulatorHandle;
let client: ManagementClient;
const orgs: Record<'acme' | 'globex' | 'initech', string> = { acme: '', globex: '', initech: '' };
let roleIds: Record<string, string>;
let mia: Actor;
let alice: Actor;

async function roleNames(userId: string, orgId: string): Promise<string[] | null> {
  try {
    return (await getMemberRoles(orgId, userId, client)).map((role) => role.name).sort();
  } catch (error) {
    if (error instanceof LogtoApiError && error.code === 'organization.require_membership') return null;
    throw error;
  }
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, bigOrgMembers: 20 });
  client = localLogtoClient(emulator.url);
  const organizations = (await listOrganizations({ pageSize: 100 }, client)).rows;
  for (const name of ['Acme', 'Globex', 'Initech'] as const) {
    orgs[name.toLowerCase() as keyof typeof orgs] = organizations.find((org) => org.name === name)!.id;
  }
  roleIds = Object.fromEntries((await listOrganizationRoles(client)).map((role) => [role.name, role.id]));
  const user = await createUser({ name: 'Mia Member', primaryEmail: 'mia@members.example' }, client);
  mia = { userId: user.id, email: 'mia@members.example', name: 'Mia Member', isOperator: false };
  await addOrganizationMembers(orgs.acme, [user.id], client);
  await replaceMemberRoles(orgs.acme, user.id, [roleIds.member!], client);
  const aliceRow = (await listOrganizationMembers(orgs.acme, { q: 'alice@acme.example' }, client)).rows[0]!;
  alice = { userId: aliceRow.id, email: 'alice@acme.example', name: 'Alice Admin', isOperator: false };
}, 120_000);

afterAll(async () => {
  await emulator?.close();
});

const invite = (organizationId: string, invitee: string) =>
  createInvitation(
    {
      organizationId,
      invitee,
      organizationRoleIds: [roleIds.manager!],
      expiresAt: Date.now() + 86_400_000,
      messagePayload: false,
    },
    client,
  );

describe('loadOwnView', () => {
  it('lists every membership with its roles, and open invitations to the primary email', async () => {
    const invitation = await invite(orgs.globex, 'MIA@members.example');
    const view = await loadOwnView(mia, client);
    expect(view.memberships).toEqual([
      {
        orgId: orgs.acme,
        name: 'Acme',
        description: expect.any(String),
        roles: [{ id: roleIds.member, name: 'member' }],
        canManage: false,
      },
    ]);
    expect(view.invitations).toEqual([
      {
        id: invitation.id,
        orgId: orgs.globex,
        organizationName: 'Globex',
        roles: [{ id: roleIds.manager, name: 'manager' }],
        expiresAt: invitation.expiresAt,
      },
    ]);
    // An admin may open the organization from there.
    expect(
      (await loadOwnView(alice, client)).memberships.find((row) => row.orgId === orgs.acme)?.canManage,
    ).toBe(true);
  });
});

describe('declineInvitationAs', () => {
  it('revokes an invitation to the person’s own email, once; nobody else may', async () => {
    const invitation = await invite(orgs.initech, 'mia@members.example');
    await expect(declineInvitationAs(alice.userId, invitation.id, client)).rejects.toBeInstanceOf(
      InvitationEmailMismatchError,
    );
    expect((await getInvitation(invitation.id, client)).status).toBe('Pending');
    expect(await declineInvitationAs(mia.userId, invitation.id, client)).toEqual({
      organizationId: orgs.initech,
    });
    expect((await getInvitation(invitation.id, client)).status).toBe('Revoked');
    await expect(declineInvitationAs(mia.userId, invitation.id, client)).rejects.toBeInstanceOf(
      InvitationNotPendingError,
    );
  });
});

describe('leaveOrganization', () => {
  it('refuses the last holder of assign:roles, and changes nothing', async () => {
    await expect(leaveOrganization({ actor: alice, orgId: orgs.acme, client })).rejects.toBeInstanceOf(
      LastRoleAssignerError,
    );
    expect(await roleNames(alice.userId, orgs.acme)).toEqual(['admin']);
  });

  it('answers "not found" for an organization the person is not in, or that does not exist', async () => {
    await expect(leaveOrganization({ actor: mia, orgId: orgs.initech, client })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(leaveOrganization({ actor: mia, orgId: 'no such org!', client })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('takes a member out, reporting the roles they held', async () => {
    const reads: MemberReads = new Map();
    expect(await leaveOrganization({ actor: mia, orgId: orgs.acme, reads, client })).toEqual({
      orgId: orgs.acme,
    });
    expect(reads.get(mia.userId)?.roles.map((role) => role.name)).toEqual(['member']);
    expect(await roleNames(mia.userId, orgs.acme)).toBeNull();
  });
});
