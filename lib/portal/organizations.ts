import 'server-only';

import { cache } from 'react';
import {
  getOrganization,
  getUserOrganizations,
  keepOrganizationDataFrom,
  type ManagementClient,
  type Organization,
  type Page,
  readOrganizationData,
  type UserOrganization,
} from '@/lib/logto';
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

/** A page of the organizations table, as the page and `GET /api/orgs` answer it. */
export type OrganizationsPage = Page<OrganizationRow>;

// An organization's name and branding change rarely; re-reading them on every page view would
// add a Management API call to each view (the bench counts them). The portal's own changes to it
// are seen at once everywhere (the read cache's generations); Logto Console's within this time.
const ORGANIZATION_TTL_MS = 120_000;
const ORGANIZATION_KEY = 'organization';

/**
 * One organization, loaded at most once per server render (the permission check and the page
 * header both need it for operators) and shared across views and people for 2 min, unless the
 * portal changes it meanwhile (`PORTAL_READ_CACHE_MS=0`: not kept at all).
 */
export const getOrganizationOnce = cache((id: string): Promise<Organization> =>
  readOrganizationData(id, ORGANIZATION_KEY, () => getOrganization(id), { ttlMs: ORGANIZATION_TTL_MS }),
);

const userOrganizationsOnce = cache(
  (userId: string, client: ManagementClient | null): Promise<UserOrganization[]> =>
    getUserOrganizations(userId, client ?? undefined),
);

/**
 * A person's organizations with their roles in each, asked of Logto at most once per server
 * render: the organizations page lists both those they manage and those they belong to.
 */
export function getUserOrganizationsOnce(
  userId: string,
  client?: ManagementClient,
): Promise<UserOrganization[]> {
  // React's cache tells `f(a)` from `f(a, undefined)`: every call passes both.
  return userOrganizationsOnce(userId, client ?? null);
}

/**
 * Prepares to keep an organization's record that another call reads along (a person's
 * organizations carry each one's record), so that {@link getOrganizationOnce} finds it instead of
 * asking Logto: call before that call, then hand the record and the call's start time over.
 */
export function keepOrganizationRecordFrom(
  id: string,
): Promise<(record: Organization, readAt: number) => void> {
  return keepOrganizationDataFrom<Organization>(id, ORGANIZATION_KEY, { ttlMs: ORGANIZATION_TTL_MS });
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
}): Promise<OrganizationsPage> {
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
