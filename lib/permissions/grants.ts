import { ActionFailure } from '@/lib/actions/result';
import type { OrganizationRoleWithScopes } from '@/lib/logto/types';
import { ForbiddenError } from './errors';
import type { OrgAccess } from './index';

/**
 * Role ids that are not organization roles a person can hold (unknown ids, or roles of type
 * `MachineToMachine`). An `ActionFailure` with code `invalid_input`, so an action that does not
 * catch it still answers a clear "invalid input"; callers that want a field message catch it and
 * word one from `roleIds`.
 */
export class InvalidRoleIdsError extends ActionFailure {
  override name = 'InvalidRoleIdsError';

  constructor(
    /** The offending ids, in the order given. */
    readonly roleIds: readonly string[],
  ) {
    super('invalid_input');
  }
}

/**
 * Refusal to grant roles the actor could not hold by their own scopes (rule 3). A
 * `ForbiddenError` (answered as `forbidden`) that also names the roles, for a field message.
 */
export class RoleEscalationError extends ForbiddenError {
  override name = 'RoleEscalationError';

  constructor(
    /** Names of the roles that would grant more than the actor holds. */
    readonly roleNames: readonly string[],
    missingScopes: readonly string[],
  ) {
    super(missingScopes);
  }
}

/**
 * Scope names a role would grant that the actor does not hold in this organization. Operators
 * hold everything. A role carrying API resource scopes cannot be compared with `OrgAccess`
 * (which knows organization scopes only), so each resource scope counts as not held: granting
 * such a role is left to operators rather than risking an escalation.
 */
function scopesBeyondAccess(access: OrgAccess, role: OrganizationRoleWithScopes): string[] {
  if (access.isOperator) return [];
  const held = new Set(access.scopeNames);
  const missing = role.scopes.map((scope) => scope.name).filter((name) => !held.has(name));
  const resourceScopes = role.resourceScopes.map((scope) => `${scope.resource.name}:${scope.name}`);
  return [...missing, ...resourceScopes];
}

/**
 * The organization roles the actor may hand out in this organization (invite dialog, role
 * pickers): roles of type `User` whose every scope the actor holds there. A UI hint: actions
 * still call {@link assertCanGrantRoles}.
 */
export function grantableRoles(
  access: OrgAccess,
  roles: readonly OrganizationRoleWithScopes[],
): OrganizationRoleWithScopes[] {
  return roles.filter((role) => role.type === 'User' && scopesBeyondAccess(access, role).length === 0);
}

/**
 * The no-privilege-escalation rule (permission rule 3), shared by invitations and role changes.
 * `roles` is the tenant's organization roles with their scopes (`listOrganizationRoles()`).
 *
 * @throws {InvalidRoleIdsError} when an id is not an organization role of type `User` (checked
 *   first: an unknown id is bad input whoever asks).
 * @throws {RoleEscalationError} (a `ForbiddenError`) when a role has a scope the actor lacks in
 *   that organization.
 */
export function assertCanGrantRoles(
  access: OrgAccess,
  roleIds: readonly string[],
  roles: readonly OrganizationRoleWithScopes[],
): void {
  const byId = new Map(roles.map((role) => [role.id, role]));
  const invalid = roleIds.filter((id) => byId.get(id)?.type !== 'User');
  if (invalid.length > 0) throw new InvalidRoleIdsError([...new Set(invalid)]);

  const beyond = rolesBeyondAccess(access, roleIds, byId);
  if (beyond) throw new RoleEscalationError(beyond.roleNames, beyond.missingScopes);
}

/**
 * The roles among `roleIds` that carry scopes the actor lacks, and those scopes; `undefined`
 * when there are none. An id that names no role counts as beyond the actor.
 */
function rolesBeyondAccess(
  access: OrgAccess,
  roleIds: readonly string[],
  byId: ReadonlyMap<string, OrganizationRoleWithScopes>,
): { roleNames: string[]; missingScopes: string[] } | undefined {
  const roleNames = new Set<string>();
  const missingScopes = new Set<string>();
  for (const id of new Set(roleIds)) {
    const role = byId.get(id);
    const missing = role ? scopesBeyondAccess(access, role) : [`unknown role ${id}`];
    if (missing.length === 0) continue;
    roleNames.add(role?.name ?? id);
    for (const scope of missing) missingScopes.add(scope);
  }
  return roleNames.size > 0 ? { roleNames: [...roleNames], missingScopes: [...missingScopes] } : undefined;
}

/**
 * Refusal to act on someone who holds roles above the actor's own (rule 3 applied to removal,
 * revoking and resending): the actor could not grant one of `roleNames`, so they may not take it
 * away or hand out an invitation carrying it either.
 */
export class ActingAboveOwnRoleError extends RoleEscalationError {
  override name = 'ActingAboveOwnRoleError';
}

/**
 * Whether the actor could grant every one of these roles in this organization, i.e. may act on
 * whoever holds them. Ids that are not person roles (a machine role, a role deleted meanwhile) are
 * judged by the scopes they carry when known and otherwise count as above the actor.
 *
 * @throws {ActingAboveOwnRoleError} naming the roles beyond the actor's scopes.
 */
export function assertCanActOnHolderOf(
  access: OrgAccess,
  roleIds: readonly string[],
  roles: readonly OrganizationRoleWithScopes[],
): void {
  if (access.isOperator) return;
  const beyond = rolesBeyondAccess(access, roleIds, new Map(roles.map((role) => [role.id, role])));
  if (beyond) throw new ActingAboveOwnRoleError(beyond.roleNames, beyond.missingScopes);
}

/** Whether the actor may act on holders of every role there is (then no per-person check is needed). */
export function canActOnEveryRole(access: OrgAccess, roles: readonly OrganizationRoleWithScopes[]): boolean {
  return access.isOperator || roles.every((role) => scopesBeyondAccess(access, role).length === 0);
}
