/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The local Logto and its dependencies run in the portal's Node process only in dev tooling,
  // never inside the Next bundle.
  serverExternalPackages: ['oidc-provider', '@electric-sql/pglite', 'koa'],
};

export default nextConfig;
