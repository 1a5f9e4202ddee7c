import 'server-only';

import { getConfig } from '@/lib/config';

let endSessionEndpoint: Promise<string> | undefined;

async function discoverEndSessionEndpoint(): Promise<string> {
  const { endpoint } = getConfig().logto;
  const response = await fetch(`${endpoint}/oidc/.well-known/openid-configuration`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`OIDC discovery answered ${response.status}`);
  const document = (await response.json()) as { end_session_endpoint?: unknown };
  if (typeof document.end_session_endpoint !== 'string') throw new Error('No end_session_endpoint');
  return document.end_session_endpoint;
}

/**
 * Logto's RP-initiated logout URL: ends the Logto session too, then returns to NEXTAUTH_URL
 * (which must be registered as a post sign-out redirect URI of the portal's app).
 */
export async function buildEndSessionUrl(idToken: string | undefined): Promise<string> {
  const config = getConfig();
  endSessionEndpoint ??= discoverEndSessionEndpoint();
  let base: string;
  try {
    base = await endSessionEndpoint;
  } catch {
    // Discovery can fail transiently; Logto's endpoint has a fixed path, so fall back to it.
    endSessionEndpoint = undefined;
    base = `${config.logto.endpoint}/oidc/session/end`;
  }
  const url = new URL(base);
  url.searchParams.set('client_id', config.logto.appId);
  url.searchParams.set('post_logout_redirect_uri', config.nextAuth.url);
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  return url.toString();
}
