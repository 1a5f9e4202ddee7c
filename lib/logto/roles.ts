import 'server-only';

import { processSingleton } from '@/lib/process-singleton';
import { expectBody, type ManagementClient, resolveClient } from './client';
import { fetchAllPages, toPage } from './pagination';
import { type OrganizationRoleWithScopes, type OrganizationScope } from './types';

const ROLES_CACHE_TTL_MS = 60_000;

type RolesCacheEntry = { roles: Promise<OrganizationRoleWithScopes[]>; loadedAt: number };

// The organization template is tenant-wide and changes rarely, while nearly every page and action
// needs it; one cache entry per client keeps test clients independent.
const rolesCache = processSingleton(
  'organization-roles-cache',
  () => new WeakMap<ManagementClient, RolesCacheEntry>(),
);

/**
 * Every organization role of the tenant with its scopes, sorted by name. Cached in-process for
 * 60 s, or for `maxAgeMs` when a caller needs a younger answer (a load it causes serves everyone);
 * concurrent callers share one load, and a failed load is not cached.
 */
export async function listOrganizationRoles(
  client?: ManagementClient,
  { maxAgeMs = ROLES_CACHE_TTL_MS }: { maxAgeMs?: number } = {},
): Promise<OrganizationRoleWithScopes[]> {
  const resolved = resolveClient(client);
  const cached = rolesCache.get(resolved);
  if (cached && performance.now() - cached.loadedAt < Math.min(maxAgeMs, ROLES_CACHE_TTL_MS))
    return cached.roles;

  const entry: RolesCacheEntry = { roles: loadOrganizationRoles(resolved), loadedAt: performance.now() };
  rolesCache.set(resolved, entry);
  entry.roles.catch(() => {
    if (rolesCache.get(resolved) === entry) rolesCache.delete(resolved);
  });
  return entry.roles;
}

/** Forgets the cached roles (call after changing roles or their scopes). */
export function invalidateOrganizationRolesCache(client?: ManagementClient): void {
  rolesCache.delete(resolveClient(client));
}

function loadOrganizationRoles(client: ManagementClient): Promise<OrganizationRoleWithScopes[]> {
  return fetchAllPages(async (page, pageSize) => {
    const result = await client.api.GET('/api/organization-roles', {
      params: { query: { page, page_size: pageSize } },
    });
    return toPage(expectBody(result), result.response, page, pageSize);
  });
}

/** Every organization scope of the tenant, sorted by name. */
export async function listOrganizationScopes(client?: ManagementClient): Promise<OrganizationScope[]> {
  // Without page parameters Logto returns every scope, unpaginated.
  return expectBody(await resolveClient(client).api.GET('/api/organization-scopes'));
}
