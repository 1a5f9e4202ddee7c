'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { logtoAuthorizationParams } from '@/lib/auth/logto-params';
import { useLocale, useT } from '@/lib/i18n/client';
import { acceptInvitationAction } from './actions';

/**
 * The invitee's address from the link's fragment (`#email=…`), which the invitation links carry:
 * used to pre-fill Logto's sign-in and sign-up, never sent to the portal's server. Kept in the
 * tab's session storage, so it is still known when the visitor comes back from Logto (the return
 * address has no fragment), e.g. after signing in with the wrong account.
 */
function useEmailFromLink(invitationId: string): string | undefined {
  const [email, setEmail] = useState<string | undefined>();
  useEffect(() => {
    const key = `invitation-email:${invitationId}`;
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('email')?.trim();
    let remembered: string | undefined;
    try {
      if (fromHash) window.sessionStorage.setItem(key, fromHash);
      remembered = window.sessionStorage.getItem(key) ?? undefined;
    } catch {
      // Storage can be off (privacy settings): the fragment alone still works.
    }
    const found = fromHash || remembered;
    // Read once after hydration: neither the fragment nor the storage exists on the server.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (found) setEmail(found);
  }, [invitationId]);
  return email;
}

function callbackUrlFor(invitationId: string): string {
  return `/invitations/${encodeURIComponent(invitationId)}`;
}

/**
 * "Sign in to accept" and "Create account": both go to Logto, in the portal's language, and come
 * back to this page. "Create account" opens Logto's email sign-up with the invited address (see
 * {@link logtoAuthorizationParams}). `canSignUp` false (the tenant's sign-up cannot give an
 * account the invited email) leaves only signing in.
 */
export function SignInToAccept({ invitationId, canSignUp }: { invitationId: string; canSignUp: boolean }) {
  const t = useT();
  const locale = useLocale();
  const email = useEmailFromLink(invitationId);
  const [pending, setPending] = useState<'sign-in' | 'sign-up' | null>(null);

  const go = (intent: 'sign-in' | 'sign-up') => {
    setPending(intent);
    void signIn(
      'logto',
      { callbackUrl: callbackUrlFor(invitationId) },
      logtoAuthorizationParams({ intent, locale, email }),
    ).catch(() => setPending(null));
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
      {canSignUp ? (
        <Button className="w-full justify-center" disabled={pending !== null} onClick={() => go('sign-up')}>
          {pending === 'sign-up' ? t('acceptInvitation.redirecting') : t('acceptInvitation.createAccount')}
        </Button>
      ) : null}
    </>
  );
}

/**
 * On the mismatch page: sign in again at Logto with another account (`intent` switch-account), or
 * create one with the invited address (`sign-up`), then come back here.
 */
export function SwitchAccount({
  invitationId,
  intent = 'switch-account',
}: {
  invitationId: string;
  intent?: 'switch-account' | 'sign-up';
}) {
  const t = useT();
  const locale = useLocale();
  const email = useEmailFromLink(invitationId);
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
          logtoAuthorizationParams({ intent, locale, email }),
        ).catch(() => setIsPending(false));
      }}
    >
      {isPending
        ? t('acceptInvitation.redirecting')
        : intent === 'sign-up'
          ? t('acceptInvitation.createAccountWithEmail')
          : t('acceptInvitation.useAnotherAccount')}
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
