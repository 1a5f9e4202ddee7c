/**
 * Before/after bookkeeping of an external contract run: how many of each kind of entity the
 * tenant holds, and whatever still carries the run's prefix once the tests are done (a crash
 * between creating something and its cleanup hook), which the runner then deletes.
 */
import type { ManagementClient } from './management-client';

export const ENTITY_KINDS = [
  'organizations',
  'users',
  'organizationRoles',
  'organizationScopes',
  'roles',
  'resources',
  'applications',
  'invitations',
] as const;

export type EntityKind = (typeof ENTITY_KINDS)[number];
export type TenantCounts = Record<EntityKind, number>;

/** Something the run created and did not delete: its kind, name and the path that deletes it. */
export type Leftover = { kind: EntityKind; id: string; name: string; path: string };

const COUNT_PATHS: Record<Exclude<EntityKind, 'invitations'>, string> = {
  organizations: '/organizations',
  users: '/users',
  organizationRoles: '/organization-roles',
  organizationScopes: '/organization-scopes',
  roles: '/roles',
  resources: '/resources',
  applications: '/applications',
};

const PAGE_SIZE = 100;

/** Counts every kind of entity from `Total-Number` (invitations, never paginated, by length). */
export async function countTenant(client: ManagementClient): Promise<TenantCounts> {
  const counts = {} as TenantCounts;
  for (const [kind, path] of Object.entries(COUNT_PATHS) as Array<[EntityKind, string]>) {
    const response = await client.get(`${path}?page_size=1`);
    counts[kind] = Number(response.headers.get('total-number'));
  }
  counts.invitations = (await client.get<unknown[]>('/organization-invitations')).json.length;
  return counts;
}

/** Every entity whose name (or email, username, invitee) starts with `prefix`. */
export async function findLeftovers(client: ManagementClient, prefix: string): Promise<Leftover[]> {
  const lower = prefix.toLowerCase();
  const username = prefix.replace(/-/g, '_');
  const starts = (value: unknown, start = lower) =>
    typeof value === 'string' && value.toLowerCase().startsWith(start.toLowerCase());
  const like = encodeURIComponent(`${prefix}%`);
  type Named = { id: string; name?: string | null; primaryEmail?: string | null; username?: string | null };

  const leftovers: Leftover[] = [];
  const collect = (kind: EntityKind, base: string, rows: Named[], label: (row: Named) => string) => {
    for (const row of rows) leftovers.push({ kind, id: row.id, name: label(row), path: `${base}/${row.id}` });
  };

  const invitations = await client.get<Array<{ id: string; invitee: string }>>('/organization-invitations');
  for (const invitation of invitations.json.filter((row) => starts(row.invitee))) {
    leftovers.push({
      kind: 'invitations',
      id: invitation.id,
      name: invitation.invitee,
      path: `/organization-invitations/${invitation.id}`,
    });
  }
  const organizations = await allPages<Named>(client, `/organizations?q=${encodeURIComponent(prefix)}`);
  collect(
    'organizations',
    '/organizations',
    organizations.filter((row) => starts(row.name)),
    (row) => row.name ?? '',
  );
  const users = await allPages<Named>(
    client,
    `/users?search.primaryEmail=${like}&search.username=${encodeURIComponent(`${username}%`)}&search.name=${like}`,
  );
  collect(
    'users',
    '/users',
    users.filter((row) => starts(row.primaryEmail) || starts(row.username, username) || starts(row.name)),
    (row) => row.primaryEmail ?? row.username ?? row.id,
  );
  const organizationRoles = await allPages<Named>(
    client,
    `/organization-roles?q=${encodeURIComponent(prefix)}`,
  );
  collect(
    'organizationRoles',
    '/organization-roles',
    organizationRoles.filter((row) => starts(row.name)),
    (row) => row.name ?? '',
  );
  const organizationScopes = await allPages<Named>(
    client,
    `/organization-scopes?q=${encodeURIComponent(prefix)}`,
  );
  collect(
    'organizationScopes',
    '/organization-scopes',
    organizationScopes.filter((row) => starts(row.name)),
    (row) => row.name ?? '',
  );
  const roles = await allPages<Named>(client, `/roles?search.name=${like}`);
  collect(
    'roles',
    '/roles',
    roles.filter((row) => starts(row.name)),
    (row) => row.name ?? '',
  );
  const applications = await allPages<Named>(client, '/applications');
  collect(
    'applications',
    '/applications',
    applications.filter((row) => starts(row.name)),
    (row) => row.name ?? '',
  );
  const resources = await allPages<Named>(client, '/resources');
  collect(
    'resources',
    '/resources',
    resources.filter((row) => starts(row.name)),
    (row) => row.name ?? '',
  );
  return leftovers;
}

/** Deletes leftovers (in the order found: invitations and organizations first); returns the failures. */
export async function deleteLeftovers(client: ManagementClient, leftovers: Leftover[]): Promise<string[]> {
  const failures: string[] = [];
  for (const leftover of leftovers) {
    const status = await client.delete(leftover.path);
    if (status >= 300 && status !== 404) failures.push(`DELETE /api${leftover.path} → ${status}`);
  }
  return failures;
}

/** Reads a paginated list to its end. */
async function allPages<Row>(client: ManagementClient, path: string): Promise<Row[]> {
  const rows: Row[] = [];
  const separator = path.includes('?') ? '&' : '?';
  for (let page = 1; ; page += 1) {
    const response = await client.get<Row[]>(`${path}${separator}page=${page}&page_size=${PAGE_SIZE}`);
    rows.push(...response.json);
    const total = Number(response.headers.get('total-number'));
    if (response.json.length === 0 || !Number.isFinite(total) || page * PAGE_SIZE >= total) return rows;
  }
}
