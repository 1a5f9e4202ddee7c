import type { PortalConfig } from '../../lib/config';
import type { ManagementClient } from '../../lib/logto/client';

import { isMainModule, SHARED_FLAGS_HELP, startTenantTool } from './cli-options';
import { diagnoseLogtoError } from './failures';
import { loadServerModules } from './server-modules';
import {
  readApplication,
  readEmailConnector,
  readSignInExperience,
  readTraditionalApplications,
  readOrganizationRoles,
  readOrganizationScopes,
  readTenantRoles,
  type TenantState,
} from './tenant-state';
import { assessSignUp } from './sign-up';
import { BOOTSTRAP_APP_CUSTOM_DATA, buildTenantSpec, type RoleNames, type TenantSpec } from './tenant-spec';

/** The outcome of one check. Failed checks always carry a `fix`. */
export type DoctorLine = {
  id: string;
  ok: boolean;
  /** `fatal`: the portal cannot work (start-up refuses); `warn`: it works with a limitation. */
  severity: 'fatal' | 'warn';
  message: string;
  fix?: string;
  /** Not run because an earlier check it depends on failed. */
  skipped?: boolean;
};

/** What {@link runDoctor} found. */
export type DoctorResult = {
  /** Every check passed (warnings included). */
  ok: boolean;
  /** At least one fatal check failed: the portal must not start. */
  fatal: boolean;
  lines: DoctorLine[];
};

/** Options of {@link runDoctor}. */
export type DoctorOptions = {
  /**
   * Where the portal runs; its sign-in redirect URI must be registered. Default `NEXTAUTH_URL`
   * (its built-in default included) unless `isPortalUrlUnknown`.
   */
  portalUrl?: string;
  /**
   * Neither `--portal-url` nor `NEXTAUTH_URL` was given: redirect URIs are not checked and fixes
   * name a placeholder instead of guessing an address.
   */
  isPortalUrlUnknown?: boolean;
  /**
   * Sign-in app settings the deployer has not set yet (before bootstrap): the checks that need
   * them report what is missing instead of the run stopping at the configuration.
   */
  unsetSettings?: ('LOGTO_APP_ID' | 'LOGTO_APP_SECRET')[];
  roleNames?: Partial<RoleNames>;
  appName?: string;
  /** Bound of each plain HTTP probe (discovery, sign-in app secret). Default 5 s. */
  probeTimeoutMs?: number;
};

type Modules = Awaited<ReturnType<typeof loadServerModules>>;

type Context = {
  config: PortalConfig;
  spec: TenantSpec;
  modules: Modules;
  client: ManagementClient;
  probeTimeoutMs: number;
  /** The portal URL to put in fixes, or a placeholder when it is unknown. */
  portalUrlForFix: string;
  isPortalUrlUnknown: boolean;
  unsetSettings: Set<string>;
};

/** Placeholder for the portal's address in fixes when it was not given. */
export const PORTAL_URL_PLACEHOLDER = '<the portal URL, e.g. https://admin.example.com>';

/** `run \`npm run logto:bootstrap -- --portal-url …\`` with the portal's actual address. */
function bootstrapFix(context: Context, extraFlags = ''): string {
  return `run \`npm run logto:bootstrap -- --portal-url ${context.portalUrlForFix}${extraFlags ? ` ${extraFlags}` : ''}\``;
}

const pass = (id: string, severity: DoctorLine['severity'], message: string): DoctorLine => ({
  id,
  ok: true,
  severity,
  message,
});
const fail = (id: string, severity: DoctorLine['severity'], message: string, fix: string): DoctorLine => ({
  id,
  ok: false,
  severity,
  message,
  fix,
});
const skipped = (id: string, severity: DoctorLine['severity'], reason: string): DoctorLine => ({
  id,
  ok: false,
  severity,
  message: `not checked: ${reason}`,
  skipped: true,
});

const list = (names: string[]) => names.join(', ');

/**
 * Checks that a Logto tenant is ready for the portal, one line per check, each failure with a
 * fix: the endpoints answer, the M2M token request works, the Management API answers, the
 * organization scopes and roles and the operator role exist, the sign-in app exists with the
 * portal's redirect URI and accepts `LOGTO_APP_SECRET`, an email connector is configured.
 *
 * Start-up calls it when `LOGTO_ENDPOINT` is set and refuses to start when `fatal` is true.
 * Changes nothing in the tenant.
 */
export async function runDoctor(config: PortalConfig, options: DoctorOptions = {}): Promise<DoctorResult> {
  const modules = await loadServerModules();
  const portalUrl = options.portalUrl ?? config.nextAuth.url;
  const isPortalUrlUnknown = options.isPortalUrlUnknown === true && options.portalUrl === undefined;
  const spec = buildTenantSpec(config, {
    portalUrl,
    roleNames: options.roleNames,
    appName: options.appName,
  });
  const client = modules.createManagementClient({ ...config.logto, maxRetries: 0 });
  const context: Context = {
    config,
    spec,
    modules,
    client,
    probeTimeoutMs: options.probeTimeoutMs ?? 5_000,
    portalUrlForFix: isPortalUrlUnknown ? PORTAL_URL_PLACEHOLDER : portalUrl.replace(/\/+$/, ''),
    isPortalUrlUnknown,
    unsetSettings: new Set(options.unsetSettings ?? []),
  };
  const lines: DoctorLine[] = [];

  const reachability = await Promise.all([
    checkDiscovery('endpoint', config.logto.endpoint, 'LOGTO_ENDPOINT', context),
    ...(config.logto.managementEndpoint === config.logto.endpoint
      ? []
      : [
          checkDiscovery(
            'management-endpoint',
            config.logto.managementEndpoint,
            'LOGTO_MANAGEMENT_ENDPOINT',
            context,
          ),
        ]),
  ]);
  lines.push(...reachability);

  const tokenLine = reachability.every((line) => line.ok || line.severity === 'warn')
    ? await checkToken(context)
    : skipped('token', 'fatal', 'Logto is not reachable');
  lines.push(tokenLine);

  const apiResult = tokenLine.ok
    ? await checkManagementApi(context)
    : { line: skipped('management-api', 'fatal', 'no Management API token'), scopes: undefined };
  lines.push(apiResult.line);

  if (apiResult.scopes) {
    lines.push(checkOrganizationScopes(context, apiResult.scopes));
    lines.push(
      ...(await Promise.all([
        checkOrganizationRoles(context),
        checkOperatorRole(context),
        checkSignInApp(context),
        checkEmailConnector(context),
        checkSignUp(context),
      ]).then((groups) => groups.flat())),
    );
  } else {
    for (const [id, severity] of DEPENDENT_CHECKS)
      lines.push(skipped(id, severity, 'the Management API is not usable'));
  }

  const fatal = lines.some((line) => !line.ok && !line.skipped && line.severity === 'fatal');
  return { ok: lines.every((line) => line.ok), fatal, lines };
}

const DEPENDENT_CHECKS: [string, DoctorLine['severity']][] = [
  ['organization-scopes', 'fatal'],
  ['organization-roles', 'warn'],
  ['operator-role', 'warn'],
  ['sign-in-app', 'fatal'],
  ['email-connector', 'warn'],
  ['sign-up', 'warn'],
];

function failureLine(id: string, error: unknown, context: Context): DoctorLine {
  const diagnosis = diagnoseLogtoError(error, context.config.logto);
  return fail(id, 'fatal', diagnosis.message, diagnosis.fix);
}

async function checkDiscovery(
  id: string,
  endpoint: string,
  variable: string,
  context: Context,
): Promise<DoctorLine> {
  const url = `${endpoint}/oidc/.well-known/openid-configuration`;
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(context.probeTimeoutMs) });
    body = await response.json().catch(() => undefined);
  } catch (error) {
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    const isTimeout =
      error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return fail(
      id,
      'fatal',
      `Logto at ${endpoint} ${isTimeout ? 'does not answer in time' : `cannot be reached (${cause})`}.`,
      `check ${variable}: it must be the tenant's address (https://{tenant}.logto.app on Logto Cloud, or your self-hosted Logto's URL), and Logto must be running and reachable from this machine.`,
    );
  }
  const issuer =
    typeof body === 'object' && body !== null ? (body as { issuer?: unknown }).issuer : undefined;
  if (!response.ok || typeof issuer !== 'string') {
    return fail(
      id,
      'fatal',
      `${endpoint} answers, but not as a Logto endpoint (${url} gave HTTP ${response.status}).`,
      `set ${variable} to the tenant's base address, without /oidc or /api.`,
    );
  }
  const expectedIssuer = `${endpoint}/oidc`;
  if (issuer !== expectedIssuer) {
    return fail(
      id,
      'warn',
      `${endpoint} answers, but its issuer is ${issuer}, not ${expectedIssuer}.`,
      `set ${variable} to ${issuer.replace(/\/oidc$/, '')}, the address Logto announces.`,
    );
  }
  return pass(id, 'fatal', `${endpoint} answers (issuer ${issuer}).`);
}

async function checkToken(context: Context): Promise<DoctorLine> {
  const { logto } = context.config;
  const tokens = new context.modules.TokenCache({
    tokenEndpoint: `${logto.managementEndpoint}/oidc/token`,
    clientId: logto.m2mAppId,
    clientSecret: logto.m2mAppSecret,
    resource: logto.managementApiResource,
    timeoutMs: logto.requestTimeoutMs,
  });
  try {
    await tokens.getToken();
  } catch (error) {
    return failureLine('token', error, context);
  }
  return pass(
    'token',
    'fatal',
    `M2M app ${logto.m2mAppId} gets a Management API token (resource ${logto.managementApiResource}, scope all).`,
  );
}

async function checkManagementApi(
  context: Context,
): Promise<{ line: DoctorLine; scopes: TenantState['scopes'] | undefined }> {
  try {
    const scopes = await readOrganizationScopes(context.client);
    return {
      line: pass(
        'management-api',
        'fatal',
        `the Management API at ${context.config.logto.managementEndpoint}/api answers.`,
      ),
      scopes,
    };
  } catch (error) {
    return { line: failureLine('management-api', error, context), scopes: undefined };
  }
}

function checkOrganizationScopes(context: Context, scopes: TenantState['scopes']): DoctorLine {
  const wanted = context.spec.scopes.map((scope) => scope.name);
  const missing = wanted.filter((name) => !scopes.some((scope) => scope.name === name));
  // A tenant set up before `manage:organization` existed still works for members and invitations:
  // a warning, so upgrading the portal does not stop it from starting.
  const manageScope = context.config.scopes.manageOrganization;
  if (missing.length === 1 && missing[0] === manageScope) {
    return fail(
      'organization-scopes',
      'warn',
      `organization scope ${manageScope} is missing: only operators can open Settings, Auto-join and apps.`,
      `${bootstrapFix(context)}, or create it in Logto Console → Organization template → Permissions and give it to the admin role.`,
    );
  }
  if (missing.length > 0) {
    return fail(
      'organization-scopes',
      'fatal',
      `organization scopes missing: ${list(missing)} (no one could manage an organization).`,
      `${bootstrapFix(context)}, or create them in Logto Console → Organization template → Permissions (PORTAL_SCOPE_* rename them).`,
    );
  }
  return pass('organization-scopes', 'fatal', `organization scopes ${list(wanted)} exist.`);
}

async function guarded(
  id: string,
  severity: DoctorLine['severity'],
  context: Context,
  check: () => Promise<DoctorLine[]>,
) {
  try {
    return await check();
  } catch (error) {
    const diagnosis = diagnoseLogtoError(error, context.config.logto);
    return [fail(id, severity, diagnosis.message, diagnosis.fix)];
  }
}

function checkOrganizationRoles(context: Context): Promise<DoctorLine[]> {
  return guarded('organization-roles', 'warn', context, async () => {
    const roles = await readOrganizationRoles(context.client);
    const problems: string[] = [];
    for (const wanted of context.spec.roles) {
      const role = roles.find((candidate) => candidate.name === wanted.name);
      if (!role) {
        problems.push(`${wanted.name} is missing`);
        continue;
      }
      const missing = wanted.scopeNames.filter((name) => !role.scopeNames.includes(name));
      if (missing.length > 0) problems.push(`${wanted.name} lacks ${list(missing)}`);
    }
    const names = context.spec.roles.map((role) => role.name);
    if (problems.length > 0) {
      return [
        fail(
          'organization-roles',
          'warn',
          `organization roles: ${problems.join('; ')}.`,
          `${bootstrapFix(context)} (it creates missing roles and never changes existing ones), or set them up in Logto Console → Organization template → Roles.`,
        ),
      ];
    }
    return [
      pass('organization-roles', 'warn', `organization roles ${list(names)} exist with the portal's scopes.`),
    ];
  });
}

function checkOperatorRole(context: Context): Promise<DoctorLine[]> {
  const { name } = context.spec.operatorRole;
  return guarded('operator-role', 'warn', context, async () => {
    const role = (await readTenantRoles(context.client)).find((candidate) => candidate.name === name);
    if (!role) {
      return [
        fail(
          'operator-role',
          'warn',
          `tenant role ${name} is missing: no one can be an operator.`,
          `${bootstrapFix(context)}, or create a user role named ${name} in Logto Console → Roles (PORTAL_SUPER_ADMIN_ROLE names it).`,
        ),
      ];
    }
    if (role.type !== 'User') {
      return [
        fail(
          'operator-role',
          'warn',
          `tenant role ${name} is a machine-to-machine role: users cannot hold it.`,
          `set PORTAL_SUPER_ADMIN_ROLE to a user role, or ${bootstrapFix(context, '--operator-role <new name>')} and set PORTAL_SUPER_ADMIN_ROLE to it.`,
        ),
      ];
    }
    return [pass('operator-role', 'warn', `tenant role ${name} exists (its holders are operators).`)];
  });
}

function checkSignInApp(context: Context): Promise<DoctorLine[]> {
  const { appId } = context.config.logto;
  const { redirectUri, postLogoutRedirectUri } = context.spec.app;
  const bootstrap = bootstrapFix(context);
  return guarded('sign-in-app', 'fatal', context, async () => {
    if (context.unsetSettings.has('LOGTO_APP_ID')) return checkUnconfiguredSignInApp(context);
    const app = await readApplication(context.client, appId);
    if (!app) {
      return [
        fail(
          'sign-in-app',
          'fatal',
          `LOGTO_APP_ID ${appId} is not an application of this tenant.`,
          `${bootstrap} and paste the LOGTO_APP_ID and LOGTO_APP_SECRET lines it prints.`,
        ),
      ];
    }
    if (app.type !== 'Traditional') {
      return [
        fail(
          'sign-in-app',
          'fatal',
          `LOGTO_APP_ID ${appId} ("${app.name}") is a ${app.type} application; sign-in needs a Traditional web application.`,
          `unset LOGTO_APP_ID, ${bootstrap} and paste the lines it prints.`,
        ),
      ];
    }
    const label = `"${app.name}" (${app.id})`;
    const secretLine = context.unsetSettings.has('LOGTO_APP_SECRET')
      ? fail(
          'sign-in-app-secret',
          'fatal',
          'LOGTO_APP_SECRET is not set.',
          `${bootstrap} and paste the LOGTO_APP_SECRET line it prints, or copy the secret from Logto Console → Applications → ${app.name} → App secrets.`,
        )
      : await checkSignInAppSecret(context);
    if (context.isPortalUrlUnknown) {
      return [
        pass('sign-in-app', 'fatal', `sign-in app ${label} is a Traditional web app.`),
        fail(
          'redirect-uris',
          'warn',
          "the portal's address is unknown, so its redirect URIs were not checked.",
          'pass --portal-url <the portal URL> or set NEXTAUTH_URL, then run the doctor again.',
        ),
        secretLine,
      ];
    }
    const appLine = app.redirectUris.includes(redirectUri)
      ? pass(
          'sign-in-app',
          'fatal',
          `sign-in app ${label} is a Traditional web app with redirect URI ${redirectUri}.`,
        )
      : fail(
          'sign-in-app',
          'fatal',
          `sign-in app ${label} lacks the redirect URI ${redirectUri} (sign-in would fail with a redirect_uri error).`,
          `${bootstrap} (it adds the URI), or add it in Logto Console → Applications → ${app.name} → Redirect URIs.`,
        );
    const signOutLine = app.postLogoutRedirectUris.includes(postLogoutRedirectUri)
      ? pass(
          'sign-out-uri',
          'warn',
          `sign-in app ${label} has the post sign-out redirect URI ${postLogoutRedirectUri}.`,
        )
      : fail(
          'sign-out-uri',
          'warn',
          `sign-in app ${label} lacks the post sign-out redirect URI ${postLogoutRedirectUri} (sign-out would stop on a Logto error page).`,
          `${bootstrap}, or add it in Logto Console → Applications → ${app.name} → Post sign-out redirect URIs.`,
        );
    return [appLine, signOutLine, secretLine];
  });
}

/**
 * Before bootstrap, `LOGTO_APP_ID` is not set: look for the app bootstrap would use (its name),
 * so the doctor can say whether bootstrap will create it or only print its settings.
 */
async function checkUnconfiguredSignInApp(context: Context): Promise<DoctorLine[]> {
  const { name } = context.spec.app;
  const named = (await readTraditionalApplications(context.client)).filter((app) => app.name === name);
  const existing =
    named.find((app) => app.customData.createdBy === BOOTSTRAP_APP_CUSTOM_DATA.createdBy) ?? named[0];
  const bootstrap = bootstrapFix(context);
  return [
    existing
      ? fail(
          'sign-in-app',
          'fatal',
          `LOGTO_APP_ID is not set; the tenant has the sign-in app "${name}" (${existing.id}).`,
          `${bootstrap}: it completes that app and prints the LOGTO_APP_ID and LOGTO_APP_SECRET lines to paste.`,
        )
      : fail(
          'sign-in-app',
          'fatal',
          `LOGTO_APP_ID is not set and the tenant has no sign-in app "${name}" for the portal.`,
          `${bootstrap}: it creates the Traditional web app with the portal's redirect URIs and prints the LOGTO_APP_ID and LOGTO_APP_SECRET lines to paste.`,
        ),
    skipped('sign-in-app-secret', 'fatal', 'LOGTO_APP_ID is not set'),
  ];
}

/**
 * Presents the sign-in app's id and secret to the token endpoint with a made-up authorization
 * code. Logto authenticates the client before it looks at the code, so `invalid_client` means a
 * wrong secret and any other error means the secret was accepted. Nothing is issued.
 */
async function checkSignInAppSecret(context: Context): Promise<DoctorLine> {
  const { endpoint, appId, appSecret } = context.config.logto;
  const credentials = Buffer.from(`${encodeURIComponent(appId)}:${encodeURIComponent(appSecret)}`).toString(
    'base64',
  );
  let status: number;
  let error: unknown;
  try {
    const response = await fetch(`${endpoint}/oidc/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${credentials}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: 'portal-doctor-probe',
        redirect_uri: context.spec.app.redirectUri,
      }),
      signal: AbortSignal.timeout(context.probeTimeoutMs),
    });
    status = response.status;
    error = ((await response.json().catch(() => ({}))) as { error?: unknown }).error;
  } catch (cause) {
    return fail(
      'sign-in-app-secret',
      'warn',
      `could not check LOGTO_APP_SECRET: ${endpoint}/oidc/token did not answer (${cause instanceof Error ? cause.message : String(cause)}).`,
      'check LOGTO_ENDPOINT, then run the doctor again.',
    );
  }
  if (error === 'invalid_client') {
    return fail(
      'sign-in-app-secret',
      'fatal',
      `Logto rejected LOGTO_APP_SECRET for sign-in app ${appId} (HTTP ${status} invalid_client).`,
      'copy the secret from Logto Console → Applications → the sign-in app → App secrets into LOGTO_APP_SECRET.',
    );
  }
  return pass('sign-in-app-secret', 'fatal', `Logto accepts LOGTO_APP_SECRET for sign-in app ${appId}.`);
}

function checkEmailConnector(context: Context): Promise<DoctorLine[]> {
  return guarded('email-connector', 'warn', context, async () => {
    const email = await readEmailConnector(context.client);
    if (!email) {
      return [
        fail(
          'email-connector',
          'warn',
          'no email connector: Logto cannot email invitations, so admins must copy each invitation link from the portal by hand.',
          'to send invitation emails, add an email connector in Logto Console → Connectors → Email and SMS.',
        ),
      ];
    }
    return [
      pass(
        'email-connector',
        'warn',
        `email connector ${email.connectorId} is configured (invitations are emailed).`,
      ),
    ];
  });
}

/**
 * An invitee without an account creates one on Logto's sign-up page; the invitation can be
 * accepted only if that account gets the invited email, verified. Logto's default sign-up asks
 * for a username only, and email sign-up needs an email connector to send the code.
 */
function checkSignUp(context: Context): Promise<DoctorLine[]> {
  return guarded('sign-up', 'warn', context, async () => {
    const [experience, email] = await Promise.all([
      readSignInExperience(context.client),
      readEmailConnector(context.client),
    ]);
    const assessment = assessSignUp(experience, { hasEmailConnector: email !== undefined });
    if (assessment.ok) return [pass('sign-up', 'warn', assessment.message)];
    const bootstrap = `${bootstrapFix(context, '--configure-sign-up')} (it sets email sign-up with verification; see the change first with --dry-run), or set it in Logto Console → Sign-in experience → Sign-up and sign-in`;
    const fix = [assessment.manualFix, assessment.isBootstrapFix ? bootstrap : undefined]
      .filter(Boolean)
      .join(', then ');
    return [fail('sign-up', 'warn', assessment.message, `${fix}.`)];
  });
}

const MARKS = { pass: 'ok  ', fail: 'FAIL', warn: 'warn', skip: '--  ' } as const;

/** One printable line per check: `ok   token: …`, `FAIL token: … — fix: …`, `warn …`. */
export function formatDoctorLines(lines: DoctorLine[]): string[] {
  return lines.map((line) => {
    const mark = line.ok
      ? MARKS.pass
      : line.skipped
        ? MARKS.skip
        : line.severity === 'fatal'
          ? MARKS.fail
          : MARKS.warn;
    return `${mark} ${line.id}: ${line.message}${!line.ok && line.fix ? ` — fix: ${line.fix}` : ''}`;
  });
}

/** The closing sentence of a doctor run. */
export function summarizeDoctor(result: DoctorResult): string {
  const failures = result.lines.filter((line) => !line.ok && !line.skipped);
  const fatal = failures.filter((line) => line.severity === 'fatal').length;
  const warnings = failures.length - fatal;
  if (fatal > 0)
    return `${fatal} fatal problem${fatal === 1 ? '' : 's'}: the portal will not start against this tenant until ${fatal === 1 ? 'it is' : 'they are'} fixed.`;
  if (warnings > 0)
    return `The tenant is ready for the portal, with ${warnings} warning${warnings === 1 ? '' : 's'}.`;
  return 'The tenant is ready for the portal.';
}

/**
 * The start-up gate of `npm run dev` / `npm start`: with `LOGTO_ENDPOINT` set, reads the
 * configuration and runs {@link runDoctor}. `proceed` is false on a configuration error or a
 * fatal check; `output` is what to print (the check lines and a summary). Without
 * `LOGTO_ENDPOINT` (the local Logto) there is nothing to check.
 */
export async function checkTenantAtStartup(
  env: Record<string, string | undefined>,
  options: DoctorOptions = {},
): Promise<{ proceed: boolean; output: string[]; result?: DoctorResult }> {
  if (!env.LOGTO_ENDPOINT?.trim()) return { proceed: true, output: [] };
  const { readConfig, ConfigError } = await loadServerModules();
  let config: PortalConfig;
  try {
    config = readConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return { proceed: false, output: formatDoctorLines([configFailure(error)]) };
  }
  const result = await runDoctor(config, options);
  return {
    proceed: !result.fatal,
    output: [...formatDoctorLines(result.lines), summarizeDoctor(result)],
    result,
  };
}

function configFailure(error: { variable: string; message: string }): DoctorLine {
  return fail('config', 'fatal', `${error.variable} is not usable.`, error.message);
}

const USAGE = `Usage: npm run logto:doctor -- [flags]

Checks the Logto tenant named by LOGTO_ENDPOINT and the M2M credentials (LOGTO_M2M_APP_ID,
LOGTO_M2M_APP_SECRET) for everything the portal needs. Changes nothing. Exit code 1 when a
fatal check fails.

${SHARED_FLAGS_HELP}`;

async function main(): Promise<number> {
  const started = startTenantTool(USAGE, { allowDryRun: false });
  if ('exitCode' in started) return started.exitCode;
  const { options } = started;

  const { readConfig, ConfigError } = await loadServerModules();
  // Before bootstrap only the M2M settings exist: the sign-in app's are what bootstrap prints,
  // so their absence is reported by the checks instead of stopping the run here.
  const env: Record<string, string | undefined> = { ...process.env };
  const unsetSettings: ('LOGTO_APP_ID' | 'LOGTO_APP_SECRET')[] = [];
  if (env.LOGTO_ENDPOINT?.trim()) {
    for (const name of ['LOGTO_APP_ID', 'LOGTO_APP_SECRET'] as const) {
      if (env[name]?.trim()) continue;
      unsetSettings.push(name);
      env[name] = 'not-set';
    }
    if (!env.NEXTAUTH_SECRET?.trim()) env.NEXTAUTH_SECRET = 'not-needed-by-the-doctor';
  }
  let config: PortalConfig;
  try {
    config = readConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.log(formatDoctorLines([configFailure(error)])[0]);
    return 1;
  }
  if (config.isLocal)
    console.log(`LOGTO_ENDPOINT is not set: checking the local Logto at ${config.logto.endpoint}.`);

  const portalUrl = options.portalUrl ?? (env.NEXTAUTH_URL?.trim() || undefined);
  const result = await runDoctor(config, {
    ...options,
    portalUrl,
    isPortalUrlUnknown: portalUrl === undefined && !config.isLocal,
    unsetSettings,
  });
  for (const line of formatDoctorLines(result.lines)) console.log(line);
  console.log(`\n${summarizeDoctor(result)}`);
  return result.fatal ? 1 : 0;
}

if (isMainModule(import.meta.url)) process.exitCode = await main();
