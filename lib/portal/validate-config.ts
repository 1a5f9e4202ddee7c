import { ConfigError, getConfig } from '@/lib/config';

/**
 * Start-up check (Node runtime only): a bad setting ends the process with the one-line
 * explanation from {@link ConfigError}, before any request is served.
 */
export function validateConfigOrExit(): void {
  try {
    getConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
}
