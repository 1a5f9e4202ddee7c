const isDev = process.env.NODE_ENV !== 'production';

/**
 * Content Security Policy. Next's inline bootstrap scripts need 'unsafe-inline' (no nonces: they
 * would make every page dynamic for no gain here, and the portal renders no user HTML). Dev mode
 * also needs eval and a websocket for Fast Refresh. Sign-in and sign-out reach Logto by
 * top-level navigation, which CSP does not restrict; forms post only to the portal itself.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  // Member avatars live wherever Logto users put them.
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  `connect-src 'self'${isDev ? ' ws: wss:' : ''}`,
  "frame-ancestors 'none'",
  "form-action 'self'",
  "base-uri 'self'",
  "object-src 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  {
    key: 'Permissions-Policy',
    value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The local Logto and its dependencies run in the portal's Node process only in dev tooling,
  // never inside the Next bundle.
  serverExternalPackages: ['oidc-provider', '@electric-sql/pglite', 'koa'],
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
