import { defineConfig, devices } from '@playwright/test';
import base from './playwright.config';

/**
 * `npm run screenshots`: every page in both themes at 1366 and 390 px, into `screenshots/`
 * (git-ignored). Same harness as the end-to-end suite (production build, in-memory local Logto,
 * signed-in sessions from the setup project); `E2E_SKIP_BUILD=1` reuses the last build.
 */
export default defineConfig({
  ...base,
  outputDir: './test-results/screenshots',
  projects: [
    { name: 'setup', testMatch: /.*\.setup\.ts/ },
    {
      name: 'screenshots',
      testMatch: /.*\.shots\.ts/,
      use: { ...devices['Desktop Chrome'] },
      dependencies: ['setup'],
    },
  ],
});
