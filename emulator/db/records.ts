/**
 * SQL select lists that turn snake_case rows into the camelCase, epoch-millisecond shapes the
 * Management API returns, so every route reads a table the same way.
 */

/** Logto's `userInfoSelectFields`: the profile fields the Management API shows for a user. */
export const userColumns = (alias = 'u') => /* sql */ `
  ${alias}.id,
  ${alias}.username,
  ${alias}.primary_email as "primaryEmail",
  ${alias}.primary_phone as "primaryPhone",
  ${alias}.name,
  ${alias}.avatar,
  ${alias}.custom_data as "customData",
  ${alias}.identities,
  epoch_ms(${alias}.last_sign_in_at) as "lastSignInAt",
  epoch_ms(${alias}.created_at) as "createdAt",
  epoch_ms(${alias}.updated_at) as "updatedAt",
  ${alias}.profile,
  ${alias}.application_id as "applicationId",
  ${alias}.is_suspended as "isSuspended"`;

export const organizationColumns = (alias = 'o') => /* sql */ `
  ${alias}.tenant_id as "tenantId",
  ${alias}.id,
  ${alias}.name,
  ${alias}.description,
  ${alias}.custom_data as "customData",
  ${alias}.is_mfa_required as "isMfaRequired",
  ${alias}.color,
  ${alias}.branding,
  ${alias}.custom_css as "customCss",
  epoch_ms(${alias}.created_at) as "createdAt"`;

export const organizationRoleColumns = (alias = 'r') => /* sql */ `
  ${alias}.tenant_id as "tenantId",
  ${alias}.id,
  ${alias}.name,
  ${alias}.description,
  ${alias}.type::text as type`;

export const organizationScopeColumns = (alias = 's') => /* sql */ `
  ${alias}.tenant_id as "tenantId",
  ${alias}.id,
  ${alias}.name,
  ${alias}.description`;

/**
 * `[{id, name}]` of the organization roles a user holds in one organization, sorted by name as
 * Logto sorts them; `[]` when none. Expects the organization id and user id expressions.
 */
export const memberRolesJson = (organizationId: string, userId: string) => /* sql */ `
  coalesce((
    select json_agg(json_build_object('id', r.id, 'name', r.name) order by r.name)
    from organization_role_user_relations rur
    join organization_roles r on r.id = rur.organization_role_id
    where rur.organization_id = ${organizationId} and rur.user_id = ${userId}
  ), '[]'::json)`;

/** Row shape of {@link userColumns}. */
export type UserRow = {
  id: string;
  username: string | null;
  primaryEmail: string | null;
  primaryPhone: string | null;
  name: string | null;
  avatar: string | null;
  customData: Record<string, unknown>;
  identities: Record<string, { userId: string; details?: Record<string, unknown> }>;
  lastSignInAt: number | null;
  createdAt: number;
  updatedAt: number;
  profile: Record<string, unknown>;
  applicationId: string | null;
  isSuspended: boolean;
};

/** Row shape of {@link organizationColumns}. */
export type OrganizationRow = {
  tenantId: string;
  id: string;
  name: string;
  description: string | null;
  customData: Record<string, unknown>;
  isMfaRequired: boolean;
  color: { primaryColor?: string; isDarkModeEnabled?: boolean; darkPrimaryColor?: string };
  branding: { logoUrl?: string; darkLogoUrl?: string; favicon?: string; darkFavicon?: string };
  customCss: string | null;
  createdAt: number;
};

/** Row shape of {@link organizationRoleColumns}. */
export type OrganizationRoleRow = {
  tenantId: string;
  id: string;
  name: string;
  description: string | null;
  type: 'User' | 'MachineToMachine';
};

/** Row shape of {@link organizationScopeColumns}. */
export type OrganizationScopeRow = {
  tenantId: string;
  id: string;
  name: string;
  description: string | null;
};
