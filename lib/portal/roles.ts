import 'server-only';

import { getConfig } from '@/lib/config';
import {
  listOrganizationMembers,
  listOrganizationRoles,
  listOrganizationScopes,
  type ManagementClient,
} from '@/lib/logto';
import { type Scope, SCOPES } from '@/lib/permissions';

/** An organization scope as the roles page explains it. */
export type PermissionSummary = {
  id: string;
  name: string;
  description: string | null;
  /** The portal permission this scope stands for, when it is one of ours. */
  portalScope: Scope | null;
};

/** A role with what it allows and how many members of this organization hold it. */
export type RoleSummary = {
  id: string;
  name: string;
  description: string | null;
  /** Ids of the organization scopes the role grants. */
  scopeIds: string[];
  /** Names of API resource scopes it also grants (shown, not explained). */
  resourceScopes: string[];
  memberCount: number;
};

/**
 * The organization template as it applies to one organization: the person roles (the template
 * is tenant-wide), the permissions they grant, and each role's member count here (one small
 * `Total-Number` read per role). The caller checks access first.
 */
export async function loadRolesOverview(
  orgId: string,
  client?: ManagementClient,
): Promise<{ roles: RoleSummary[]; permissions: PermissionSummary[] }> {
  const [roles, scopes] = await Promise.all([listOrganizationRoles(client), listOrganizationScopes(client)]);
  const personRoles = roles.filter((role) => role.type === 'User');
  const counts = await Promise.all(
    personRoles.map(
      async (role) =>
        (await listOrganizationMembers(orgId, { roleId: role.id, page: 1, pageSize: 1 }, client)).total,
    ),
  );
  const scopeNames = getConfig().scopes;
  const portalScopeByName = new Map(SCOPES.map((scope) => [scopeNames[scope], scope]));

  return {
    roles: personRoles.map((role, index) => ({
      id: role.id,
      name: role.name,
      description: role.description ?? null,
      scopeIds: role.scopes.map((scope) => scope.id),
      resourceScopes: role.resourceScopes.map((scope) => `${scope.resource.name}: ${scope.name}`),
      memberCount: counts[index] ?? 0,
    })),
    permissions: scopes.map((scope) => ({
      id: scope.id,
      name: scope.name,
      description: scope.description ?? null,
      portalScope: portalScopeByName.get(scope.name) ?? null,
    })),
  };
}
