import { describe, expect, it } from 'vitest';
import { logtoAuthorizationParams } from './logto-params';

describe('logtoAuthorizationParams', () => {
  it("always passes the portal's language", () => {
    expect(logtoAuthorizationParams({ intent: 'sign-in', locale: 'ko' })).toEqual({ ui_locales: 'ko' });
  });

  it('sends sign-up to the email sign-up page with the invited address', () => {
    expect(
      logtoAuthorizationParams({ intent: 'sign-up', locale: 'ja', email: ' nina@example.com ' }),
    ).toEqual({
      ui_locales: 'ja',
      login_hint: 'nina@example.com',
      first_screen: 'identifier:register',
      identifier: 'email',
      prompt: 'login consent',
    });
  });

  it('asks for a fresh login when switching accounts, and leaves out an empty address', () => {
    expect(logtoAuthorizationParams({ intent: 'switch-account', locale: 'en', email: '' })).toEqual({
      ui_locales: 'en',
      prompt: 'login consent',
    });
  });
});
