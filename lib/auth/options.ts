import 'server-only';

import type { NextAuthOptions } from 'next-auth';
import { getConfig } from '@/lib/config';

/** Sessions last one working day; the Management API work runs on the M2M token, not this one. */
const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

type LogtoProfile = { sub: string; name?: string | null; email?: string | null };

let cachedOptions: NextAuthOptions | undefined;

/**
 * next-auth options for signing in with Logto (OIDC, authorization code + PKCE + state). Built on
 * first use rather than at import so `next build` never needs a valid configuration.
 */
export function getAuthOptions(): NextAuthOptions {
  if (cachedOptions) return cachedOptions;
  const config = getConfig();
  // next-auth reads its own base URL from the environment; keep it in step with our config.
  process.env.NEXTAUTH_URL ??= config.nextAuth.url;

  cachedOptions = {
    secret: config.nextAuth.secret,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers: [
      {
        id: 'logto',
        name: 'Logto',
        type: 'oauth',
        wellKnown: `${config.logto.endpoint}/oidc/.well-known/openid-configuration`,
        clientId: config.logto.appId,
        clientSecret: config.logto.appSecret,
        authorization: { params: { scope: 'openid offline_access profile email', prompt: 'consent' } },
        // Logto signs ID tokens with ES384; openid-client expects RS256 unless told.
        client: { id_token_signed_response_alg: 'ES384' },
        checks: ['pkce', 'state'],
        idToken: true,
        profile(profile: LogtoProfile) {
          return {
            id: profile.sub,
            name: profile.name ?? profile.email ?? null,
            email: profile.email ?? null,
          };
        },
      },
    ],
    callbacks: {
      jwt({ token, account, profile }) {
        if (account) {
          token.idToken = account.id_token;
          if (profile?.sub) token.sub = profile.sub;
        }
        return token;
      },
      session({ session, token }) {
        // Only what pages show travels to the browser; the ID token stays in the encrypted cookie.
        session.user = { id: token.sub ?? '', email: token.email ?? null, name: token.name ?? null };
        return session;
      },
    },
  };
  return cachedOptions;
}
