import 'server-only';

import { createTtlCache } from '@/lib/auth/ttl-cache';
import { expectBody, type ManagementClient, resolveClient } from './client';

/** What the tenant's sign-in experience and connectors mean for invitations. */
export type EmailReadiness = {
  /** Logto can send email (an email connector exists): invitation emails, sign-up codes. */
  canSendEmail: boolean;
  /**
   * Why an invitee without an account cannot create one that accepts the invitation, or
   * `undefined` when they can (sign-up collects a verified email and Logto can send the code).
   */
  signUpGap?: 'registration-disabled' | 'no-email-sign-up' | 'no-email-connector';
};

type SignUp = {
  identifiers: string[];
  verify: boolean;
  secondaryIdentifiers?: { identifier: string; verify?: boolean }[];
};

/** True when sign-up collects a verified email, as primary or secondary identifier. */
export function collectsVerifiedEmail(signUp: SignUp): boolean {
  if (signUp.identifiers.includes('email')) return signUp.verify;
  return (signUp.secondaryIdentifiers ?? []).some(
    (item) => (item.identifier === 'email' || item.identifier === 'emailOrPhone') && item.verify === true,
  );
}

/** Pure: the readiness of a tenant from its sign-in experience and whether it has an email connector. */
export function toEmailReadiness(
  experience: { signInMode: string; signUp: SignUp },
  hasEmailConnector: boolean,
): EmailReadiness {
  const signUpGap =
    experience.signInMode === 'SignIn'
      ? 'registration-disabled'
      : !collectsVerifiedEmail(experience.signUp)
        ? 'no-email-sign-up'
        : hasEmailConnector
          ? undefined
          : 'no-email-connector';
  return { canSendEmail: hasEmailConnector, ...(signUpGap ? { signUpGap } : {}) };
}

// Tenant settings change rarely and are not a permission: a few seconds old is fine for a page.
const cache = createTtlCache<EmailReadiness>({ ttlMs: 5_000, maxEntries: 4 });

/**
 * Whether the tenant can email (an email connector exists) and whether its sign-up lets an
 * invitee without an account join (`GET /api/sign-in-exp`, `GET /api/connectors`). Cached for 5 s
 * per process; pass `client` to bypass the cache (tests).
 */
export async function getEmailReadiness(client?: ManagementClient): Promise<EmailReadiness> {
  const load = async () => {
    const api = resolveClient(client).api;
    const [experience, connectors] = await Promise.all([
      api.GET('/api/sign-in-exp').then(expectBody),
      api.GET('/api/connectors').then(expectBody),
    ]);
    return toEmailReadiness(
      experience,
      connectors.some((connector) => connector.type === 'Email'),
    );
  };
  return client ? load() : cache.get('tenant', load);
}
