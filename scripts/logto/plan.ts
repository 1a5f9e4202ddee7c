import {
  type ApplicationSnapshot,
  asOidcUris,
  type OidcClientMetadata,
  type TenantState,
} from './tenant-state';
import type { SignUpChange } from './sign-up';
import { BOOTSTRAP_APP_CUSTOM_DATA, isMarkedByBootstrap, type TenantSpec } from './tenant-spec';

/** What a plan line is about, as printed. */
export type Subject =
  'organization scope' | 'organization role' | 'tenant role' | 'application' | 'sign-in experience';

/** One item of a bootstrap plan. Only `create`, `add-scopes` and `add-uris` change the tenant. */
export type PlanStep =
  | { action: 'exists'; subject: Subject; name: string; note?: string }
  | { action: 'skipped'; subject: Subject; name: string; reason: string }
  | { action: 'create-scope'; subject: 'organization scope'; name: string; description: string }
  | {
      action: 'create-role';
      subject: 'organization role';
      name: string;
      description: string;
      scopeNames: string[];
    }
  | {
      action: 'add-role-scopes';
      subject: 'organization role';
      name: string;
      roleId: string;
      scopeNames: string[];
    }
  | { action: 'create-tenant-role'; subject: 'tenant role'; name: string; description: string }
  | {
      action: 'create-app';
      subject: 'application';
      name: string;
      description: string;
      redirectUris: string[];
      postLogoutRedirectUris: string[];
    }
  | {
      action: 'add-app-uris';
      subject: 'application';
      name: string;
      appId: string;
      addedUris: string[];
      /** The whole metadata to send: Logto replaces the field on PATCH, so nothing may be left out. */
      oidcClientMetadata: OidcClientMetadata;
    }
  | { action: 'configure-sign-up'; subject: 'sign-in experience'; name: 'sign-up'; change: SignUpChange };

/** A step that changes the tenant. */
export type ChangeStep = Exclude<PlanStep, { action: 'exists' | 'skipped' }>;

/** The diff between a spec and a tenant: steps in the order they must run, plus the chosen app. */
export type BootstrapPlan = {
  steps: PlanStep[];
  /** Ids of the organization scopes that already exist, by name (roles are created with ids). */
  existingScopeIds: Record<string, string>;
  /** The existing app the portal should use, or `undefined` when the plan creates one (or skips it). */
  existingApp?: ApplicationSnapshot;
  /** Remarks that are not steps (e.g. a configured `LOGTO_APP_ID` that does not exist). */
  notes: string[];
};

/** True for steps that change the tenant. */
export function isChange(step: PlanStep): step is ChangeStep {
  return step.action !== 'exists' && step.action !== 'skipped';
}

const list = (names: string[]) => (names.length === 0 ? 'none' : names.join(', '));

/**
 * Compares the spec with the tenant's state. Pure: reads nothing and changes nothing, so a dry
 * run prints exactly what a real run would do. Never plans a deletion, and changes an existing
 * item only by adding to it: scopes to a role bootstrap created, redirect URIs to the portal's app.
 */
export function computePlan(spec: TenantSpec, state: TenantState): BootstrapPlan {
  const steps: PlanStep[] = [];
  const notes: string[] = [];
  const existingScopeIds = Object.fromEntries(state.scopes.map((scope) => [scope.name, scope.id]));

  for (const scope of spec.scopes) {
    const exists = state.scopes.some((existing) => existing.name === scope.name);
    steps.push(
      exists
        ? { action: 'exists', subject: 'organization scope', name: scope.name }
        : { action: 'create-scope', subject: 'organization scope', ...scope },
    );
  }

  for (const role of spec.roles) steps.push(planOrganizationRole(role, state));
  steps.push(planTenantRole(spec.operatorRole, state));

  const app = chooseApplication(spec.app, state.applications, notes);
  if (app.kind === 'create') {
    steps.push({
      action: 'create-app',
      subject: 'application',
      name: spec.app.name,
      description: spec.app.description,
      redirectUris: [spec.app.redirectUri],
      postLogoutRedirectUris: [spec.app.postLogoutRedirectUri],
    });
    return { steps, existingScopeIds, notes };
  }
  if (app.kind === 'skip') {
    steps.push({ action: 'skipped', subject: 'application', name: app.name, reason: app.reason });
    return { steps, existingScopeIds, notes };
  }
  steps.push(planApplicationUris(spec.app, app.application));
  return { steps, existingScopeIds, existingApp: app.application, notes };
}

function planOrganizationRole(role: TenantSpec['roles'][number], state: TenantState): PlanStep {
  const existing = state.roles.find((candidate) => candidate.name === role.name);
  if (!existing) return { action: 'create-role', subject: 'organization role', ...role };

  const missing = role.scopeNames.filter((name) => !existing.scopeNames.includes(name));
  const extra = existing.scopeNames.filter((name) => !role.scopeNames.includes(name));
  if (missing.length === 0) {
    return extra.length === 0
      ? { action: 'exists', subject: 'organization role', name: role.name }
      : {
          action: 'exists',
          subject: 'organization role',
          name: role.name,
          note: `also has ${list(extra)}; left as is`,
        };
  }
  if (isMarkedByBootstrap(existing.description)) {
    return {
      action: 'add-role-scopes',
      subject: 'organization role',
      name: role.name,
      roleId: existing.id,
      scopeNames: missing,
    };
  }
  return {
    action: 'skipped',
    subject: 'organization role',
    name: role.name,
    reason: `exists with different scopes (has ${list(existing.scopeNames)}; the portal expects ${list(role.scopeNames)}) — not changed (it was not created by bootstrap); pass another name with --${roleFlagHint(role.name)} or fix it in Logto Console`,
  };
}

// The flag can only be guessed from the default names; anything else gets the generic wording.
function roleFlagHint(name: string): string {
  return ['admin', 'manager', 'member'].includes(name) ? `${name}-role` : '<admin|manager|member>-role';
}

function planTenantRole(role: TenantSpec['operatorRole'], state: TenantState): PlanStep {
  const existing = state.tenantRoles.find((candidate) => candidate.name === role.name);
  if (!existing) return { action: 'create-tenant-role', subject: 'tenant role', ...role };
  if (existing.type === 'User') return { action: 'exists', subject: 'tenant role', name: role.name };
  return {
    action: 'skipped',
    subject: 'tenant role',
    name: role.name,
    reason:
      'exists as a machine-to-machine role, which users cannot hold — not changed; choose another name with --operator-role and set PORTAL_SUPER_ADMIN_ROLE to it',
  };
}

type AppChoice =
  | { kind: 'use'; application: ApplicationSnapshot }
  | { kind: 'create' }
  | { kind: 'skip'; name: string; reason: string };

function chooseApplication(
  wanted: TenantSpec['app'],
  applications: ApplicationSnapshot[],
  notes: string[],
): AppChoice {
  if (wanted.configuredId) {
    const configured = applications.find((app) => app.id === wanted.configuredId);
    if (configured?.type === 'Traditional') return { kind: 'use', application: configured };
    if (configured) {
      return {
        kind: 'skip',
        name: configured.name,
        reason: `LOGTO_APP_ID ${configured.id} is a ${configured.type} application; the portal needs a Traditional web one — not changed; unset LOGTO_APP_ID to let bootstrap create one`,
      };
    }
    notes.push(
      `LOGTO_APP_ID ${wanted.configuredId} does not exist in this tenant; looking for "${wanted.name}" instead.`,
    );
  }

  const named = applications.filter((app) => app.type === 'Traditional' && app.name === wanted.name);
  const own = named.find((app) => app.customData.createdBy === BOOTSTRAP_APP_CUSTOM_DATA.createdBy);
  const chosen = own ?? named[0];
  if (!chosen) return { kind: 'create' };
  if (named.length > 1) {
    notes.push(`${named.length} Traditional applications are named "${wanted.name}"; using ${chosen.id}.`);
  }
  return { kind: 'use', application: chosen };
}

function planApplicationUris(wanted: TenantSpec['app'], app: ApplicationSnapshot): PlanStep {
  const addRedirect = !app.redirectUris.includes(wanted.redirectUri);
  const addPostLogout = !app.postLogoutRedirectUris.includes(wanted.postLogoutRedirectUri);
  const label = `${app.name} (${app.id})`;
  if (!addRedirect && !addPostLogout) return { action: 'exists', subject: 'application', name: label };
  return {
    action: 'add-app-uris',
    subject: 'application',
    name: label,
    appId: app.id,
    addedUris: [
      ...(addRedirect ? [wanted.redirectUri] : []),
      ...(addPostLogout ? [wanted.postLogoutRedirectUri] : []),
    ],
    oidcClientMetadata: {
      ...app.oidcClientMetadata,
      ...asOidcUris({
        redirectUris: addRedirect ? [...app.redirectUris, wanted.redirectUri] : app.redirectUris,
        postLogoutRedirectUris: addPostLogout
          ? [...app.postLogoutRedirectUris, wanted.postLogoutRedirectUri]
          : app.postLogoutRedirectUris,
      }),
    },
  };
}

/**
 * One output line for a step: `created organization role manager`, `exists tenant role
 * portal-operator`, `would create ...` in a dry run, `skipped: ...` when left alone.
 */
export function describeStep(step: PlanStep, o: { dryRun: boolean }): string {
  const verb = (done: string, planned: string) => (o.dryRun ? planned : done);
  switch (step.action) {
    case 'exists':
      return `exists ${step.subject} ${step.name}${step.note ? ` (${step.note})` : ''}`;
    case 'skipped':
      return `skipped: ${step.subject} ${step.name} ${step.reason}`;
    case 'create-scope':
    case 'create-tenant-role':
      return `${verb('created', 'would create')} ${step.subject} ${step.name}`;
    case 'create-role':
      return `${verb('created', 'would create')} ${step.subject} ${step.name} (scopes: ${list(step.scopeNames)})`;
    case 'add-role-scopes':
      return `${verb('added', 'would add')} scopes ${list(step.scopeNames)} to ${step.subject} ${step.name}`;
    case 'create-app':
      return `${verb('created', 'would create')} ${step.subject} ${step.name} (Traditional web; redirect URI ${step.redirectUris.join(', ')}; post sign-out URI ${step.postLogoutRedirectUris.join(', ')})`;
    case 'add-app-uris':
      return `${verb('added', 'would add')} ${step.addedUris.join(', ')} to ${step.subject} ${step.name}`;
    case 'configure-sign-up':
      return `${verb('set', 'would set')} ${step.subject} ${step.name}: ${step.change.description}`;
  }
}
