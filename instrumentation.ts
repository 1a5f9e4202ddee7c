/**
 * Validates the configuration when the server starts, so a missing or wrong setting stops the
 * portal with one clear line instead of failing on the first request.
 */
export async function register() {
  // The check exits the process, which only the Node.js runtime can do.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { validateConfigOrExit } = await import('@/lib/portal/validate-config');
    validateConfigOrExit();
  }
}
