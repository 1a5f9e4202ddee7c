'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { SignOutIcon } from '@/components/ui/icons';
import { useT } from '@/lib/i18n/client';

/**
 * Signs out of the portal and Logto. The server clears the session and answers with Logto's
 * end-session URL, which the browser then visits (a navigation, not a form redirect, so the CSP's
 * `form-action 'self'` does not stand in the way).
 */
export function SignOutButton() {
  const t = useT();
  const [isSigningOut, setIsSigningOut] = useState(false);

  return (
    <form
      action="/sign-out"
      method="post"
      onSubmit={async (event) => {
        event.preventDefault();
        setIsSigningOut(true);
        try {
          const response = await fetch('/sign-out', {
            method: 'POST',
            headers: { accept: 'application/json' },
          });
          const body = (await response.json()) as { url?: string };
          // A full page load (not router.push) so nothing of this user stays in client caches.
          window.location.assign(new URL(body.url ?? '/sign-in', window.location.origin));
        } catch {
          // The session cookie may already be gone; the sign-in page is the honest destination.
          window.location.assign(new URL('/sign-in', window.location.origin));
        }
      }}
    >
      <Button type="submit" variant="ghost" size="sm" disabled={isSigningOut}>
        <SignOutIcon />
        {isSigningOut ? t('common.signingOut') : t('common.signOut')}
      </Button>
    </form>
  );
}
