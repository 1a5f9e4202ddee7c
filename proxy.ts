import { getToken } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';
import { REQUEST_PATH_HEADER, signInHref } from '@/lib/auth/callback-url';
import { getConfig } from '@/lib/config';

/**
 * Sends visitors without a valid session to sign-in (returning afterwards to where they were
 * going). Signed-in requests continue with the path in a request header, so a page can build the
 * same sign-in link if its own session check fails. Permission checks are not done here: every
 * page and action runs its own.
 *
 * Route handlers under `/api` are left out: each one reads the session itself (it must anyway)
 * and answers 401 JSON without one, so running the proxy first would only add its cost to every
 * table page the browser fetches.
 */
export async function proxy(request: NextRequest) {
  const config = getConfig();
  // getToken picks the cookie name (`__Secure-` or not) from NEXTAUTH_URL.
  process.env.NEXTAUTH_URL ??= config.nextAuth.url;
  const token = await getToken({ req: request, secret: config.nextAuth.secret });
  const { pathname, search } = request.nextUrl;

  if (token?.sub) {
    const headers = new Headers(request.headers);
    headers.set(REQUEST_PATH_HEADER, pathname + search);
    return NextResponse.next({ request: { headers } });
  }
  return NextResponse.redirect(new URL(signInHref(pathname + search), request.url));
}

export const config = {
  // Everything except route handlers (see above), the sign-in/sign-out pages, the invitee's page
  // (it offers sign-in or account creation itself, and checks the session on its own) and
  // static assets.
  matcher: [
    '/((?!api/|sign-in|sign-out|invitations/|_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|ico|txt|webmanifest)$).*)',
  ],
};
