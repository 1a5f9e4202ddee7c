// Bootstrap and doctor against the local Logto started empty (`bare`: only the two applications
// and the Management API resource). Every test works on its own names (scopes, roles, app), so
// the tests share one tenant without depending on each other's order.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type EmulatorHandle, startEmulator } from '@/emulator/server';
import { type PortalConfig, readConfig } from '@/lib/config';
import { createManagementClient, type ManagementClient } from '@/lib/logto/client';

import { runBootstrap } from './bootstrap';
import { checkTenantAtStartup, type DoctorLine, runDoctor } from './doctor';
import { readEmailConnector, readOrganizationRoles, readTenantState, type TenantState } from './tenant-state';
import { BOOTSTRAP_APP_CUSTOM_DATA, type RoleNames } from './tenant-spec';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX_CLI = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

let emulator: EmulatorHandle;
let stoppedLogtoUrl: string;
let client: ManagementClient;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, profile: 'bare', quiet: true });
  // A Logto that was running and is not any more: its port refuses connections.
  const stopped = await startEmulator({ port: 0, profile: 'bare', quiet: true });
  stoppedLogtoUrl = stopped.url;
  await stopped.close();
  client = createManagementClient(managementSettings(emulator.url));
});

afterAll(async () => {
  await emulator?.close();
});

function managementSettings(endpoint: string) {
  return {
    managementEndpoint: endpoint,
    managementApiResource: 'https://default.logto.app/api',
    m2mAppId: 'portal-m2m',
    m2mAppSecret: 'portal-m2m-secret',
  };
}

/** The environment a deployer would set, with this test's own scope and operator role names. */
function envFor(namespace: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    LOGTO_ENDPOINT: emulator.url,
    LOGTO_M2M_APP_ID: 'portal-m2m',
    LOGTO_M2M_APP_SECRET: 'portal-m2m-secret',
    LOGTO_APP_ID: 'portal-web',
    LOGTO_APP_SECRET: 'portal-web-secret',
    NEXTAUTH_URL: portalUrlFor(namespace),
    PORTAL_SCOPE_READ_MEMBERS: `${namespace}:read`,
    PORTAL_SCOPE_INVITE_MEMBERS: `${namespace}:invite`,
    PORTAL_SCOPE_REMOVE_MEMBERS: `${namespace}:remove`,
    PORTAL_SCOPE_ASSIGN_ROLES: `${namespace}:assign`,
    PORTAL_SCOPE_MANAGE_ORGANIZATION: `${namespace}:manage`,
    PORTAL_SUPER_ADMIN_ROLE: `${namespace}-operator`,
    ...overrides,
  };
}

const portalUrlFor = (namespace: string) => `https://${namespace}.portal.test`;
const configFor = (namespace: string, overrides?: Record<string, string>): PortalConfig =>
  readConfig(envFor(namespace, overrides));
const roleNamesFor = (namespace: string): Partial<RoleNames> => ({
  admin: `${namespace}-admin`,
  manager: `${namespace}-manager`,
  member: `${namespace}-member`,
});
const appNameFor = (namespace: string) => `${namespace} portal`;

function bootstrapOptions(namespace: string, extra: { dryRun?: boolean; configuredAppId?: string } = {}) {
  return {
    portalUrl: portalUrlFor(namespace),
    roleNames: roleNamesFor(namespace),
    appName: appNameFor(namespace),
    ...extra,
  };
}

function envValue(envLines: string[], name: string): string {
  const line = envLines.find((candidate) => candidate.startsWith(`${name}=`));
  if (!line) throw new Error(`no ${name}= line in ${envLines.join(' | ')}`);
  return line.slice(name.length + 1);
}

/** The part of the tenant a namespace owns, for before/after comparisons. */
async function snapshot(namespace: string) {
  const state: TenantState = await readTenantState(client);
  const mine = (name: string) => name.startsWith(namespace);
  return {
    scopes: state.scopes.filter((scope) => mine(scope.name)),
    roles: state.roles.filter((role) => mine(role.name)),
    tenantRoles: state.tenantRoles.filter((role) => mine(role.name)),
    applications: state.applications.filter((app) => mine(app.name)),
  };
}

/** What bootstrap says about a new Logto tenant's sign-up (username only, no email connector). */
const SIGN_UP_NOTE =
  'note: sign-up asks for username: an invitee without an account makes one with no verified email, and the portal cannot let that account accept an invitation. Run bootstrap again with --configure-sign-up after adding an email connector in Logto Console → Connectors → Email and SMS to let invitees sign up with their email.';

const failedIds = (lines: DoctorLine[]) =>
  lines.filter((line) => !line.ok && !line.skipped).map((line) => line.id);
const lineOf = (lines: DoctorLine[], id: string) => lines.find((line) => line.id === id);

describe('logto:bootstrap', () => {
  it('creates everything on the first run, changes nothing on the second, and the doctor is green after', async () => {
    const config = configFor('first');
    const first = await runBootstrap(config, bootstrapOptions('first'));
    expect(first.ok).toBe(true);
    expect(first.changes).toBe(10);
    expect(first.lines).toEqual([
      SIGN_UP_NOTE,
      'created organization scope first:read',
      'created organization scope first:invite',
      'created organization scope first:remove',
      'created organization scope first:assign',
      'created organization scope first:manage',
      'created organization role first-admin (scopes: first:read, first:invite, first:remove, first:assign, first:manage)',
      'created organization role first-manager (scopes: first:read, first:invite)',
      'created organization role first-member (scopes: none)',
      'created tenant role first-operator',
      'created application first portal (Traditional web; redirect URI https://first.portal.test/api/auth/callback/logto; post sign-out URI https://first.portal.test)',
    ]);

    const appId = envValue(first.envLines, 'LOGTO_APP_ID');
    const appSecret = envValue(first.envLines, 'LOGTO_APP_SECRET');
    expect(appSecret).not.toMatch(/^</);
    expect(envValue(first.envLines, 'NEXTAUTH_URL')).toBe('https://first.portal.test');

    const created = await snapshot('first');
    expect(created.roles.map((role) => [role.name, [...role.scopeNames].sort()])).toEqual([
      ['first-admin', ['first:assign', 'first:invite', 'first:manage', 'first:read', 'first:remove']],
      ['first-manager', ['first:invite', 'first:read']],
      ['first-member', []],
    ]);
    expect(created.tenantRoles).toMatchObject([{ name: 'first-operator', type: 'User' }]);
    expect(created.applications).toMatchObject([
      {
        id: appId,
        type: 'Traditional',
        customData: BOOTSTRAP_APP_CUSTOM_DATA,
        redirectUris: ['https://first.portal.test/api/auth/callback/logto'],
        postLogoutRedirectUris: ['https://first.portal.test'],
      },
    ]);

    const second = await runBootstrap(config, bootstrapOptions('first', { configuredAppId: appId }));
    expect(second.ok).toBe(true);
    expect(second.changes).toBe(0);
    expect(second.lines).toHaveLength(11);
    expect(second.lines[0]).toBe(SIGN_UP_NOTE);
    for (const line of second.lines.slice(1)) expect(line).toMatch(/^exists /);
    expect(await snapshot('first')).toEqual(created);

    const doctor = await runDoctor(configFor('first', { LOGTO_APP_ID: appId, LOGTO_APP_SECRET: appSecret }), {
      roleNames: roleNamesFor('first'),
    });
    expect(doctor.fatal).toBe(false);
    // The bare tenant is a new Logto tenant: no email connector and username-only sign-up. Both
    // are warnings (invitations must be copied by hand; invitees cannot sign up with their email).
    expect(await readEmailConnector(client)).toBeUndefined();
    expect(failedIds(doctor.lines)).toEqual(['email-connector', 'sign-up']);
    expect(lineOf(doctor.lines, 'sign-up')).toMatchObject({
      severity: 'warn',
      message: expect.stringMatching(
        /^sign-up asks for username: an invitee without an account makes one with no verified email/,
      ),
      fix: expect.stringMatching(/^add an email connector in Logto Console → Connectors → Email and SMS/),
    });
    expect(doctor.ok).toBe(false);
    expect(lineOf(doctor.lines, 'sign-in-app-secret')).toMatchObject({ ok: true });
  });

  it('prints the plan in a dry run and changes nothing', async () => {
    const before = await snapshot('dry');
    const result = await runBootstrap(configFor('dry'), bootstrapOptions('dry', { dryRun: true }));
    expect(result.ok).toBe(true);
    expect(result.changes).toBe(10);
    expect(result.lines).toHaveLength(11);
    expect(result.lines[0]).toBe(SIGN_UP_NOTE);
    for (const line of result.lines.slice(1)) expect(line).toMatch(/^would create /);
    expect(envValue(result.envLines, 'LOGTO_APP_ID')).toBe('<created by a real run>');
    expect(await snapshot('dry')).toEqual(before);
    expect(before.scopes).toEqual([]);
  });

  it("never rewrites what it did not create, but adds the portal's redirect URIs to an existing app", async () => {
    const { data: scope } = await client.api.POST('/api/organization-scopes', {
      body: { name: 'theirs:read', description: 'made in Console' },
    });
    const { data: role } = await client.api.POST('/api/organization-roles', {
      body: {
        name: 'theirs-manager',
        description: 'made in Console',
        organizationScopeIds: [scope?.id ?? ''],
        resourceScopeIds: [],
      },
    });
    const { data: app } = await client.api.POST('/api/applications', {
      body: {
        name: appNameFor('theirs'),
        description: 'made by hand',
        type: 'Traditional',
        oidcClientMetadata: { redirectUris: ['https://old.example/cb'], postLogoutRedirectUris: [] } as never,
      },
    });
    const before = await snapshot('theirs');

    const result = await runBootstrap(configFor('theirs'), bootstrapOptions('theirs'));
    expect(result.ok).toBe(true);
    expect(result.lines).toContain('exists organization scope theirs:read');
    expect(result.lines).toContainEqual(
      expect.stringMatching(
        /^skipped: organization role theirs-manager exists with different scopes \(has theirs:read; the portal expects theirs:read, theirs:invite\) — not changed \(it was not created by bootstrap\)/,
      ),
    );
    expect(result.lines).toContain(
      `added https://theirs.portal.test/api/auth/callback/logto, https://theirs.portal.test to application theirs portal (${app?.id})`,
    );
    expect(envValue(result.envLines, 'LOGTO_APP_ID')).toBe(app?.id);

    const after = await snapshot('theirs');
    expect(after.scopes.find((candidate) => candidate.id === scope?.id)).toEqual(before.scopes[0]);
    expect(after.roles.find((candidate) => candidate.id === role?.id)).toEqual(
      before.roles.find((candidate) => candidate.id === role?.id),
    );
    expect(after.applications).toMatchObject([
      {
        id: app?.id,
        description: 'made by hand',
        customData: {},
        redirectUris: ['https://old.example/cb', 'https://theirs.portal.test/api/auth/callback/logto'],
        postLogoutRedirectUris: ['https://theirs.portal.test'],
      },
    ]);

    const doctor = await runDoctor(configFor('theirs', { LOGTO_APP_ID: app?.id ?? '' }), {
      roleNames: roleNamesFor('theirs'),
    });
    expect(lineOf(doctor.lines, 'organization-roles')).toMatchObject({
      ok: false,
      severity: 'warn',
      message: 'organization roles: theirs-manager lacks theirs:invite.',
    });
  });

  it('completes a role it created itself when a scope is missing', async () => {
    const config = configFor('own');
    expect((await runBootstrap(config, bootstrapOptions('own'))).ok).toBe(true);
    const admin = (await readOrganizationRoles(client)).find((role) => role.name === 'own-admin');
    const assign = (await snapshot('own')).scopes.find((scope) => scope.name === 'own:assign');
    await client.api.DELETE('/api/organization-roles/{id}/scopes/{organizationScopeId}', {
      params: { path: { id: admin?.id ?? '', organizationScopeId: assign?.id ?? '' } },
    });

    const result = await runBootstrap(config, bootstrapOptions('own'));
    expect(result.changes).toBe(1);
    expect(result.lines).toContain('added scopes own:assign to organization role own-admin');
    const repaired = (await readOrganizationRoles(client)).find((role) => role.name === 'own-admin');
    expect(repaired?.scopeNames).toContain('own:assign');
  });

  it('upgrades a tenant from before manage:organization: the doctor warns, bootstrap adds it to its admin role', async () => {
    const config = configFor('upgrade');
    const first = await runBootstrap(config, bootstrapOptions('upgrade'));
    expect(first.ok).toBe(true);
    const manage = (await snapshot('upgrade')).scopes.find((scope) => scope.name === 'upgrade:manage');
    // Deleting the scope also takes it off every role, as if it had never existed.
    await client.api.DELETE('/api/organization-scopes/{id}', { params: { path: { id: manage?.id ?? '' } } });
    const doctorConfig = configFor('upgrade', {
      LOGTO_APP_ID: envValue(first.envLines, 'LOGTO_APP_ID'),
      LOGTO_APP_SECRET: envValue(first.envLines, 'LOGTO_APP_SECRET'),
    });

    const before = await runDoctor(doctorConfig, { roleNames: roleNamesFor('upgrade') });
    expect(before.fatal).toBe(false);
    expect(lineOf(before.lines, 'organization-scopes')).toMatchObject({
      ok: false,
      severity: 'warn',
      message:
        'organization scope upgrade:manage is missing: only operators can open Settings, Auto-join and apps.',
    });

    const again = await runBootstrap(config, bootstrapOptions('upgrade'));
    expect(again.lines).toEqual(
      expect.arrayContaining([
        'created organization scope upgrade:manage',
        'added scopes upgrade:manage to organization role upgrade-admin',
      ]),
    );
    const after = await runDoctor(doctorConfig, { roleNames: roleNamesFor('upgrade') });
    expect(lineOf(after.lines, 'organization-scopes')).toMatchObject({ ok: true });
    expect(lineOf(after.lines, 'organization-roles')).toMatchObject({ ok: true });
  });
});

describe('logto:doctor failures', () => {
  it('tells a wrong M2M secret from the token answer (401 invalid_client)', async () => {
    const result = await runDoctor(configFor('x', { LOGTO_M2M_APP_SECRET: 'wrong-secret' }));
    expect(result).toMatchObject({ ok: false, fatal: true });
    expect(lineOf(result.lines, 'token')).toMatchObject({
      ok: false,
      severity: 'fatal',
      message: 'Logto rejected the secret of M2M app portal-m2m (401 invalid_client).',
    });
    expect(lineOf(result.lines, 'token')?.fix).toMatch(/into LOGTO_M2M_APP_SECRET\.$/);
    expect(lineOf(result.lines, 'management-api')).toMatchObject({ skipped: true });
  });

  it('tells a wrong resource indicator (invalid_target) and gives the Cloud form', async () => {
    const result = await runDoctor(
      configFor('x', { LOGTO_MANAGEMENT_API_RESOURCE: 'https://mytenant.logto.app/api' }),
    );
    expect(result).toMatchObject({ ok: false, fatal: true });
    const token = lineOf(result.lines, 'token');
    expect(token?.message).toBe(
      'Logto does not accept the resource indicator https://mytenant.logto.app/api (invalid_target).',
    );
    expect(token?.fix).toContain('set LOGTO_MANAGEMENT_API_RESOURCE to https://default.logto.app/api');
    expect(token?.fix).toContain('https://{tenant}.logto.app/api (Logto Cloud)');
  });

  it('tells an unknown M2M app id (400 invalid_client)', async () => {
    const result = await runDoctor(configFor('x', { LOGTO_M2M_APP_ID: 'no-such-app' }));
    expect(lineOf(result.lines, 'token')?.fix).toMatch(/^set LOGTO_M2M_APP_ID to the App ID/);
    expect(result.fatal).toBe(true);
  });

  it('tells a wrong sign-in app secret and a missing redirect URI', async () => {
    const result = await runDoctor(configFor('x', { LOGTO_APP_SECRET: 'wrong' }), {
      portalUrl: 'https://elsewhere.example',
    });
    expect(result.fatal).toBe(true);
    expect(lineOf(result.lines, 'sign-in-app-secret')).toMatchObject({ ok: false, severity: 'fatal' });
    expect(lineOf(result.lines, 'sign-in-app')?.fix).toContain(
      'npm run logto:bootstrap -- --portal-url https://elsewhere.example',
    );
    expect(lineOf(result.lines, 'sign-out-uri')).toMatchObject({ ok: false, severity: 'warn' });
  });

  it('tells a stopped Logto and checks nothing else', async () => {
    const result = await runDoctor(readConfig({ ...envFor('x'), LOGTO_ENDPOINT: stoppedLogtoUrl }));
    expect(result).toMatchObject({ ok: false, fatal: true });
    expect(lineOf(result.lines, 'endpoint')?.message).toMatch(/cannot be reached \(connect ECONNREFUSED/);
    expect(lineOf(result.lines, 'endpoint')?.fix).toMatch(/^check LOGTO_ENDPOINT/);
    expect(failedIds(result.lines)).toEqual(['endpoint']);
  });
});

describe('checkTenantAtStartup', () => {
  it('lets the local Logto through, and stops on a bad setting or a fatal check', async () => {
    expect(await checkTenantAtStartup({})).toEqual({ proceed: true, output: [] });

    const badSetting = await checkTenantAtStartup({ LOGTO_ENDPOINT: emulator.url });
    expect(badSetting.proceed).toBe(false);
    expect(badSetting.output).toEqual([
      expect.stringMatching(
        /^FAIL config: LOGTO_M2M_APP_ID is not usable\. — fix: LOGTO_M2M_APP_ID is required/,
      ),
    ]);

    const stopped = await checkTenantAtStartup({ ...envFor('x'), LOGTO_ENDPOINT: stoppedLogtoUrl });
    expect(stopped.proceed).toBe(false);
    expect(stopped.output[0]).toMatch(/^FAIL endpoint: /);
    expect(stopped.output.at(-1)).toBe(
      '1 fatal problem: the portal will not start against this tenant until it is fixed.',
    );

    const bootstrap = await runBootstrap(configFor('startup'), bootstrapOptions('startup'));
    const ready = await checkTenantAtStartup(
      {
        ...envFor('startup'),
        LOGTO_APP_ID: envValue(bootstrap.envLines, 'LOGTO_APP_ID'),
        LOGTO_APP_SECRET: envValue(bootstrap.envLines, 'LOGTO_APP_SECRET'),
      },
      { roleNames: roleNamesFor('startup') },
    );
    expect(ready.proceed).toBe(true);
    expect(ready.result?.fatal).toBe(false);
    expect(ready.output.at(-1)).toMatch(/^The tenant is ready for the portal/);
  });
});

type CliRun = { code: number | null; stdout: string; stderr: string };

// Every setting the portal reads. Blank in the child unless a test gives it: a blank variable
// counts as unset, and it wins over any value a developer's .env.local may hold.
const PORTAL_SETTINGS = [
  'LOGTO_ENDPOINT',
  'LOGTO_MANAGEMENT_ENDPOINT',
  'LOGTO_MANAGEMENT_API_RESOURCE',
  'LOGTO_M2M_APP_ID',
  'LOGTO_M2M_APP_SECRET',
  'LOGTO_APP_ID',
  'LOGTO_APP_SECRET',
  'LOGTO_REQUEST_TIMEOUT_MS',
  'LOGTO_REQUEST_BUDGET',
  'LOGTO_REQUEST_BUDGET_WINDOW_MS',
  'LOGTO_MAX_IN_FLIGHT',
  'NEXTAUTH_URL',
  'NEXTAUTH_SECRET',
  'PORTAL_SUPER_ADMIN_ROLE',
  'PORTAL_SCOPE_READ_MEMBERS',
  'PORTAL_SCOPE_INVITE_MEMBERS',
  'PORTAL_SCOPE_REMOVE_MEMBERS',
  'PORTAL_SCOPE_ASSIGN_ROLES',
  'PORTAL_SCOPE_MANAGE_ORGANIZATION',
];

/** Runs a script the way `npm run` does (tsx), with only the given Logto/portal settings. */
function runCli(script: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of PORTAL_SETTINGS) childEnv[name] = '';
  Object.assign(childEnv, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, script, ...args], {
      cwd: PROJECT_ROOT,
      env: childEnv,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('command line', () => {
  const roleFlags = [
    '--admin-role',
    'cli-admin',
    '--manager-role',
    'cli-manager',
    '--member-role',
    'cli-member',
  ];

  it('bootstrap --dry-run, bootstrap twice, then doctor: exit codes and output', async () => {
    const env = envFor('cli');
    const dryRun = await runCli(
      'scripts/logto/bootstrap.ts',
      ['--dry-run', ...roleFlags, '--app-name', 'cli portal'],
      env,
    );
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toContain('would create organization role cli-admin');
    expect(dryRun.stdout).toContain('10 change(s) planned. Run without --dry-run to apply them.');

    const first = await runCli('scripts/logto/bootstrap.ts', [...roleFlags, '--app-name', 'cli portal'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Applied 10 change(s).');
    const appId = /^LOGTO_APP_ID=(\S+)$/m.exec(first.stdout)?.[1] ?? '';
    const appSecret = /^LOGTO_APP_SECRET=(\S+)$/m.exec(first.stdout)?.[1] ?? '';
    expect(appId).not.toBe('');

    const withApp = { ...env, LOGTO_APP_ID: appId, LOGTO_APP_SECRET: appSecret };
    const second = await runCli(
      'scripts/logto/bootstrap.ts',
      [...roleFlags, '--app-name', 'cli portal'],
      withApp,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('No changes: the tenant was already set up.');

    const doctor = await runCli('scripts/logto/doctor.ts', roleFlags, withApp);
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/^ok {3}token: M2M app portal-m2m gets a Management API token/m);
    expect(doctor.stdout).toMatch(/^The tenant is ready for the portal/m);
  }, 90_000);

  it('doctor exits 1 with the fix line for a wrong secret and for a stopped Logto', async () => {
    const wrongSecret = await runCli(
      'scripts/logto/doctor.ts',
      [],
      envFor('cli', { LOGTO_M2M_APP_SECRET: 'nope' }),
    );
    expect(wrongSecret.code).toBe(1);
    expect(wrongSecret.stdout).toMatch(
      /^FAIL token: Logto rejected the secret of M2M app portal-m2m .* — fix: copy the secret/m,
    );

    const stopped = await runCli(
      'scripts/logto/doctor.ts',
      [],
      envFor('cli', { LOGTO_ENDPOINT: stoppedLogtoUrl }),
    );
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/^FAIL endpoint: .* — fix: check LOGTO_ENDPOINT/m);
    expect(stopped.stdout).toContain('1 fatal problem');

    const bootstrapStopped = await runCli(
      'scripts/logto/bootstrap.ts',
      [],
      envFor('cli', { LOGTO_ENDPOINT: stoppedLogtoUrl }),
    );
    expect(bootstrapStopped.code).toBe(1);
    expect(bootstrapStopped.stdout).toMatch(/^failed: reading the tenant: .*cannot be reached/m);
  }, 90_000);

  it('bootstrap refuses to run without LOGTO_ENDPOINT and rejects unknown flags', async () => {
    const noEndpoint = await runCli('scripts/logto/bootstrap.ts', [], {});
    expect(noEndpoint.code).toBe(2);
    expect(noEndpoint.stderr).toContain('LOGTO_ENDPOINT is not set');
    const badFlag = await runCli('scripts/logto/doctor.ts', ['--dry-run'], envFor('cli'));
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr).toContain('--dry-run is a bootstrap flag');
  }, 60_000);
});

describe('before bootstrap (issue 16)', () => {
  /** Only what a deployer has before bootstrap: the endpoint and the M2M app. */
  const m2mOnly = (namespace: string): Record<string, string> => {
    const env = envFor(namespace);
    const keep = [
      'LOGTO_ENDPOINT',
      'LOGTO_M2M_APP_ID',
      'LOGTO_M2M_APP_SECRET',
      'PORTAL_SCOPE_READ_MEMBERS',
      'PORTAL_SCOPE_INVITE_MEMBERS',
      'PORTAL_SCOPE_REMOVE_MEMBERS',
      'PORTAL_SCOPE_ASSIGN_ROLES',
      'PORTAL_SUPER_ADMIN_ROLE',
    ];
    return Object.fromEntries(Object.entries(env).filter(([name]) => keep.includes(name)));
  };
  const roleFlags = [
    '--admin-role',
    'pre-admin',
    '--manager-role',
    'pre-manager',
    '--member-role',
    'pre-member',
    '--app-name',
    'pre portal',
  ];

  it('doctor runs every tenant check with the M2M credentials alone and names bootstrap with the given portal URL', async () => {
    const run = await runCli(
      'scripts/logto/doctor.ts',
      [...roleFlags, '--portal-url', 'https://pre.portal.test'],
      m2mOnly('pre'),
    );
    expect(run.code).toBe(1);
    const bootstrap = 'run `npm run logto:bootstrap -- --portal-url https://pre.portal.test`';
    expect(run.stdout).toMatch(/^ok {3}token: /m);
    expect(run.stdout).toMatch(/^ok {3}management-api: /m);
    expect(run.stdout).toContain(
      `FAIL organization-scopes: organization scopes missing: pre:read, pre:invite, pre:remove, pre:assign, manage:organization (no one could manage an organization). — fix: ${bootstrap}`,
    );
    expect(run.stdout).toContain(
      `warn organization-roles: organization roles: pre-admin is missing; pre-manager is missing; pre-member is missing. — fix: ${bootstrap}`,
    );
    expect(run.stdout).toContain(
      `warn operator-role: tenant role pre-operator is missing: no one can be an operator. — fix: ${bootstrap}`,
    );
    expect(run.stdout).toContain(
      `FAIL sign-in-app: LOGTO_APP_ID is not set and the tenant has no sign-in app "pre portal" for the portal. — fix: ${bootstrap}: it creates`,
    );
    expect(run.stdout).toMatch(/^-- {3}sign-in-app-secret: not checked: LOGTO_APP_ID is not set$/m);
    expect(run.stdout).toMatch(/^warn email-connector: /m);
    expect(run.stdout).toContain(
      'warn sign-up: sign-up asks for username: an invitee without an account makes one with no verified email',
    );
    expect(run.stdout).toContain(`then ${bootstrap.replace(/`$/, ' --configure-sign-up`')}`);
    expect(run.stdout).not.toContain('localhost:3000');
    expect(run.stdout).not.toMatch(/^FAIL config/m);
    expect(run.stdout).toContain('2 fatal problems');
  }, 60_000);

  it('without a portal URL the doctor names a placeholder, never a guessed address, and bootstrap asks for one', async () => {
    const doctor = await runCli('scripts/logto/doctor.ts', roleFlags, m2mOnly('pre'));
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toContain(
      'run `npm run logto:bootstrap -- --portal-url <the portal URL, e.g. https://admin.example.com>`',
    );
    expect(doctor.stdout).not.toContain('localhost:3000');

    const before = await snapshot('pre');
    const bootstrap = await runCli('scripts/logto/bootstrap.ts', roleFlags, m2mOnly('pre'));
    expect(bootstrap.code).toBe(2);
    expect(bootstrap.stderr).toContain(
      'Where does the portal run? Pass it: npm run logto:bootstrap -- --portal-url',
    );
    expect(await snapshot('pre')).toEqual(before);
  }, 60_000);

  it('with LOGTO_APP_ID set but no portal URL, says the redirect URIs were not checked instead of checking a guess', async () => {
    const result = await runDoctor(
      configFor('pre', { LOGTO_APP_ID: 'portal-web', LOGTO_APP_SECRET: 'portal-web-secret' }),
      {
        isPortalUrlUnknown: true,
        roleNames: { admin: 'pre-admin', manager: 'pre-manager', member: 'pre-member' },
      },
    );
    expect(lineOf(result.lines, 'sign-in-app')).toMatchObject({ ok: true });
    expect(lineOf(result.lines, 'redirect-uris')).toMatchObject({
      ok: false,
      severity: 'warn',
      fix: 'pass --portal-url <the portal URL> or set NEXTAUTH_URL, then run the doctor again.',
    });
    expect(lineOf(result.lines, 'sign-out-uri')).toBeUndefined();
    expect(lineOf(result.lines, 'sign-in-app-secret')).toMatchObject({ ok: true });
    expect(JSON.stringify(result.lines)).not.toContain(portalUrlFor('pre'));
    expect(lineOf(result.lines, 'organization-scopes')?.fix).toContain(
      '--portal-url <the portal URL, e.g. https://admin.example.com>',
    );
  });

  it('--configure-sign-up is refused by the doctor', async () => {
    const run = await runCli('scripts/logto/doctor.ts', ['--configure-sign-up'], m2mOnly('pre'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--configure-sign-up is a bootstrap flag');
  }, 30_000);
});

describe('bootstrap --configure-sign-up', () => {
  const readSignUp = async (url: string) => {
    const api = createManagementClient(managementSettings(url));
    const { data } = await api.api.GET('/api/sign-in-exp');
    return { signUp: data?.signUp, signIn: data?.signIn };
  };

  it('without an email connector: a note by default, a skipped line when asked, and nothing changes', async () => {
    const before = await readSignUp(emulator.url);
    expect(before.signUp).toMatchObject({ identifiers: ['username'], password: true, verify: false });

    const plain = await runBootstrap(configFor('su'), bootstrapOptions('su', { dryRun: true }));
    expect(plain.lines[0]).toMatch(
      /^note: sign-up asks for username: .* Run bootstrap again with --configure-sign-up after adding an email connector/,
    );
    const asked = await runBootstrap(configFor('su'), { ...bootstrapOptions('su'), configureSignUp: true });
    expect(asked.ok).toBe(true);
    expect(asked.lines).toContainEqual(
      expect.stringMatching(
        /^skipped: sign-in experience sign-up not changed: Logto accepts email sign-up only with an email connector/,
      ),
    );
    expect(await readSignUp(emulator.url)).toEqual(before);
  });

  it('with an email connector: --dry-run shows the change and makes none; a real run sets it and the doctor agrees', async () => {
    const tenant = await startEmulator({ port: 0, profile: 'bare', quiet: true });
    try {
      await tenant.db.pg.query(
        `insert into connectors (id, connector_id, config, metadata) values ('mail', 'emulator-outbox-email', '{}', '{}')`,
      );
      const config = readConfig({ ...envFor('mail'), LOGTO_ENDPOINT: tenant.url });
      const before = await readSignUp(tenant.url);
      const description =
        'sign-in experience sign-up: sign-up identifier email (verified, with a password); username still asked as a second identifier; sign-in with email and password added';

      const dryRun = await runBootstrap(config, {
        ...bootstrapOptions('mail', { dryRun: true }),
        configureSignUp: true,
      });
      expect(dryRun.lines).toContain(`would set ${description}`);
      expect(dryRun.changes).toBe(11);
      expect(await readSignUp(tenant.url)).toEqual(before);

      const real = await runBootstrap(config, { ...bootstrapOptions('mail'), configureSignUp: true });
      expect(real.ok).toBe(true);
      expect(real.lines).toContain(`set ${description}`);
      expect(await readSignUp(tenant.url)).toEqual({
        signUp: {
          identifiers: ['email'],
          password: true,
          verify: true,
          secondaryIdentifiers: [{ identifier: 'username' }],
        },
        signIn: {
          methods: [
            { identifier: 'username', password: true, verificationCode: false, isPasswordPrimary: true },
            { identifier: 'email', password: true, verificationCode: false, isPasswordPrimary: true },
          ],
        },
      });

      const again = await runBootstrap(config, { ...bootstrapOptions('mail'), configureSignUp: true });
      expect(again.changes).toBe(0);
      expect(again.lines).toContain('exists sign-in experience sign-up (email, verified)');

      const doctor = await runDoctor(
        readConfig({
          ...envFor('mail'),
          LOGTO_ENDPOINT: tenant.url,
          LOGTO_APP_ID: envValue(real.envLines, 'LOGTO_APP_ID'),
          LOGTO_APP_SECRET: envValue(real.envLines, 'LOGTO_APP_SECRET'),
        }),
        { roleNames: roleNamesFor('mail') },
      );
      expect(lineOf(doctor.lines, 'sign-up')).toMatchObject({ ok: true });
      expect(failedIds(doctor.lines)).toEqual([]);
    } finally {
      await tenant.close();
    }
  }, 60_000);
});
