import 'server-only';

import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import { type Locale, LOCALE_COOKIE, resolveLocale } from './config';
import { createTranslator, getCatalog, type Messages, type Translator } from './messages';

/** The request's locale: `locale` cookie, else Accept-Language, else English. */
export const getLocale = cache(async (): Promise<Locale> => {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  return resolveLocale({
    cookie: cookieStore.get(LOCALE_COOKIE)?.value,
    acceptLanguage: headerList.get('accept-language'),
  });
});

/** The full catalog of the request's locale (English filling gaps). */
export async function getMessages(): Promise<Messages> {
  return getCatalog(await getLocale());
}

/** `t(key, values)` for server components, route handlers and actions. */
export async function getT(): Promise<Translator> {
  const locale = await getLocale();
  return createTranslator(locale, getCatalog(locale));
}
