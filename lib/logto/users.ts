import 'server-only';

import { expectBody, type ManagementClient, resolveClient } from './client';
import {
  DEFAULT_PAGE_SIZE,
  fetchAllPages,
  MAX_PAGE_SIZE,
  type Page,
  type PageQuery,
  toPage,
} from './pagination';
import { type CreateUserInput, type TenantRole, type User, type UserOrganization } from './types';

/** One user; 404 `entity.not_found` when unknown. */
export async function getUser(userId: string, client?: ManagementClient): Promise<User> {
  return expectBody(
    await resolveClient(client).api.GET('/api/users/{userId}', { params: { path: { userId } } }),
  );
}

/** Creates a user; 422 `user.email_already_in_use` (and similar) on conflicts. */
export async function createUser(input: CreateUserInput, client?: ManagementClient): Promise<User> {
  return expectBody(await resolveClient(client).api.POST('/api/users', { body: input }));
}

/**
 * Escapes `%`, `_` and `\` so that a search text is matched literally inside a LIKE pattern
 * (backslash is the default LIKE escape character in Postgres).
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/**
 * One page of the tenant's users (newest first) whose id, email, phone, username or name contains
 * `search` (case-insensitive, taken literally). `excludeOrganizationId` leaves out that
 * organization's members, for "add existing user" pickers. Operators only.
 */
export async function searchUsers(
  {
    search,
    page = 1,
    pageSize = DEFAULT_PAGE_SIZE,
    excludeOrganizationId,
  }: PageQuery & { search?: string; excludeOrganizationId?: string } = {},
  client?: ManagementClient,
): Promise<Page<User>> {
  // Logto's advanced search reads `search` and `excludeOrganizationId`, which the generated types
  // do not describe (they model them as `search_params`), so the query string is built here.
  const query = new URLSearchParams({ page: String(page), page_size: String(pageSize) });
  const text = search?.trim();
  if (text) query.set('search', `%${escapeLikePattern(text)}%`);
  if (excludeOrganizationId) query.set('excludeOrganizationId', excludeOrganizationId);

  const result = await resolveClient(client).api.GET('/api/users', {
    params: { query: { page, page_size: pageSize } },
    querySerializer: () => query.toString(),
  });
  return toPage<User>(expectBody(result), result.response, page, pageSize);
}

/** The organizations a user belongs to, with the user's roles in each (unpaginated in Logto). */
export async function getUserOrganizations(
  userId: string,
  client?: ManagementClient,
): Promise<UserOrganization[]> {
  return expectBody(
    await resolveClient(client).api.GET('/api/users/{userId}/organizations', {
      params: { path: { userId } },
    }),
  );
}

/** Every tenant-level role a user holds (e.g. the operator role). */
export async function getUserTenantRoles(userId: string, client?: ManagementClient): Promise<TenantRole[]> {
  const resolved = resolveClient(client);
  return fetchAllPages(async (page, pageSize) => {
    const result = await resolved.api.GET('/api/users/{userId}/roles', {
      params: { path: { userId }, query: { page, page_size: pageSize } },
    });
    return toPage(expectBody(result), result.response, page, pageSize);
  });
}

/**
 * The users among `userIds` that exist (at most {@link MAX_PAGE_SIZE} ids: one page), in one
 * call: Logto's advanced search with an exact id list. `excludeRoleId` leaves out the holders of
 * that tenant role, which is how one call tells who among them does not hold it.
 */
export async function findUsersByIds(
  userIds: readonly string[],
  { excludeRoleId }: { excludeRoleId?: string } = {},
  client?: ManagementClient,
): Promise<User[]> {
  if (userIds.length > MAX_PAGE_SIZE) throw new RangeError(`at most ${MAX_PAGE_SIZE} ids per call`);
  if (userIds.length === 0) return [];
  const query = new URLSearchParams({ page: '1', page_size: String(MAX_PAGE_SIZE), 'mode.id': 'exact' });
  for (const userId of userIds) query.append('search.id', userId);
  if (excludeRoleId) query.set('excludeRoleId', excludeRoleId);
  const result = await resolveClient(client).api.GET('/api/users', {
    params: { query: { page: 1, page_size: MAX_PAGE_SIZE } },
    querySerializer: () => query.toString(),
  });
  return expectBody(result);
}

/** The tenant role (API resource role) named exactly `name`, or null when the tenant has none. */
export async function findTenantRoleByName(
  name: string,
  client?: ManagementClient,
): Promise<TenantRole | null> {
  const query = new URLSearchParams({ 'search.name': name, 'mode.name': 'exact', page_size: '20' });
  const result = await resolveClient(client).api.GET('/api/roles', {
    params: { query: {} },
    querySerializer: () => query.toString(),
  });
  // The exact search ignores case; the role name does not.
  return expectBody(result).find((role) => role.name === name) ?? null;
}
