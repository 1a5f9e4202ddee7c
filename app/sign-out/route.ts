import { getToken } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';
import { getActor, SessionEndedError } from '@/lib/auth/actor';
import { DEFAULT_LANDING, SESSION_ENDED_ERROR, SIGNED_OUT_COOKIE } from '@/lib/auth/callback-url';
import { buildEndSessionUrl } from '@/lib/auth/end-session';
import { getConfig } from '@/lib/config';

const NEXT_AUTH_COOKIE = /^(__Secure-|__Host-)?next-auth\./;

/**
 * Signs out of the portal and of Logto: clears next-auth's cookies, then sends the browser to
 * Logto's end-session endpoint with the ID token as hint. A `fetch` caller gets `{ url }` to
 * navigate to (a CSP `form-action 'self'` would block a form redirect to Logto); a plain form
 * post gets a 303.
 */
export async function POST(request: NextRequest) {
  const config = getConfig();
  // Only our own pages may sign a user out (SameSite=Lax already keeps cross-site posts cookie-less).
  const origin = request.headers.get('origin');
  if (origin && origin !== request.nextUrl.origin && origin !== new URL(config.nextAuth.url).origin) {
    return NextResponse.json({ error: { code: 'forbidden' } }, { status: 403 });
  }

  process.env.NEXTAUTH_URL ??= config.nextAuth.url;
  const token = await getToken({ req: request, secret: config.nextAuth.secret });
  const url = await buildEndSessionUrl(token?.idToken);

  const wantsJson = request.headers.get('accept')?.includes('application/json') ?? false;
  const response = wantsJson ? NextResponse.json({ url }) : NextResponse.redirect(url, 303);
  clearSessionCookies(request, response);
  response.cookies.set(SIGNED_OUT_COOKIE, '1', { path: '/', maxAge: 300, sameSite: 'lax' });
  return response;
}

/**
 * Where pages send a session that Logto no longer stands behind (the user was suspended or
 * deleted). It clears the portal's cookies only after asking Logto itself, so a link to it cannot
 * sign anyone else out; a session that is still good goes back to the portal.
 */
export async function GET(request: NextRequest) {
  let hasEnded = false;
  try {
    await getActor('now');
  } catch (error) {
    hasEnded = error instanceof SessionEndedError;
  }
  if (!hasEnded) return NextResponse.redirect(new URL(DEFAULT_LANDING, request.url), 303);
  const response = NextResponse.redirect(new URL(`/sign-in?error=${SESSION_ENDED_ERROR}`, request.url), 303);
  clearSessionCookies(request, response);
  return response;
}

function clearSessionCookies(request: NextRequest, response: NextResponse): void {
  for (const { name } of request.cookies.getAll()) {
    if (NEXT_AUTH_COOKIE.test(name)) {
      response.cookies.set(name, '', { path: '/', maxAge: 0, secure: name.startsWith('__') });
    }
  }
}
