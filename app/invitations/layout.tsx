import type { ReactNode } from 'react';
import { LanguageSwitcher } from '@/components/language-switcher';
import { ThemeSwitcher } from '@/components/theme-switcher';
import { BuildingIcon } from '@/components/ui/icons';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { getThemeChoice } from '@/lib/theme/server';

/**
 * The invitee's shell: no portal navigation (an invitee usually has nothing to manage), the
 * product name, and the language switcher.
 */
export default async function InvitationLayout({ children }: { children: ReactNode }) {
  const [locale, messages, t, theme] = await Promise.all([
    getLocale(),
    getMessages(),
    getT(),
    getThemeChoice(),
  ]);
  return (
    <I18nProvider locale={locale} messages={pickMessages(messages, ['acceptInvitation'])}>
      <div className="flex min-h-dvh flex-col">
        <header className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
          <span className="flex items-center gap-2 font-semibold">
            <span className="bg-accent-600 inline-flex size-7 items-center justify-center rounded-md text-white">
              <BuildingIcon />
            </span>
            {t('common.appName')}
          </span>
          <div className="flex flex-wrap items-center gap-2">
            <LanguageSwitcher />
            <ThemeSwitcher choice={theme} />
          </div>
        </header>
        <main id="main" className="flex flex-1 items-start justify-center px-4 pt-[4vh] pb-16 sm:pt-[8vh]">
          {children}
        </main>
      </div>
    </I18nProvider>
  );
}
