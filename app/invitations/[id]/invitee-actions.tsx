'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { useT } from '@/lib/i18n/client';
import { acceptInvitationAction } from './actions';

/**
 * The invitee's address from the link's fragment (`#email=…`), which only the emailed link
 * carries: used to pre-fill Logto's sign-in, never sent to the portal's server.
 */
function useEmailFromLink(): string | undefined {
  const [email, setEmail] = useState<string | undefined>();
  useEffect(() => {
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('email')?.trim();
    // Read once after hydration: the fragment does not exist on the server.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (fromHash) setEmail(fromHash);
  }, []);
  return email;
}

function callbackUrlFor(invitationId: string): string {
  return `/invitations/${encodeURIComponent(invitationId)}`;
}

/**
 * "Sign in to accept" and "Create account": both go to Logto and come back to this page. The
 * create-account path asks Logto for its registration screen and for a fresh login, so a Logto
 * session of somebody else is not reused.
 */
export function SignInToAccept({ invitationId }: { invitationId: string }) {
  const t = useT();
  const email = useEmailFromLink();
  const [pending, setPending] = useState<'sign-in' | 'register' | null>(null);

  const go = (mode: 'sign-in' | 'register') => {
    setPending(mode);
    const params: Record<string, string> = email ? { login_hint: email } : {};
    if (mode === 'register') {
      params.first_screen = 'register';
      params.prompt = 'login consent';
    }
    void signIn('logto', { callbackUrl: callbackUrlFor(invitationId) }, params).catch(() => setPending(null));
  };

  return (
    <>
      <Button
        variant="primary"
        className="w-full justify-center"
        disabled={pending !== null}
        onClick={() => go('sign-in')}
      >
        {pending === 'sign-in' ? t('acceptInvitation.redirecting') : t('acceptInvitation.signInToAccept')}
      </Button>
      <Button className="w-full justify-center" disabled={pending !== null} onClick={() => go('register')}>
        {pending === 'register' ? t('acceptInvitation.redirecting') : t('acceptInvitation.createAccount')}
      </Button>
    </>
  );
}

/** On the mismatch page: sign in again at Logto with another account, then come back here. */
export function SwitchAccount({ invitationId }: { invitationId: string }) {
  const t = useT();
  const email = useEmailFromLink();
  const [isPending, setIsPending] = useState(false);
  return (
    <Button
      variant="primary"
      className="w-full justify-center"
      disabled={isPending}
      onClick={() => {
        setIsPending(true);
        // prompt=login makes Logto ask who is signing in instead of reusing its session.
        void signIn(
          'logto',
          { callbackUrl: callbackUrlFor(invitationId) },
          { prompt: 'login consent', ...(email ? { login_hint: email } : {}) },
        ).catch(() => setIsPending(false));
      }}
    >
      {isPending ? t('acceptInvitation.redirecting') : t('acceptInvitation.useAnotherAccount')}
    </Button>
  );
}

/** The accept button; on success the page re-renders as "You joined …". */
export function AcceptButton({ invitationId }: { invitationId: string }) {
  const t = useT();
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();

  return (
    <>
      {error ? (
        <p role="alert" className="bg-danger-50 text-danger-700 rounded-md px-3 py-2 text-sm">
          {error}
        </p>
      ) : null}
      <Button
        variant="primary"
        className="w-full justify-center"
        disabled={isPending}
        onClick={() =>
          startTransition(async () => {
            const result = await acceptInvitationAction({ invitationId });
            if (result.ok) {
              router.refresh();
              return;
            }
            setError(result.error.fieldErrors?._form?.[0] ?? result.error.message);
            if (result.error.code === 'unauthenticated') router.refresh();
          })
        }
      >
        {isPending ? t('acceptInvitation.accepting') : t('acceptInvitation.accept')}
      </Button>
    </>
  );
}
