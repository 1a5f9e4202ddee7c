/**
 * Which Logto the contract suite talks to. By default each test file starts its own local Logto;
 * with `CONTRACT_TARGET=external` (what `npm run test:contract` sets when `LOGTO_ENDPOINT` is
 * given) it calls the tenant named by the portal's own variables (DESIGN.md, "Configuration").
 */

/** Set to `external` to run the suite against `LOGTO_ENDPOINT` instead of a local Logto. */
export const CONTRACT_TARGET_VARIABLE = 'CONTRACT_TARGET';
/** Shared by every test file of one run, so a sweep can find whatever a crash left behind. */
export const RUN_PREFIX_VARIABLE = 'CONTRACT_RUN_PREFIX';

const OSS_MANAGEMENT_API_RESOURCE = 'https://default.logto.app/api';
const LOGTO_CLOUD_HOST = /^([a-z0-9]+)\.logto\.app$/i;
const LOGTO_CLOUD_RESOURCE = /^https:\/\/([a-z0-9]+)\.logto\.app\/api$/i;

/** How to reach a Logto tenant's Management API as a machine-to-machine app. */
export type ManagementTarget = {
  /** Where `/oidc/token` and `/api` live, without a trailing slash. */
  managementEndpoint: string;
  managementApiResource: string;
  m2mAppId: string;
  m2mAppSecret: string;
};

type Env = Record<string, string | undefined>;

/** A missing or malformed variable; the message is one line naming it and the fix. */
export class ContractTargetError extends Error {
  override name = 'ContractTargetError';
}

/** True when this process should run the contract suite against an external Logto. */
export function isExternalTarget(env: Env = process.env): boolean {
  return env[CONTRACT_TARGET_VARIABLE] === 'external';
}

/**
 * Reads the external tenant from the portal's variables: `LOGTO_ENDPOINT` (or
 * `LOGTO_MANAGEMENT_ENDPOINT`), `LOGTO_M2M_APP_ID`, `LOGTO_M2M_APP_SECRET` and optionally
 * `LOGTO_MANAGEMENT_API_RESOURCE` (defaulted as the portal does: Cloud's own indicator on
 * `*.logto.app`, the OSS one elsewhere).
 */
export function readExternalTarget(env: Env): ManagementTarget {
  const endpoint = url(env, 'LOGTO_ENDPOINT');
  const managementEndpoint = url(env, 'LOGTO_MANAGEMENT_ENDPOINT') ?? endpoint;
  if (!managementEndpoint) {
    throw new ContractTargetError(
      'LOGTO_ENDPOINT is required for an external contract run: set it to the tenant, e.g. https://your-tenant.logto.app.',
    );
  }
  const m2mAppId = present(env.LOGTO_M2M_APP_ID);
  const m2mAppSecret = present(env.LOGTO_M2M_APP_SECRET);
  if (!m2mAppId || !m2mAppSecret) {
    throw new ContractTargetError(
      `${m2mAppId ? 'LOGTO_M2M_APP_SECRET' : 'LOGTO_M2M_APP_ID'} is required for an external contract run: use a machine-to-machine app holding the Management API role.`,
    );
  }
  return {
    managementEndpoint,
    managementApiResource:
      present(env.LOGTO_MANAGEMENT_API_RESOURCE) ?? defaultManagementApiResource(managementEndpoint),
    m2mAppId,
    m2mAppSecret,
  };
}

/** Logto Cloud only issues Management API tokens for its own tenant's indicator. */
export function defaultManagementApiResource(managementEndpoint: string): string {
  const { protocol, hostname } = new URL(managementEndpoint);
  const tenant = protocol === 'https:' ? LOGTO_CLOUD_HOST.exec(hostname)?.[1] : undefined;
  return tenant ? `https://${tenant.toLowerCase()}.logto.app/api` : OSS_MANAGEMENT_API_RESOURCE;
}

/** The `tenantId` entities carry: Cloud's tenant from its indicator, `default` for OSS. */
export function tenantIdOf(managementApiResource: string): string {
  return LOGTO_CLOUD_RESOURCE.exec(managementApiResource)?.[1]?.toLowerCase() ?? 'default';
}

/** `contract-<epoch ms>-`: every name a run creates starts with it. */
export function createRunPrefix(now = Date.now()): string {
  return `contract-${now}-`;
}

/** This run's prefix: the runner's when it set one, else this file's own. */
export const RUN_PREFIX = process.env[RUN_PREFIX_VARIABLE] ?? createRunPrefix();

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function url(env: Env, name: string): string | undefined {
  const value = present(env[name]);
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ContractTargetError(
      `${name} must be an http(s) URL such as https://your-tenant.logto.app (got "${value}").`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ContractTargetError(`${name} must be an http(s) URL (got "${value}").`);
  }
  return value.replace(/\/+$/, '');
}
