import { getToken } from 'next-auth/jwt';
import { type NextRequest, NextResponse } from 'next/server';
import { REQUEST_PATH_HEADER, signInHref } from '@/lib/auth/callback-url';
import { createNonce, pageContentSecurityPolicy, strictTransportSecurity } from '@/lib/auth/security-headers';
import { getConfig } from '@/lib/config';
import { admitPublicVisit, visitorKeyOf } from '@/lib/logto/public-gate';

// Pages anyone may open: sign-in and sign-out, and the invitee's page (it offers sign-in or
// account creation itself, and checks the session on its own).
const PUBLIC_PAGE = /^\/(sign-in|sign-out)/;
const INVITEE_PAGE = /^\/invitations\//;

/**
 * Runs before every page. It gives each page its Content Security Policy with a fresh nonce (and
 * HSTS on https), and sends visitors without a valid session to sign-in, returning afterwards to
 * where they were going. Signed-in requests continue with the path in a request header, so a page
 * can build the same sign-in link if its own session check fails. Permission checks are not done
 * here: every page and action runs its own.
 *
 * Route handlers under `/api` are left out: each one reads the session itself (it must anyway)
 * and answers 401 JSON without one, so running the proxy first would only add its cost to every
 * table page the browser fetches. They answer JSON, under next.config.js's fixed policy.
 */
export async function proxy(request: NextRequest) {
  const config = getConfig();
  const { pathname, search } = request.nextUrl;
  const nonce = createNonce();
  const policy = pageContentSecurityPolicy(nonce, process.env.NODE_ENV !== 'production');
  const headers = new Headers(request.headers);
  // Next takes the nonce for its own scripts from the request's policy.
  headers.set('Content-Security-Policy', policy);
  headers.set(REQUEST_PATH_HEADER, pathname + search);

  let response: NextResponse;
  if (INVITEE_PAGE.test(pathname)) {
    // Each view costs Management API calls: one visitor may not make many, and a full public
    // lane answers at once instead of queueing behind the budget.
    const admission = admitPublicVisit(visitorKeyOf(request.headers));
    response = admission.ok
      ? NextResponse.next({ request: { headers } })
      : busyPage(admission.status, admission.retryAfterSeconds);
  } else if (PUBLIC_PAGE.test(pathname)) {
    response = NextResponse.next({ request: { headers } });
  } else {
    // getToken picks the cookie name (`__Secure-` or not) from NEXTAUTH_URL.
    process.env.NEXTAUTH_URL ??= config.nextAuth.url;
    const token = await getToken({ req: request, secret: config.nextAuth.secret });
    response = token?.sub
      ? NextResponse.next({ request: { headers } })
      : NextResponse.redirect(new URL(signInHref(pathname + search), request.url));
  }
  response.headers.set('Content-Security-Policy', policy);
  const hsts = strictTransportSecurity(config.nextAuth.url);
  if (hsts) response.headers.set('Strict-Transport-Security', hsts);
  return response;
}

export const config = {
  // Every page; not route handlers (see above), Next's static files or public assets.
  matcher: ['/((?!api/|_next/static|_next/image|favicon\\.ico|.*\\.(?:svg|png|ico|txt|webmanifest)$).*)'],
};

/** A small page for a refused visit; no script, so it needs no nonce. */
function busyPage(status: 429 | 503, retryAfterSeconds: number): NextResponse {
  const message =
    status === 429
      ? 'This page was opened too many times from your network in the last minute.'
      : 'The service is busy right now.';
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>Try again shortly</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;line-height:1.5"><h1 style="font-size:1.25rem">Please try again in a moment</h1><p>${message} Reload this page in ${retryAfterSeconds} seconds.</p></body></html>`;
  return new NextResponse(html, {
    status,
    headers: { 'Retry-After': String(retryAfterSeconds), 'Content-Type': 'text/html; charset=utf-8' },
  });
}
