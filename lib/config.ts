import 'server-only';

import { z } from 'zod';

/** Where `npm run dev` starts the local Logto (`emulator/`) when `LOGTO_ENDPOINT` is unset. */
export const LOCAL_LOGTO_ENDPOINT = 'http://127.0.0.1:3001';

const OSS_MANAGEMENT_API_RESOURCE = 'https://default.logto.app/api';
const DEV_ONLY_NEXTAUTH_SECRET = 'portal-dev-only-nextauth-secret-never-use-in-production';
const LOGTO_CLOUD_HOST = /^([a-z0-9]+)\.logto\.app$/i;

/** The portal's whole configuration, validated and with defaults applied. */
export type PortalConfig = {
  /** True when `LOGTO_ENDPOINT` is unset: the portal runs against the seeded local Logto. */
  isLocal: boolean;
  logto: {
    /** Sign-in endpoint (may be a custom domain); the OIDC issuer is `${endpoint}/oidc`. */
    endpoint: string;
    /** Where M2M tokens are requested and the Management API is called. */
    managementEndpoint: string;
    managementApiResource: string;
    m2mAppId: string;
    m2mAppSecret: string;
    /** The portal's own "traditional web" app used for sign-in. */
    appId: string;
    appSecret: string;
    /** Upper bound for one Management API call, retries included. */
    requestTimeoutMs: number;
    /**
     * Request budget: at most `maxRequests` calls in any `windowMs` window, of which signed-out
     * visitors and invitees may use `publicShare` and background bulk jobs `jobsShare`.
     */
    requestBudget: {
      maxRequests: number;
      windowMs: number;
      publicShare: number;
      jobsShare: number;
      /**
       * Permits that may go at once after a quiet spell; the rest are spread over the window
       * (`LOGTO_REQUEST_BURST`; unset: a tenth of the budget).
       */
      burst: number | undefined;
      /**
       * Longest wait for the budget of a signed-in person's request (`LOGTO_INTERACTIVE_MAX_WAIT_MS`):
       * one expected to wait longer is refused at once as busy, with a retry-after.
       */
      interactiveMaxWaitMs: number;
    };
    maxInFlight: number;
  };
  nextAuth: { url: string; secret: string };
  /** Tenant role whose holders are operators (super admins). */
  superAdminRole: string;
  /** Days the activity log keeps an entry (`PORTAL_ACTIVITY_RETENTION_DAYS`). */
  activityRetentionDays: number;
  /**
   * How long an organization-level read (a members page, the organization) is served again to
   * everyone (`PORTAL_READ_CACHE_MS`); 0 turns the shared cache off.
   */
  readCacheMs: number;
  /** Organization scope names the portal checks. */
  scopes: {
    readMembers: string;
    inviteMembers: string;
    removeMembers: string;
    assignRoles: string;
    manageOrganization: string;
  };
};

/** A missing or malformed setting. `message` is one line naming the variable and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    /** The environment variable at fault. */
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

type Env = Record<string, string | undefined>;

// `.env` files often leave a variable present but empty; that means "not set".
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const withoutTrailingSlashes = (url: string) => url.replace(/\/+$/, '');

function httpUrl(name: string, example: string) {
  return z
    .string()
    .trim()
    .pipe(
      z.url({
        protocol: /^https?$/,
        error: (issue) => `${name} must be an http(s) URL such as ${example} (got "${String(issue.input)}").`,
      }),
    )
    .transform(withoutTrailingSlashes)
    .optional();
}

function text(name: string, hint: string) {
  return z
    .string()
    .trim()
    .regex(/^\S+$/, { error: `${name} must not contain spaces: ${hint}` })
    .optional();
}

function positiveInteger(name: string) {
  return z.coerce
    .number({ error: `${name} must be a positive whole number.` })
    .int({ error: `${name} must be a positive whole number.` })
    .positive({ error: `${name} must be a positive whole number.` })
    .optional();
}

function nonNegativeInteger(name: string) {
  const error = `${name} must be a whole number of milliseconds, 0 or more.`;
  return z.coerce.number({ error }).int({ error }).min(0, { error }).optional();
}

function fraction(name: string, example: string) {
  const error = `${name} must be a fraction between 0 and 1, such as ${example}.`;
  return z.coerce.number({ error }).gt(0, { error }).max(1, { error }).optional();
}

function read<T>(env: Env, name: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(blankToUndefined(env[name]));
  if (!result.success) {
    throw new ConfigError(name, result.error.issues[0]?.message ?? `${name} is invalid.`);
  }
  return result.data;
}

function missing(name: string, fix: string): never {
  throw new ConfigError(name, `${name} is required ${fix}`);
}

function required<T>(name: string, value: T | undefined, fix: string): T {
  return value === undefined ? missing(name, fix) : value;
}

function appSetting(env: Env, name: string): string | undefined {
  return read(env, name, text(name, 'paste it from Logto Console.'));
}

function scopeName(env: Env, name: string, fallback: string): string {
  return (
    read(env, name, text(name, 'use the organization scope name as shown in Logto Console.')) ?? fallback
  );
}

/** Logto Cloud only issues Management API tokens for its own tenant API indicator. */
function defaultManagementApiResource(managementEndpoint: string): string {
  const url = new URL(managementEndpoint);
  const tenant = url.protocol === 'https:' ? LOGTO_CLOUD_HOST.exec(url.hostname)?.[1] : undefined;
  return tenant ? `https://${tenant.toLowerCase()}.logto.app/api` : OSS_MANAGEMENT_API_RESOURCE;
}

/** Shortest `NEXTAUTH_SECRET` accepted in production: 32 characters, as `openssl rand -base64 32` gives 44. */
export const MIN_PRODUCTION_SECRET_LENGTH = 32;

/**
 * The key that seals session cookies. In production there is no default, whatever Logto the portal
 * talks to: a published secret would let anyone forge a session.
 */
function sessionSecret(given: string | undefined, isProduction: boolean): string {
  const fix = 'set it to a long random string, e.g. the output of `openssl rand -base64 32`.';
  if (!isProduction) return given ?? DEV_ONLY_NEXTAUTH_SECRET;
  if (given === undefined) return missing('NEXTAUTH_SECRET', `in production: ${fix}`);
  if (given.length < MIN_PRODUCTION_SECRET_LENGTH || given === DEV_ONLY_NEXTAUTH_SECRET) {
    throw new ConfigError(
      'NEXTAUTH_SECRET',
      `NEXTAUTH_SECRET must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters in production and not the development default: ${fix}`,
    );
  }
  return given;
}

/**
 * Validates an environment (pure: pass `process.env` or a test object) and applies the defaults
 * of DESIGN.md "Configuration". Throws a {@link ConfigError} for the first bad setting.
 */
export function readConfig(env: Env): PortalConfig {
  const endpoint = read(
    env,
    'LOGTO_ENDPOINT',
    httpUrl('LOGTO_ENDPOINT', 'https://your-tenant.logto.app, or leave it unset to use the local Logto'),
  );
  const isLocal = endpoint === undefined;
  const whenRemote = 'when LOGTO_ENDPOINT is set:';

  const managementEndpoint =
    read(
      env,
      'LOGTO_MANAGEMENT_ENDPOINT',
      httpUrl('LOGTO_MANAGEMENT_ENDPOINT', 'https://your-tenant.logto.app'),
    ) ??
    endpoint ??
    LOCAL_LOGTO_ENDPOINT;

  // Kept exactly as given (no slash trimming): it must equal the indicator registered in Logto.
  const managementApiResource =
    read(
      env,
      'LOGTO_MANAGEMENT_API_RESOURCE',
      z
        .string()
        .trim()
        .pipe(
          z.url({
            error:
              'LOGTO_MANAGEMENT_API_RESOURCE must be an absolute URI such as https://default.logto.app/api.',
          }),
        )
        .optional(),
    ) ?? defaultManagementApiResource(managementEndpoint);

  const m2mAppId = appSetting(env, 'LOGTO_M2M_APP_ID');
  const m2mAppSecret = appSetting(env, 'LOGTO_M2M_APP_SECRET');
  const appId = appSetting(env, 'LOGTO_APP_ID');
  const appSecret = appSetting(env, 'LOGTO_APP_SECRET');

  const nextAuthUrl =
    read(env, 'NEXTAUTH_URL', httpUrl('NEXTAUTH_URL', 'http://localhost:3000')) ?? 'http://localhost:3000';
  const nextAuthSecret = read(env, 'NEXTAUTH_SECRET', z.string().optional());
  const isProduction = env.NODE_ENV === 'production';

  const m2mFix = `${whenRemote} create a machine-to-machine app in Logto Console with the Management API role and paste its`;
  const webFix = `${whenRemote} create a Traditional Web app in Logto Console (redirect URI ${nextAuthUrl}/api/auth/callback/logto) and paste its`;

  return {
    isLocal,
    logto: {
      endpoint: endpoint ?? LOCAL_LOGTO_ENDPOINT,
      managementEndpoint,
      managementApiResource,
      m2mAppId: isLocal
        ? (m2mAppId ?? 'portal-m2m')
        : required('LOGTO_M2M_APP_ID', m2mAppId, `${m2mFix} app ID.`),
      m2mAppSecret: isLocal
        ? (m2mAppSecret ?? 'portal-m2m-secret')
        : required('LOGTO_M2M_APP_SECRET', m2mAppSecret, `${m2mFix} secret.`),
      appId: isLocal ? (appId ?? 'portal-web') : required('LOGTO_APP_ID', appId, `${webFix} app ID.`),
      appSecret: isLocal
        ? (appSecret ?? 'portal-web-secret')
        : required('LOGTO_APP_SECRET', appSecret, `${webFix} secret.`),
      requestTimeoutMs:
        read(env, 'LOGTO_REQUEST_TIMEOUT_MS', positiveInteger('LOGTO_REQUEST_TIMEOUT_MS')) ?? 10_000,
      requestBudget: {
        maxRequests: read(env, 'LOGTO_REQUEST_BUDGET', positiveInteger('LOGTO_REQUEST_BUDGET')) ?? 200,
        windowMs:
          read(env, 'LOGTO_REQUEST_BUDGET_WINDOW_MS', positiveInteger('LOGTO_REQUEST_BUDGET_WINDOW_MS')) ??
          10_000,
        publicShare:
          read(env, 'LOGTO_PUBLIC_BUDGET_SHARE', fraction('LOGTO_PUBLIC_BUDGET_SHARE', '0.1')) ?? 0.1,
        jobsShare: read(env, 'LOGTO_JOBS_BUDGET_SHARE', fraction('LOGTO_JOBS_BUDGET_SHARE', '0.7')) ?? 0.7,
        burst: read(env, 'LOGTO_REQUEST_BURST', positiveInteger('LOGTO_REQUEST_BURST')),
        interactiveMaxWaitMs:
          read(env, 'LOGTO_INTERACTIVE_MAX_WAIT_MS', positiveInteger('LOGTO_INTERACTIVE_MAX_WAIT_MS')) ??
          1_500,
      },
      maxInFlight: read(env, 'LOGTO_MAX_IN_FLIGHT', positiveInteger('LOGTO_MAX_IN_FLIGHT')) ?? 16,
    },
    nextAuth: { url: nextAuthUrl, secret: sessionSecret(nextAuthSecret, isProduction) },
    superAdminRole: read(env, 'PORTAL_SUPER_ADMIN_ROLE', z.string().trim().optional()) ?? 'portal-operator',
    activityRetentionDays:
      read(env, 'PORTAL_ACTIVITY_RETENTION_DAYS', positiveInteger('PORTAL_ACTIVITY_RETENTION_DAYS')) ?? 365,
    readCacheMs: read(env, 'PORTAL_READ_CACHE_MS', nonNegativeInteger('PORTAL_READ_CACHE_MS')) ?? 5_000,
    scopes: {
      readMembers: scopeName(env, 'PORTAL_SCOPE_READ_MEMBERS', 'read:members'),
      inviteMembers: scopeName(env, 'PORTAL_SCOPE_INVITE_MEMBERS', 'invite:members'),
      removeMembers: scopeName(env, 'PORTAL_SCOPE_REMOVE_MEMBERS', 'remove:members'),
      assignRoles: scopeName(env, 'PORTAL_SCOPE_ASSIGN_ROLES', 'assign:roles'),
      manageOrganization: scopeName(env, 'PORTAL_SCOPE_MANAGE_ORGANIZATION', 'manage:organization'),
    },
  };
}

let cachedConfig: PortalConfig | undefined;

/** The configuration of this process, read from `process.env` once and cached. */
export function getConfig(): PortalConfig {
  cachedConfig ??= readConfig(process.env);
  return cachedConfig;
}
