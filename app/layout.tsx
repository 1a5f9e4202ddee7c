import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { I18nProvider } from '@/lib/i18n/client';
import { pickMessages } from '@/lib/i18n/messages';
import { getLocale, getMessages, getT } from '@/lib/i18n/server';
import { themeAttribute } from '@/lib/theme/config';
import { getThemeChoice } from '@/lib/theme/server';
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

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
};

/**
 * The document. The theme the person picked (cookie) is rendered into `data-theme` here, so the
 * first paint is already in it: no theme script, nothing for the nonce CSP to allow. Without a
 * choice the palette follows `prefers-color-scheme` in CSS alone. Every page's `<main>` carries
 * `id="main"`, the skip link's target.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  const [locale, messages, t, theme] = await Promise.all([
    getLocale(),
    getMessages(),
    getT(),
    getThemeChoice(),
  ]);
  return (
    <html lang={locale} data-theme={themeAttribute(theme)}>
      <body className="min-h-dvh">
        <a
          href="#main"
          className="bg-surface text-accent-700 focus-visible:outline-accent-600 sr-only z-50 rounded-md px-3 py-2 text-sm font-medium shadow-lg focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus-visible:outline-2"
        >
          {t('common.skipToContent')}
        </a>
        <I18nProvider locale={locale} messages={pickMessages(messages, ['common', 'pages'])}>
          {children}
        </I18nProvider>
      </body>
    </html>
  );
}
