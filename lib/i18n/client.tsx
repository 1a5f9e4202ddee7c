'use client';

import { createContext, type ReactNode, useContext, useMemo } from 'react';
import type { Locale } from './config';
import { formatDateTime, formatNumber, formatRelativeTime } from './format';
import { createTranslator, type MessageSubset, type Translator } from './translator';

type I18nContextValue = { locale: Locale; messages: MessageSubset };

const I18nContext = createContext<I18nContextValue | null>(null);

/**
 * Hands a subset of the catalog to client components. Nested providers add namespaces to what
 * an outer one gave, so a page passes only the text its own client components show.
 */
export function I18nProvider({
  locale,
  messages,
  children,
}: {
  locale: Locale;
  messages: MessageSubset;
  children: ReactNode;
}) {
  const parent = useContext(I18nContext);
  const value = useMemo<I18nContextValue>(
    () => ({ locale, messages: parent ? { ...parent.messages, ...messages } : messages }),
    [locale, messages, parent],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18nContext(): I18nContextValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT/useLocale need an <I18nProvider> above them.');
  return value;
}

/** The current locale. */
export function useLocale(): Locale {
  return useI18nContext().locale;
}

/** `t(key, values)` over the messages the providers above handed down. */
export function useT(): Translator {
  const { locale, messages } = useI18nContext();
  return useMemo(() => createTranslator(locale, messages), [locale, messages]);
}

/** Number and date formatting bound to the current locale. */
export function useFormat() {
  const locale = useLocale();
  return useMemo(
    () => ({
      number: (value: number, options?: Intl.NumberFormatOptions) => formatNumber(locale, value, options),
      relativeTime: (time: Date | number, now?: Date | number) => formatRelativeTime(locale, time, now),
      dateTime: (time: Date | number, options?: Intl.DateTimeFormatOptions) =>
        formatDateTime(locale, time, options),
    }),
    [locale],
  );
}
