import 'server-only';

import type { InviteSummary } from '@/lib/portal/invitations';
import type { BulkResult } from '@/lib/portal/members';
import type { ActivityState } from './kinds';
import { resolveCode } from './outcome';
import type { ActivityEvent, ActivityItem, ActivityPlan } from './record';
import { lookUpMembers, memberItems, roleNamesOf, sortedRoleNames } from './targets';

// How each change-making action describes itself to the activity log. The builders read what the
// entries need (labels, roles before) from Logto just before the change; the `settle` functions
// turn the change's result into entries and are pure, so they are unit-tested on their own.

function sameRoles(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((name, index) => name === b[index]);
}

/** Entries of a bulk change over members: one per member, as the bulk result reports them. */
export function settleBulk(
  action: string,
  items: readonly ActivityItem[],
  result: BulkResult,
  afterOf: (item: ActivityItem) => ActivityState | null = (item) => item.after ?? null,
): ActivityEvent[] {
  const byId = new Map(items.map((item) => [item.target.id, item]));
  const itemOf = (userId: string): ActivityItem =>
    byId.get(userId) ?? { target: { type: 'member', id: userId } };
  return [
    ...result.succeeded.map((userId): ActivityEvent => {
      const item = itemOf(userId);
      return { ...item, after: afterOf(item), action, outcome: 'done' };
    }),
    ...result.failed.map(({ userId, reason }): ActivityEvent => ({
      ...itemOf(userId),
      action,
      ...resolveCode(reason),
    })),
  ];
}

/** A member's roles set to exactly `roleIds`: "member → manager, member". */
export async function roleChangePlan(
  orgId: string,
  userId: string,
  roleIds: readonly string[],
): Promise<ActivityPlan<{ roles: { name: string }[] }>> {
  const [snapshots, asked] = await Promise.all([lookUpMembers(orgId, [userId]), roleNamesOf(roleIds)]);
  return {
    action: 'member.role_change',
    items: memberItems([userId], snapshots).map((item) => ({ ...item, after: { roles: asked } })),
    settle: settleRoleChange,
  };
}

/** The entry of a role change that went through; none when the roles were already those. */
export function settleRoleChange(
  result: { roles: { name: string }[] },
  items: readonly ActivityItem[],
): ActivityEvent[] {
  const after = sortedRoleNames(result.roles.map((role) => role.name));
  return items
    .filter((item) => !sameRoles(item.before?.roles, after))
    .map((item) => ({ ...item, after: { roles: after }, action: 'member.role_change', outcome: 'done' }));
}

/** Members removed (one, or a batch): each with the roles they held. */
export async function removalPlan(orgId: string, userIds: readonly string[]): Promise<ActivityItem[]> {
  return memberItems(userIds, await lookUpMembers(orgId, userIds));
}

/** One role granted to a batch of members, keeping the roles they hold. */
export async function roleGrantPlan(
  orgId: string,
  userIds: readonly string[],
  roleId: string,
): Promise<ActivityPlan<BulkResult>> {
  const [snapshots, [roleName = roleId]] = await Promise.all([
    lookUpMembers(orgId, userIds),
    roleNamesOf([roleId]),
  ]);
  const items = memberItems(userIds, snapshots).map((item) => ({
    ...item,
    // Unknown roles before: the roles after are unknown too (the grant keeps whatever they hold).
    after: item.before?.roles ? { roles: sortedRoleNames([...item.before.roles, roleName]) } : null,
  }));
  return {
    action: 'member.role_change',
    items,
    settle: (result, planned) =>
      settleBulk('member.role_change', planned, result).filter(
        // Holding the role already: nothing changed for them.
        (event) => !(event.outcome === 'done' && event.before?.roles?.includes(roleName)),
      ),
  };
}

/**
 * Existing users added by an operator. Nobody is looked up before the change: they are not
 * members yet, and a refused attempt must not put anything about tenant users into the
 * organization's log (rule 5). Once added they are members, and their emails and roles are read.
 */
export function additionPlan(
  orgId: string,
  userIds: readonly string[],
  roleIds: readonly string[],
): ActivityPlan<unknown> {
  const ids = [...new Set(userIds)];
  return {
    action: 'member.add',
    items: ids.map((userId) => ({ target: { type: 'member', id: userId } })),
    settle: async () => {
      const [snapshots, asked] = await Promise.all([lookUpMembers(orgId, ids), roleNamesOf(roleIds)]);
      return memberItems(ids, snapshots).map((item) => ({
        target: item.target,
        after: { roles: item.before?.roles ?? asked },
        action: 'member.add',
        outcome: 'done',
      }));
    },
  };
}

/** Entries of an invitation round: one per address that was invited or could not be. */
export function settleInvitations(summary: InviteSummary, items: readonly ActivityItem[]): ActivityEvent[] {
  const byEmail = new Map(items.map((item) => [item.target.label, item]));
  return summary.results.flatMap((result): ActivityEvent[] => {
    const item = byEmail.get(result.email) ?? { target: { type: 'invitation', label: result.email } };
    switch (result.outcome) {
      case 'sent':
        return [
          {
            ...item,
            target: { ...item.target, id: result.invitationId },
            action: 'invitation.create',
            outcome: 'done',
          },
        ];
      case 'created':
        // Created, but no email went out: the reason says why (the link was handed to the inviter).
        return [
          {
            ...item,
            target: { ...item.target, id: result.invitationId },
            action: 'invitation.create',
            outcome: 'done',
            reason: result.reason,
          },
        ];
      case 'failed':
        return [{ ...item, action: 'invitation.create', ...resolveCode(result.reason) }];
      default:
        // Already a member or already invited: nothing was changed.
        return [];
    }
  });
}
