import { formAction, hiddenInputs, TestBrowser } from '../../../emulator/oidc/test-browser';

/** The password of every seeded user. */
export const SEED_PASSWORD = 'demo-password-1';

/** A portal session obtained over plain HTTP: the cookies a browser would send. */
export type PortalSession = {
  /** `Cookie` header value for requests to the portal. */
  cookie: string;
  /** The jar that signed in, for follow-up requests that should keep updating cookies. */
  browser: TestBrowser;
  /** Every `Set-Cookie` line the portal sent during sign-in, for cookie-flag checks. */
  portalSetCookies: string[];
};

/**
 * Signs in to the portal the way a browser does, with no browser: next-auth's CSRF token, the
 * POST that starts the OIDC flow, the local Logto's sign-in form, consent, and the callback that
 * sets the session cookie. Throws with the step that failed.
 *
 * `portalUrl` is where requests go; `publicUrl` is the portal's URL as next-auth knows it (they
 * differ when a test runs the portal behind a pretend https URL): redirects to `publicUrl` are
 * rewritten to `portalUrl`.
 */
export async function signInOverHttp(
  portalUrl: string,
  email: string,
  options: { password?: string; publicUrl?: string } = {},
): Promise<PortalSession> {
  const browser = new TestBrowser();
  const publicUrl = options.publicUrl ?? portalUrl;
  const portalHost = new URL(portalUrl).host;
  const portalSetCookies: string[] = [];
  const toPortal = (url: string) =>
    url.startsWith(publicUrl) ? portalUrl + url.slice(publicUrl.length) : url;
  const request = async (url: string, init?: RequestInit) => {
    const target = toPortal(url);
    const response = await browser.request(target, init);
    if (new URL(target).host === portalHost) portalSetCookies.push(...response.headers.getSetCookie());
    return response;
  };
  // The sign-in ends at the callback's redirect: rendering the landing page would make the portal
  // call Logto, and the bench counts those calls per page view.
  const isLanding = (url: string) => {
    const target = new URL(url);
    return target.host === portalHost && !target.pathname.startsWith('/api/auth');
  };
  const follow = async (start: string, stopAtLanding = false) => {
    let current = start;
    for (let hop = 0; hop < 20; hop += 1) {
      if (stopAtLanding && isLanding(current)) return { url: current, response: undefined, body: '' };
      const response = await request(current);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: toPortal(current), response, body: await response.text() };
      }
      await response.body?.cancel();
      current = toPortal(new URL(location, current).href);
    }
    throw new Error(`sign-in: too many redirects from ${start}`);
  };

  const csrfResponse = await request(`${portalUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken?: string };
  if (!csrfToken) throw new Error(`sign-in: no CSRF token from ${portalUrl}/api/auth/csrf`);

  const start = await request(`${portalUrl}/api/auth/signin/logto`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${publicUrl}/orgs` }).toString(),
  });
  const authorizeUrl = start.headers.get('location');
  await start.body?.cancel();
  if (!authorizeUrl || !authorizeUrl.includes('/oidc/auth')) {
    throw new Error(
      `sign-in: next-auth did not redirect to Logto (status ${start.status}, location ${authorizeUrl})`,
    );
  }

  const signInPage = await follow(authorizeUrl);
  if (signInPage.response?.status !== 200 || !signInPage.body.includes('<form')) {
    throw new Error(`sign-in: no sign-in form at ${signInPage.url} (status ${signInPage.response?.status})`);
  }
  const submitted = await request(formAction(signInPage.body, signInPage.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...hiddenInputs(signInPage.body),
      email,
      password: options.password ?? SEED_PASSWORD,
    }).toString(),
  });
  const next = submitted.headers.get('location');
  await submitted.body?.cancel();
  if (!next) throw new Error(`sign-in: Logto refused ${email} (status ${submitted.status})`);

  const landed = await follow(new URL(next, signInPage.url).href, true);
  const cookie = browser.cookieHeader(portalHost);
  if (!/next-auth\.session-token=/.test(cookie)) {
    throw new Error(
      `sign-in: no session cookie after the callback (ended at ${landed.url}, status ${landed.response?.status})`,
    );
  }
  return { cookie, browser, portalSetCookies };
}

/**
 * Signs in one session per email, `concurrency` at a time, the n-th through `portalUrls[n % length]`
 * (round-robin over instances behind one `publicUrl`). Sessions come back in the emails' order.
 */
export async function signInSessions(
  portalUrls: readonly string[],
  emails: readonly string[],
  options: { concurrency: number; publicUrl?: string },
): Promise<PortalSession[]> {
  const sessions = new Array<PortalSession>(emails.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency, emails.length) }, async () => {
      while (next < emails.length) {
        const index = next;
        next += 1;
        const portalUrl = portalUrls[index % portalUrls.length]!;
        sessions[index] = await signInOverHttp(portalUrl, emails[index]!, { publicUrl: options.publicUrl });
      }
    }),
  );
  return sessions;
}
