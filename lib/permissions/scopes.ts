/**
 * Portal permissions as stable keys. The organization scope *names* behind them come from the
 * configuration (`PORTAL_SCOPE_*`), so code never spells `read:members` itself.
 */
export const SCOPES = [
  'readMembers',
  'inviteMembers',
  'removeMembers',
  'assignRoles',
  'manageOrganization',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Scope key → organization scope name in this tenant (`getConfig().scopes`). */
export type ScopeNames = Record<Scope, string>;

/** Translates Logto scope names into portal scope keys; unknown names are ignored. */
export function scopesFromNames(names: Iterable<string>, scopeNames: ScopeNames): Scope[] {
  const held = new Set(names);
  return SCOPES.filter((scope) => held.has(scopeNames[scope]));
}

/** The scopes of `needed` that `held` lacks, in `needed`'s order. */
export function missingScopes(held: readonly Scope[], needed: readonly Scope[]): Scope[] {
  return needed.filter((scope) => !held.includes(scope));
}

type RoleWithScopes = { id: string; scopes: ReadonlyArray<{ name: string }> };

/** Ids of the roles whose scopes include `scopeName` (e.g. the roles that may open an organization). */
export function roleIdsWithScope(roles: readonly RoleWithScopes[], scopeName: string): Set<string> {
  return new Set(
    roles.filter((role) => role.scopes.some((scope) => scope.name === scopeName)).map((role) => role.id),
  );
}

/**
 * The scope names that roles with these ids grant together, each once (what Logto's scopes route
 * answers for someone holding them). Ids that name no role grant nothing.
 */
export function scopeNamesOfRoles(roles: readonly RoleWithScopes[], heldRoleIds: Iterable<string>): string[] {
  const held = new Set(heldRoleIds);
  const names = roles
    .filter((role) => held.has(role.id))
    .flatMap((role) => role.scopes.map((scope) => scope.name));
  return [...new Set(names)];
}

/** Case-insensitive substring match on id or name, the way Logto's `q` searches organizations. */
export function matchesOrganizationQuery(org: { id: string; name: string }, q: string): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return org.id.toLowerCase().includes(needle) || org.name.toLowerCase().includes(needle);
}

/** Slices one page out of a full list, returning the same shape a paginated Logto call gives. */
export function paginate<T>(
  rows: readonly T[],
  page: number,
  pageSize: number,
): { rows: T[]; total: number; page: number; pageSize: number } {
  const start = (page - 1) * pageSize;
  return { rows: rows.slice(start, start + pageSize), total: rows.length, page, pageSize };
}
