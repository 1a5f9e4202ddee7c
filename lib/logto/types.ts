// Every type here is derived from `@logto/api`'s generated OpenAPI types, so a Logto upgrade that
// changes a shape shows up as a type error rather than a runtime surprise.
import { type createApiClient } from '@logto/api/management';
import { type Client } from 'openapi-fetch';

/** Logto's Management API routes (`@logto/api` builds its client from them but does not export them). */
export type ManagementPaths = ReturnType<typeof createApiClient> extends Client<infer Paths> ? Paths : never;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Operation<P extends keyof ManagementPaths, M extends Method> = ManagementPaths[P][M];

type JsonResponse<P extends keyof ManagementPaths, M extends Method, S extends number = 200> =
  Operation<P, M> extends { responses: { [K in S]: { content: { 'application/json': infer T } } } }
    ? T
    : never;

type JsonBody<P extends keyof ManagementPaths, M extends Method> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never;

/** An organization. */
export type Organization = JsonResponse<'/api/organizations/{id}', 'get'>;
/** An organization as listed; `usersCount` and `featuredUsers` only with `showFeatured`. */
export type OrganizationListItem = JsonResponse<'/api/organizations', 'get'>[number];
/** Fields accepted when creating an organization. */
export type CreateOrganizationInput = JsonBody<'/api/organizations', 'post'>;
/** Fields accepted when updating an organization (jsonb fields are replaced, not merged). */
export type UpdateOrganizationInput = JsonBody<'/api/organizations/{id}', 'patch'>;

/** A member as listed by `GET /api/organizations/{id}/users`, with their roles there. */
export type OrganizationMember = JsonResponse<'/api/organizations/{id}/users', 'get'>[number];
/** An organization role (no scopes). */
export type OrganizationRole = JsonResponse<'/api/organizations/{id}/users/{userId}/roles', 'get'>[number];
/** An organization role with its organization scopes and resource scopes. */
export type OrganizationRoleWithScopes = JsonResponse<'/api/organization-roles', 'get'>[number];
/** An organization scope (permission). */
export type OrganizationScope = JsonResponse<'/api/organization-scopes', 'get'>[number];

/** An invitation, with the roles it grants on acceptance. */
export type OrganizationInvitation = JsonResponse<'/api/organization-invitations/{id}', 'get'>;
/** Pending, Accepted, Expired (derived on read) or Revoked. */
export type OrganizationInvitationStatus = OrganizationInvitation['status'];
/** Fields of a new invitation. */
export type CreateInvitationInput = JsonBody<'/api/organization-invitations', 'post'>;
/** The email template payload of an invitation (`link` is the invitee's landing page). */
export type InvitationMessagePayload = JsonBody<'/api/organization-invitations/{id}/message', 'post'>;

/** A user profile. */
export type User = JsonResponse<'/api/users/{userId}', 'get'>;
/** Fields accepted when creating a user. */
export type CreateUserInput = JsonBody<'/api/users', 'post'>;
/** An organization a user belongs to, with the user's roles there. */
export type UserOrganization = JsonResponse<'/api/users/{userId}/organizations', 'get'>[number];
/** A tenant-level (API resource) role held by a user. */
export type TenantRole = JsonResponse<'/api/users/{userId}/roles', 'get'>[number];

/** An email domain whose users join an organization automatically (just-in-time provisioning). */
export type OrganizationJitEmailDomain = JsonResponse<
  '/api/organizations/{id}/jit/email-domains',
  'get'
>[number];

/** An enterprise SSO connector, as an organization's JIT list shows it. */
export type SsoConnector = JsonResponse<'/api/organizations/{id}/jit/sso-connectors', 'get'>[number];

/** A machine-to-machine app of an organization, with its organization roles there. */
export type OrganizationApplication = JsonResponse<'/api/organizations/{id}/applications', 'get'>[number];

/** An application of the tenant. */
export type Application = JsonResponse<'/api/applications', 'get'>[number];
