import { describe, expect, it } from 'vitest';

import { assessSignUp, planSignUp, type SignInExperienceSnapshot } from './sign-up';

/** Logto OSS's default for a new tenant: username and password. */
const LOGTO_DEFAULT: SignInExperienceSnapshot = {
  signInMode: 'SignInAndRegister',
  signUp: { identifiers: ['username'], password: true, verify: false },
  signIn: {
    methods: [{ identifier: 'username', password: true, verificationCode: false, isPasswordPrimary: true }],
  },
};

const withSignUp = (signUp: SignInExperienceSnapshot['signUp']): SignInExperienceSnapshot => ({
  ...LOGTO_DEFAULT,
  signUp,
});

describe('assessSignUp', () => {
  it("flags Logto's default (username only) and says an email connector comes first when there is none", () => {
    expect(assessSignUp(LOGTO_DEFAULT, { hasEmailConnector: false })).toMatchObject({
      ok: false,
      gap: 'email-connector',
      manualFix: expect.stringMatching(/^add an email connector/),
      isBootstrapFix: true,
    });
    expect(assessSignUp(LOGTO_DEFAULT, { hasEmailConnector: true })).toEqual({
      ok: false,
      gap: 'sign-up-identifiers',
      message: expect.stringMatching(/^sign-up asks for username: /),
      isBootstrapFix: true,
    });
  });

  it('accepts verified email sign-up only with an email connector, primary or secondary', () => {
    const email = withSignUp({ identifiers: ['email'], password: true, verify: true });
    expect(assessSignUp(email, { hasEmailConnector: true }).ok).toBe(true);
    expect(assessSignUp(email, { hasEmailConnector: false })).toMatchObject({
      ok: false,
      gap: 'email-connector',
      isBootstrapFix: false,
    });
    const secondary = withSignUp({
      identifiers: ['username'],
      password: true,
      verify: false,
      secondaryIdentifiers: [{ identifier: 'email', verify: true }],
    });
    expect(assessSignUp(secondary, { hasEmailConnector: true }).ok).toBe(true);
    const unverified = withSignUp({ identifiers: ['email'], password: true, verify: false });
    expect(assessSignUp(unverified, { hasEmailConnector: true })).toMatchObject({
      ok: false,
      message: expect.stringContaining('email without verifying it'),
    });
  });

  it('leaves a sign-in-only tenant to its owner', () => {
    expect(
      assessSignUp({ ...LOGTO_DEFAULT, signInMode: 'SignIn' }, { hasEmailConnector: true }),
    ).toMatchObject({
      ok: false,
      gap: 'registration-disabled',
      manualFix: expect.stringContaining('Sign-in and sign-up'),
    });
  });
});

describe('planSignUp', () => {
  it('makes email the verified primary identifier, keeps username asked, adds email sign-in', () => {
    expect(planSignUp(LOGTO_DEFAULT)?.body).toEqual({
      signUp: {
        identifiers: ['email'],
        password: true,
        verify: true,
        secondaryIdentifiers: [{ identifier: 'username' }],
      },
      signIn: {
        methods: [
          { identifier: 'username', password: true, verificationCode: false, isPasswordPrimary: true },
          { identifier: 'email', password: true, verificationCode: false, isPasswordPrimary: true },
        ],
      },
    });
  });

  it('keeps phone as an alternative and changes nothing that already collects a verified email', () => {
    const phone = withSignUp({ identifiers: ['phone'], password: false, verify: true });
    expect(planSignUp(phone)?.body.signUp).toEqual({
      identifiers: ['phone', 'email'],
      password: true,
      verify: true,
      secondaryIdentifiers: [],
    });
    expect(planSignUp(withSignUp({ identifiers: ['email'], password: true, verify: true }))).toBeUndefined();
  });
});
