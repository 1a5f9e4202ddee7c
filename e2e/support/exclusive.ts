/**
 * A lock shared by the Playwright workers of one run, for the few specs of this feature that must
 * not overlap (one changes Acme's member count for a moment, another counts Acme's members). It is
 * a file created exclusively in the temp directory, keyed by the run's portal port.
 */
import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POLL_MS = 100;
/** A lock older than this was left by a crashed worker. */
const STALE_MS = 120_000;

function lockPath(name: string): string {
  return join(tmpdir(), `portal-e2e-${process.env.E2E_PORTAL_PORT ?? 'local'}-${name}.lock`);
}

/** Runs `task` while holding the named lock; other workers asking for it wait. */
export async function exclusively<T>(name: string, task: () => Promise<T>): Promise<T> {
  const path = lockPath(name);
  for (;;) {
    try {
      closeSync(openSync(path, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
      } catch {
        // Released (or taken over) between the two calls: just try again.
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await task();
  } finally {
    unlinkSync(path);
  }
}

/** Held while a spec changes Acme's member count, or relies on it staying put. */
export const ACME_MEMBERS_LOCK = 'acme-members';
