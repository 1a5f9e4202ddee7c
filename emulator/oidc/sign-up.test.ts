// The local Logto's sign-up follows its sign-in experience, as Logto's does: a new tenant (the
// `bare` profile) signs up with a username only; email sign-up needs an email connector. The
// pages honour `ui_locales` (then Accept-Language) in English, Korean and Japanese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localLogtoClient } from '@/lib/logto/local-logto-client';
import type { ManagementClient } from '@/lib/logto/client';
import { findUserByUsername } from '../db';
import { type EmulatorHandle, startEmulator } from '../server';
import { createPkcePair, formAction, TestBrowser } from './test-browser';

const REDIRECT_URI = 'http://localhost:4174/api/auth/callback/logto';

let emulator: EmulatorHandle;
let client: ManagementClient;

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    quiet: true,
    profile: 'bare',
    extraRedirectUris: [REDIRECT_URI],
  });
  client = localLogtoClient(emulator.url, { maxRetries: 0 });
});

afterAll(async () => {
  await emulator?.close();
});

function authorizationUrl(extra: Record<string, string> = {}): string {
  const { challenge } = createPkcePair();
  return `${emulator.issuer}/auth?${new URLSearchParams({
    client_id: 'portal-web',
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    prompt: 'login consent',
    state: crypto.randomUUID(),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  })}`;
}

async function openPage(extra: Record<string, string>, browser = new TestBrowser()) {
  const page = await browser.follow(authorizationUrl(extra), (url) => url.href.startsWith(REDIRECT_URI));
  expect(page.response?.status).toBe(200);
  return { browser, url: page.url, html: page.body ?? '' };
}

async function signUpSettings() {
  const { data } = await client.api.GET('/api/sign-in-exp');
  return { signInMode: data?.signInMode, signUp: data?.signUp, signIn: data?.signIn };
}

async function patchSignInExperience(body: unknown) {
  const { response } = await client.api
    .PATCH('/api/sign-in-exp', { body: body as never })
    .catch((error: unknown) => ({
      response: { status: (error as { status: number }).status },
    }));
  return response.status;
}

describe("sign-up on Logto's default sign-in experience (username only)", () => {
  it('asks for a username, not an email, even when the portal asks for email with identifier and login_hint', async () => {
    expect((await signUpSettings()).signUp).toMatchObject({ identifiers: ['username'], verify: false });
    const page = await openPage({
      first_screen: 'identifier:register',
      identifier: 'email',
      login_hint: 'nina@example.com',
    });
    expect(page.html).toContain('<title>Create account — Logto (local)</title>');
    expect(page.html).toContain('<label for="username">Username</label>');
    expect(page.html).not.toContain('id="email"');
    expect(page.html).not.toContain('nina@example.com');
  });

  it('creates an account with a username and no email, which then signs in by username', async () => {
    const page = await openPage({ first_screen: 'register' });
    const action = formAction(page.html, page.url);
    const bad = await page.browser.postForm(action, {
      username: '1-not-valid',
      password: 'long-enough-1',
      passwordConfirmation: 'long-enough-1',
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('A username starts with a letter or _');

    const username = `nina_${Date.now()}`;
    const created = await page.browser.postForm(action, {
      username,
      email: 'ignored@example.com',
      password: 'long-enough-1',
      passwordConfirmation: 'long-enough-1',
    });
    expect(created.status).toBe(303);
    const user = await findUserByUsername(emulator.db, username);
    expect(user).toMatchObject({ username, primaryEmail: null });

    const signIn = await openPage({});
    expect(signIn.html).toContain('<label for="email">Username</label>');
    const answer = await signIn.browser.postForm(formAction(signIn.html, signIn.url), {
      email: username,
      password: 'long-enough-1',
    });
    expect(answer.status).toBe(303);
  });
});

describe('PATCH /api/sign-in-exp', () => {
  it('refuses email sign-up without verification or without an email connector, as Logto does, and changes nothing', async () => {
    const before = await signUpSettings();
    expect(
      await patchSignInExperience({ signUp: { identifiers: ['email'], password: true, verify: false } }),
    ).toBe(400);
    expect(
      await patchSignInExperience({ signUp: { identifiers: ['email'], password: true, verify: true } }),
    ).toBe(400);
    const refused = await client.api
      .PATCH('/api/sign-in-exp', {
        body: { signUp: { identifiers: ['email'], password: true, verify: true } },
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({
      status: 400,
      code: 'sign_in_experiences.enabled_connector_not_found',
      message: 'Enabled Email connector not found.',
    });
    expect(
      await patchSignInExperience({
        signIn: {
          methods: [
            { identifier: 'email', password: false, verificationCode: false, isPasswordPrimary: true },
          ],
        },
      }),
    ).toBe(400);
    expect(await signUpSettings()).toEqual(before);
  });

  it('with an email connector, sets email sign-up; the create-account page then asks for the invited email, pre-filled', async () => {
    await emulator.db.pg.query(
      `insert into connectors (id, connector_id, config, metadata) values ('mail', 'emulator-outbox-email', '{}', '{}')`,
    );
    const before = await signUpSettings();
    try {
      expect(
        await patchSignInExperience({
          signUp: { identifiers: ['email'], password: true, verify: true, secondaryIdentifiers: [] },
          signIn: {
            methods: [
              { identifier: 'email', password: true, verificationCode: false, isPasswordPrimary: true },
            ],
          },
        }),
      ).toBe(200);
      const page = await openPage({
        first_screen: 'identifier:register',
        identifier: 'email',
        login_hint: 'nina@example.com',
      });
      expect(page.html).toMatch(
        /<label for="email">Email<\/label>\s*<input id="email"[^>]*value="nina@example.com"/,
      );
      expect(page.html).not.toContain('id="username"');
    } finally {
      expect(await patchSignInExperience({ signUp: before.signUp, signIn: before.signIn })).toBe(200);
      await emulator.db.pg.query(`delete from connectors where id = 'mail'`);
    }
    expect(await signUpSettings()).toEqual(before);
  });

  it('sign-in only: no create-account link, and first_screen=register falls back to sign-in', async () => {
    expect(await patchSignInExperience({ signInMode: 'SignIn' })).toBe(200);
    try {
      const page = await openPage({ first_screen: 'register' });
      expect(page.html).toContain('<title>Sign in to Logto (local)</title>');
      expect(page.html).not.toContain('/register');
    } finally {
      expect(await patchSignInExperience({ signInMode: 'SignInAndRegister' })).toBe(200);
    }
  });
});

describe('page language', () => {
  it.each([
    ['ko', '<html lang="ko">', '<h1>로그인</h1>', '<label for="password">비밀번호</label>'],
    ['ja', '<html lang="ja">', '<h1>サインイン</h1>', '<label for="password">パスワード</label>'],
    ['fr ko-KR', '<html lang="ko">', '<h1>로그인</h1>', '<label for="email">사용자 이름</label>'],
    ['fr', '<html lang="en">', '<h1>Sign in</h1>', '<label for="password">Password</label>'],
  ])('ui_locales=%s picks the page language', async (uiLocales, ...expected) => {
    const page = await openPage({ ui_locales: uiLocales });
    for (const text of expected) expect(page.html).toContain(text);
  });

  it('the create-account page and its errors follow ui_locales too', async () => {
    const page = await openPage({ ui_locales: 'ja', first_screen: 'register' });
    expect(page.html).toContain('<h1>アカウントを作成</h1>');
    const answer = await page.browser.postForm(formAction(page.html, page.url), {
      username: 'nina_ja',
      password: 'short',
      passwordConfirmation: 'short',
    });
    expect(await answer.text()).toContain('パスワードは 8 文字以上にしてください。');
  });

  it('without ui_locales, the browser language decides', async () => {
    const page = await openPage({});
    const again = await page.browser.request(page.url, { headers: { 'accept-language': 'en;q=0.5, ja-JP' } });
    expect(await again.text()).toContain('<h1>サインイン</h1>');
  });
});
