import { describe, expect, it } from 'vitest';
import { toEmailReadiness } from './sign-in-experience';

const signUp = (identifiers: string[], verify: boolean) => ({ identifiers, verify, password: true });

describe('toEmailReadiness', () => {
  it("finds Logto's default (username-only sign-up) strands invitees without an account", () => {
    expect(
      toEmailReadiness({ signInMode: 'SignInAndRegister', signUp: signUp(['username'], false) }, false),
    ).toEqual({
      canSendEmail: false,
      signUpGap: 'no-email-sign-up',
    });
  });

  it('needs verified email sign-up and an email connector', () => {
    const email = { signInMode: 'SignInAndRegister', signUp: signUp(['email'], true) };
    expect(toEmailReadiness(email, true)).toEqual({ canSendEmail: true });
    expect(toEmailReadiness(email, false).signUpGap).toBe('no-email-connector');
    expect(
      toEmailReadiness({ signInMode: 'SignInAndRegister', signUp: signUp(['email'], false) }, true).signUpGap,
    ).toBe('no-email-sign-up');
  });

  it('counts a verified secondary email, and a closed sign-up first', () => {
    expect(
      toEmailReadiness(
        {
          signInMode: 'SignInAndRegister',
          signUp: {
            ...signUp(['username'], false),
            secondaryIdentifiers: [{ identifier: 'email', verify: true }],
          },
        },
        true,
      ),
    ).toEqual({ canSendEmail: true });
    expect(toEmailReadiness({ signInMode: 'SignIn', signUp: signUp(['email'], true) }, true).signUpGap).toBe(
      'registration-disabled',
    );
  });
});
