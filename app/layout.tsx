import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return {
    title: { default: t('common.appName'), template: `%s · ${t('common.appName')}` },
    // Files in public/: the favicon for every browser, the SVG for modern ones, the installable manifest.
    icons: {
      icon: [
        { url: '/favicon.ico', sizes: '16x16 32x32 48x48' },
        { url: '/icon.svg', type: 'image/svg+xml' },
      ],
      apple: '/apple-touch-icon.png',
    },
    manifest: '/manifest.webmanifest',
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, messages] = await Promise.all([getLocale(), getMessages()]);
  return (
    <html lang={locale}>
      <body className="min-h-dvh">
        <I18nProvider locale={locale} messages={pickMessages(messages, ['common', 'pages'])}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}
