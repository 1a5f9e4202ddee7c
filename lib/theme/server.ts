import 'server-only';

import { cookies } from 'next/headers';
import { cache } from 'react';
import { parseThemeChoice, THEME_COOKIE, type ThemeChoice } from './config';

/** The request's theme choice, from the `theme` cookie (rendered into `<html>`, so no flash). */
export const getThemeChoice = cache(async (): Promise<ThemeChoice> => {
  return parseThemeChoice((await cookies()).get(THEME_COOKIE)?.value);
});
