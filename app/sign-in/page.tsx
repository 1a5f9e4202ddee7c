import type { Metadata } from 'next';
import { getServerSession } from 'next-auth';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { LanguageSwitcher } from '@/components/language-switcher';
import { ThemeSwitcher } from '@/components/theme-switcher';
import { BuildingIcon } from '@/components/ui/icons';
import { safeCallbackUrl, SESSION_ENDED_ERROR, SIGNED_OUT_COOKIE } from '@/lib/auth/callback-url';
import { getAuthOptions } from '@/lib/auth/options';
import { getLocale, getT } from '@/lib/i18n/server';
import { getThemeChoice } from '@/lib/theme/server';
import { SignInPanel } from './sign-in-panel';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getT();
  return { title: t('auth.signInTitle') };
}

type SignInPageProps = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/**
 * The sign-in page. It continues to Logto by itself unless the visitor just signed out or the
 * last attempt failed (then it waits for the button, so a broken setup cannot loop).
 */
export default async function SignInPage({ searchParams }: SignInPageProps) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const session = await getServerSession(getAuthOptions());
  if (session?.user?.id) redirect(callbackUrl);

  const t = await getT();
  const hasJustSignedOut = (await cookies()).has(SIGNED_OUT_COOKIE);
  const errorCode = typeof params.error === 'string' ? params.error : undefined;
  const notice = errorCode
    ? {
        tone: 'error' as const,
        text:
          errorCode === 'AccessDenied'
            ? t('auth.accessDenied')
            : errorCode === SESSION_ENDED_ERROR
              ? t('auth.sessionEnded')
              : t('auth.signInFailed'),
      }
    : hasJustSignedOut
      ? { tone: 'info' as const, text: t('auth.signedOut') }
      : undefined;

  return (
    <div className="flex min-h-dvh flex-col">
      <div className="flex flex-wrap justify-end gap-2 p-4">
        <LanguageSwitcher />
        <ThemeSwitcher choice={await getThemeChoice()} />
      </div>
      <main id="main" className="flex flex-1 items-start justify-center px-4 pt-[12vh]">
        <div className="border-line bg-surface w-full max-w-sm rounded-xl border p-8 shadow-sm">
          <span className="bg-accent-600 inline-flex size-10 items-center justify-center rounded-lg text-white">
            <BuildingIcon width={20} height={20} />
          </span>
          <p className="text-ink-muted mt-5 text-sm font-medium">{t('common.appName')}</p>
          <h1 className="mt-1 text-2xl font-semibold">{t('auth.signInTitle')}</h1>
          <p className="text-ink-soft mt-2 text-sm">{t('auth.signInIntro')}</p>
          <SignInPanel
            callbackUrl={callbackUrl}
            shouldAutoContinue={!notice}
            notice={notice}
            labels={{ signIn: t('auth.signInWithLogto'), redirecting: t('auth.redirecting') }}
            locale={await getLocale()}
          />
        </div>
      </main>
    </div>
  );
}
