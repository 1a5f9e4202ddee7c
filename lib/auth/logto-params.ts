import type { Locale } from '@/lib/i18n/config';

/** What the visitor is about to do at Logto. */
export type LogtoIntent = 'sign-in' | 'sign-up' | 'switch-account';

/**
 * The extra authorization parameters the portal sends to Logto (`signIn('logto', …, params)`):
 * always the portal's language (`ui_locales`), so Logto's pages match the portal's; the invited
 * address as `login_hint` when known. Sign-up opens Logto's identifier sign-up page for an email
 * (`first_screen=identifier:register`, `identifier=email`), so the account gets the address the
 * invitation needs; it and switching accounts ask for a fresh login (`prompt=login`), so a Logto
 * session of somebody else is not reused.
 */
export function logtoAuthorizationParams(o: {
  intent: LogtoIntent;
  locale: Locale;
  email?: string;
}): Record<string, string> {
  const params: Record<string, string> = { ui_locales: o.locale };
  const email = o.email?.trim();
  if (email) params.login_hint = email;
  if (o.intent === 'sign-up') {
    params.first_screen = 'identifier:register';
    params.identifier = 'email';
  }
  if (o.intent !== 'sign-in') params.prompt = 'login consent';
  return params;
}
