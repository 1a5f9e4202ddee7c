import 'server-only';

import {
  getInvitation,
  listOrganizationMembers,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
  MAX_PAGE_SIZE,
  type OrganizationInvitation,
  type OrganizationMember,
} from '@/lib/logto';
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

function toSnapshot(member: OrganizationMember): MemberSnapshot {
  return {
    email: member.primaryEmail ?? null,
    roles: sortedRoleNames(member.organizationRoles.map((role) => role.name)),
  };
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

/** How many per-member lookups run at once. */
const LOOKUP_CONCURRENCY = 4;

function warn(what: string, error: unknown): void {
  console.warn(`[activity] ${what}; the entry is recorded without it:`, error);
}

async function lookUpOne(
  orgId: string,
  userId: string,
  client?: ManagementClient,
): Promise<OrganizationMember | undefined> {
  // `q` matches ids too; only the exact id counts.
  const { rows } = await listOrganizationMembers(orgId, { q: userId, pageSize: 20 }, client);
  return rows.find((member) => member.id === userId);
}

/**
 * Members' emails and roles right now, for the "before" of a change and the labels of its
 * entries. Best effort: anyone not found (not a member, or Logto did not answer) is missing from
 * the map, and the entry is recorded with the id alone.
 *
 * Cost: one call for one member. For a batch, one page of 100 of the organization first; the
 * rest by whichever costs fewer calls, the remaining pages or one search per member (at most
 * four at a time, so a batch of 100 in an organization of thousands costs about 25 calls).
 */
export async function lookUpMembers(
  orgId: string,
  userIds: readonly string[],
  client?: ManagementClient,
): Promise<Map<string, MemberSnapshot>> {
  const found = new Map<string, MemberSnapshot>();
  const wanted = new Set(userIds);
  const take = (members: readonly OrganizationMember[]) => {
    for (const member of members) if (wanted.has(member.id)) found.set(member.id, toSnapshot(member));
  };
  const missing = () => [...wanted].filter((id) => !found.has(id));

  try {
    if (wanted.size === 1) {
      const [userId] = wanted;
      const member = await lookUpOne(orgId, userId!, client);
      if (member) take([member]);
      return found;
    }
    if (wanted.size === 0) return found;

    const first = await listOrganizationMembers(orgId, { page: 1, pageSize: MAX_PAGE_SIZE }, client);
    take(first.rows);
    const pagesLeft = Math.max(0, Math.ceil(first.total / MAX_PAGE_SIZE) - 1);
    if (missing().length === 0) return found;

    // Whichever costs fewer calls: the remaining pages, or one search per member still missing.
    const lookups =
      pagesLeft <= missing().length
        ? Array.from({ length: pagesLeft }, (_, index) => async () => {
            if (missing().length === 0) return;
            const page = index + 2;
            take((await listOrganizationMembers(orgId, { page, pageSize: MAX_PAGE_SIZE }, client)).rows);
          })
        : missing().map((userId) => async () => {
            const member = await lookUpOne(orgId, userId, client);
            if (member) take([member]);
          });
    await Promise.all(
      Array.from({ length: Math.min(LOOKUP_CONCURRENCY, lookups.length) }, async () => {
        for (let lookup = lookups.shift(); lookup; lookup = lookups.shift()) await lookup();
      }),
    );
  } catch (error) {
    warn(`looking up ${wanted.size} member(s) of ${orgId} failed`, error);
  }
  return found;
}

/** One entry item per member: the email as label, the roles held now as `before`. */
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
