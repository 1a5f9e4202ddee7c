import { getToken } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';
import { REQUEST_PATH_HEADER, signInHref } from '@/lib/auth/callback-url';
import { getConfig } from '@/lib/config';
import { LOCALE_COOKIE, resolveLocale } from '@/lib/i18n/config';
import { createTranslator, getCatalog } from '@/lib/i18n/messages';

/**
 * Sends visitors without a valid session to sign-in (returning afterwards to where they were
 * going); route handlers under `/api` answer 401 JSON instead. Signed-in requests continue with
 * the path in a request header, so a page can build the same sign-in link if its own session
 * check fails. Permission checks are not done here: every page and action runs its own.
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

  if (pathname.startsWith('/api/')) {
    const locale = resolveLocale({
      cookie: request.cookies.get(LOCALE_COOKIE)?.value,
      acceptLanguage: request.headers.get('accept-language'),
    });
    const message = createTranslator(locale, getCatalog(locale))('errors.unauthenticated');
    return NextResponse.json({ error: { code: 'unauthenticated', message } }, { status: 401 });
  }
  return NextResponse.redirect(new URL(signInHref(pathname + search), request.url));
}

export const config = {
  // Everything except next-auth's own routes, the sign-in/sign-out pages, the invitee's page
  // (it offers sign-in or account creation itself, and checks the session on its own) and
  // static assets.
  matcher: [
    '/((?!api/auth|sign-in|sign-out|invitations/|_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|ico|txt|webmanifest)$).*)',
  ],
};
