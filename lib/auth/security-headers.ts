/**
 * The Content Security Policy of an HTML page, with a fresh nonce per response. Next reads the
 * nonce from the request's policy and puts it on its own scripts; `'strict-dynamic'` lets those
 * scripts load the chunks they need, and nothing else runs: no inline script without the nonce,
 * no script from another origin. Dev mode also needs eval and a websocket for Fast Refresh.
 * Styles keep `'unsafe-inline'` (React style attributes); they cannot run code.
 */
export function pageContentSecurityPolicy(nonce: string, isDev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    // Member avatars and organization logos live wherever Logto users put them.
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self'${isDev ? ' ws: wss:' : ''}`,
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** A random nonce (128 bits, base64), new for every response. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * HSTS for a portal served over https: browsers then refuse plain http to it for two years. Off
 * for http (local development), where it would be ignored anyway.
 */
export function strictTransportSecurity(portalUrl: string): string | undefined {
  return portalUrl.startsWith('https://') ? 'max-age=63072000; includeSubDomains' : undefined;
}
