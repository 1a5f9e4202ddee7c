import 'server-only';

import { cache } from 'react';
import { getConfig } from '@/lib/config';
import { attributeBudgetTo, getUser, getUserTenantRoles, LogtoApiError } from '@/lib/logto';
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

/**
 * How old an answer about who the actor is (operator or not, suspended or not) may be:
 * `'now'` asks Logto (every server action, before it changes anything); `'recent'` may reuse an
 * answer up to {@link RECENT_STANDING_TTL_MS} old (pages and read routes, which change nothing).
 */
export type StandingFreshness = 'now' | 'recent';

/** Same window as organization scopes: a page view may lag Logto by this much, an action never. */
export const RECENT_STANDING_TTL_MS = 10_000;

/** What Logto says about the person behind a session, beyond the session itself. */
type Standing = { isOperator: boolean; isSuspended: boolean };

const standingCache = processSingleton('actor-standing-cache', () =>
  createTtlCache<Standing>({ ttlMs: RECENT_STANDING_TTL_MS, maxEntries: 10_000 }),
);

/**
 * The session belongs to someone Logto has suspended (or deleted). Their session ends here:
 * pages send them to sign-in (where Logto refuses them), actions and routes answer
 * "not signed in".
 */
export class SessionEndedError extends UnauthenticatedError {
  override name = 'SessionEndedError';
}

async function loadStanding(userId: string): Promise<Standing> {
  try {
    const [user, roles] = await Promise.all([getUser(userId), getUserTenantRoles(userId)]);
    return {
      isSuspended: user.isSuspended,
      isOperator: roles.some((role) => role.name === getConfig().superAdminRole),
    };
  } catch (error) {
    // A user deleted in Logto keeps a session cookie until it expires; it no longer stands for anyone.
    if (error instanceof LogtoApiError && error.status === 404)
      return { isOperator: false, isSuspended: true };
    throw error;
  }
}

async function readStanding(userId: string, freshness: StandingFreshness): Promise<Standing> {
  // A fresh answer also replaces the remembered one, so later page views never see an older one.
  if (freshness === 'now') standingCache.delete(userId);
  return standingCache.get(userId, () => loadStanding(userId));
}

/**
 * The actor a background job acts for: the person who started it, as Logto sees them now (at
 * most {@link RECENT_STANDING_TTL_MS} old). A job has no session; each item asks this again, so a
 * suspension or a lost operator role stops the items after it.
 */
export async function actorForJob(person: { userId: string; email: string | null }): Promise<Actor> {
  const { isOperator, isSuspended } = await readStanding(person.userId, 'recent');
  if (isSuspended) throw new SessionEndedError();
  return { userId: person.userId, email: person.email, name: null, isOperator };
}

/** Forgets what was known about these people, e.g. after the portal changed their tenant roles. */
export function forgetStanding(userIds: readonly string[]): void {
  for (const userId of userIds) standingCache.delete(userId);
}

/**
 * The actor of the current request (deduplicated per request and freshness). Throws
 * {@link UnauthenticatedError} without a valid session and {@link SessionEndedError} when Logto
 * says the user is suspended or gone; Logto failures propagate as `LogtoApiError` /
 * `LogtoNetworkError`. Server actions pass `'now'`; pages and read routes may pass `'recent'`.
 */
export const getActor = cache(async (freshness: StandingFreshness = 'now'): Promise<Actor> => {
  const { nextAuth } = getConfig();
  const token = await readSessionToken({ secret: nextAuth.secret, portalUrl: nextAuth.url });
  const userId = token?.sub;
  if (!userId) throw new UnauthenticatedError();
  // The request's Management API calls count toward this person's fair share of the budget.
  attributeBudgetTo(`user:${userId}`);
  const { isOperator, isSuspended } = await readStanding(userId, freshness);
  if (isSuspended) throw new SessionEndedError();
  return { userId, email: token.email ?? null, name: token.name ?? null, isOperator };
});
