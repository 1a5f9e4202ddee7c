/**
 * Test data the contract checks create for themselves, so they run on any tenant: every name
 * starts with the run prefix and everything is deleted again (see `deleteLater`).
 */
import type { ContractHarness } from './harness';
import { uniqueName, uniqueUsername } from './harness';

export type Named = { id: string; name: string };

export type TestUser = {
  id: string;
  primaryEmail: string | null;
  username: string | null;
  name: string | null;
};

/** Creates a user with a unique email (and any extra fields); returns the created profile. */
export async function createTestUser(
  h: ContractHarness,
  fields: Record<string, unknown> = {},
): Promise<TestUser> {
  const response = await h.api('POST', '/users', {
    primaryEmail: `${uniqueName('user')}@contract.example`,
    name: 'Contract Tester',
    ...fields,
  });
  if (response.status !== 200)
    throw new Error(`Creating a test user failed: ${response.status} ${response.text}`);
  h.deleteLater(`/users/${response.json.id as string}`);
  return response.json;
}

/** Creates an organization with a unique name; returns its id. */
export async function createTestOrganization(h: ContractHarness, name = uniqueName('Org')): Promise<string> {
  const response = await h.api('POST', '/organizations', { name });
  if (response.status !== 201)
    throw new Error(`Creating a test organization failed: ${response.status} ${response.text}`);
  h.deleteLater(`/organizations/${response.json.id as string}`);
  return response.json.id as string;
}

/** Adds users to an organization, failing loudly if Logto refuses. */
export async function addMembers(
  h: ContractHarness,
  organizationId: string,
  userIds: string[],
): Promise<void> {
  const response = await h.api('POST', `/organizations/${organizationId}/users`, { userIds });
  if (response.status !== 201) throw new Error(`Adding members failed: ${response.status} ${response.text}`);
}

/** Assigns organization roles to a member. */
export async function assignOrganizationRoles(
  h: ContractHarness,
  organizationId: string,
  userId: string,
  roleIds: string[],
): Promise<void> {
  const response = await h.api('POST', `/organizations/${organizationId}/users/${userId}/roles`, {
    organizationRoleIds: roleIds,
  });
  if (response.status !== 201) throw new Error(`Assigning roles failed: ${response.status} ${response.text}`);
}

type ScopeKey = 'read' | 'invite' | 'remove' | 'assign';
type RoleKey = 'admin' | 'manager' | 'member';

/**
 * The portal's organization template (DESIGN.md, "Permission model") under unique names:
 * scopes `<prefix>read:members`… and roles `<prefix>admin` (all four), `<prefix>manager`
 * (read + invite) and `<prefix>member` (none). Prefixing keeps the seed's name order.
 */
export type OrganizationTemplate = {
  /** Starts every scope and role name of this template, and no other name in the tenant. */
  prefix: string;
  scopes: Record<ScopeKey, Named>;
  roles: Record<RoleKey, Named & { description: string }>;
};

const SCOPE_NAMES: Record<ScopeKey, string> = {
  read: 'read:members',
  invite: 'invite:members',
  remove: 'remove:members',
  assign: 'assign:roles',
};

/** Creates an {@link OrganizationTemplate}; call it from `beforeAll` to share it in a file. */
export async function createOrganizationTemplate(h: ContractHarness): Promise<OrganizationTemplate> {
  const prefix = `${uniqueName('tpl')}-`;
  const scopes = {} as Record<ScopeKey, Named>;
  for (const key of Object.keys(SCOPE_NAMES) as ScopeKey[]) {
    const name = `${prefix}${SCOPE_NAMES[key]}`;
    // The description holds this template's prefix too, so a search can prove it is not searched.
    const description = `Contract ${key} scope of ${prefix.slice(0, -1)}.`;
    const response = await h.api('POST', '/organization-scopes', { name, description });
    if (response.status !== 201)
      throw new Error(`Creating scope ${name} failed: ${response.status} ${response.text}`);
    h.deleteLater(`/organization-scopes/${response.json.id as string}`);
    scopes[key] = { id: response.json.id as string, name };
  }
  const roleSpecs: Record<RoleKey, { description: string; scopes: ScopeKey[] }> = {
    admin: {
      description: 'Manages members, invitations and roles.',
      scopes: ['read', 'invite', 'remove', 'assign'],
    },
    manager: { description: 'Sees members and invites people.', scopes: ['read', 'invite'] },
    // A token only this role's description holds, so a search can prove descriptions are searched.
    member: { description: `A regular member (${prefix.slice(0, -1)}).`, scopes: [] },
  };
  const roles = {} as OrganizationTemplate['roles'];
  for (const key of Object.keys(roleSpecs) as RoleKey[]) {
    const spec = roleSpecs[key];
    const name = `${prefix}${key}`;
    const response = await h.api('POST', '/organization-roles', {
      name,
      description: spec.description,
      organizationScopeIds: spec.scopes.map((scope) => scopes[scope].id),
    });
    if (response.status !== 201)
      throw new Error(`Creating role ${name} failed: ${response.status} ${response.text}`);
    h.deleteLater(`/organization-roles/${response.json.id as string}`);
    roles[key] = { id: response.json.id as string, name, description: spec.description };
  }
  return { prefix, scopes, roles };
}

/**
 * An organization whose members are fresh users, one per person: email
 * `<unique label>@<domain>` (default `contract.example`), a unique username with the label, and
 * the name if given. Returns the organization id and the users, in the order given.
 */
export async function createOrganizationWithMembers(
  h: ContractHarness,
  people: Array<{ label: string; name?: string; domain?: string }>,
  organizationName = uniqueName('Org'),
): Promise<{ organizationId: string; users: TestUser[] }> {
  const organizationId = await createTestOrganization(h, organizationName);
  const users: TestUser[] = [];
  for (const person of people) {
    users.push(
      await createTestUser(h, {
        primaryEmail: `${uniqueName(person.label)}@${person.domain ?? 'contract.example'}`,
        username: uniqueUsername(person.label),
        name: person.name,
      }),
    );
  }
  if (users.length > 0)
    await addMembers(
      h,
      organizationId,
      users.map((user) => user.id),
    );
  return { organizationId, users };
}
