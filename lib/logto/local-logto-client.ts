import { SEED_APPLICATIONS } from '@/emulator/db/seed';
import { readConfig } from '@/lib/config';
import { createManagementClient, type ManagementClient, type ManagementClientOptions } from './client';

/**
 * The environment a deployer would set to point the portal at a local Logto started by a test,
 * with the seeded apps' credentials.
 */
export function localLogtoEnv(endpoint: string): Record<string, string> {
  return {
    LOGTO_ENDPOINT: endpoint,
    LOGTO_M2M_APP_ID: SEED_APPLICATIONS.m2m.id,
    LOGTO_M2M_APP_SECRET: SEED_APPLICATIONS.m2m.secret,
    LOGTO_APP_ID: SEED_APPLICATIONS.web.id,
    LOGTO_APP_SECRET: SEED_APPLICATIONS.web.secret,
  };
}

/**
 * An independent Management API client (own token, budget and counters) for a test's local Logto,
 * configured the way a deployer would; `overrides` adjust the budget, timeouts and the like.
 */
export function localLogtoClient(
  endpoint: string,
  overrides: Partial<ManagementClientOptions> = {},
): ManagementClient {
  return createManagementClient({ ...readConfig(localLogtoEnv(endpoint)).logto, ...overrides });
}
