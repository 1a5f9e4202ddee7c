import 'server-only';

import type { Actor } from '@/lib/auth/actor';
import { getConfig } from '@/lib/config';
import {
  getOrganization,
  getUser,
  listInvitations,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
  removeOrganizationMember,
} from '@/lib/logto';
import { forgetOrgAccess, NotFoundError, requireMembership } from '@/lib/permissions';
import { roleIdsWithScope } from '@/lib/permissions/scopes';
import { assertKeepsRoleAssigner } from '@/lib/permissions/last-admin';
import { withOrganizationLock } from '@/lib/store';
import type { MemberReads } from './members';
import { getOrganizationOnce, getUserOrganizationsOnce } from './organizations';

const ORGANIZATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** One organization the signed-in person belongs to, as their own view lists it. */
export type MembershipRow = {
  orgId: string;
  name: string;
  description: string | null;
  roles: { id: string; name: string }[];
  /** Their roles let them open the organization's pages here (`read:members`). */
  canManage: boolean;
};

/** An invitation addressed to the signed-in person's verified email, still open. */
export type OwnInvitationRow = {
  id: string;
  orgId: string;
  organizationName: string;
  roles: { id: string; name: string }[];
  /** Epoch ms. */
  expiresAt: number;
};

export type OwnView = { memberships: MembershipRow[]; invitations: OwnInvitationRow[] };

/**
 * What a person sees of their own standing: every organization they belong to with their roles
 * there (whether or not they may manage it), and the pending, unexpired invitations addressed to
 * their primary email as Logto has it (never the session's copy). Sorted by name.
 */
export async function loadOwnView(actor: Actor, client?: ManagementClient): Promise<OwnView> {
  const [organizations, roles, user] = await Promise.all([
    getUserOrganizationsOnce(actor.userId, client),
    listOrganizationRoles(client),
    getUser(actor.userId, client),
  ]);
  const readerRoles = roleIdsWithScope(roles, getConfig().scopes.readMembers);
  const memberships = organizations
    .map((org): MembershipRow => ({
      orgId: org.id,
      name: org.name,
      description: org.description ?? null,
      roles: org.organizationRoles
        .map((role) => ({ id: role.id, name: role.name }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      canManage: actor.isOperator || org.organizationRoles.some((role) => readerRoles.has(role.id)),
    }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.orgId.localeCompare(b.orgId));

  const email = user.primaryEmail;
  if (!email) return { memberships, invitations: [] };
  const now = Date.now();
  const pending = (await listInvitations({ invitee: email }, client)).filter(
    (invitation) => invitation.status === 'Pending' && invitation.expiresAt > now,
  );
  const invitations = await Promise.all(
    pending.map(async (invitation): Promise<OwnInvitationRow> => {
      let organizationName = invitation.organizationId;
      try {
        organizationName = (
          await (client
            ? getOrganization(invitation.organizationId, client)
            : getOrganizationOnce(invitation.organizationId))
        ).name;
      } catch (error) {
        // An organization deleted a moment ago takes its invitations with it; show the id meanwhile.
        if (!(error instanceof LogtoApiError && error.status === 404)) throw error;
      }
      return {
        id: invitation.id,
        orgId: invitation.organizationId,
        organizationName,
        roles: invitation.organizationRoles.map((role) => ({ id: role.id, name: role.name })),
        expiresAt: invitation.expiresAt,
      };
    }),
  );
  return { memberships, invitations };
}

/**
 * The signed-in person leaves an organization. Under the organization's lock: they must be a
 * member (else "not found", as for anyone else's organization), and the organization must keep
 * someone holding `assign:roles` (rule 4), so the last admin cannot walk away from it. What was
 * read (their roles) is reported in `reads` for the activity log.
 */
export async function leaveOrganization({
  actor,
  orgId,
  reads,
  client,
}: {
  actor: Actor;
  orgId: string;
  reads?: MemberReads;
  client?: ManagementClient;
}): Promise<{ orgId: string }> {
  // A malformed id never reaches the lock: it names no organization anyway.
  if (!ORGANIZATION_ID.test(orgId)) throw new NotFoundError();
  const roles = await listOrganizationRoles(client);
  return withOrganizationLock(orgId, async () => {
    try {
      const held = await requireMembership(actor, orgId, client);
      reads?.set(actor.userId, { email: actor.email, roles: held });
      await assertKeepsRoleAssigner(
        orgId,
        { leaving: [{ userId: actor.userId, roleIds: held.map((role) => role.id) }] },
        roles,
        client,
      );
      await removeOrganizationMember(orgId, actor.userId, client);
      return { orgId };
    } finally {
      await forgetOrgAccess(orgId, [actor.userId]);
    }
  });
}
