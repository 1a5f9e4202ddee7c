import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nextEnv from '@next/env';
import type { EmulatorHandle } from '../../emulator/server';
import { checkTenantAtStartup } from '../logto/doctor';
import { onShutdown, PROJECT_ROOT, spawnNext, waitForExit } from './processes';

const LOCAL_LOGTO_PORT = 3001;
const DEMO_SIGN_INS = [
  ['operator@example.com', 'operator: every organization'],
  ['alice@acme.example', 'admin of Acme (2,500 members)'],
  ['bob@acme.example', 'manager of Acme'],
  ['carol@acme.example', 'plain member of Acme'],
  ['dave@globex.example', 'admin of Globex, member of Acme'],
] as const;

const LOCAL_SECRET_FILE = join(PROJECT_ROOT, '.data', 'nextauth-secret');

/**
 * A session secret for a production build run on the local Logto with no NEXTAUTH_SECRET set: made
 * at random once and kept in `.data/` (readable by this user only), so sessions survive restarts
 * and no published default ever seals a production cookie.
 */
function localProductionSecret(): string {
  if (existsSync(LOCAL_SECRET_FILE)) return readFileSync(LOCAL_SECRET_FILE, 'utf8').trim();
  mkdirSync(join(PROJECT_ROOT, '.data'), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(LOCAL_SECRET_FILE, secret, { mode: 0o600 });
  return secret;
}

/**
 * Runs the portal (`next dev` or `next start`) and, when no Logto is configured, the local
 * Logto beside it in this process, so `npm run dev` works on a machine with no Logto at all.
 */
export async function runPortal(mode: 'dev' | 'start'): Promise<void> {
  // Read .env files the way Next will, so this decision and the portal's config agree.
  nextEnv.loadEnvConfig(PROJECT_ROOT, mode === 'dev');
  const port = Number(process.env.PORT ?? 3000);
  const portalUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
  let emulator: EmulatorHandle | undefined;

  if (!process.env.LOGTO_ENDPOINT) {
    const { startEmulator } = await import('../../emulator/server');
    const started = Date.now();
    try {
      emulator = await startEmulator({
        port: LOCAL_LOGTO_PORT,
        dataDir: '.data/emulator',
        extraRedirectUris: [`${portalUrl}/api/auth/callback/logto`],
        extraPostLogoutRedirectUris: [portalUrl],
        quiet: true,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(
        `Could not start the local Logto on port ${LOCAL_LOGTO_PORT} (${reason}). ` +
          'Stop whatever uses that port, or set LOGTO_ENDPOINT to use a real Logto.',
      );
      process.exit(1);
    }
    console.log(
      `LOGTO_ENDPOINT is not set: started the local Logto at ${emulator.url} in ${Date.now() - started} ms ` +
        `(data in .data/emulator; outbox at ${emulator.url}/_emulator/outbox).`,
    );
    if (mode === 'start' && !process.env.NEXTAUTH_SECRET) {
      process.env.NEXTAUTH_SECRET = localProductionSecret();
      console.log(
        'NEXTAUTH_SECRET is not set: using a random one kept in .data/nextauth-secret (local Logto only).',
      );
    }
  } else {
    console.log(`Checking the Logto tenant at ${process.env.LOGTO_ENDPOINT}...`);
    const gate = await checkTenantAtStartup(process.env, { portalUrl });
    for (const line of gate.output) console.log(line);
    if (!gate.proceed) {
      console.error('Not starting: fix the failures above (npm run logto:doctor repeats these checks).');
      process.exit(1);
    }
  }

  const next = spawnNext([mode, '--port', String(port)], { ...process.env, NEXTAUTH_URL: portalUrl });
  const shutdown = onShutdown(async () => {
    next.kill('SIGTERM');
    await waitForExit(next);
    await emulator?.close();
  });

  console.log(`\nPortal: ${portalUrl}`);
  if (emulator) {
    console.log('Demo sign-ins (password demo-password-1):');
    for (const [email, what] of DEMO_SIGN_INS) console.log(`  ${email.padEnd(24)} ${what}`);
  }
  console.log('');

  const code = await waitForExit(next);
  await shutdown();
  process.exit(code);
}
