import 'server-only';

import { ActionFailure } from '@/lib/actions/result';
import { getConfig } from '@/lib/config';
import {
  listOrganizationMembers,
  type ManagementClient,
  MAX_PAGE_SIZE,
  type OrganizationRoleWithScopes,
} from '@/lib/logto';
import { roleIdsWithScope } from './scopes';

/**
 * A change to an organization's membership, as rule 4 needs to see it. Role ids are what the
 * portal knows; leave `roleIds` / `before` out when unknown and the member is assumed to hold
 * whatever they might (the check then asks Logto).
 */
export type RoleAssignerChange = {
  /** Members leaving the organization. */
  leaving?: ReadonlyArray<{ userId: string; roleIds?: readonly string[] }>;
  /** Members whose roles become exactly `after`. */
  roleChanges?: ReadonlyArray<{ userId: string; before?: readonly string[]; after: readonly string[] }>;
};

/**
 * Refusal of permission rule 4: the change would leave the organization with nobody holding
 * `assign:roles`, so nobody could ever hand out roles there again. `holderIds` are the members
 * who hold it now (all of them part of the change).
 */
export class LastRoleAssignerError extends ActionFailure {
  override name = 'LastRoleAssignerError';

  constructor(readonly holderIds: readonly string[]) {
    super('forbidden');
  }
}

/** Organization roles of type `User` that carry the `assign:roles` scope. */
function roleAssignerRoleIds(roles: readonly OrganizationRoleWithScopes[]): Set<string> {
  const withScope = roleIdsWithScope(roles, getConfig().scopes.assignRoles);
  return new Set(
    roles.filter((role) => role.type === 'User' && withScope.has(role.id)).map((role) => role.id),
  );
}

const holdsAny = (roleIds: readonly string[], assigners: ReadonlySet<string>) =>
  roleIds.some((id) => assigners.has(id));

/**
 * Splits a change into who may lose `assign:roles` and whether anyone certainly holds it
 * afterwards. Pure, so the rule's bookkeeping is unit-tested without Logto.
 */
export function analyseRoleAssignerChange(
  change: RoleAssignerChange,
  assignerRoleIds: ReadonlySet<string>,
): { losing: Set<string>; hasHolderAfterwards: boolean } {
  const losing = new Set<string>();
  let hasHolderAfterwards = false;
  for (const { userId, roleIds } of change.leaving ?? []) {
    if (roleIds === undefined || holdsAny(roleIds, assignerRoleIds)) losing.add(userId);
  }
  for (const { userId, before, after } of change.roleChanges ?? []) {
    if (holdsAny(after, assignerRoleIds)) hasHolderAfterwards = true;
    else if (before === undefined || holdsAny(before, assignerRoleIds)) losing.add(userId);
  }
  return { losing, hasHolderAfterwards };
}

/**
 * The members who hold `assign:roles` now, when the change would leave none; `[]` when the
 * organization keeps at least one (or had none to begin with: nothing is lost then).
 *
 * Costs one Logto call per assigner role in the usual case: a role held by more members than the
 * change touches certainly keeps a holder (read from `Total-Number`), so the holders are listed in
 * full only when there are few of them.
 */
export async function findLastRoleAssigners(
  orgId: string,
  change: RoleAssignerChange,
  roles: readonly OrganizationRoleWithScopes[],
  client?: ManagementClient,
): Promise<string[]> {
  const assignerRoleIds = roleAssignerRoleIds(roles);
  const { losing, hasHolderAfterwards } = analyseRoleAssignerChange(change, assignerRoleIds);
  if (losing.size === 0 || hasHolderAfterwards) return [];

  const holders = new Set<string>();
  // Pages hold at most 100; one more than the change touches is enough to see an untouched holder.
  const pageSize = Math.min(MAX_PAGE_SIZE, losing.size + 1);
  for (const roleId of assignerRoleIds) {
    for (let page = 1; ; page += 1) {
      const result = await listOrganizationMembers(orgId, { roleId, page, pageSize }, client);
      if (result.total > losing.size) return [];
      for (const member of result.rows) {
        if (!losing.has(member.id)) return [];
        holders.add(member.id);
      }
      if (result.rows.length < pageSize || page * pageSize >= result.total) break;
    }
  }
  return [...holders];
}

/**
 * Permission rule 4 for one change (a removal, a role change, or a whole batch).
 *
 * @throws {LastRoleAssignerError} when the change would leave nobody holding `assign:roles`.
 */
export async function assertKeepsRoleAssigner(
  orgId: string,
  change: RoleAssignerChange,
  roles: readonly OrganizationRoleWithScopes[],
  client?: ManagementClient,
): Promise<void> {
  const holders = await findLastRoleAssigners(orgId, change, roles, client);
  if (holders.length > 0) throw new LastRoleAssignerError(holders);
}
