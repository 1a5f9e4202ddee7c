/**
 * Pages get their Content Security Policy from `proxy.ts`, with a fresh nonce per response (no
 * 'unsafe-inline' for scripts). Route handlers under /api answer JSON and files, never HTML to
 * run: they get a policy that allows nothing at all.
 */
const apiContentSecurityPolicy =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const securityHeaders = [
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
  // The bench's private build publishes browser source maps to say what each chunk carries
  // (scripts/bench/lib/workspace.ts); production builds do not.
  productionBrowserSourceMaps: process.env.PORTAL_BROWSER_SOURCE_MAPS === '1',
  // The local Logto and its dependencies run in the portal's Node process only in dev tooling,
  // never inside the Next bundle.
  serverExternalPackages: ['oidc-provider', '@electric-sql/pglite', 'koa', 'pg', 'pg-boss'],
  // A bulk invitation carries up to 10,000 addresses (the default limit is 1 MB).
  experimental: { serverActions: { bodySizeLimit: '4mb' } },
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      {
        source: '/api/:path*',
        headers: [{ key: 'Content-Security-Policy', value: apiContentSecurityPolicy }],
      },
      {
        // Icons and the manifest rarely change and their names carry no hash: a day in the
        // browser's cache, so a page flip never waits behind a revalidation of them.
        source: '/:file(favicon\\.ico|icon\\.svg|icon-192\\.png|icon-512\\.png|apple-touch-icon\\.png|manifest\\.webmanifest)',
        headers: [{ key: 'Cache-Control', value: 'public, max-age=86400' }],
      },
    ];
  },
};

export default nextConfig;
