'use client';

import { signIn } from 'next-auth/react';
import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { SIGNED_OUT_COOKIE } from '@/lib/auth/callback-url';
import { logtoAuthorizationParams } from '@/lib/auth/logto-params';
import type { Locale } from '@/lib/i18n/config';

type SignInPanelProps = {
  callbackUrl: string;
  shouldAutoContinue: boolean;
  notice?: { tone: 'info' | 'error'; text: string };
  labels: { signIn: string; redirecting: string };
  /** The portal's language, passed to Logto so its pages match. */
  locale: Locale;
};

/** The "Sign in with Logto" button, pressed automatically when nothing needs saying first. */
export function SignInPanel({ callbackUrl, shouldAutoContinue, notice, labels, locale }: SignInPanelProps) {
  const [isRedirecting, setIsRedirecting] = useState(false);
  const hasStarted = useRef(false);

  const start = () => {
    if (hasStarted.current) return;
    hasStarted.current = true;
    setIsRedirecting(true);
    void signIn('logto', { callbackUrl }, logtoAuthorizationParams({ intent: 'sign-in', locale })).catch(
      () => {
        hasStarted.current = false;
        setIsRedirecting(false);
      },
    );
  };

  useEffect(() => {
    // The "signed out" note is shown once; the next visit continues to Logto again.
    document.cookie = `${SIGNED_OUT_COOKIE}=; path=/; max-age=0; samesite=lax`;
    if (shouldAutoContinue) start();
    // Runs once on arrival; `start` is guarded against a second call.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="mt-6 flex flex-col gap-4">
      {notice ? (
        <p
          role={notice.tone === 'error' ? 'alert' : 'status'}
          className={cn(
            'rounded-md px-3 py-2 text-sm',
            notice.tone === 'error' ? 'bg-danger-50 text-danger-700' : 'bg-accent-50 text-accent-700',
          )}
        >
          {notice.text}
        </p>
      ) : null}
      <Button variant="primary" className="w-full justify-center" disabled={isRedirecting} onClick={start}>
        {isRedirecting ? labels.redirecting : labels.signIn}
      </Button>
    </div>
  );
}
