import 'server-only';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { UnauthenticatedError } from '@/lib/permissions/errors';
import { type Actor, getActor } from './actor';
import { REQUEST_PATH_HEADER, signInHref } from './callback-url';

/**
 * The actor for a page or layout; without a session, redirects to sign-in and back to the page.
 * (`proxy.ts` normally catches this earlier; this covers a cookie that no longer decodes.)
 */
export async function requirePageActor(): Promise<Actor> {
  let actor: Actor | undefined;
  try {
    actor = await getActor();
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) throw error;
  }
  // redirect() throws, so it stays outside the try block.
  if (!actor) redirect(signInHref((await headers()).get(REQUEST_PATH_HEADER)));
  return actor;
}
