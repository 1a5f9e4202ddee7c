import { describe, expect, it } from 'vitest';

import { readConfig } from '@/lib/config';

import { computePlan, describeStep, isChange, type PlanStep } from './plan';
import type { ApplicationSnapshot, TenantState } from './tenant-state';
import { BOOTSTRAP_APP_CUSTOM_DATA, BOOTSTRAP_MARK, buildTenantSpec } from './tenant-spec';

const config = readConfig({
  LOGTO_ENDPOINT: 'https://tenant1.logto.app',
  LOGTO_M2M_APP_ID: 'm2m',
  LOGTO_M2M_APP_SECRET: 'm2m-secret',
  LOGTO_APP_ID: 'web',
  LOGTO_APP_SECRET: 'web-secret',
});
const spec = buildTenantSpec(config, { portalUrl: 'https://admin.example.com/' });
const ALL_SCOPES = [
  'read:members',
  'invite:members',
  'remove:members',
  'assign:roles',
  'manage:organization',
];

const emptyTenant: TenantState = { scopes: [], roles: [], tenantRoles: [], applications: [] };

function app(
  overrides: Partial<ApplicationSnapshot> & Pick<ApplicationSnapshot, 'id' | 'name'>,
): ApplicationSnapshot {
  const redirectUris = overrides.redirectUris ?? [];
  const postLogoutRedirectUris = overrides.postLogoutRedirectUris ?? [];
  return {
    type: 'Traditional',
    description: null,
    customData: {},
    redirectUris,
    postLogoutRedirectUris,
    oidcClientMetadata: {
      redirectUris,
      postLogoutRedirectUris,
      logoUri: 'https://example.com/logo.png',
    } as unknown as ApplicationSnapshot['oidcClientMetadata'],
    ...overrides,
  };
}

/** A tenant that already holds exactly what the spec asks for. */
function readyTenant(): TenantState {
  return {
    scopes: ALL_SCOPES.map((name, index) => ({ id: `s${index}`, name, description: null })),
    roles: [
      { id: 'r1', name: 'admin', description: null, scopeNames: [...ALL_SCOPES] },
      { id: 'r2', name: 'manager', description: null, scopeNames: ['invite:members', 'read:members'] },
      { id: 'r3', name: 'member', description: null, scopeNames: [] },
    ],
    tenantRoles: [{ id: 't1', name: 'portal-operator', description: 'ops', type: 'User' }],
    applications: [
      app({
        id: 'app1',
        name: 'Organization admin portal',
        redirectUris: ['https://admin.example.com/api/auth/callback/logto'],
        postLogoutRedirectUris: ['https://admin.example.com'],
      }),
    ],
  };
}

const stepFor = (steps: PlanStep[], subject: PlanStep['subject'], name: string) =>
  steps.find((step) => step.subject === subject && step.name.startsWith(name));

describe('computePlan', () => {
  it('plans every item on an empty tenant, scopes before the roles that use them', () => {
    const plan = computePlan(spec, emptyTenant);
    expect(plan.steps.map((step) => `${step.action} ${step.name}`)).toEqual([
      'create-scope read:members',
      'create-scope invite:members',
      'create-scope remove:members',
      'create-scope assign:roles',
      'create-scope manage:organization',
      'create-role admin',
      'create-role manager',
      'create-role member',
      'create-tenant-role portal-operator',
      'create-app Organization admin portal',
    ]);
    expect(stepFor(plan.steps, 'application', 'Organization')).toMatchObject({
      redirectUris: ['https://admin.example.com/api/auth/callback/logto'],
      postLogoutRedirectUris: ['https://admin.example.com'],
    });
    expect(stepFor(plan.steps, 'organization role', 'manager')).toMatchObject({
      scopeNames: ['read:members', 'invite:members'],
    });
    for (const step of plan.steps) {
      if ('description' in step) expect(step.description).toContain(BOOTSTRAP_MARK);
    }
  });

  it('plans no change on a tenant that is already set up (scope order does not matter)', () => {
    const plan = computePlan(spec, readyTenant());
    expect(plan.steps.filter(isChange)).toEqual([]);
    expect(plan.existingApp?.id).toBe('app1');
    expect(plan.existingScopeIds).toEqual({
      'read:members': 's0',
      'invite:members': 's1',
      'remove:members': 's2',
      'assign:roles': 's3',
      'manage:organization': 's4',
    });
  });

  it("skips a role of the tenant's own with different scopes, and completes one bootstrap created", () => {
    const tenant = readyTenant();
    tenant.roles[1] = {
      id: 'r2',
      name: 'manager',
      description: "the tenant's",
      scopeNames: ['read:members'],
    };
    tenant.roles[0] = {
      id: 'r1',
      name: 'admin',
      description: `Admins ${BOOTSTRAP_MARK}`,
      scopeNames: ['read:members'],
    };
    const plan = computePlan(spec, tenant);

    const manager = stepFor(plan.steps, 'organization role', 'manager');
    expect(manager?.action).toBe('skipped');
    expect(describeStep(manager as PlanStep, { dryRun: false })).toMatch(
      /^skipped: organization role manager exists with different scopes .*not changed \(it was not created by bootstrap\)/,
    );
    expect(stepFor(plan.steps, 'organization role', 'admin')).toEqual({
      action: 'add-role-scopes',
      subject: 'organization role',
      name: 'admin',
      roleId: 'r1',
      scopeNames: ['invite:members', 'remove:members', 'assign:roles', 'manage:organization'],
    });
  });

  it('leaves extra scopes on an existing role alone', () => {
    const tenant = readyTenant();
    tenant.roles[2] = { id: 'r3', name: 'member', description: null, scopeNames: ['read:members'] };
    const member = stepFor(computePlan(spec, tenant).steps, 'organization role', 'member');
    expect(member).toMatchObject({ action: 'exists', note: 'also has read:members; left as is' });
  });

  it('skips an operator role name taken by a machine-to-machine role', () => {
    const tenant = readyTenant();
    tenant.tenantRoles = [{ id: 't1', name: 'portal-operator', description: 'x', type: 'MachineToMachine' }];
    expect(stepFor(computePlan(spec, tenant).steps, 'tenant role', 'portal-operator')?.action).toBe(
      'skipped',
    );
  });

  it('adds only the missing URIs to an existing app and keeps the rest of its metadata', () => {
    const tenant = readyTenant();
    tenant.applications = [
      app({
        id: 'app1',
        name: 'Organization admin portal',
        redirectUris: ['https://old.example.com/cb'],
        postLogoutRedirectUris: ['https://admin.example.com'],
      }),
    ];
    const step = stepFor(computePlan(spec, tenant).steps, 'application', 'Organization');
    expect(step).toMatchObject({
      action: 'add-app-uris',
      appId: 'app1',
      addedUris: ['https://admin.example.com/api/auth/callback/logto'],
      oidcClientMetadata: {
        redirectUris: ['https://old.example.com/cb', 'https://admin.example.com/api/auth/callback/logto'],
        postLogoutRedirectUris: ['https://admin.example.com'],
        logoUri: 'https://example.com/logo.png',
      },
    });
    expect(describeStep(step as PlanStep, { dryRun: true })).toBe(
      'would add https://admin.example.com/api/auth/callback/logto to application Organization admin portal (app1)',
    );
  });

  it("prefers the app bootstrap created over the tenant's namesakes, and notes the duplicates", () => {
    const tenant = readyTenant();
    const ready = tenant.applications[0] as ApplicationSnapshot;
    tenant.applications = [
      app({ id: 'theirs', name: ready.name }),
      { ...ready, id: 'ours', customData: { ...BOOTSTRAP_APP_CUSTOM_DATA } },
    ];
    const plan = computePlan(spec, tenant);
    expect(plan.existingApp?.id).toBe('ours');
    expect(plan.notes).toEqual([
      '2 Traditional applications are named "Organization admin portal"; using ours.',
    ]);
  });

  it('uses the configured LOGTO_APP_ID first, and refuses one that is not a Traditional app', () => {
    const tenant = readyTenant();
    tenant.applications.push(app({ id: 'spa1', name: 'Something', type: 'SPA' }));
    const withSpa = computePlan(
      buildTenantSpec(config, { portalUrl: 'https://admin.example.com', configuredAppId: 'spa1' }),
      tenant,
    );
    expect(stepFor(withSpa.steps, 'application', 'Something')?.action).toBe('skipped');
    expect(withSpa.existingApp).toBeUndefined();

    const missing = computePlan(
      buildTenantSpec(config, { portalUrl: 'https://admin.example.com', configuredAppId: 'gone' }),
      tenant,
    );
    expect(missing.existingApp?.id).toBe('app1');
    expect(missing.notes[0]).toMatch(/^LOGTO_APP_ID gone does not exist/);
  });

  it('uses overridden role names and the configured scope names', () => {
    const renamed = readConfig({
      LOGTO_ENDPOINT: 'https://tenant1.logto.app',
      LOGTO_M2M_APP_ID: 'm2m',
      LOGTO_M2M_APP_SECRET: 'm2m-secret',
      LOGTO_APP_ID: 'web',
      LOGTO_APP_SECRET: 'web-secret',
      PORTAL_SCOPE_READ_MEMBERS: 'members:read',
      PORTAL_SUPER_ADMIN_ROLE: 'ops',
    });
    const plan = computePlan(
      buildTenantSpec(renamed, { portalUrl: 'http://localhost:3000', roleNames: { admin: 'owner' } }),
      emptyTenant,
    );
    expect(plan.steps.map((step) => step.name)).toEqual(
      expect.arrayContaining(['members:read', 'owner', 'manager', 'ops']),
    );
    expect(stepFor(plan.steps, 'organization role', 'owner')).toMatchObject({
      scopeNames: ['members:read', 'invite:members', 'remove:members', 'assign:roles', 'manage:organization'],
    });
  });
});

describe('describeStep', () => {
  it('says what was done, or what would be done in a dry run', () => {
    const step: PlanStep = {
      action: 'create-tenant-role',
      subject: 'tenant role',
      name: 'portal-operator',
      description: 'x',
    };
    expect(describeStep(step, { dryRun: false })).toBe('created tenant role portal-operator');
    expect(describeStep(step, { dryRun: true })).toBe('would create tenant role portal-operator');
    expect(
      describeStep({ action: 'exists', subject: 'organization role', name: 'admin' }, { dryRun: false }),
    ).toBe('exists organization role admin');
  });
});
