import 'server-only';

import { getConfig } from '@/lib/config';
import { processSingleton } from '@/lib/process-singleton';
import { deleteActivityOlderThan } from '@/lib/store';

const SWEEP_EVERY_MS = 6 * 3_600_000;

/**
 * Deletes activity older than the configured retention now and every six hours, for as long as
 * the process runs. Every instance may sweep: a sweep only deletes what is past the limit, so
 * two at once do no harm. A failed sweep is logged and tried again at the next turn.
 */
export function startActivityRetention(): void {
  const state = processSingleton('activity-retention', () => ({ isStarted: false }));
  if (state.isStarted) return;
  state.isStarted = true;
  const sweep = async () => {
    try {
      const deleted = await deleteActivityOlderThan(getConfig().activityRetentionDays);
      if (deleted > 0) console.log(`[activity] deleted ${deleted} entries past the retention period.`);
    } catch (error) {
      console.error('[activity] the retention sweep failed; it runs again later:', error);
    }
  };
  void sweep();
  // Unreferenced, so the sweep never keeps a stopping process alive.
  setInterval(() => void sweep(), SWEEP_EVERY_MS).unref();
}
