import type { PortalConfig } from '../../lib/config';
import { LogtoApiError, LogtoAuthError, LogtoNetworkError } from '../../lib/logto/errors';

/** Which doctor check a failure belongs to. */
export type FailureArea = 'endpoint' | 'token' | 'management-api';

/** A failure explained for a deployer: what went wrong and the one thing to change. */
export type Diagnosis = { area: FailureArea; message: string; fix: string };

type LogtoSettings = Pick<
  PortalConfig['logto'],
  'endpoint' | 'managementEndpoint' | 'managementApiResource' | 'm2mAppId'
>;

const CLOUD_HOST = /^([a-z0-9]+)\.logto\.app$/i;
const CONSOLE_M2M = 'Logto Console → Applications → your machine-to-machine app';

/**
 * The Management API indicator to suggest: exact for a `*.logto.app` endpoint, both forms
 * otherwise (a custom domain cannot tell us the tenant id).
 */
export function suggestedResource(managementEndpoint: string): string {
  const host = URL.canParse(managementEndpoint) ? new URL(managementEndpoint).hostname : '';
  const tenant = CLOUD_HOST.exec(host)?.[1];
  return tenant
    ? `https://${tenant.toLowerCase()}.logto.app/api`
    : 'https://default.logto.app/api (self-hosted Logto) or https://{tenant}.logto.app/api (Logto Cloud)';
}

/** Names the variable that decides where the Management API is called. */
function managementEndpointVariable(settings: LogtoSettings): string {
  return settings.managementEndpoint === settings.endpoint
    ? 'LOGTO_ENDPOINT (or LOGTO_MANAGEMENT_ENDPOINT)'
    : 'LOGTO_MANAGEMENT_ENDPOINT';
}

/**
 * Explains an error thrown while getting a Management API token or calling the API. Token
 * failures are told apart by what the token endpoint answered: 401 `invalid_client` is a wrong
 * secret, 400 `invalid_client` an unknown app id, `invalid_target` a wrong resource indicator,
 * and a token without the `all` scope an app that lacks the Management API role.
 */
export function diagnoseLogtoError(error: unknown, settings: LogtoSettings): Diagnosis {
  if (error instanceof LogtoNetworkError) {
    const what = error.code === 'network.timeout' ? 'does not answer in time' : 'cannot be reached';
    return {
      area: 'endpoint',
      message: `Logto at ${settings.managementEndpoint} ${what} (${error.message}).`,
      fix: `check ${managementEndpointVariable(settings)}: it must be the tenant's address (https://{tenant}.logto.app on Logto Cloud), and Logto must be running and reachable from this machine.`,
    };
  }

  if (error instanceof LogtoAuthError) return diagnoseTokenError(error, settings);

  if (error instanceof LogtoApiError) {
    if (error.status === 401) {
      return {
        area: 'management-api',
        message: `the Management API at ${settings.managementEndpoint} rejects the token (${error.code}).`,
        fix: `LOGTO_MANAGEMENT_API_RESOURCE (${settings.managementApiResource}) must be this tenant's Management API indicator, ${suggestedResource(settings.managementEndpoint)}, and ${managementEndpointVariable(settings)} the tenant's default endpoint, not a custom domain.`,
      };
    }
    if (error.status === 403) {
      return {
        area: 'management-api',
        message: `the Management API refuses app ${settings.m2mAppId} (${error.code}: ${error.message}).`,
        fix: `in ${CONSOLE_M2M} → Roles, assign a role holding the Logto Management API permission "all".`,
      };
    }
    if (error.status === 404 && error.code === 'unknown') {
      return {
        area: 'management-api',
        message: `${settings.managementEndpoint}/api is not a Logto Management API (HTTP 404).`,
        fix: `set ${managementEndpointVariable(settings)} to the tenant's base address, without /api or /oidc.`,
      };
    }
    return {
      area: 'management-api',
      message: `the Management API answered HTTP ${error.status} ${error.code}: ${error.message}`,
      fix: 'check that Logto is healthy (its logs), then run this again.',
    };
  }

  return {
    area: 'management-api',
    message: `unexpected failure: ${error instanceof Error ? error.message : String(error)}`,
    fix: 'run this again; if it persists, check the Logto server logs.',
  };
}

function diagnoseTokenError(error: LogtoAuthError, settings: LogtoSettings): Diagnosis {
  const { m2mAppId, managementApiResource, managementEndpoint } = settings;
  if (error.code === 'oidc.invalid_client' && error.status === 401) {
    return {
      area: 'token',
      message: `Logto rejected the secret of M2M app ${m2mAppId} (401 invalid_client).`,
      fix: `copy the secret from ${CONSOLE_M2M} → App secrets into LOGTO_M2M_APP_SECRET.`,
    };
  }
  if (error.code === 'oidc.invalid_client') {
    return {
      area: 'token',
      message: `Logto at ${managementEndpoint} knows no app with id ${m2mAppId} (invalid_client).`,
      fix: `set LOGTO_M2M_APP_ID to the App ID shown in ${CONSOLE_M2M}, and check that ${managementEndpointVariable(settings)} is that app's tenant.`,
    };
  }
  if (error.code === 'oidc.invalid_target') {
    return {
      area: 'token',
      message: `Logto does not accept the resource indicator ${managementApiResource} (invalid_target).`,
      fix: `set LOGTO_MANAGEMENT_API_RESOURCE to ${suggestedResource(managementEndpoint)}; on Logto Cloud ${managementEndpointVariable(settings)} must be the default https://{tenant}.logto.app, not a custom domain.`,
    };
  }
  if (error.code === 'token.scope_missing') {
    return {
      area: 'token',
      message: `Logto issued a token without the Management API scope "all": app ${m2mAppId} lacks the Management API role.`,
      fix: `in ${CONSOLE_M2M} → Roles, assign the role with the Logto Management API permission "all" (Logto Cloud calls it "Logto Management API access").`,
    };
  }
  if (error.code === 'oidc.unauthorized_client') {
    return {
      area: 'token',
      message: `app ${m2mAppId} may not use the client_credentials grant (unauthorized_client).`,
      fix: 'LOGTO_M2M_APP_ID must be a machine-to-machine app: create one in Logto Console → Applications.',
    };
  }
  if (error.code === 'oidc.invalid_request') {
    return {
      area: 'token',
      message: `the token request of app ${m2mAppId} was refused: ${error.hint}`,
      fix: `LOGTO_M2M_APP_ID must be a machine-to-machine app whose secret has not expired (${CONSOLE_M2M} → App secrets).`,
    };
  }
  if (error.code === 'token.invalid_response') {
    return {
      area: 'token',
      message: `${managementEndpoint}/oidc/token did not answer like a Logto token endpoint.`,
      fix: `set ${managementEndpointVariable(settings)} to the tenant's base address (https://{tenant}.logto.app on Logto Cloud), without /oidc or /api.`,
    };
  }
  return { area: 'token', message: error.message, fix: error.hint };
}
