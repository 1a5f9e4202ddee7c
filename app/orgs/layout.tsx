import type { ReactNode } from 'react';
import { AppHeader } from '@/components/app-header';
import { QueryProvider } from '@/components/query-provider';
import { ServiceUnavailable } from '@/components/service-unavailable';
import { requirePageActor } from '@/lib/auth/page-actor';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages } from '@/lib/i18n/server';
import { loadForPage } from '@/lib/portal/load-for-page';

/** The signed-in shell: header, the table's own text, TanStack Query. */
export default async function OrganizationsLayout({ children }: { children: ReactNode }) {
  const [locale, messages] = await Promise.all([getLocale(), getMessages()]);
  // The operator check asks Logto; if Logto is down there is nothing useful to render.
  const actor = await loadForPage(requirePageActor);

  return (
    <I18nProvider locale={locale} messages={pickMessages(messages, ['table'])}>
      {actor.ok ? <AppHeader actor={actor.value} /> : null}
      <main id="main" className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-6">
        {actor.ok ? <QueryProvider>{children}</QueryProvider> : <ServiceUnavailable failure={actor} />}
      </main>
    </I18nProvider>
  );
}
