import 'server-only';

import { ActionFailure } from '@/lib/actions/result';
import {
  addJitEmailDomain,
  addOrganizationApplications,
  deleteOrganization,
  getApplication,
  getApplicationRoles,
  getOrganization,
  invalidateOrganizationRolesCache,
  listJitEmailDomains,
  listJitRoles,
  listOrganizationRoles,
  LogtoApiError,
  type ManagementClient,
  type Organization,
  type OrganizationRoleWithScopes,
  removeJitEmailDomain,
  removeOrganizationApplication,
  replaceApplicationRoles,
  replaceJitRoles,
  updateOrganization,
} from '@/lib/logto';
import { ForbiddenError, NotFoundError, type OrgAccess } from '@/lib/permissions';
import { assertCanActOnHolderOf, assertCanGrantRoles, InvalidRoleIdsError } from '@/lib/permissions/grants';
import { isPublicMailDomain, MAX_AUTO_JOIN_DOMAINS, normalizeEmailDomain } from './email-domains';

// The organization's own settings, auto-join (JIT) and machine-to-machine apps. The actions
// (`app/orgs/[orgId]/{settings,auto-join,apps}/actions.ts`) check `manage:organization` first;
// the rules that depend on what is changed (operators only, rule 3) are checked here, against
// fresh answers from Logto.

/** The settings form's fields, as the action parsed them (empty text → `null`). */
export type OrganizationSettingsInput = {
  name: string;
  description: string | null;
  logoUrl: string | null;
  darkLogoUrl: string | null;
  primaryColor: string | null;
  isMfaRequired: boolean;
};

/** What the settings page shows and edits, read from one organization. */
export function settingsOf(organization: Organization): OrganizationSettingsInput {
  return {
    name: organization.name,
    description: organization.description ?? null,
    logoUrl: organization.branding.logoUrl ?? null,
    darkLogoUrl: organization.branding.darkLogoUrl ?? null,
    primaryColor: organization.color.primaryColor ?? null,
    isMfaRequired: organization.isMfaRequired,
  };
}

/**
 * The tenant's organization roles, asked of Logto now: a role made in Logto Console a moment ago
 * must be offered and accepted here (the shared copy is otherwise up to a minute old).
 */
export async function loadFreshOrganizationRoles(
  client?: ManagementClient,
): Promise<OrganizationRoleWithScopes[]> {
  invalidateOrganizationRolesCache(client);
  return listOrganizationRoles(client);
}

/** The names of the settings that differ. */
export function changedSettings(
  before: OrganizationSettingsInput,
  after: OrganizationSettingsInput,
): (keyof OrganizationSettingsInput)[] {
  return (Object.keys(after) as (keyof OrganizationSettingsInput)[]).filter(
    (key) => before[key] !== after[key],
  );
}

/**
 * Saves the settings that changed. Logto replaces `branding` and `color` wholesale, so the fields
 * the portal does not edit (favicons, dark-mode colour) are carried over from a fresh read.
 * Answers the settings before and after, and which changed (none: nothing was sent).
 */
export async function updateOrganizationSettings(
  orgId: string,
  input: OrganizationSettingsInput,
  client?: ManagementClient,
): Promise<{ before: OrganizationSettingsInput; after: OrganizationSettingsInput; changed: string[] }> {
  const current = await getOrganization(orgId, client);
  const before = settingsOf(current);
  const changed = changedSettings(before, input);
  if (changed.length === 0) return { before, after: before, changed };
  const branding = { ...current.branding };
  delete branding.logoUrl;
  delete branding.darkLogoUrl;
  const color = { ...current.color };
  delete color.primaryColor;
  const updated = await updateOrganization(
    orgId,
    {
      name: input.name,
      description: input.description,
      isMfaRequired: input.isMfaRequired,
      branding: {
        ...branding,
        ...(input.logoUrl ? { logoUrl: input.logoUrl } : {}),
        ...(input.darkLogoUrl ? { darkLogoUrl: input.darkLogoUrl } : {}),
      },
      color: { ...color, ...(input.primaryColor ? { primaryColor: input.primaryColor } : {}) },
    },
    client,
  );
  return { before, after: settingsOf(updated), changed };
}

/**
 * Operators only: deletes the organization once its name was typed exactly. Answers the name it
 * had. A wrong name changes nothing.
 */
export async function deleteOrganizationConfirmed(
  access: OrgAccess,
  orgId: string,
  typedName: string,
  mismatchMessage: string,
  client?: ManagementClient,
): Promise<{ name: string }> {
  if (!access.isOperator) throw new ForbiddenError(['operator']);
  const organization = await getOrganization(orgId, client);
  if (typedName !== organization.name) {
    throw new ActionFailure('invalid_input', { confirmName: [mismatchMessage] });
  }
  await deleteOrganization(orgId, client);
  return { name: organization.name };
}

/** Why an auto-join domain was refused, for the action to word. */
export class AutoJoinDomainError extends ActionFailure {
  override name = 'AutoJoinDomainError';
  constructor(
    readonly reason: 'format' | 'public' | 'duplicate' | 'too_many',
    readonly domain: string,
  ) {
    super(reason === 'duplicate' ? 'already_exists' : 'invalid_input');
  }
}

/**
 * Adds an auto-join email domain after normalising it; refuses malformed and public mail
 * domains, duplicates and more than {@link MAX_AUTO_JOIN_DOMAINS}. Answers the stored domain.
 */
export async function addAutoJoinDomain(
  orgId: string,
  input: string,
  client?: ManagementClient,
): Promise<string> {
  const domain = normalizeEmailDomain(input);
  if (!domain) throw new AutoJoinDomainError('format', input.trim());
  if (isPublicMailDomain(domain)) throw new AutoJoinDomainError('public', domain);
  const listed = await listJitEmailDomains(orgId, client);
  if (listed.some((row) => row.emailDomain === domain)) throw new AutoJoinDomainError('duplicate', domain);
  if (listed.length >= MAX_AUTO_JOIN_DOMAINS) throw new AutoJoinDomainError('too_many', domain);
  try {
    await addJitEmailDomain(orgId, domain, client);
  } catch (error) {
    // Added meanwhile by someone else.
    if (error instanceof LogtoApiError && error.code === 'entity.unique_integrity_violation') {
      throw new AutoJoinDomainError('duplicate', domain);
    }
    throw error;
  }
  return domain;
}

/** Removes an auto-join email domain (404 `not_found` when it is not listed). */
export async function removeAutoJoinDomain(
  orgId: string,
  domain: string,
  client?: ManagementClient,
): Promise<void> {
  await removeJitEmailDomain(orgId, domain.trim().toLowerCase(), client);
}

/**
 * Sets the default roles of people who join automatically. Rule 3: every role added must be one
 * the actor could grant, and every role removed one they could grant too (they may not take away
 * what they could not give). Answers the role names before and after.
 */
export async function setAutoJoinRoles(
  access: OrgAccess,
  orgId: string,
  roleIds: readonly string[],
  client?: ManagementClient,
): Promise<{ before: string[]; after: string[] }> {
  const [current, roles] = await Promise.all([
    listJitRoles(orgId, client),
    loadFreshOrganizationRoles(client),
  ]);
  const wanted = [...new Set(roleIds)];
  const currentIds = current.map((role) => role.id);
  const added = wanted.filter((id) => !currentIds.includes(id));
  const removed = currentIds.filter((id) => !wanted.includes(id));
  assertCanGrantRoles(access, added, roles);
  assertCanActOnHolderOf(access, removed, roles);
  await replaceJitRoles(orgId, wanted, client);
  return {
    before: roleNames(
      current.map((role) => role.id),
      roles,
    ),
    after: roleNames(wanted, roles),
  };
}

function roleNames(ids: readonly string[], roles: readonly OrganizationRoleWithScopes[]): string[] {
  const byId = new Map(roles.map((role) => [role.id, role.name]));
  return ids.map((id) => byId.get(id) ?? id).sort((a, b) => a.localeCompare(b));
}

/** Role ids that are not `MachineToMachine` organization roles refuse as bad input. */
function assertMachineRoles(roleIds: readonly string[], roles: readonly OrganizationRoleWithScopes[]): void {
  const byId = new Map(roles.map((role) => [role.id, role]));
  const invalid = roleIds.filter((id) => byId.get(id)?.type !== 'MachineToMachine');
  if (invalid.length > 0) throw new InvalidRoleIdsError([...new Set(invalid)]);
}

/** Refusal to add an app that is not machine-to-machine. */
export class NotMachineAppError extends ActionFailure {
  override name = 'NotMachineAppError';
  constructor() {
    super('invalid_input');
  }
}

/**
 * Operators only: adds an existing machine-to-machine app to the organization with
 * `MachineToMachine` organization roles. Answers the app's name and its role names.
 */
export async function addApplicationToOrganization(
  access: OrgAccess,
  orgId: string,
  applicationId: string,
  roleIds: readonly string[],
  client?: ManagementClient,
): Promise<{ name: string; roles: string[] }> {
  if (!access.isOperator) throw new ForbiddenError(['operator']);
  const [application, roles] = await Promise.all([
    getApplication(applicationId, client).catch((error: unknown) => {
      if (error instanceof LogtoApiError && error.status === 404) throw new NotFoundError();
      throw error;
    }),
    loadFreshOrganizationRoles(client),
  ]);
  if (application.type !== 'MachineToMachine') throw new NotMachineAppError();
  assertMachineRoles(roleIds, roles);
  await addOrganizationApplications(orgId, [applicationId], client);
  if (roleIds.length > 0) await replaceApplicationRoles(orgId, applicationId, [...new Set(roleIds)], client);
  return { name: application.name, roles: roleNames(roleIds, roles) };
}

/** The app's roles in the organization; `NotFoundError` when it is not one of its apps. */
async function heldApplicationRoles(orgId: string, applicationId: string, client?: ManagementClient) {
  try {
    return await getApplicationRoles(orgId, applicationId, client);
  } catch (error) {
    if (error instanceof LogtoApiError && error.code === 'organization.require_membership') {
      throw new NotFoundError();
    }
    throw error;
  }
}

/**
 * Sets an organization app's roles to exactly these `MachineToMachine` roles. Rule 3 for
 * non-operators: roles added or removed must carry only scopes the actor holds.
 */
export async function setApplicationRoles(
  access: OrgAccess,
  orgId: string,
  applicationId: string,
  roleIds: readonly string[],
  client?: ManagementClient,
): Promise<{ before: string[]; after: string[] }> {
  const [held, roles] = await Promise.all([
    heldApplicationRoles(orgId, applicationId, client),
    loadFreshOrganizationRoles(client),
  ]);
  const wanted = [...new Set(roleIds)];
  assertMachineRoles(wanted, roles);
  const heldIds = held.map((role) => role.id);
  const changedIds = [
    ...wanted.filter((id) => !heldIds.includes(id)),
    ...heldIds.filter((id) => !wanted.includes(id)),
  ];
  assertCanActOnHolderOf(access, changedIds, roles);
  await replaceApplicationRoles(orgId, applicationId, wanted, client);
  return { before: roleNames(heldIds, roles), after: roleNames(wanted, roles) };
}

/**
 * Removes an app from the organization. Rule 3 for non-operators: the app may hold only roles
 * the actor could grant. Answers the roles it held.
 */
export async function removeApplicationFromOrganization(
  access: OrgAccess,
  orgId: string,
  applicationId: string,
  client?: ManagementClient,
): Promise<{ roles: string[] }> {
  const [held, roles] = await Promise.all([
    heldApplicationRoles(orgId, applicationId, client),
    loadFreshOrganizationRoles(client),
  ]);
  assertCanActOnHolderOf(
    access,
    held.map((role) => role.id),
    roles,
  );
  await removeOrganizationApplication(orgId, applicationId, client);
  return {
    roles: roleNames(
      held.map((role) => role.id),
      roles,
    ),
  };
}
