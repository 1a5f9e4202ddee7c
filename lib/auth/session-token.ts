import 'server-only';

import { hkdf } from 'node:crypto';
import { jwtDecrypt } from 'jose';
import type { JWT } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { processSingleton } from '@/lib/process-singleton';

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
  for (let index = 0; values.has(`${name}.${index}`); index += 1)
    chunks.push(values.get(`${name}.${index}`)!);
  return chunks.length > 0 ? chunks.join('') : undefined;
}

/** next-auth v4's clock tolerance when it opens its own session token, in seconds. */
const CLOCK_TOLERANCE_S = 15;

const sessionKeys = new Map<string, Promise<Uint8Array>>();

/**
 * The key next-auth v4 seals its session token with (A256GCM, `dir`): HKDF-SHA256 of the secret
 * with an empty salt and next-auth's label. Derived once per secret: next-auth's own `decode`
 * derives it again on every call, about a millisecond of every request.
 */
function sessionKey(secret: string): Promise<Uint8Array> {
  let key = sessionKeys.get(secret);
  if (!key) {
    key = new Promise<Uint8Array>((resolve, reject) =>
      hkdf('sha256', secret, '', 'NextAuth.js Generated Encryption Key', 32, (error, derived) =>
        error ? reject(error) : resolve(new Uint8Array(derived)),
      ),
    );
    sessionKeys.set(secret, key);
  }
  return key;
}

/**
 * Session tokens this process opened lately, by their sealed text, with the secret that opened
 * them. Opening one costs about 0.35 ms of every request (AES-GCM and claim checks); a browser
 * sends the same token on every request until next-auth renews it, and the same text always opens
 * to the same claims. Bounded: the least recently used goes first. One map per process, however
 * many bundles import this module, so the bound holds for the process.
 */
const openedTokens = processSingleton(
  'opened-session-tokens',
  () => new Map<string, { secret: string; claims: Readonly<JWT> }>(),
);
const MAX_OPENED_TOKENS = 1_000;

/** How often tokens were decrypted and how often an opened one served again: for tests. */
export const sessionTokenStats = { decrypted: 0, reused: 0 };

/** Whether claims are still within their `exp`, as jose judges it with {@link CLOCK_TOLERANCE_S}. */
function isUnexpired(claims: Readonly<JWT>, nowMs: number): boolean {
  const { exp } = claims;
  return typeof exp !== 'number' || exp > nowMs / 1000 - CLOCK_TOLERANCE_S;
}

/**
 * Opens a session token sealed by next-auth v4 with `secret`; throws when it cannot (another
 * secret, altered, expired). A token opened before with the same secret is answered from memory
 * while it has not expired. The claims are frozen: every caller shares them.
 */
export async function openSessionToken(
  sealed: string,
  secret: string,
  nowMs = Date.now(),
): Promise<Readonly<JWT>> {
  const opened = openedTokens.get(sealed);
  if (opened && opened.secret === secret && isUnexpired(opened.claims, nowMs)) {
    openedTokens.delete(sealed);
    openedTokens.set(sealed, opened);
    sessionTokenStats.reused += 1;
    return opened.claims;
  }
  openedTokens.delete(sealed);
  sessionTokenStats.decrypted += 1;
  const { payload } = await jwtDecrypt(sealed, await sessionKey(secret), {
    clockTolerance: CLOCK_TOLERANCE_S,
    currentDate: new Date(nowMs),
  });
  const claims = Object.freeze(payload as JWT);
  openedTokens.set(sealed, { secret, claims });
  if (openedTokens.size > MAX_OPENED_TOKENS) {
    const oldest = openedTokens.keys().next().value;
    if (oldest !== undefined) openedTokens.delete(oldest);
  }
  return claims;
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
export async function readSessionToken(options: {
  secret: string;
  portalUrl: string;
}): Promise<Readonly<JWT> | null> {
  const jar = await cookies();
  const values = new Map(jar.getAll().map(({ name, value }) => [name, value]));
  const sealed = joinCookieChunks(sessionCookieName(options.portalUrl), values);
  if (!sealed) return null;
  try {
    return await openSessionToken(sealed, options.secret);
  } catch {
    return null;
  }
}
