import 'server-only';

import { expectBody, type ManagementClient, resolveClient } from './client';
import { DEFAULT_PAGE_SIZE, type Page, type PageQuery, toPage } from './pagination';
import {
  type CreateOrganizationInput,
  type Organization,
  type OrganizationListItem,
  type UpdateOrganizationInput,
} from './types';

/**
 * One page of the tenant's organizations, optionally filtered by `q` (substring of id or name).
 * `showFeatured` adds `usersCount` (member count) and up to 3 `featuredUsers` to each row.
 */
export async function listOrganizations(
  {
    page = 1,
    pageSize = DEFAULT_PAGE_SIZE,
    q,
    showFeatured = false,
  }: PageQuery & { q?: string; showFeatured?: boolean } = {},
  client?: ManagementClient,
): Promise<Page<OrganizationListItem>> {
  const result = await resolveClient(client).api.GET('/api/organizations', {
    params: {
      query: {
        page,
        page_size: pageSize,
        q: q || undefined,
        showFeatured: showFeatured ? 'true' : undefined,
      },
    },
  });
  return toPage(expectBody(result), result.response, page, pageSize);
}

/** One organization; throws `LogtoApiError` 404 `entity.not_exists_with_id` when unknown. */
export async function getOrganization(id: string, client?: ManagementClient): Promise<Organization> {
  return expectBody(
    await resolveClient(client).api.GET('/api/organizations/{id}', { params: { path: { id } } }),
  );
}

/** Creates an organization. */
export async function createOrganization(
  input: CreateOrganizationInput,
  client?: ManagementClient,
): Promise<Organization> {
  return expectBody(await resolveClient(client).api.POST('/api/organizations', { body: input }));
}

/** Updates an organization; `customData`, `color` and `branding` are replaced wholesale. */
export async function updateOrganization(
  id: string,
  input: UpdateOrganizationInput,
  client?: ManagementClient,
): Promise<Organization> {
  return expectBody(
    await resolveClient(client).api.PATCH('/api/organizations/{id}', {
      params: { path: { id } },
      body: input,
    }),
  );
}

/** Deletes an organization with its memberships and invitations. */
export async function deleteOrganization(id: string, client?: ManagementClient): Promise<void> {
  await resolveClient(client).api.DELETE('/api/organizations/{id}', { params: { path: { id } } });
}
