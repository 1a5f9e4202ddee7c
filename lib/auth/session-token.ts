import 'server-only';

import { decode, type JWT } from 'next-auth/jwt';
import { cookies } from 'next/headers';

const SESSION_COOKIE = 'next-auth.session-token';

/** next-auth's session cookie name: `__Secure-` prefixed when the portal is served over https. */
export function sessionCookieName(portalUrl: string): string {
  return portalUrl.startsWith('https://') ? `__Secure-${SESSION_COOKIE}` : SESSION_COOKIE;
}

/**
 * A cookie's value as next-auth wrote it: whole, or split into `name.0`, `name.1`, … when it
 * grew past what one cookie may hold.
 */
export function joinCookieChunks(name: string, values: ReadonlyMap<string, string>): string | undefined {
  const whole = values.get(name);
  if (whole !== undefined) return whole;
  const chunks: string[] = [];
  for (let index = 0; values.has(`${name}.${index}`); index += 1) chunks.push(values.get(`${name}.${index}`)!);
  return chunks.length > 0 ? chunks.join('') : undefined;
}

/**
 * The signed-in session of the current request, decrypted straight from next-auth's cookie;
 * `null` without one, or when it is expired, tampered with or sealed with another secret.
 *
 * Pages, routes and actions only need who is signed in. next-auth's `getServerSession` would
 * answer the same from the same cookie, but runs its whole request handler to do it (options,
 * CSRF token, callbacks, re-encryption) on every request, and under the App Router it cannot
 * write the renewed cookie anyway.
 */
export async function readSessionToken(options: { secret: string; portalUrl: string }): Promise<JWT | null> {
  const jar = await cookies();
  const values = new Map(jar.getAll().map(({ name, value }) => [name, value]));
  const sealed = joinCookieChunks(sessionCookieName(options.portalUrl), values);
  if (!sealed) return null;
  try {
    return await decode({ token: sealed, secret: options.secret });
  } catch {
    return null;
  }
}
