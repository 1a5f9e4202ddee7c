/**
 * Starts what the end-to-end suite runs against: the local Logto (in memory, freshly seeded)
 * and a production build of the portal, both on 127.0.0.1 at the ports Playwright chose.
 * Playwright's `webServer` runs this and stops it when the suite ends.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../emulator/server';
import { onShutdown, PROJECT_ROOT, spawnNext, waitForExit } from './lib/processes';

const portalPort = Number(process.env.E2E_PORTAL_PORT);
const logtoPort = Number(process.env.E2E_LOGTO_PORT);
if (!portalPort || !logtoPort) {
  console.error('E2E_PORTAL_PORT and E2E_LOGTO_PORT must be set (playwright.config.ts sets them).');
  process.exit(2);
}
const portalUrl = `http://localhost:${portalPort}`;

const emulator = await startEmulator({
  port: logtoPort,
  extraRedirectUris: [`${portalUrl}/api/auth/callback/logto`],
  extraPostLogoutRedirectUris: [portalUrl, `${portalUrl}/sign-in`],
  quiet: true,
});

const env: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  LOGTO_ENDPOINT: emulator.url,
  LOGTO_M2M_APP_ID: 'portal-m2m',
  LOGTO_M2M_APP_SECRET: 'portal-m2m-secret',
  LOGTO_APP_ID: 'portal-web',
  LOGTO_APP_SECRET: 'portal-web-secret',
  NEXTAUTH_URL: portalUrl,
  NEXTAUTH_SECRET: 'e2e-only-secret-not-for-production-use-0123456789',
  // Every spec opens invitation pages from one address; the per-visitor limit has its own tests.
  PORTAL_PUBLIC_VISITS_PER_MINUTE: '1000',
  // The portal's own store lives in memory for the run (or in E2E_DATABASE_URL's Postgres).
  PORTAL_DATA_DIR: 'memory://',
  // Specs put their fixtures back straight in Logto, as Logto Console would, and the next spec
  // reads through the portal at once: a portal that serves reads again for 5 s would show the
  // old state (the promise for changes made outside the portal). Identical reads in flight are
  // still shared; the read cache has its own tests and specs with their own deployments.
  PORTAL_READ_CACHE_MS: '0',
};

const hasBuild = existsSync(join(PROJECT_ROOT, '.next', 'BUILD_ID'));
if (process.env.E2E_SKIP_BUILD === '1' && hasBuild) {
  console.log('E2E_SKIP_BUILD=1: reusing the existing production build.');
} else {
  const build = spawnNext(['build'], env);
  const code = await waitForExit(build);
  if (code !== 0) {
    await emulator.close();
    process.exit(code);
  }
}

const server = spawnNext(['start', '--port', String(portalPort), '--hostname', '127.0.0.1'], env);
onShutdown(async () => {
  server.kill('SIGTERM');
  await waitForExit(server);
  await emulator.close();
});
const code = await waitForExit(server);
await emulator.close();
process.exit(code);
