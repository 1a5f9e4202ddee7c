import 'server-only';

import { cache } from 'react';
import { createTtlCache } from '@/lib/auth/ttl-cache';
import { getOrganization, type Organization, type Page } from '@/lib/logto';
import { processSingleton } from '@/lib/process-singleton';
import { expectBody, resolveClient } from '@/lib/logto/client';
import { toPage } from '@/lib/logto/pagination';

/** An organization as the organizations table shows it. */
export type OrganizationRow = {
  id: string;
  name: string;
  description: string | null;
  /** The actor's roles there (tenant admins); null for operators, who manage without a role. */
  roles: { id: string; name: string }[] | null;
  /** Member count (operators' list, from `showFeatured`); null when not loaded. */
  membersCount: number | null;
  /** The organization's logo (`branding.logoUrl`), when it has one. */
  logoUrl?: string | null;
};

// An organization's name and branding change rarely; re-reading them on every page view would
// add a Management API call to each view (the bench counts them).
const organizationCache = processSingleton('organization-cache', () =>
  createTtlCache<Organization>({ ttlMs: 30_000, maxEntries: 5_000 }),
);

/**
 * One organization, loaded at most once per server render (the permission check and the page
 * header both need it for operators) and kept for 30 s across views.
 */
export const getOrganizationOnce = cache((id: string): Promise<Organization> =>
  organizationCache.get(id, () => getOrganization(id)),
);

/** Forgets the remembered copy of an organization the portal just changed or deleted. */
export function forgetOrganization(id: string): void {
  organizationCache.delete(id);
}

/**
 * Local adapter: `lib/logto`'s `listOrganizations` has no `showFeatured`, which the operators'
 * table needs for member counts. Same call, plus the flag; rows keep Logto's order.
 */
export async function listOrganizationsWithMemberCounts({
  page,
  pageSize,
  q,
}: {
  page: number;
  pageSize: number;
  q?: string;
}): Promise<Page<OrganizationRow>> {
  const result = await resolveClient().api.GET('/api/organizations', {
    params: { query: { page, page_size: pageSize, q: q || undefined, showFeatured: 'true' } },
  });
  const rows = expectBody(result).map((org): OrganizationRow => ({
    id: org.id,
    name: org.name,
    description: org.description ?? null,
    roles: null,
    membersCount: typeof org.usersCount === 'number' ? org.usersCount : null,
    logoUrl: org.branding.logoUrl ?? null,
  }));
  return toPage(rows, result.response, page, pageSize);
}
