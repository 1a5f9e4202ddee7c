/**
 * Compile-time contract: the shapes the emulator's routes answer with must be exactly those
 * `@logto/api`'s generated OpenAPI types promise (same keys, assignable values). Checked by
 * `npx tsc --noEmit -p .`; nothing here runs.
 */
import type { createApiClient } from '@logto/api/management';
import type { Client } from 'openapi-fetch';
import type { InvitationEntity } from '../api/organization-invitations';
import type { EmailDomainRow } from '../api/organization-jit';
import type { SsoConnectorRecord } from '../api/sso-connectors';
import type { UserProfileRow } from '../api/users';
import type { OrganizationRoleRow, OrganizationRow, OrganizationScopeRow, UserRow } from '../db/records';

type Paths = ReturnType<typeof createApiClient> extends Client<infer P> ? P : never;

/** The JSON body of `method path` answering `status`. */
type Body<
  Path extends keyof Paths,
  Method extends keyof Paths[Path],
  Status extends number,
> = Paths[Path][Method] extends { responses: { [S in Status]: { content: { 'application/json': infer B } } } }
  ? B
  : never;

type Item<T> = T extends Array<infer I> ? I : never;

/** True when `Ours` is assignable to `Theirs` and both have the same keys (optional ones included). */
type Matches<Ours, Theirs> = [Ours] extends [Theirs]
  ? [Exclude<keyof Ours, keyof Theirs>, Exclude<RequiredKeys<Theirs>, keyof Ours>] extends [never, never]
    ? true
    : { extraOrMissingKeys: [Exclude<keyof Ours, keyof Theirs>, Exclude<RequiredKeys<Theirs>, keyof Ours>] }
  : { notAssignable: [Ours, Theirs] };

type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];

type Expect<T extends true> = T;

type RoleSummary = { id: string; name: string };

/** What the emulator's route handlers put in `ctx.body`, per endpoint. */
type EmulatorResponses = {
  organization: OrganizationRow;
  organizationListItem: OrganizationRow & {
    usersCount?: number;
    featuredUsers?: Array<{ id: string; avatar: string | null; name: string | null }>;
  };
  member: UserRow & { organizationRoles: RoleSummary[] };
  addMembers: { userIds: string[] };
  memberRole: OrganizationRoleRow;
  assignMemberRoles: { organizationRoleIds: string[] };
  memberScope: OrganizationScopeRow;
  userOrganization: OrganizationRow & { organizationRoles: RoleSummary[] };
  user: UserProfileRow;
  replaceUserRoles: { roleIds: string[] };
  organizationRoleListItem: OrganizationRoleRow & {
    scopes: RoleSummary[];
    resourceScopes: Array<RoleSummary & { resource: RoleSummary }>;
  };
  organizationScope: OrganizationScopeRow;
  invitation: InvitationEntity;
  tenantRole: {
    tenantId: string;
    id: string;
    name: string;
    description: string;
    type: 'User' | 'MachineToMachine';
    isDefault: boolean;
  };
  jitEmailDomain: EmailDomainRow;
  ssoConnector: SsoConnectorRecord;
  resourceScope: {
    tenantId: string;
    id: string;
    resourceId: string;
    name: string;
    description: string | null;
    createdAt: number;
  };
};

export type ResponseContract = [
  Expect<Matches<EmulatorResponses['organizationListItem'], Item<Body<'/api/organizations', 'get', 200>>>>,
  Expect<Matches<EmulatorResponses['organization'], Body<'/api/organizations', 'post', 201>>>,
  Expect<Matches<EmulatorResponses['organization'], Body<'/api/organizations/{id}', 'get', 200>>>,
  Expect<Matches<EmulatorResponses['organization'], Body<'/api/organizations/{id}', 'patch', 200>>>,
  Expect<Matches<EmulatorResponses['member'], Item<Body<'/api/organizations/{id}/users', 'get', 200>>>>,
  Expect<Matches<EmulatorResponses['addMembers'], Body<'/api/organizations/{id}/users', 'post', 201>>>,
  Expect<
    Matches<
      EmulatorResponses['memberRole'],
      Item<Body<'/api/organizations/{id}/users/{userId}/roles', 'get', 200>>
    >
  >,
  Expect<
    Matches<
      EmulatorResponses['assignMemberRoles'],
      Body<'/api/organizations/{id}/users/{userId}/roles', 'post', 201>
    >
  >,
  Expect<
    Matches<
      EmulatorResponses['memberScope'],
      Item<Body<'/api/organizations/{id}/users/{userId}/scopes', 'get', 200>>
    >
  >,
  Expect<
    Matches<
      EmulatorResponses['userOrganization'],
      Item<Body<'/api/users/{userId}/organizations', 'get', 200>>
    >
  >,
  Expect<Matches<EmulatorResponses['user'], Body<'/api/users/{userId}', 'get', 200>>>,
  Expect<Matches<EmulatorResponses['user'], Item<Body<'/api/users', 'get', 200>>>>,
  Expect<Matches<EmulatorResponses['user'], Body<'/api/users', 'post', 200>>>,
  Expect<Matches<EmulatorResponses['user'], Body<'/api/users/{userId}/is-suspended', 'patch', 200>>>,
  Expect<Matches<EmulatorResponses['replaceUserRoles'], Body<'/api/users/{userId}/roles', 'put', 200>>>,
  Expect<
    Matches<EmulatorResponses['organizationRoleListItem'], Item<Body<'/api/organization-roles', 'get', 200>>>
  >,
  Expect<Matches<EmulatorResponses['memberRole'], Body<'/api/organization-roles', 'post', 201>>>,
  Expect<Matches<EmulatorResponses['memberRole'], Body<'/api/organization-roles/{id}', 'get', 200>>>,
  Expect<
    Matches<
      EmulatorResponses['organizationScope'],
      Item<Body<'/api/organization-roles/{id}/scopes', 'get', 200>>
    >
  >,
  Expect<
    Matches<
      EmulatorResponses['resourceScope'],
      Item<Body<'/api/organization-roles/{id}/resource-scopes', 'get', 200>>
    >
  >,
  Expect<Matches<EmulatorResponses['organizationScope'], Item<Body<'/api/organization-scopes', 'get', 200>>>>,
  Expect<Matches<EmulatorResponses['organizationScope'], Body<'/api/organization-scopes', 'post', 201>>>,
  Expect<Matches<EmulatorResponses['invitation'], Item<Body<'/api/organization-invitations', 'get', 200>>>>,
  Expect<Matches<EmulatorResponses['invitation'], Body<'/api/organization-invitations', 'post', 201>>>,
  Expect<Matches<EmulatorResponses['invitation'], Body<'/api/organization-invitations/{id}', 'get', 200>>>,
  Expect<
    Matches<EmulatorResponses['invitation'], Body<'/api/organization-invitations/{id}/status', 'put', 200>>
  >,
  Expect<Matches<EmulatorResponses['tenantRole'], Item<Body<'/api/users/{userId}/roles', 'get', 200>>>>,
  Expect<Matches<EmulatorResponses['tenantRole'], Body<'/api/roles', 'post', 200>>>,
  Expect<
    Matches<EmulatorResponses['resourceScope'], Body<'/api/resources/{resourceId}/scopes', 'post', 201>>
  >,
  Expect<
    Matches<
      EmulatorResponses['jitEmailDomain'],
      Item<Body<'/api/organizations/{id}/jit/email-domains', 'get', 200>>
    >
  >,
  Expect<
    Matches<
      EmulatorResponses['jitEmailDomain'],
      Body<'/api/organizations/{id}/jit/email-domains', 'post', 201>
    >
  >,
  Expect<
    Matches<
      EmulatorResponses['ssoConnector'],
      Item<Body<'/api/organizations/{id}/jit/sso-connectors', 'get', 200>>
    >
  >,
  Expect<
    Matches<EmulatorResponses['memberRole'], Item<Body<'/api/organizations/{id}/jit/roles', 'get', 200>>>
  >,
  Expect<
    Matches<
      EmulatorResponses['memberRole'],
      Item<Body<'/api/organizations/{id}/applications/{applicationId}/roles', 'get', 200>>
    >
  >,
];
