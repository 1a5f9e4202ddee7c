import type { PortalConfig } from '../../lib/config';
import type { ManagementClient } from '../../lib/logto/client';
import { LogtoApiError } from '../../lib/logto/errors';

import { isMainModule, SHARED_FLAGS_HELP, startTenantTool } from './cli-options';
import { diagnoseLogtoError } from './failures';
import { type BootstrapPlan, type ChangeStep, computePlan, describeStep, isChange } from './plan';
import { loadServerModules } from './server-modules';
import { planSignUp, assessSignUp } from './sign-up';
import {
  asOidcUris,
  readApplicationSecret,
  readEmailConnector,
  readSignInExperience,
  readTenantState,
} from './tenant-state';
import { BOOTSTRAP_APP_CUSTOM_DATA, buildTenantSpec, type RoleNames } from './tenant-spec';

/** Options of {@link runBootstrap}. */
export type BootstrapOptions = {
  /** Where the portal runs; its redirect URIs are registered on the sign-in app. */
  portalUrl: string;
  /** Print the plan and change nothing. */
  dryRun?: boolean;
  roleNames?: Partial<RoleNames>;
  appName?: string;
  /** `LOGTO_APP_ID` when already set: that app is completed instead of looking one up by name. */
  configuredAppId?: string;
  /**
   * Also set the sign-in experience so invitees can sign up with their email (verified); needs an
   * email connector. Without it, bootstrap only notes when sign-up would strand invitees.
   */
  configureSignUp?: boolean;
};

/** What a bootstrap run did (or, in a dry run, would do). */
export type BootstrapResult = {
  /** False when reading the tenant or a change failed; `lines` ends with the reason and the fix. */
  ok: boolean;
  /** Changes applied (dry run: changes planned). 0 means the tenant was already set up. */
  changes: number;
  /** One line per item, in order: `created …`, `exists …`, `would create …`, `skipped: …`. */
  lines: string[];
  /** The environment lines to paste into the portal's configuration. */
  envLines: string[];
  plan?: BootstrapPlan;
};

/**
 * Makes a tenant ready for the portal: the organization scopes, the organization roles, the
 * operator tenant role and the portal's Traditional web sign-in app with its redirect URIs.
 * Computes the whole plan first (read, then diff), then applies it in order. Idempotent: a second
 * run finds everything and changes nothing. Never deletes, and never changes what it did not
 * create, except adding the portal's redirect URIs to the sign-in app.
 */
export async function runBootstrap(
  config: PortalConfig,
  options: BootstrapOptions,
): Promise<BootstrapResult> {
  const { createManagementClient } = await loadServerModules();
  const client = createManagementClient(config.logto);
  const dryRun = options.dryRun ?? false;
  const spec = buildTenantSpec(config, {
    portalUrl: options.portalUrl,
    roleNames: options.roleNames,
    appName: options.appName,
    configuredAppId: options.configuredAppId,
  });

  let plan: BootstrapPlan;
  try {
    const [state, signUp] = await Promise.all([
      readTenantState(client, { configuredAppId: options.configuredAppId }),
      planSignUpStep(client, options.configureSignUp ?? false),
    ]);
    plan = computePlan(spec, state);
    plan.steps.push(...signUp.steps);
    plan.notes.push(...signUp.notes);
  } catch (error) {
    const diagnosis = diagnoseLogtoError(error, config.logto);
    return {
      ok: false,
      changes: 0,
      lines: [`failed: reading the tenant: ${diagnosis.message} — fix: ${diagnosis.fix}`],
      envLines: [],
    };
  }

  const lines = plan.notes.map((note) => `note: ${note}`);
  if (dryRun) {
    lines.push(...plan.steps.map((step) => describeStep(step, { dryRun })));
    return {
      ok: true,
      changes: plan.steps.filter(isChange).length,
      lines,
      envLines: await envLinesFor(client, config, { plan, options }),
      plan,
    };
  }

  const scopeIds = new Map(Object.entries(plan.existingScopeIds));
  let applied = 0;
  let createdAppId: string | undefined;
  for (const step of plan.steps) {
    if (!isChange(step)) {
      lines.push(describeStep(step, { dryRun }));
      continue;
    }
    try {
      const createdId = await applyStep(client, step, scopeIds);
      if (step.action === 'create-app') createdAppId = createdId;
      applied += 1;
      lines.push(describeStep(step, { dryRun }));
    } catch (error) {
      lines.push(
        `failed: ${describeStep(step, { dryRun: true }).replace(/^would /, '')}: ${failureText(error, config)}`,
      );
      lines.push('Stopped. Fix the cause and run bootstrap again: it picks up where it stopped.');
      return { ok: false, changes: applied, lines, envLines: [], plan };
    }
  }
  const envLines = await envLinesFor(client, config, { plan, options, createdAppId });
  return { ok: true, changes: applied, lines, envLines, plan };
}

/**
 * The sign-up part of the plan. Read-only unless `configure`: then one `configure-sign-up` step
 * (or `exists`, or `skipped` without an email connector). Without it, a note when invitees
 * without an account could not join.
 */
async function planSignUpStep(
  client: ManagementClient,
  configure: boolean,
): Promise<{ steps: BootstrapPlan['steps']; notes: string[] }> {
  const [experience, connector] = await Promise.all([
    readSignInExperience(client),
    readEmailConnector(client),
  ]);
  const hasEmailConnector = connector !== undefined;
  const assessment = assessSignUp(experience, { hasEmailConnector });
  const base = { subject: 'sign-in experience', name: 'sign-up' } as const;
  if (!configure) {
    return {
      steps: [],
      notes: assessment.ok
        ? []
        : [
            `${assessment.message} Run bootstrap again with --configure-sign-up${hasEmailConnector ? '' : ' after adding an email connector in Logto Console → Connectors → Email and SMS'} to let invitees sign up with their email.`,
          ],
    };
  }
  if (assessment.ok) return { steps: [{ action: 'exists', ...base, note: 'email, verified' }], notes: [] };
  if (assessment.gap === 'registration-disabled') {
    return {
      steps: [
        {
          action: 'skipped',
          ...base,
          reason: `not changed: ${assessment.message} Turning sign-up on is the tenant's choice: ${assessment.manualFix ?? ''}, then run bootstrap again.`,
        },
      ],
      notes: [],
    };
  }
  const change = planSignUp(experience);
  if (!hasEmailConnector || !change) {
    return {
      steps: [
        {
          action: 'skipped',
          ...base,
          reason:
            'not changed: Logto accepts email sign-up only with an email connector to send the verification code — add one in Logto Console → Connectors → Email and SMS, then run bootstrap again with --configure-sign-up',
        },
      ],
      notes: [],
    };
  }
  return { steps: [{ action: 'configure-sign-up', ...base, change }], notes: [] };
}

function failureText(error: unknown, config: PortalConfig): string {
  if (error instanceof LogtoApiError && error.status !== 401 && error.status !== 403) {
    return `HTTP ${error.status} ${error.code}: ${error.message}`;
  }
  const diagnosis = diagnoseLogtoError(error, config.logto);
  return `${diagnosis.message} — fix: ${diagnosis.fix}`;
}

/** Applies one change; returns the id of what it created, if anything. */
async function applyStep(
  client: ManagementClient,
  step: ChangeStep,
  scopeIds: Map<string, string>,
): Promise<string | undefined> {
  const idsOf = (names: string[]) =>
    names.map((name) => {
      const id = scopeIds.get(name);
      // The plan creates every scope before any role that uses it, so this is a planning bug.
      if (!id) throw new Error(`organization scope ${name} has no id yet`);
      return id;
    });

  switch (step.action) {
    case 'create-scope': {
      const { data } = await client.api.POST('/api/organization-scopes', {
        body: { name: step.name, description: step.description },
      });
      if (data) scopeIds.set(data.name, data.id);
      return data?.id;
    }
    case 'create-role': {
      const { data } = await client.api.POST('/api/organization-roles', {
        body: {
          name: step.name,
          description: step.description,
          organizationScopeIds: idsOf(step.scopeNames),
          resourceScopeIds: [],
        },
      });
      return data?.id;
    }
    case 'add-role-scopes':
      await client.api.POST('/api/organization-roles/{id}/scopes', {
        params: { path: { id: step.roleId } },
        body: { organizationScopeIds: idsOf(step.scopeNames) },
        // Logto answers 201 with the text `Created`, which is not JSON.
        parseAs: 'text',
      });
      return undefined;
    case 'create-tenant-role': {
      const { data } = await client.api.POST('/api/roles', {
        body: { name: step.name, description: step.description, type: 'User' },
      });
      return data?.id;
    }
    case 'create-app': {
      const { data } = await client.api.POST('/api/applications', {
        body: {
          name: step.name,
          description: step.description,
          type: 'Traditional',
          oidcClientMetadata: asOidcUris(step),
          customData: { ...BOOTSTRAP_APP_CUSTOM_DATA },
        },
      });
      if (!data)
        throw new LogtoApiError({
          status: 200,
          code: 'client.empty_response',
          message: 'Logto created the application but returned no body.',
        });
      return data.id;
    }
    case 'add-app-uris':
      await client.api.PATCH('/api/applications/{id}', {
        params: { path: { id: step.appId } },
        body: { oidcClientMetadata: step.oidcClientMetadata },
      });
      return undefined;
    case 'configure-sign-up':
      await client.api.PATCH('/api/sign-in-exp', { body: step.change.body });
      return undefined;
  }
}

async function envLinesFor(
  client: ManagementClient,
  config: PortalConfig,
  { plan, options, createdAppId }: { plan: BootstrapPlan; options: BootstrapOptions; createdAppId?: string },
): Promise<string[]> {
  const lines = [`LOGTO_ENDPOINT=${config.logto.endpoint}`];
  if (config.logto.managementEndpoint !== config.logto.endpoint) {
    lines.push(`LOGTO_MANAGEMENT_ENDPOINT=${config.logto.managementEndpoint}`);
  }
  lines.push(
    `LOGTO_M2M_APP_ID=${config.logto.m2mAppId}`,
    'LOGTO_M2M_APP_SECRET=<the secret you ran bootstrap with>',
  );

  const appId = createdAppId ?? plan.existingApp?.id;
  if (appId) {
    const secret = await readApplicationSecret(client, appId).catch(() => undefined);
    lines.push(
      `LOGTO_APP_ID=${appId}`,
      `LOGTO_APP_SECRET=${secret ?? '<copy it from Logto Console → Applications → the sign-in app → App secrets>'}`,
    );
  } else if (plan.steps.some((step) => step.action === 'create-app')) {
    lines.push('LOGTO_APP_ID=<created by a real run>', 'LOGTO_APP_SECRET=<created by a real run>');
  }
  lines.push(`NEXTAUTH_URL=${options.portalUrl.replace(/\/+$/, '')}`);
  const operator = options.roleNames?.operator;
  if (operator && operator !== config.superAdminRole) lines.push(`PORTAL_SUPER_ADMIN_ROLE=${operator}`);
  lines.push(
    'NEXTAUTH_SECRET=<a long random string, e.g. the output of `openssl rand -base64 32`; keep it once set>',
  );
  return lines;
}

const USAGE = `Usage: npm run logto:bootstrap -- [--dry-run] [flags]

Sets up the Logto tenant named by LOGTO_ENDPOINT for the portal, using the M2M app in
LOGTO_M2M_APP_ID / LOGTO_M2M_APP_SECRET (it needs the Management API role): organization scopes,
organization roles, the operator tenant role and the portal's sign-in application. Safe to run
again: it only creates what is missing and never deletes or changes what it did not create.

  --dry-run               print the plan and change nothing
  --configure-sign-up     also let invitees without an account sign up with their email: sets
                          the sign-in experience's sign-up to email (verified, with a password),
                          keeping a username the tenant asks for; needs an email connector
${SHARED_FLAGS_HELP}`;

// Settings the portal needs for sign-in but bootstrap does not: bootstrap is what creates them.
const NOT_NEEDED_BY_BOOTSTRAP = ['LOGTO_APP_ID', 'LOGTO_APP_SECRET', 'NEXTAUTH_SECRET'] as const;

async function main(): Promise<number> {
  const started = startTenantTool(USAGE, { allowDryRun: true });
  if ('exitCode' in started) return started.exitCode;
  const { options } = started;
  if (!process.env.LOGTO_ENDPOINT?.trim()) {
    console.error(
      'LOGTO_ENDPOINT is not set. Bootstrap sets up a real Logto tenant (the local Logto is seeded already):\n' +
        'set LOGTO_ENDPOINT, LOGTO_M2M_APP_ID and LOGTO_M2M_APP_SECRET, then run it again.',
    );
    return 2;
  }

  const { readConfig, ConfigError } = await loadServerModules();
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of NOT_NEEDED_BY_BOOTSTRAP) {
    if (!env[name]?.trim()) env[name] = 'not-needed-by-bootstrap';
  }
  let config: PortalConfig;
  try {
    config = readConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }

  // No guessing: the redirect URIs bootstrap registers must be the portal's real address.
  const portalUrl = options.portalUrl ?? (process.env.NEXTAUTH_URL?.trim() || undefined);
  if (!portalUrl) {
    console.error(
      'Where does the portal run? Pass it: npm run logto:bootstrap -- --portal-url https://admin.example.com\n' +
        '(or set NEXTAUTH_URL). Its sign-in redirect URIs are registered for that address.',
    );
    return 2;
  }
  console.log(
    `${options.dryRun ? 'Dry run: nothing will be changed. ' : ''}Tenant ${config.logto.endpoint}, portal ${portalUrl}\n`,
  );
  const result = await runBootstrap(config, {
    portalUrl,
    dryRun: options.dryRun,
    roleNames: options.roleNames,
    appName: options.appName,
    configuredAppId: process.env.LOGTO_APP_ID?.trim() || undefined,
    configureSignUp: options.configureSignUp,
  });
  for (const line of result.lines) console.log(line);
  if (!result.ok) return 1;

  console.log('');
  const skipped = result.lines.filter((line) => line.startsWith('skipped: ')).length;
  const skippedNote = skipped > 0 ? ` ${skipped} item(s) skipped: see the skipped: lines above.` : '';
  if (options.dryRun) {
    console.log(
      result.changes === 0
        ? `Nothing to change${skipped > 0 ? '.' : ': the tenant is already set up.'}${skippedNote}`
        : `${result.changes} change(s) planned. Run without --dry-run to apply them.${skippedNote}`,
    );
  } else {
    console.log(
      result.changes === 0
        ? `No changes${skipped > 0 ? '.' : ': the tenant was already set up.'}${skippedNote}`
        : `Applied ${result.changes} change(s).${skippedNote}`,
    );
  }
  if (result.envLines.length > 0) {
    console.log("\nPortal environment (paste into .env.local or your host's settings):\n");
    for (const line of result.envLines) console.log(line);
  }
  console.log('\nThen check everything with `npm run logto:doctor`.');
  return 0;
}

if (isMainModule(import.meta.url)) process.exitCode = await main();
