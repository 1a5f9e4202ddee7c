import { defineConfig, devices } from '@playwright/test';
import { findFreePort } from './scripts/lib/processes';

// Ports are chosen once in the runner; workers re-read this file and inherit the env.
process.env.E2E_PORTAL_PORT ??= String(await findFreePort());
process.env.E2E_LOGTO_PORT ??= String(await findFreePort());
process.env.E2E_LOGTO_URL = `http://127.0.0.1:${process.env.E2E_LOGTO_PORT}`;
const baseURL = `http://localhost:${process.env.E2E_PORTAL_PORT}`;

export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  // Specs share one seeded local Logto and several change it for a moment (a role, a member,
  // an invitation), so they run one at a time rather than racing each other.
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/ },
    {
      name: 'chromium',
      testMatch: /.*\.spec\.ts/,
      testIgnore: /faults\.spec\.ts/,
      use: { ...devices['Desktop Chrome'] },
      dependencies: ['setup'],
    },
    {
      // Fault injection changes the shared local Logto for everyone, so it runs alone, last.
      name: 'faults',
      testMatch: /faults\.spec\.ts/,
      use: { ...devices['Desktop Chrome'] },
      dependencies: ['chromium'],
    },
  ],
  webServer: {
    command: 'node --import tsx scripts/serve-for-tests.ts',
    url: `${baseURL}/sign-in`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
