import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithPassword, findUserByEmail } from '../db';
import { type EmulatorHandle, startEmulator } from '../server';
import { createPkcePair, formAction, hiddenInputs, TestBrowser } from './test-browser';

const CLIENT_ID = 'portal-web';
const CLIENT_SECRET = 'portal-web-secret';
// A portal on a port of its own, as the e2e suites run it; added through extraRedirectUris.
const PORTAL_ORIGIN = 'http://localhost:4173';
const REDIRECT_URI = `${PORTAL_ORIGIN}/api/auth/callback/logto`;
const PASSWORD = 'demo-password-1';
const SCOPE =
  'openid offline_access profile email urn:logto:scope:organizations urn:logto:scope:organization_roles';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    quiet: true,
    extraRedirectUris: [REDIRECT_URI],
    extraPostLogoutRedirectUris: [PORTAL_ORIGIN],
  });
});

afterAll(async () => {
  await emulator?.close();
});

type Authorization = { url: string; state: string; verifier: string };

function authorizationRequest(extra: Record<string, string> = {}): Authorization {
  const { verifier, challenge } = createPkcePair();
  const state = crypto.randomUUID();
  const params = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    prompt: 'consent',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url: `${emulator.issuer}/auth?${params}`, state, verifier };
}

const isCallback = (url: URL) => url.href.startsWith(REDIRECT_URI);

/** Opens the authorization URL and returns the sign-in page it lands on. */
async function openSignInPage(browser: TestBrowser, authorization: Authorization) {
  const page = await browser.follow(authorization.url, isCallback);
  expect(page.response?.status).toBe(200);
  expect(new URL(page.url).pathname).toMatch(/^\/oidc\/interaction\/[\w-]+$/);
  return { url: page.url, html: page.body ?? '' };
}

/** Submits a form, then follows redirects (consent included) to the app's callback. */
async function submitAndReachCallback(browser: TestBrowser, action: string, fields: Record<string, string>) {
  const submitted = await browser.postForm(action, fields);
  expect(submitted.status).toBe(303);
  const location = new URL(submitted.headers.get('location')!, action).href;
  const result = await browser.follow(location, isCallback);
  expect(result.response, `stopped at ${result.url}: ${result.body?.slice(0, 300)}`).toBeUndefined();
  return new URL(result.url);
}

async function exchangeCode(callback: URL, authorization: Authorization) {
  expect(callback.searchParams.get('state')).toBe(authorization.state);
  expect(callback.searchParams.get('iss')).toBe(emulator.issuer);
  const code = callback.searchParams.get('code');
  expect(code).toBeTruthy();
  const response = await fetch(`${emulator.issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: code!,
      redirect_uri: REDIRECT_URI,
      code_verifier: authorization.verifier,
    }).toString(),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    id_token: string;
    access_token: string;
    refresh_token?: string;
    token_type: string;
    scope: string;
  };
}

async function verifyIdToken(idToken: string) {
  const jwks = createRemoteJWKSet(new URL(`${emulator.issuer}/jwks`));
  return jwtVerify(idToken, jwks, { issuer: emulator.issuer, audience: CLIENT_ID });
}

describe('browser sign-in (authorization code + PKCE)', () => {
  it('signs alice in and issues ES384 ID tokens with profile, email and organization claims', async () => {
    const browser = new TestBrowser();
    const authorization = authorizationRequest();
    const page = await openSignInPage(browser, authorization);
    expect(page.html).toContain('<title>Sign in to Logto (local)</title>');
    expect(page.html).toMatch(/<label for="email">Email<\/label>\s*<input id="email"/);
    expect(page.html).toMatch(/<label for="password">Password<\/label>\s*<input id="password"/);
    expect(page.html).toContain('Create account');

    const callback = await submitAndReachCallback(browser, formAction(page.html, page.url), {
      email: 'Alice@Acme.example',
      password: PASSWORD,
    });
    const tokens = await exchangeCode(callback, authorization);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(tokens.scope.split(' ')).toEqual(
      expect.arrayContaining(['openid', 'offline_access', 'profile', 'email']),
    );

    const { payload, protectedHeader } = await verifyIdToken(tokens.id_token);
    expect(protectedHeader.alg).toBe('ES384');
    const alice = await findUserByEmail(emulator.db, 'alice@acme.example');
    expect(payload).toMatchObject({
      sub: alice!.id,
      email: 'alice@acme.example',
      email_verified: true,
      name: 'Alice Admin',
    });
    const organizations = payload.organizations as string[];
    const roles = payload.organization_roles as string[];
    expect(organizations.length).toBeGreaterThanOrEqual(1);
    expect(roles).toEqual(expect.arrayContaining([`${organizations[0]}:admin`]));

    const userinfo = await fetch(`${emulator.issuer}/me`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: alice!.id, email: 'alice@acme.example' });

    const refreshed = await fetch(`${emulator.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
      }).toString(),
    });
    expect(refreshed.status).toBe(200);
    const refreshedBody = (await refreshed.json()) as { id_token: string };
    expect((await verifyIdToken(refreshedBody.id_token)).payload.email).toBe('alice@acme.example');
  });

  it('prefills the email from login_hint', async () => {
    const page = await openSignInPage(
      new TestBrowser(),
      authorizationRequest({ login_hint: 'bob@acme.example' }),
    );
    expect(page.html).toMatch(/<input id="email"[^>]*value="bob@acme.example"/);
  });

  it.each<Record<string, string>>([{ first_screen: 'register' }, { interaction_mode: 'signUp' }])(
    'opens the create-account page first with %j',
    async (params) => {
      const browser = new TestBrowser();
      const page = await openSignInPage(
        browser,
        authorizationRequest({ ...params, login_hint: 'x@example.com' }),
      );
      expect(page.html).toContain('<title>Create account — Logto (local)</title>');
      expect(page.html).toMatch(/<input id="email"[^>]*value="x@example.com"/);

      const signInLink = /<a href="([^"]+)">Sign in<\/a>/.exec(page.html)?.[1];
      const signIn = await browser.request(new URL(signInLink!, page.url).href);
      expect(await signIn.text()).toContain('<title>Sign in to Logto (local)</title>');
    },
  );

  it('shows a clear error for a wrong password and lets the person try again', async () => {
    const browser = new TestBrowser();
    const authorization = authorizationRequest();
    const page = await openSignInPage(browser, authorization);
    const action = formAction(page.html, page.url);

    const wrong = await browser.postForm(action, { email: 'alice@acme.example', password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    const html = await wrong.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('The email or password is incorrect.');
    expect(html).toMatch(/<input id="email"[^>]*value="alice@acme.example"/);

    const unknown = await browser.postForm(action, { email: 'nobody@acme.example', password: PASSWORD });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toContain('The email or password is incorrect.');

    const callback = await submitAndReachCallback(browser, action, {
      email: 'alice@acme.example',
      password: PASSWORD,
    });
    const tokens = await exchangeCode(callback, authorization);
    expect((await verifyIdToken(tokens.id_token)).payload.email).toBe('alice@acme.example');
  });

  it('refuses a suspended user with a clear message, only once the password is right', async () => {
    const email = `suspended-${Date.now()}@example.com`;
    const user = await createUserWithPassword(emulator.db, { email, password: PASSWORD });
    const setSuspended = (value: boolean) =>
      emulator.db.pg.query(`update users set is_suspended = $2 where id = $1`, [user.id, value]);
    await setSuspended(true);

    const browser = new TestBrowser();
    const authorization = authorizationRequest();
    const page = await openSignInPage(browser, authorization);
    const action = formAction(page.html, page.url);

    const wrong = await browser.postForm(action, { email, password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('The email or password is incorrect.');

    const refused = await browser.postForm(action, { email, password: PASSWORD });
    expect(refused.status).toBe(401);
    const html = await refused.text();
    expect(html).toMatch(/<p class="alert" role="alert" id="form-error">This account is suspended\./);
    expect(html).not.toContain('The email or password is incorrect.');
    expect(html).toMatch(new RegExp(`<input id="email"[^>]*value="${email}"`));
    expect((await findUserByEmail(emulator.db, email))?.lastSignInAt).toBeNull();

    await setSuspended(false);
    const callback = await submitAndReachCallback(browser, action, { email, password: PASSWORD });
    const tokens = await exchangeCode(callback, authorization);
    expect((await verifyIdToken(tokens.id_token)).payload.sub).toBe(user.id);
  });

  it('creates an account that can then sign in', async () => {
    const email = `new-${Date.now()}@example.com`;
    const browser = new TestBrowser();
    const authorization = authorizationRequest({ login_hint: email });
    const page = await openSignInPage(browser, authorization);
    const registerLink = /<a href="([^"]+)">Create account<\/a>/.exec(page.html)?.[1];
    expect(registerLink).toBeTruthy();
    const registerUrl = new URL(registerLink!.replaceAll('&amp;', '&'), page.url).href;

    const registerPage = await browser.request(registerUrl);
    expect(registerPage.status).toBe(200);
    const registerHtml = await registerPage.text();
    expect(registerHtml).toContain('<title>Create account — Logto (local)</title>');
    expect(registerHtml).toMatch(new RegExp(`<input id="email"[^>]*value="${email}"`));
    for (const id of ['email', 'name', 'password', 'password-confirmation']) {
      expect(registerHtml).toContain(`<label for="${id}">`);
    }
    const action = formAction(registerHtml, registerUrl);

    const tooShort = await browser.postForm(action, {
      email,
      name: 'Nina New',
      password: 'short',
      passwordConfirmation: 'short',
    });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toContain('at least 8 characters');

    const mismatch = await browser.postForm(action, {
      email,
      name: 'Nina New',
      password: 'long-enough-1',
      passwordConfirmation: 'long-enough-2',
    });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('The passwords do not match.');

    const duplicate = await browser.postForm(action, {
      email: 'alice@acme.example',
      name: 'Not Alice',
      password: 'long-enough-1',
      passwordConfirmation: 'long-enough-1',
    });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toContain('An account with this email already exists.');

    const callback = await submitAndReachCallback(browser, action, {
      email,
      name: 'Nina New',
      password: 'long-enough-1',
      passwordConfirmation: 'long-enough-1',
    });
    const tokens = await exchangeCode(callback, authorization);
    const { payload } = await verifyIdToken(tokens.id_token);
    expect(payload).toMatchObject({ email, name: 'Nina New', organizations: [] });

    // A different browser (no session) signs in with the new password.
    const secondBrowser = new TestBrowser();
    const second = authorizationRequest();
    const signInPage = await openSignInPage(secondBrowser, second);
    const secondCallback = await submitAndReachCallback(
      secondBrowser,
      formAction(signInPage.html, signInPage.url),
      {
        email,
        password: 'long-enough-1',
      },
    );
    const secondTokens = await exchangeCode(secondCallback, second);
    expect((await verifyIdToken(secondTokens.id_token)).payload.sub).toBe(payload.sub);
  });

  it('signs out through end_session and returns to the post-logout redirect URI', async () => {
    const browser = new TestBrowser();
    const authorization = authorizationRequest();
    const page = await openSignInPage(browser, authorization);
    const callback = await submitAndReachCallback(browser, formAction(page.html, page.url), {
      email: 'carol@acme.example',
      password: PASSWORD,
    });
    const tokens = await exchangeCode(callback, authorization);

    // While signed in, prompt=none succeeds without any page.
    const silent = authorizationRequest({ prompt: 'none', scope: 'openid' });
    const silentResult = await browser.follow(silent.url, isCallback);
    expect(new URL(silentResult.url).searchParams.get('code')).toBeTruthy();

    const endSession = new URLSearchParams({
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: PORTAL_ORIGIN,
      state: 'bye',
    });
    const logoutPage = await browser.request(`${emulator.issuer}/session/end?${endSession}`);
    expect(logoutPage.status).toBe(200);
    const logoutHtml = await logoutPage.text();
    const confirm = await browser.postForm(formAction(logoutHtml, logoutPage.url), {
      ...hiddenInputs(logoutHtml),
      logout: 'yes',
    });
    expect(confirm.status).toBe(303);
    const back = new URL(confirm.headers.get('location')!);
    expect(back.origin).toBe(PORTAL_ORIGIN);
    expect(back.searchParams.get('state')).toBe('bye');

    const afterLogout = authorizationRequest({ prompt: 'none', scope: 'openid' });
    const afterResult = await browser.follow(afterLogout.url, isCallback);
    expect(new URL(afterResult.url).searchParams.get('error')).toBe('login_required');
  });

  it('refuses redirect URIs that are not registered', async () => {
    const { url } = authorizationRequest({ redirect_uri: 'http://evil.example/callback' });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('redirect_uri');
  });
});
