import nextEnv from '@next/env';
import { PROJECT_ROOT } from './lib/processes';

/**
 * `npm run db:migrate`: applies the store's pending migrations (`drizzle/`) to `DATABASE_URL`, or
 * to the embedded store under `PORTAL_DATA_DIR` (default `.data/portal`), then exits. The portal
 * also migrates at start-up; this is for deployments that migrate as a separate step. Safe while
 * instances are starting: migrations run under an advisory lock.
 *
 * Run by tsx with the `react-server` condition, under which `server-only` is importable.
 */
process.chdir(PROJECT_ROOT);
// Read .env files the way `next start` does, so this targets the same database.
nextEnv.loadEnvConfig(PROJECT_ROOT, false);

const { closeStore, migrateStore, readStoreConfig } = await import('../lib/store/client');
const started = Date.now();
let where = '';
try {
  const config = readStoreConfig();
  where =
    config.kind === 'postgres' ? 'at DATABASE_URL' : config.dataDir ? `in ${config.dataDir}` : 'in memory';
  await migrateStore();
  console.log(`The store ${where} is up to date (${Date.now() - started} ms).`);
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`Migrating the store${where ? ` ${where}` : ''} failed: ${reason}`);
  process.exitCode = 1;
} finally {
  await closeStore();
}
