import 'server-only';

import {
  getInvitation,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
  type OrganizationInvitation,
} from '@/lib/logto';
import { type MemberRead, type MemberReads, readMembers } from '@/lib/portal/members';
import type { ActivityItem } from './record';

/**
 * What the log says about a member: the email people know them by and the roles they hold
 * (names, sorted). Read from the organization's member list only, so a lookup never reveals
 * anything about people outside the organization (rule 5).
 */
export type MemberSnapshot = { email: string | null; roles: string[] };

/** Role names as the log keeps them: each once, sorted. */
export function sortedRoleNames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** A member as a change read them, as the log keeps them. */
function snapshotOf(read: MemberRead): MemberSnapshot {
  return { email: read.email ?? null, roles: sortedRoleNames(read.roles.map((role) => role.name)) };
}

/** {@link snapshotOf} for every member a change read. */
export function snapshotsOf(reads: MemberReads): Map<string, MemberSnapshot> {
  return new Map([...reads].map(([userId, read]) => [userId, snapshotOf(read)]));
}

/**
 * The names of organization roles given by id (the role template is cached by `lib/logto`), for
 * the "after" of a change; an id that names no role is kept as it is. Never throws.
 */
export async function roleNamesOf(roleIds: readonly string[], client?: ManagementClient): Promise<string[]> {
  if (roleIds.length === 0) return [];
  try {
    const byId = new Map((await listOrganizationRoles(client)).map((role) => [role.id, role.name]));
    return sortedRoleNames(roleIds.map((id) => byId.get(id) ?? id));
  } catch (error) {
    warn('reading the role names failed', error);
    return sortedRoleNames(roleIds);
  }
}

// Logto's ids are 21 characters of 0-9a-z; anything far off is not worth asking about.
const INVITATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

function warn(what: string, error: unknown): void {
  console.warn(`[activity] ${what}; the entry is recorded without it:`, error);
}

/**
 * Members' emails and roles right now, for entries whose change does not read them itself (see
 * `MemberReads` in `lib/portal/members`). Best effort: anyone not found (not a member, or Logto
 * did not answer) is missing from the map, and the entry is recorded with the id alone.
 *
 * Cost: that of `readMembers`, one call for one member; a batch of 100 in an organization of
 * 2,500 about 25.
 */
export async function lookUpMembers(
  orgId: string,
  userIds: readonly string[],
  client?: ManagementClient,
): Promise<Map<string, MemberSnapshot>> {
  try {
    const { members, failed } = await readMembers(orgId, userIds, client, { isBestEffort: true });
    if (failed.size > 0)
      warn(`looking up ${failed.size} member(s) of ${orgId} failed`, [...failed.values()][0]);
    return snapshotsOf(members);
  } catch (error) {
    warn(`looking up ${new Set(userIds).size} member(s) of ${orgId} failed`, error);
    return new Map();
  }
}

/** One entry item per member: the email as label, the roles they held as `before` (when known). */
export function memberItems(
  userIds: readonly string[],
  snapshots: ReadonlyMap<string, MemberSnapshot>,
): ActivityItem[] {
  return [...new Set(userIds)].map((userId) => {
    const snapshot = snapshots.get(userId);
    return {
      target: { type: 'member', id: userId, label: snapshot?.email ?? null },
      before: snapshot ? { roles: snapshot.roles } : null,
    };
  });
}

/**
 * An invitation as the log describes it, or null when it is unknown, belongs to another
 * organization than `orgId` (when given), or Logto did not answer.
 */
export async function lookUpInvitation(
  invitationId: string,
  orgId?: string,
  client?: ManagementClient,
): Promise<OrganizationInvitation | null> {
  if (!INVITATION_ID.test(invitationId)) return null;
  try {
    const invitation = await getInvitation(invitationId, client);
    return orgId === undefined || invitation.organizationId === orgId ? invitation : null;
  } catch (error) {
    // Unknown ids are the usual reason a refused attempt has nothing to describe.
    if (!(error instanceof LogtoApiError && error.status === 404)) {
      warn(`looking up invitation ${invitationId} failed`, error);
    }
    return null;
  }
}

/** Role names of an invitation, sorted. */
export function invitationRoleNames(invitation: OrganizationInvitation): string[] {
  return sortedRoleNames(invitation.organizationRoles.map((role) => role.name));
}
