import type { PortalConfig } from '../../lib/config';

/**
 * Appended to the description of everything bootstrap creates, so a later run can tell its own
 * items (which it may complete) from the tenant's (which it never changes). Organization scopes
 * and roles and tenant roles have no custom data, so the description is the one place to mark
 * them that survives in every Logto version.
 */
export const BOOTSTRAP_MARK = '(created by portal bootstrap)';

/** Custom data on the application bootstrap creates; applications do have a `customData` field. */
export const BOOTSTRAP_APP_CUSTOM_DATA = { createdBy: 'org-admin-portal-bootstrap' } as const;

/** Name of the portal's sign-in application when none is given. */
export const DEFAULT_APP_NAME = 'Organization admin portal';

/** Names of the organization roles and the tenant role bootstrap sets up. */
export type RoleNames = { admin: string; manager: string; member: string; operator: string };

/** Organization roles of DESIGN.md "Permission model". */
export const DEFAULT_ORGANIZATION_ROLE_NAMES = {
  admin: 'admin',
  manager: 'manager',
  member: 'member',
} as const;

type ScopeKey = keyof PortalConfig['scopes'];

const SCOPE_DESCRIPTIONS: Record<ScopeKey, string> = {
  readMembers: 'Open the organization in the admin portal, list its members and invitations.',
  inviteMembers: 'Create, resend and revoke invitations.',
  removeMembers: 'Remove members from the organization.',
  assignRoles: "Change members' organization roles.",
  manageOrganization: "Edit the organization's settings, auto-join and machine-to-machine apps.",
};

const ROLE_TEMPLATES: {
  key: keyof typeof DEFAULT_ORGANIZATION_ROLE_NAMES;
  description: string;
  scopes: ScopeKey[];
}[] = [
  {
    key: 'admin',
    description: 'Manages the organization in the admin portal: members, invitations, roles and settings.',
    scopes: ['readMembers', 'inviteMembers', 'removeMembers', 'assignRoles', 'manageOrganization'],
  },
  {
    key: 'manager',
    description: 'Sees the members of the organization and invites new ones.',
    scopes: ['readMembers', 'inviteMembers'],
  },
  {
    key: 'member',
    description: 'A member of the organization, with no admin portal permissions.',
    scopes: [],
  },
];

/** What the tenant should contain for the portal to work. Names only: ids are the tenant's. */
export type TenantSpec = {
  scopes: { name: string; description: string }[];
  roles: { name: string; description: string; scopeNames: string[] }[];
  operatorRole: { name: string; description: string };
  app: {
    name: string;
    description: string;
    redirectUri: string;
    postLogoutRedirectUri: string;
    /** `LOGTO_APP_ID` when it is already set: that app is the one the portal will use. */
    configuredId?: string;
  };
};

/** Options that shape the spec beyond the portal's configuration. */
export type TenantSpecOptions = {
  /** Where the portal runs, e.g. `https://admin.example.com`; no trailing slash needed. */
  portalUrl: string;
  roleNames?: Partial<RoleNames>;
  appName?: string;
  /** The app id the portal is configured with, if any. */
  configuredAppId?: string;
};

/** The redirect URIs the portal's sign-in (next-auth, provider id `logto`) needs for a portal URL. */
export function portalRedirectUris(portalUrl: string): {
  redirectUri: string;
  postLogoutRedirectUri: string;
} {
  const base = portalUrl.replace(/\/+$/, '');
  return { redirectUri: `${base}/api/auth/callback/logto`, postLogoutRedirectUri: base };
}

/** Role names with the defaults applied (the operator role defaults to `PORTAL_SUPER_ADMIN_ROLE`). */
export function resolveRoleNames(config: PortalConfig, overrides: Partial<RoleNames> = {}): RoleNames {
  return {
    admin: overrides.admin ?? DEFAULT_ORGANIZATION_ROLE_NAMES.admin,
    manager: overrides.manager ?? DEFAULT_ORGANIZATION_ROLE_NAMES.manager,
    member: overrides.member ?? DEFAULT_ORGANIZATION_ROLE_NAMES.member,
    operator: overrides.operator ?? config.superAdminRole,
  };
}

/** Builds the desired tenant state from the portal's configuration (scope names) and options. */
export function buildTenantSpec(config: PortalConfig, options: TenantSpecOptions): TenantSpec {
  const roleNames = resolveRoleNames(config, options.roleNames);
  const marked = (text: string) => `${text} ${BOOTSTRAP_MARK}`;
  const scopeKeys = Object.keys(SCOPE_DESCRIPTIONS) as ScopeKey[];
  return {
    scopes: scopeKeys.map((key) => ({
      name: config.scopes[key],
      description: marked(SCOPE_DESCRIPTIONS[key]),
    })),
    roles: ROLE_TEMPLATES.map((template) => ({
      name: roleNames[template.key],
      description: marked(template.description),
      scopeNames: template.scopes.map((key) => config.scopes[key]),
    })),
    operatorRole: {
      name: roleNames.operator,
      // Tenant role descriptions are limited to 128 characters.
      description: marked('Operators of the organization admin portal: every organization.'),
    },
    app: {
      name: options.appName ?? DEFAULT_APP_NAME,
      description: marked('Sign-in for the organization admin portal.'),
      ...portalRedirectUris(options.portalUrl),
      configuredId: options.configuredAppId,
    },
  };
}

/** True when a description carries the bootstrap mark. */
export function isMarkedByBootstrap(description: string | null | undefined): boolean {
  return typeof description === 'string' && description.includes(BOOTSTRAP_MARK);
}
