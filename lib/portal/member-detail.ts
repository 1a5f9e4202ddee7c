import 'server-only';

import type { Actor } from '@/lib/auth/actor';
import { toActivityListRow } from '@/lib/activity/read';
import { activitySentence, reasonText } from '@/lib/activity/sentence';
import type { Translator } from '@/lib/i18n/messages';
import { getConfig } from '@/lib/config';
import {
  getUser,
  listInvitations,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
} from '@/lib/logto';
import { NotFoundError, type OrgAccess, requireOrgScopes } from '@/lib/permissions';
import { type Scope, scopesFromNames } from '@/lib/permissions/scopes';
import { queryActivity } from '@/lib/store';
import { readMember } from './members';

/** How many of a member's latest activity entries the detail panel shows. */
export const MEMBER_ACTIVITY_LIMIT = 8;

/** One of the member's roles and what it allows. */
export type MemberRoleDetail = {
  id: string;
  name: string;
  description: string | null;
  /** The portal permissions it grants, as stable keys the browser words. */
  permissions: Scope[];
  /** Other organization permissions of the tenant it grants, by name. */
  otherPermissions: string[];
};

/** Everything the member detail panel shows; only these fields travel to the browser. */
export type MemberDetail = {
  id: string;
  name: string | null;
  username: string | null;
  email: string | null;
  avatar: string | null;
  /** Epoch ms: when their account was created in Logto. */
  createdAt: number | null;
  /** Epoch ms; null when they never signed in. */
  lastSignInAt: number | null;
  /** Epoch ms: when they joined this organization, when known (their invitation or the log). */
  joinedAt: number | null;
  roles: MemberRoleDetail[];
  /** The accepted invitation that brought them here, if any. */
  invitation: {
    id: string;
    inviter: { id: string; name: string | null; email: string | null } | null;
    /** Epoch ms. */
    sentAt: number;
    /** Epoch ms. */
    acceptedAt: number;
    roles: string[];
  } | null;
  /**
   * Their latest entries in this organization's log (what they did and what was done to them),
   * already worded in the reader's language, so the panel needs no activity catalog.
   */
  activity: { id: number; occurredAt: number; sentence: string; outcome: string; reason: string | null }[];
  activityTotal: number;
};

function isNotAMember(error: unknown): boolean {
  return error instanceof LogtoApiError && error.code === 'organization.require_membership';
}

async function inviterOf(inviterId: string | null | undefined, client?: ManagementClient) {
  if (!inviterId) return null;
  try {
    const user = await getUser(inviterId, client);
    return { id: user.id, name: user.name ?? null, email: user.primaryEmail ?? null };
  } catch (error) {
    // An inviter deleted since is still worth naming by id.
    if (error instanceof LogtoApiError && error.status === 404)
      return { id: inviterId, name: null, email: null };
    throw error;
  }
}

/**
 * One member of an organization for the detail panel: who they are, their roles with what each
 * allows, when they joined and the invitation that brought them, and their latest activity here.
 * Needs `read:members` (else "not found", rule 2); someone who is not a member is "not found" too.
 */
export async function loadMemberDetail(
  actor: Actor,
  orgId: string,
  userId: string,
  t: Translator,
  client?: ManagementClient,
): Promise<{ access: OrgAccess; detail: MemberDetail }> {
  const access = await requireOrgScopes(actor, orgId, ['readMembers'], { freshness: 'recent' });
  let member;
  try {
    member = await readMember(orgId, userId, client);
  } catch (error) {
    if (isNotAMember(error)) throw new NotFoundError();
    throw error;
  }
  const [user, roles, activity] = await Promise.all([
    getUser(userId, client),
    listOrganizationRoles(client),
    queryActivity({
      organizationId: orgId,
      involvingUserId: userId,
      page: 1,
      pageSize: MEMBER_ACTIVITY_LIMIT,
    }),
  ]);
  const email = member.email ?? user.primaryEmail ?? null;
  const accepted = email
    ? (await listInvitations({ organizationId: orgId, invitee: email }, client)).find(
        (invitation) => invitation.status === 'Accepted' && invitation.acceptedUserId === userId,
      )
    : undefined;

  const scopeNames = getConfig().scopes;
  const portalNames = new Set(Object.values(scopeNames));
  const roleById = new Map(roles.map((role) => [role.id, role]));
  const roleDetails = member.roles
    .map((held): MemberRoleDetail => {
      const role = roleById.get(held.id);
      const names = (role?.scopes ?? []).map((scope) => scope.name);
      return {
        id: held.id,
        name: held.name,
        description: role?.description ?? null,
        permissions: scopesFromNames(names, scopeNames),
        otherPermissions: names.filter((name) => !portalNames.has(name)).sort(),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));

  // Joined: when their invitation was accepted, else the log's record of them being added.
  const joinEntry = activity.rows.find(
    (row) => row.outcome === 'done' && (row.action === 'member.add' || row.action === 'invitation.accept'),
  );
  const joinedAt = accepted ? accepted.updatedAt : (joinEntry?.occurredAt.getTime() ?? null);

  return {
    access,
    detail: {
      id: userId,
      name: user.name ?? null,
      username: user.username ?? null,
      email,
      avatar: user.avatar ?? null,
      createdAt: user.createdAt ?? null,
      lastSignInAt: user.lastSignInAt ?? null,
      joinedAt,
      roles: roleDetails,
      invitation: accepted
        ? {
            id: accepted.id,
            inviter: await inviterOf(accepted.inviterId, client),
            sentAt: accepted.createdAt,
            acceptedAt: accepted.updatedAt,
            roles: accepted.organizationRoles.map((role) => role.name).sort(),
          }
        : null,
      activity: activity.rows.map((entry) => {
        const row = toActivityListRow(entry);
        return {
          id: row.id,
          occurredAt: row.occurredAt,
          sentence: activitySentence(row, t),
          outcome: row.outcome,
          reason: row.outcome === 'done' ? null : reasonText(row.reason, t),
        };
      }),
      activityTotal: activity.total,
    },
  };
}
