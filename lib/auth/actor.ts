import 'server-only';

import { cache } from 'react';
import { getConfig } from '@/lib/config';
import { attributeBudgetTo } from '@/lib/logto';
import { UnauthenticatedError } from '@/lib/permissions/errors';
import { processSingleton } from '@/lib/process-singleton';
import { readSessionToken } from './session-token';
import { isSharedStore } from '@/lib/store';
import { StandingReader, type StandingFreshness, standingsInStore } from './standing';

/** The signed-in person an action or page acts for. Always from the server session, never input. */
export type Actor = {
  /** Logto user id (the ID token's `sub`). */
  userId: string;
  email: string | null;
  name: string | null;
  /** Holds the tenant role `PORTAL_SUPER_ADMIN_ROLE`: may manage every organization. */
  isOperator: boolean;
};

export type { StandingFreshness };

/** Same window as organization scopes: a page view may lag Logto by this much, an action never. */
export const RECENT_STANDING_TTL_MS = 10_000;

const standing = processSingleton(
  'actor-standing',
  () =>
    new StandingReader({
      ttlMs: RECENT_STANDING_TTL_MS,
      operatorRoleName: () => getConfig().superAdminRole,
      // Several instances: each one's answers serve the others' page views (one process owns the embedded store).
      shared: isSharedStore() ? standingsInStore() : undefined,
    }),
);

/**
 * The session belongs to someone Logto has suspended (or deleted). Their session ends here:
 * pages send them to sign-in (where Logto refuses them), actions and routes answer
 * "not signed in".
 */
export class SessionEndedError extends UnauthenticatedError {
  override name = 'SessionEndedError';
}

/**
 * The actor a background job acts for: the person who started it, as Logto sees them now (at
 * most {@link RECENT_STANDING_TTL_MS} old). A job has no session; each item asks this again, so a
 * suspension or a lost operator role stops the items after it.
 */
export async function actorForJob(person: { userId: string; email: string | null }): Promise<Actor> {
  const { isOperator, isSuspended } = await standing.read(person.userId, 'recent');
  if (isSuspended) throw new SessionEndedError();
  return { userId: person.userId, email: person.email, name: null, isOperator };
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
  const { isOperator, isSuspended } = await standing.read(userId, freshness);
  if (isSuspended) throw new SessionEndedError();
  return { userId, email: token.email ?? null, name: token.name ?? null, isOperator };
});
