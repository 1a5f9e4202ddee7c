/**
 * Validates the configuration when the server starts, so a missing or wrong setting stops the
 * portal with one clear line instead of failing on the first request; then opens the portal's
 * store and applies its migrations (safe when several instances start at once), off the request
 * path, and starts the activity log's retention sweep and the bulk-job workers.
 */
export async function register() {
  // The checks exit the process, which only the Node.js runtime can do.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { validateConfigOrExit } = await import('@/lib/portal/validate-config');
    validateConfigOrExit();
    const { migrateStore } = await import('@/lib/store');
    try {
      await migrateStore();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      console.error(`The portal's store could not be opened: ${reason}`);
      process.exit(1);
    }
    const { startActivityRetention } = await import('@/lib/activity/retention');
    startActivityRetention();
    // Bulk jobs left unfinished by a restart carry on as soon as the server is up.
    const { startJobWorkers } = await import('@/lib/jobs/worker');
    void startJobWorkers();
  }
}
