import 'server-only';

import { cache } from 'react';
import { getConfig } from '@/lib/config';
import { getUserTenantRoles, LogtoApiError } from '@/lib/logto';
import { UnauthenticatedError } from '@/lib/permissions/errors';
import { processSingleton } from '@/lib/process-singleton';
import { readSessionToken } from './session-token';
import { createTtlCache } from './ttl-cache';

/** The signed-in person an action or page acts for. Always from the server session, never input. */
export type Actor = {
  /** Logto user id (the ID token's `sub`). */
  userId: string;
  email: string | null;
  name: string | null;
  /** Holds the tenant role `PORTAL_SUPER_ADMIN_ROLE`: may manage every organization. */
  isOperator: boolean;
};

const OPERATOR_CACHE_TTL_MS = 60_000;
// Tenant roles change rarely and every request needs them; a minute of staleness is the price.
const operatorCache = processSingleton('operator-cache', () =>
  createTtlCache<boolean>({ ttlMs: OPERATOR_CACHE_TTL_MS, maxEntries: 10_000 }),
);

async function loadIsOperator(userId: string): Promise<boolean> {
  try {
    const roles = await getUserTenantRoles(userId);
    return roles.some((role) => role.name === getConfig().superAdminRole);
  } catch (error) {
    // A user deleted in Logto keeps a session cookie until it expires; they are nobody special.
    if (error instanceof LogtoApiError && error.status === 404) return false;
    throw error;
  }
}

/**
 * The actor of the current request (deduplicated per request). Throws
 * {@link UnauthenticatedError} when there is no valid session; Logto failures while checking the
 * operator role propagate as `LogtoApiError` / `LogtoNetworkError`.
 */
export const getActor = cache(async (): Promise<Actor> => {
  const { nextAuth } = getConfig();
  const token = await readSessionToken({ secret: nextAuth.secret, portalUrl: nextAuth.url });
  const userId = token?.sub;
  if (!userId) throw new UnauthenticatedError();
  const isOperator = await operatorCache.get(userId, () => loadIsOperator(userId));
  return { userId, email: token.email ?? null, name: token.name ?? null, isOperator };
});
