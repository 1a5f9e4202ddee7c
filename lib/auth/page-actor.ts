import 'server-only';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { UnauthenticatedError } from '@/lib/permissions/errors';
import { type Actor, getActor, SessionEndedError } from './actor';
import { REQUEST_PATH_HEADER, signInHref } from './callback-url';

/**
 * The actor for a page or layout; without a session, redirects to sign-in and back to the page.
 * (`proxy.ts` normally catches this earlier; this covers a cookie that no longer decodes.) A user
 * Logto has suspended or deleted goes through `/sign-out`, which ends the session.
 */
export async function requirePageActor(): Promise<Actor> {
  let actor: Actor | undefined;
  let hasSessionEnded = false;
  try {
    actor = await getActor('recent');
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) throw error;
    hasSessionEnded = error instanceof SessionEndedError;
  }
  // redirect() throws, so it stays outside the try block. An ended session still has its cookie,
  // which the sign-in page would take at its word: it is cleared first.
  if (hasSessionEnded) redirect('/sign-out');
  if (!actor) redirect(signInHref((await headers()).get(REQUEST_PATH_HEADER)));
  return actor;
}
