import 'server-only';

import type { ManagementClient } from '@/lib/logto';
import type { InviteSummary } from '@/lib/portal/invitations';
import type { BulkResult, MemberReads } from '@/lib/portal/members';
import type { ActivityState } from './kinds';
import { resolveCode } from './outcome';
import type { ActivityEvent, ActivityItem, ActivityPlan } from './record';
import { lookUpMembers, memberItems, roleNamesOf, snapshotsOf, sortedRoleNames } from './targets';

// How each change-making action describes itself to the activity log. Changes over members
// report what they read (under the organization lock) in `reads`, and their plans describe the
// entries from it, done or refused, without reading anyone again; the `settle` functions that
// turn a result into entries are pure, so they are unit-tested on their own.

/**
 * A change over members whose entries come from what the change reads: hand `reads` to the
 * change (`MutationContext.reads` in `lib/portal/members`). Members it never read (it stopped
 * before reading them, or they are not members) are recorded by id alone.
 */
export type MemberChangePlan<T> = ActivityPlan<T> & { reads: MemberReads };

function idItems(userIds: readonly string[]): ActivityItem[] {
  return [...new Set(userIds)].map((userId) => ({ target: { type: 'member', id: userId } }));
}

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

/**
 * A member's roles set to exactly `roleIds`: "member → manager, member". The roles before are the
 * ones the change replaced; after a refusal, the roles asked for are kept as `after`.
 */
export function roleChangePlan(
  userId: string,
  roleIds: readonly string[],
  client?: ManagementClient,
): MemberChangePlan<{ roles: { name: string }[] }> {
  const reads: MemberReads = new Map();
  return {
    action: 'member.role_change',
    reads,
    items: idItems([userId]),
    settle: (result) => settleRoleChange(result, memberItems([userId], snapshotsOf(reads))),
    describeFailure: async () => {
      const asked = await roleNamesOf(roleIds, client);
      return memberItems([userId], snapshotsOf(reads)).map((item) => ({ ...item, after: { roles: asked } }));
    },
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

/** One member removed, with the roles they held. */
export function removalPlan(userId: string): MemberChangePlan<unknown> {
  const reads: MemberReads = new Map();
  const items = () => memberItems([userId], snapshotsOf(reads));
  return {
    action: 'member.remove',
    reads,
    items: idItems([userId]),
    settle: () => items().map((item) => ({ ...item, action: 'member.remove', outcome: 'done' })),
    describeFailure: async () => items(),
  };
}

/** A batch of members removed: one entry per member, with the roles they held. */
export function bulkRemovalPlan(userIds: readonly string[]): MemberChangePlan<BulkResult> {
  const reads: MemberReads = new Map();
  const items = () => memberItems(userIds, snapshotsOf(reads));
  return {
    action: 'member.remove',
    reads,
    items: idItems(userIds),
    settle: (result) => settleBulk('member.remove', items(), result, () => null),
    describeFailure: async () => items(),
  };
}

/**
 * One role granted to a batch of members, keeping the roles they hold. The grant itself reads
 * nobody when everyone is a member, so the members are looked up before it (once each) for their
 * emails and roles; roles the grant read itself (see `assignRoleToMembers`) take precedence.
 */
export async function roleGrantPlan(
  orgId: string,
  userIds: readonly string[],
  roleId: string,
  client?: ManagementClient,
): Promise<MemberChangePlan<BulkResult>> {
  const [lookedUp, [roleName = roleId]] = await Promise.all([
    lookUpMembers(orgId, userIds, client),
    roleNamesOf([roleId], client),
  ]);
  const reads: MemberReads = new Map();
  const items = () => {
    const known = new Map(lookedUp);
    for (const [userId, read] of snapshotsOf(reads)) {
      known.set(userId, { email: lookedUp.get(userId)?.email ?? read.email, roles: read.roles });
    }
    return memberItems(userIds, known).map((item) => ({
      ...item,
      // Unknown roles before: the roles after are unknown too (the grant keeps whatever they hold).
      after: item.before?.roles ? { roles: sortedRoleNames([...item.before.roles, roleName]) } : null,
    }));
  };
  return {
    action: 'member.role_change',
    reads,
    items: items(),
    settle: (result) =>
      settleBulk('member.role_change', items(), result).filter(
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
