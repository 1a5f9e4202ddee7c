import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { RoleNames } from './tenant-spec';

/** Flags shared by `logto:bootstrap` and `logto:doctor`. */
export type TenantToolOptions = {
  portalUrl?: string;
  roleNames: Partial<RoleNames>;
  appName?: string;
  dryRun: boolean;
  /** Bootstrap only: let invitees sign up with their email (changes the sign-in experience). */
  configureSignUp: boolean;
  help: boolean;
};

/** Thrown for an unknown flag or a bad value; the CLI prints the message and the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Help text of the shared flags. */
export const SHARED_FLAGS_HELP = `  --portal-url <url>      where the portal runs (default: NEXTAUTH_URL)
  --admin-role <name>     organization role with every portal permission (default: admin)
  --manager-role <name>   organization role that reads and invites (default: manager)
  --member-role <name>    organization role with no portal permission (default: member)
  --operator-role <name>  tenant role of operators (default: PORTAL_SUPER_ADMIN_ROLE, else portal-operator)
  --app-name <name>       name of the portal's sign-in application (default: "Organization admin portal")
  --help                  show this help`;

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') throw new UsageError(`--${flag} needs a value.`);
  return trimmed;
}

/** Parses the command-line flags (`--dry-run` only where `allowDryRun`). */
export function parseTenantToolArgs(args: string[], o: { allowDryRun: boolean }): TenantToolOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        'portal-url': { type: 'string' },
        'admin-role': { type: 'string' },
        'manager-role': { type: 'string' },
        'member-role': { type: 'string' },
        'operator-role': { type: 'string' },
        'app-name': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'configure-sign-up': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values['dry-run'] && !o.allowDryRun)
    throw new UsageError('--dry-run is a bootstrap flag: the doctor never changes anything.');
  if (values['configure-sign-up'] && !o.allowDryRun)
    throw new UsageError('--configure-sign-up is a bootstrap flag: the doctor never changes anything.');

  const portalUrl = nonEmpty('portal-url', values['portal-url']);
  if (portalUrl !== undefined && !/^https?:\/\/[^/]+/.test(portalUrl)) {
    throw new UsageError(
      `--portal-url must be an http(s) URL such as https://admin.example.com (got "${portalUrl}").`,
    );
  }
  const roleNames: Partial<RoleNames> = {};
  for (const key of ['admin', 'manager', 'member', 'operator'] as const) {
    const name = nonEmpty(`${key}-role`, values[`${key}-role`]);
    if (name !== undefined) roleNames[key] = name;
  }
  return {
    portalUrl: portalUrl?.replace(/\/+$/, ''),
    roleNames,
    appName: nonEmpty('app-name', values['app-name']),
    dryRun: values['dry-run'] ?? false,
    configureSignUp: values['configure-sign-up'] ?? false,
    help: values.help ?? false,
  };
}

/** True when the module at `moduleUrl` is the script node was started with (not an import). */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/**
 * Loads the project's `.env` files into `process.env` in Next.js's order of precedence
 * (`.env.{mode}.local`, `.env.local`, `.env.{mode}`, `.env`), so these commands see the settings
 * the portal sees. Variables already set in the environment win over every file. Returns the
 * names of the files read.
 */
export function loadEnvFiles(projectRoot: string): string[] {
  const mode = process.env.NODE_ENV === 'production' ? 'production' : 'development';
  const loaded: string[] = [];
  for (const name of [`.env.${mode}.local`, '.env.local', `.env.${mode}`, '.env']) {
    const path = join(projectRoot, name);
    if (!existsSync(path)) continue;
    process.loadEnvFile(path);
    loaded.push(name);
  }
  return loaded;
}

/** The project root (where package.json and the `.env` files are). */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The start both commands share: parse the flags (usage errors → exit code 2, `--help` → usage,
 * exit 0), then read the `.env` files. Returns the options, or the exit code to stop with.
 */
export function startTenantTool(
  usage: string,
  o: { allowDryRun: boolean },
): { options: TenantToolOptions } | { exitCode: number } {
  let options: TenantToolOptions;
  try {
    options = parseTenantToolArgs(process.argv.slice(2), o);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (options.help) {
    console.log(usage);
    return { exitCode: 0 };
  }
  const envFiles = loadEnvFiles(PROJECT_ROOT);
  if (envFiles.length > 0) console.log(`Read settings from ${envFiles.join(', ')}.`);
  return { options };
}
